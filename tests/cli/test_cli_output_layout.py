"""Architecture: CLI output goes through bot/cli/text.py, so CRM text never drives the terminal.

Rules checked on the source of bot/cli/app.py and bot/cli_*.py (the helpers' own module excepted):
1. Output only through the SafeConsole: no `Console(`, builtin `print`, `typer.echo`,
   `click.echo`, `sys.stdout/stderr.write`, `rich.print` (cli_text's echo_json/echo_plain exist).
2. Markup only from literals: no `markup=True`, no `Text.from_markup`/`Markdown(` (use
   `markup("literal {field}", field=...)` and `prose(...)`); a `markup` template is a literal;
   no other literal holds a Rich tag (the console has markup off: it would show as text).
3. What a sink prints (`console.print/input/log`, `Table(title=..)`, `add_row`, `add_column`,
   `Text(..)`, `Group(..)`, `.caption =`, `.title =`, `typer.confirm/prompt`) is a literal, a
   variable, a `safe/cell/markup/prose` call, or a call of a function annotated to return a
   Rich renderable. So `console.print(f"...{name}")`, `add_row(r["name"])`, `add_row(str(x))`
   or `Table(title=f"...")` fail here. Variables are trusted to hold such values; the
   SafeConsole still sanitizes every segment at render time if one does not.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from bot import cli_common
from bot.cli.text import SafeConsole

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "bot" / "cli_text.py"
CLI_MODULES = sorted(p for p in (ROOT / "bot").glob("cli*.py") if p != HELPERS)
SAFE_BUILDERS = {"safe", "cell", "cells", "markup", "prose"}
RENDERABLE_TYPES = {"Table", "Text", "Group", "Markdown", "Panel", "RenderableType"}
PRINT_METHODS = {"print", "input", "log", "out", "rule"}
TABLE_METHODS = {"add_row", "add_column"}
SINK_CLASSES = {"Table", "Text", "Group", "Panel"}
TEXT_KEYWORDS = {"title", "caption", "header", "footer", "subtitle", "prompt", "description"}
CLICK_PROMPTS = {"confirm", "prompt"}
BYPASSES = {("typer", "echo"), ("typer", "secho"), ("click", "echo"), ("rich", "print")}
# A Rich tag such as [b], [/], [red], [link=...]: "[--json]" or "[default: 5]" are not.
MARKUP_TAG = re.compile(
    r"\[(/|/?(b|i|u|s|bold|italic|underline|strike|reverse|dim|red|green|yellow|blue|cyan"
    r"|magenta|white|black|link)\b[^\]]*)\]"
)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def renderable_functions() -> set[str]:
    """CLI functions whose return annotation is a Rich renderable (or a list of them)."""
    names = set()
    for path in CLI_MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.returns is not None:
                used = {n.id for n in ast.walk(node.returns) if isinstance(n, ast.Name)}
                if used & RENDERABLE_TYPES:
                    names.add(node.name)
    return names


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


class Checker(ast.NodeVisitor):
    def __init__(self, path: Path, renderables: set[str]) -> None:
        self.path = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
        self.renderables = renderables
        self.problems: list[Problem] = []
        self.templates: set[int] = set()
        self.sinks = 0

    def fail(self, node: ast.AST, what: str) -> None:
        self.problems.append(Problem(self.path, getattr(node, "lineno", 0), what))

    def visit_Constant(self, node: ast.Constant) -> None:
        is_tagged = isinstance(node.value, str) and MARKUP_TAG.search(node.value)
        if is_tagged and id(node) not in self.templates:
            self.fail(node, f"{node.value!r} is Rich markup outside markup(): it would show")

    def visit_Call(self, node: ast.Call) -> None:
        if call_name(node) == "markup" and node.args:
            self.templates.add(id(node.args[0]))
        self.check_bypass(node)
        self.check_markup(node)
        name = call_name(node)
        is_method = isinstance(node.func, ast.Attribute)
        if (is_method and name in PRINT_METHODS | TABLE_METHODS) or name in SINK_CLASSES:
            self.check_sink(node, name)
        if is_method and name in CLICK_PROMPTS:
            self.sinks += 1
            for arg in node.args:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    self.fail(arg, f"{name}() prompts are written raw by Click: use a literal")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr in {"caption", "title"}:
                self.sinks += 1
                self.check_value(node.value, f".{target.attr} =")
        self.generic_visit(node)

    def check_bypass(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"print", "Console"}:
            self.fail(node, f"{func.id}() bypasses the SafeConsole")
        named = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        if named and ((func.value.id, func.attr) in BYPASSES or func.attr == "Console"):
            self.fail(node, f"{func.value.id}.{func.attr}() bypasses the SafeConsole")
        if isinstance(func, ast.Attribute) and func.attr == "write":
            target = func.value
            if isinstance(target, ast.Attribute) and target.attr in {"stdout", "stderr"}:
                self.fail(node, "sys.stdout/stderr.write bypasses the SafeConsole")

    def check_markup(self, node: ast.Call) -> None:
        name = call_name(node)
        if name in {"from_markup", "Markdown"}:
            self.fail(node, f'{name}: use markup("literal", ...) or prose(...) from cli_text')
        if any(k.arg == "markup" and _is_true(k.value) for k in node.keywords):
            self.fail(node, "markup=True would parse CRM text as Rich markup")
        if name == "markup" and isinstance(node.func, ast.Name):
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                self.fail(node, "a markup() template must be a string literal")

    def check_sink(self, node: ast.Call, name: str) -> None:
        self.sinks += 1
        for arg in node.args:
            self.check_value(arg, name)
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS:
                self.check_value(keyword.value, f"{name}({keyword.arg}=)")

    def check_value(self, value: ast.expr, sink: str) -> None:
        if isinstance(value, ast.Starred):
            inner = value.value
            if isinstance(inner, ast.GeneratorExp | ast.ListComp):
                self.check_value(inner.elt, sink)
            elif not self.allowed(inner):
                self.fail(value, f"{sink}: *{ast.unparse(inner)} is not built by safe()/cell()")
            return
        if not self.allowed(value):
            self.fail(value, f"{sink}: {ast.unparse(value)} is not built by safe()/cell()/markup()")

    def allowed(self, value: ast.expr) -> bool:
        if isinstance(value, ast.Constant | ast.Name):
            return True
        if isinstance(value, ast.IfExp):
            return self.allowed(value.body) and self.allowed(value.orelse)
        if isinstance(value, ast.Call):
            name = call_name(value)
            return name in SAFE_BUILDERS or name in self.renderables
        return False


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def check(path: Path) -> Checker:
    checker = Checker(path, renderable_functions())
    checker.visit(ast.parse(path.read_text()))
    return checker


def test_cli_output_goes_through_the_sanitizing_helpers() -> None:
    checkers = [check(path) for path in CLI_MODULES]
    problems = [str(p) for c in checkers for p in c.problems]
    assert problems == []
    assert sum(c.sinks for c in checkers) > 50  # the rules looked at real output calls


def test_the_checker_catches_what_it_forbids(tmp_path: Path) -> None:
    bad = tmp_path / "cli_probe.py"
    source = """
def show(console, table, r, name):
    console.print(f"Hello {name}")
    console.print("[b]bold[/b]")
    table.add_row(r["name"], str(r["id"]), user.name)
    table.caption = f"{r['note']}"
    Table(title=f"{name}'s deals")
    console.print(Text.from_markup(name), markup=True)
    typer.echo(name)
    print(name)
    markup(name)
    typer.confirm(f"Delete {name}?")
"""
    bad.write_text(source)
    found = check(bad).problems
    assert sorted({p.line for p in found}) == list(range(3, 13))


def test_every_cli_console_is_a_safe_console() -> None:
    assert isinstance(cli_common.console, SafeConsole)
    assert isinstance(cli_common.err, SafeConsole)
