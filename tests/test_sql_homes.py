"""Where SQL lives: none in bot/, the CRM queries below the nudge engine, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Calls that run a query on a session or connection, whatever builds it.
QUERY_METHODS = {"execute", "scalar", "scalars", "query"}
QUERY_BUILDERS = {"select", "text", "insert", "update", "delete", "aliased", "func"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it (TYPE_CHECKING blocks and functions too);
    `from pkg import name` counts as importing `pkg.name` when that is a module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def sql_in(path: Path) -> list[str]:
    """What in `path` runs or builds SQL: sqlalchemy imports, query calls, query builders."""
    found = sorted(m for m in imports(path) if m.split(".")[0] == "sqlalchemy")
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in QUERY_METHODS:
            found.append(f"line {node.lineno}: .{func.attr}(...)")
        elif isinstance(func, ast.Attribute) and func.attr == "get":
            if isinstance(func.value, ast.Name) and func.value.id == "session":
                found.append(f"line {node.lineno}: session.get(...)")
        elif isinstance(func, ast.Name) and func.id in QUERY_BUILDERS:
            found.append(f"line {node.lineno}: {func.id}(...)")
    return found


def test_bot_runs_no_sql_and_imports_no_sqlalchemy() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sql_in(path) for path in sorted((ROOT / "bot").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_sql(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlalchemy import select\n"
        "def f(session, User):\n"
        "    session.get(User, 1)\n"
        "    return session.execute(select(User)).all()\n"
    )
    assert sql_in(sample) == [
        "sqlalchemy",
        "sqlalchemy.select",
        "line 3: session.get(...)",
        "line 4: .execute(...)",
        "line 4: select(...)",
    ]


def test_crm_queries_never_import_the_nudge_engine() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imports(path) if m.startswith(("tools.nudge_engine", "tools.nudge_engine"))
        )
        for path in (ROOT / "tools" / "crm").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def import_graph(folder: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same folder it imports."""
    paths = {module_name(p): p for p in folder.rglob("*.py")}
    return {name: imports(path) & paths.keys() - {name} for name, path in paths.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for nxt in sorted(graph[node]):
            found = visit(nxt, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_analytics_has_no_import_cycle() -> None:
    graph = import_graph(ROOT / "tools" / "analytics")
    assert "tools.analytics.risk_facts" in graph["tools.analytics.risk_rules"]
    assert cycle(graph) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
