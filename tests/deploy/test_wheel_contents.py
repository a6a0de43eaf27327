"""The wheel that `pip install .` builds holds every file the packages read at run time.

An editable install reads them from the checkout, so only a real install shows a file that
package-data leaves out: the slim install once lost the planner's intent model this way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "tools", "prompts")


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if line]


def test_the_wheel_carries_every_tracked_file_of_the_packages(tmp_path: Path) -> None:
    source = tmp_path / "src"
    files = tracked_files()
    for name in [*files, "pyproject.toml", "README.md"]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("salesbot-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    assert [name for name in files if name not in inside] == []
