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


def test_agent_never_imports_slack_or_the_cli() -> None:
    surfaces = ("slack", "bot.slack", "bot.cli")
    for path in (ROOT / "bot" / "agent").rglob("*.py"):
        assert not any(m.startswith(surfaces) for m in imported_modules(path)), path


def test_bot_keeps_only_its_entry_point_settings_and_wiring_at_the_top() -> None:
    loose = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert loose == [
        "__init__.py",
        "__main__.py",
        "services.py",
        "settings.py",
        "settings_errors.py",
    ]


def test_a_listener_imports_handlers_never_another_listener() -> None:
    listeners = ROOT / "bot" / "slack" / "listeners"
    for path in listeners.glob("*.py"):
        if path.name == "__init__.py":
            continue  # the registry imports every listener, by design
        others = [m for m in imported_modules(path) if m.startswith("bot.slack.listeners")]
        assert others == [], path


def test_handlers_and_blocks_never_import_listeners() -> None:
    for folder in ("handlers", "blocks"):
        for path in (ROOT / "bot" / "slack" / folder).rglob("*.py"):
            assert not any(m.startswith("bot.slack.listeners") for m in imported_modules(path)), (
                path
            )


def test_tests_are_laid_out_like_the_code() -> None:
    """Test modules have unique names (pytest imports them by basename); helpers are in support."""
    tests = ROOT / "tests"
    modules = [p for p in tests.rglob("*.py") if "support" not in p.relative_to(tests).parts]
    names = [p.name for p in modules if p.name.startswith("test_")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    loose = [
        str(p.relative_to(tests))
        for p in modules
        if not p.name.startswith("test_") and p.name != "conftest.py"
    ]
    assert loose == []


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


def test_the_architecture_map_names_every_package_and_only_real_folders() -> None:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    packages = {
        str(init.parent.relative_to(ROOT))
        for top in ("bot", "tools", "prompts")
        for init in (ROOT / top).rglob("__init__.py")
        if "versions" not in init.parts
    }
    assert sorted(p for p in packages if f"`{p}/`" not in text) == []
    named = re.findall(r"^\| `([\w/]+)/` \|", text, re.MULTILINE)
    assert named and sorted(n for n in named if not (ROOT / n).is_dir()) == []
