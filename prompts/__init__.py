"""Prompt files, loaded by name; no prompt text lives in Python."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_prompt(name: str) -> str:
    """The text of `prompts/<name>.md`, from the installed package."""
    return (resources.files(__package__) / f"{name}.md").read_text(encoding="utf-8").strip()
