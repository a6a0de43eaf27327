"""Project-wide rules: imports run one way, settings are documented, prompts ship as files."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.settings import Settings
from prompts import load_prompt

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_tools_never_import_bot_or_slack() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m
            for m in imported_modules(path)
            if m.split(".")[0] in {"bot", "slack_bolt", "slack_sdk"}
        )
        for path in (ROOT / "tools").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_agent_never_imports_slack() -> None:
    for path in (ROOT / "bot" / "agent").rglob("*.py"):
        assert not any(m.startswith("slack") for m in imported_modules(path)), path


def test_env_example_mirrors_settings_key_for_key() -> None:
    documented = re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    aliases = [field.alias for field in Settings.model_fields.values()]
    assert sorted(documented) == sorted(aliases)
    lines = (ROOT / ".env.example").read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            assert lines[i - 1].startswith("# "), f"{line} has no comment"


def test_system_prompt_is_a_file_with_placeholders() -> None:
    text = load_prompt("system")
    assert "{user_name}" in text and "{today}" in text
