"""A throwaway PostgreSQL server of our own, so a drill can restart it without touching the
shared cluster every other test uses. initdb into a temporary folder, pg_ctl on a free port;
as root, the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from support.chroma_server import free_port

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def pg_bin() -> Path | None:
    """The newest installed server binaries folder, or None when initdb is absent."""
    found = sorted(glob.glob(f"{PG_BIN_GLOB}/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


@dataclass
class PrivatePostgres:
    bin: Path
    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        argv = [str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-w", "-t", "120"]
        argv += ["-l", str(self.root / "server.log"), "-o", options, *args]
        _run(argv)

    def restart(self) -> None:
        """A fast restart: open connections are cut, committed data stays."""
        self.pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")

    def start(self) -> None:
        self.pg_ctl("start")


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_postgres(argv), capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {done.stdout}{done.stderr}")


@contextmanager
def private_postgres(bin_dir: Path) -> Iterator[PrivatePostgres]:
    """A running server in a fresh folder, stopped and deleted afterwards."""
    # Not pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="salesbot-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PrivatePostgres(bin_dir, root, free_port())
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres"]
        _run([*initdb, "-A", "trust", "--no-sync", "-E", "UTF8"])
        server.start()
        yield server
    finally:
        with suppress(RuntimeError):  # already stopped by the drill, or never started
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
