"""How much disk salesbot's runtime dependencies take, with torch and without.

    python -m benchmarks.footprint                      # from the installed packages' RECORDs
    python -m benchmarks.footprint --build /tmp/slim    # and a real slim install into a new venv

Prints and saves (benchmarks/results/footprint.json):
1. the installed size of the full runtime closure (pyproject.toml's dependencies, torch included)
   and of the slim one (the names in deploy/requirements-slim.txt): the files each distribution's
   RECORD lists, summed, for the versions installed here;
2. the difference by distribution: the 15 largest left out, beside the 15 largest kept;
3. with --build DIR: a fresh virtualenv in DIR without the system site packages, given
   `pip install --no-deps -r deploy/requirements-slim.txt`, then `pip install --no-deps` the
   project (non-editable, built from a copy of its source so no build/ or egg-info lands in the
   working tree); pip's wall time (no pip cache, so every wheel is downloaded, as in a fresh
   image), its site-packages measured by walking the folder, and whether `import torch` fails,
   `salesbot --help` runs and `import tools.embeddings, bot.cli.app` works there. A run without
   --build keeps the last build's figures in the results file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from benchmarks.scale import machine  # noqa: E402
from deploy.slim_requirements import OUTPUT as SLIM_FILE  # noqa: E402
from deploy.slim_requirements import full_closure, read_names  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "footprint.json"
TOP = 15
SOURCE = ("pyproject.toml", "README.md", "bot", "tools", "prompts")  # what the wheel is built from
PIP = ("-m", "pip", "install", "--no-deps", "--no-cache-dir", "--disable-pip-version-check")
console = Console()


def main() -> None:
    args = _parser().parse_args()
    report: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    report |= closures()
    show_closures(report)
    if args.build:
        report["build"] = build(Path(args.build).resolve())
        show_build(report["build"])
    elif RESULTS.exists():
        previous = json.loads(RESULTS.read_text()).get("build")
        if previous:
            report["build"] = previous
    report["machine"]["load_average_1m_end"] = machine()["load_average_1m"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    console.print(f"wrote {RESULTS.relative_to(ROOT)}")


def closures() -> dict[str, Any]:
    """Sizes of the full and slim closures, and of what the slim one leaves out."""
    full = full_closure()
    slim = read_names(SLIM_FILE)
    stale = sorted(slim - set(full))
    if stale:
        raise SystemExit(f"not in the closure: {', '.join(stale)}; run deploy/slim_requirements.py")
    sizes = {name: record_bytes(name) for name in full}
    dropped = set(full) - slim
    largest = sorted(full, key=lambda n: -sizes[n])
    row = {name: {"name": name, "version": full[name], "mb": mb(sizes[name])} for name in full}
    return {
        "full": _total(sizes, set(full)),
        "slim": _total(sizes, slim),
        "dropped": _total(sizes, dropped) | {"names": sorted(dropped)},
        "largest_dropped": [row[name] for name in largest if name in dropped][:TOP],
        "largest_kept": [row[name] for name in largest if name in slim][:TOP],
    }


def record_bytes(name: str) -> int:
    """The bytes of the files the distribution's RECORD lists (those still on disk)."""
    total = 0
    for file in metadata.distribution(name).files or []:
        path = Path(str(file.locate()))
        if path.is_file() or path.is_symlink():
            total += path.lstat().st_size
    return total


def build(target: Path) -> dict[str, Any]:
    """A fresh venv in `target` given the slim set and the project: sizes, pip's time, checks."""
    _fresh_venv(target)
    python = target / "bin" / "python"
    requirements = _pip(python, "-r", str(SLIM_FILE))
    with tempfile.TemporaryDirectory(prefix="salesbot-src-") as tmp:
        project = _pip(python, _copy_source(Path(tmp)))
    site = Path(
        _output([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    )
    result: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "venv": str(target),
        "pip_cache": "off (--no-cache-dir)",
        # Where pip took the wheels from (local wheel folders and indexes are much faster).
        "pip_config": _output([str(python), "-m", "pip", "config", "list"]).splitlines(),
        "pip_requirements": requirements,
        "pip_project": project,
        "pip_wall_s": round(requirements["wall_s"] + project["wall_s"], 1),
        "site_packages": walk_bytes(site),  # before anything below writes a .pyc
        "venv_total": walk_bytes(target),
        "distributions_installed": _installed_count(python),
    }
    result["checks"] = checks(target)
    return result


def walk_bytes(top: Path) -> dict[str, float]:
    """Like `du -s --apparent-size` and `du -s`: file bytes and disk blocks, hard links once."""
    seen: set[tuple[int, int]] = set()
    apparent = blocks = 0
    for folder, _, names in os.walk(top):
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                apparent += stat.st_size
                blocks += stat.st_blocks * 512
    return {"bytes": apparent, "mb": mb(apparent), "disk_mb": mb(blocks)}


def checks(venv: Path) -> dict[str, Any]:
    """What runs in the slim venv, from a folder outside the repository."""
    python, bin_dir = str(venv / "bin" / "python"), venv / "bin"
    imports = "import tools.embeddings, bot.cli.app, tools; print(tools.__file__)"
    torch = _run([python, "-c", "import torch"])
    helped = _run([str(bin_dir / "salesbot"), "--help"])
    imported = _run([python, "-c", imports])
    unmet = _run([python, "-m", "pip", "check", "--disable-pip-version-check"])
    return {
        "import_torch_fails": torch.returncode != 0,
        "import_torch_error": _last_line(torch.stderr),
        "salesbot_help_ok": helped.returncode == 0 and "Usage" in helped.stdout,
        "salesbot_help_error": _last_line(helped.stderr) if helped.returncode else "",
        "import_tools_embeddings_bot_cli_app_ok": imported.returncode == 0,
        "tools_imported_from": imported.stdout.strip() or _last_line(imported.stderr),
        "pip_check": unmet.stdout.strip().splitlines(),
    }


def show_closures(report: dict[str, Any]) -> None:
    table = Table(title="Runtime closure, installed (RECORD files)")
    for column in ("closure", "distributions", "MB"):
        table.add_column(column, justify="left" if column == "closure" else "right")
    for key, label in (("full", "Full (pyproject)"), ("slim", "Slim"), ("dropped", "Left out")):
        table.add_row(label, str(report[key]["distributions"]), f"{report[key]['mb']:,.1f}")
    console.print(table)
    side = Table(title=f"The {TOP} largest, left out and kept")
    for column in ("left out", "MB", "kept", "MB "):
        side.add_column(column, justify="right" if column.startswith("MB") else "left")
    dropped, kept = report["largest_dropped"], report["largest_kept"]
    for i in range(max(len(dropped), len(kept))):
        left = (dropped[i]["name"], f"{dropped[i]['mb']:,.1f}") if i < len(dropped) else ("", "")
        right = (kept[i]["name"], f"{kept[i]['mb']:,.1f}") if i < len(kept) else ("", "")
        side.add_row(*left, *right)
    console.print(side)
    console.print(f"Left out: {', '.join(report['dropped']['names'])}")


def show_build(result: dict[str, Any]) -> None:
    checked = result["checks"]
    table = Table(title=f"Slim install into {result['venv']}")
    table.add_column("what")
    table.add_column("figure", justify="right")
    table.add_row("site-packages, MB (disk MB)", _mb_pair(result["site_packages"]))
    table.add_row("whole venv, MB (disk MB)", _mb_pair(result["venv_total"]))
    table.add_row("distributions installed", str(result["distributions_installed"]))
    table.add_row("pip wall time, requirements", f"{result['pip_requirements']['wall_s']} s")
    table.add_row("pip wall time, the project", f"{result['pip_project']['wall_s']} s")
    table.add_row("import torch fails", _yes(checked["import_torch_fails"]))
    table.add_row("salesbot --help runs", _yes(checked["salesbot_help_ok"]))
    table.add_row(
        "import tools.embeddings, bot.cli.app",
        _yes(checked["import_tools_embeddings_bot_cli_app_ok"]),
    )
    console.print(table)
    for line in checked["pip_check"]:
        console.print(f"pip check: {line}")


def mb(size: int) -> float:
    return round(size / 1e6, 1)


def _total(sizes: dict[str, int], names: set[str]) -> dict[str, Any]:
    total = sum(sizes[name] for name in names)
    return {"distributions": len(names), "bytes": total, "mb": mb(total)}


def _fresh_venv(target: Path) -> None:
    """A new venv in `target`; an existing one is cleared, any other non-empty folder refused."""
    if target.exists() and any(target.iterdir()) and not (target / "pyvenv.cfg").exists():
        raise SystemExit(f"{target} is neither empty nor a virtualenv: refusing to clear it")
    console.print(f"creating a virtualenv in {target} (no system site packages)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(target)], check=True)


def _pip(python: Path, *what: str) -> dict[str, Any]:
    """`pip install --no-deps` into the venv, timed; which packages pip built from source."""
    console.print(f"pip install --no-deps {' '.join(what)}")
    started = time.perf_counter()
    out = subprocess.run(
        [str(python), *PIP, *what], capture_output=True, text=True, env=_clean_env()
    )
    wall = time.perf_counter() - started
    if out.returncode:
        raise SystemExit(f"pip failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    built = sorted(set(re.findall(r"Building wheel for (\S+)", out.stdout)))
    return {"wall_s": round(wall, 1), "built_from_source": built}


def _copy_source(tmp: Path) -> str:
    """The files the wheel is built from, copied, so the build writes nothing into the repo."""
    source = tmp / "salesbot"
    for name in SOURCE:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    return str(source)


def _installed_count(python: Path) -> int:
    listing = _output(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"]
    )
    return len(json.loads(listing))


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="salesbot-footprint-") as cwd:
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=_clean_env())


def _output(argv: list[str]) -> str:
    out = _run(argv)
    if out.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{out.stderr}")
    return out.stdout.strip()


def _clean_env() -> dict[str, str]:
    """The environment without what would lead the venv back to this checkout (pip's kept)."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def _mb_pair(size: dict[str, float]) -> str:
    return f"{size['mb']:,.1f} ({size['disk_mb']:,.1f})"


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", metavar="DIR", help="install the slim set into a new venv here")
    return parser


if __name__ == "__main__":
    main()
