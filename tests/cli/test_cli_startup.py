"""`salesbot --help` and a question load only what they use (module checks, never timings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from bot.cli.app import COMMANDS, app
from bot.cli.lazy import LazyCommand

ROOT = Path(__file__).resolve().parents[2]
NEVER_AT_START = ("torch", "chromadb", "sklearn", "openai", "matplotlib", "sentence_transformers")


def loaded_after(statement: str, names: tuple[str, ...]) -> list[str]:
    """The top-level packages among `names` that `statement` imports, in a fresh interpreter."""
    probe = f"import sys, json; {statement}; print(json.dumps(sorted(set(sys.modules))))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = set(json.loads(out.stdout.splitlines()[-1]))
    return [n for n in names if n in modules]


def test_importing_the_cli_app_loads_no_heavy_library() -> None:
    heavy = (*NEVER_AT_START, "sqlalchemy", "langchain_core", "langgraph", "pandas", "scipy")
    assert loaded_after("import bot.cli.app", heavy) == []


def test_the_question_commands_load_no_model_runtime_nor_chroma() -> None:
    # `ask` needs LangChain and SQLAlchemy; the model, Chroma, scikit-learn, openai (offline)
    # and matplotlib (no --charts) are loaded when something uses them.
    assert loaded_after("import bot.cli.questions, bot.services", NEVER_AT_START) == []


def test_help_lists_every_command_without_importing_them() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv=['salesbot','--help']; from bot.cli.app import app; app()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
    )
    for command in COMMANDS:
        assert command.name in out.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_each_listed_help_line_is_the_commands_own(command: LazyCommand) -> None:
    loaded = command.load()
    own = " ".join((loaded.help or "").split("\n\n")[0].split())
    assert own == command.help


def test_a_lazy_command_runs_once_chosen() -> None:
    group = typer.main.get_command(app)
    ctx = group.make_context("salesbot", ["db", "--help"], resilient_parsing=True)
    db = group.get_command(ctx, "db")  # type: ignore[attr-defined]
    assert db is not None and "upgrade" in db.list_commands(ctx)
