"""The `salesbot` command line end to end: the demo CRM seeded once per backend, real model.

Every figure the CLI prints is checked against raw SQL over the same database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
from chromadb.api.types import Documents, Embeddings
from sqlalchemy import Connection, Engine, bindparam, create_engine, inspect, text
from sqlalchemy.engine import make_url
from support.postgres import backend_url
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.embeddings import LocalEmbeddings

# One worker runs this whole file, so the second backend reuses the first one's demo vectors;
# embedding 4,000 texts on a loaded machine can take longer than the default timeout.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cli_demo"), pytest.mark.timeout(900)]

DANA, MORGAN = "dana@demo.salesbot.dev", "morgan@demo.salesbot.dev"
DEMO_USERS = (DANA, MORGAN, "priya@demo.salesbot.dev", "admin@demo.salesbot.dev")
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
TABLES = (
    "users",
    "accounts",
    "contacts",
    "deals",
    "deal_stage_history",
    "deal_field_history",
    "activities",
    "tasks",
    "quotas",
    "salesbot_meta",
)


@dataclass(frozen=True)
class Demo:
    """A database holding the demo CRM, its search index, and an engine for raw SQL."""

    url: str
    chroma: Path
    engine: Engine
    seed_output: str


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def flat(output: str) -> str:
    """Rich wraps long lines; compare words, not line breaks."""
    return " ".join(output.split())


def use_cli_env(mp: pytest.MonkeyPatch, url: str, chroma: Path, cwd: Path) -> None:
    """Point the CLI at `url` and `chroma`, away from any `.env` and the developer's settings."""
    mp.chdir(cwd)
    mp.setenv("DATABASE_URL", url)
    mp.setenv("CHROMA_PATH", str(chroma))
    mp.setenv("EMBEDDINGS", "local")
    # Wide enough that tables never truncate an email.
    mp.setenv("COLUMNS", "160")
    for name in ("CHROMA_HOST", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        mp.delenv(name, raising=False)


class RememberingEmbeddings(LocalEmbeddings):
    """The real model, run once per distinct text: both backends seed the same 4,000 texts."""

    vectors: ClassVar[dict[str, Any]] = {}

    def __call__(self, input: Documents) -> Embeddings:
        texts = list(input)
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, super().__call__(missing), strict=True))
        return [self.vectors[t] for t in texts]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """`salesbot seed-demo` run once per backend: it loads and indexes 4,000 activities.

    The second backend runs every step of indexing too, but reuses the first one's vectors:
    embedding 4,000 texts twice would double the slowest part of this file.
    """
    home = tmp_path_factory.mktemp(f"demo-{request.param}")
    with ExitStack() as stack:
        url = stack.enter_context(backend_url(request, home, "salesbot_test"))
        with pytest.MonkeyPatch.context() as mp:
            use_cli_env(mp, url, home / "chroma", home)
            mp.setattr("bot.services.LocalEmbeddings", RememberingEmbeddings)
            result = run("seed-demo")
        assert result.exit_code == 0, result.output
        engine = create_engine(url)
        stack.callback(engine.dispose)
        yield Demo(url, home / "chroma", engine, result.output)


@pytest.fixture
def seeded(demo: Demo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Demo:
    use_cli_env(monkeypatch, demo.url, demo.chroma, tmp_path)
    return demo


def assert_clean_failure(result: Result, *words: str) -> None:
    """Exit 1 through typer.Exit with one line on stderr: never a traceback."""
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    for word in words:
        assert word in line


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """The CLI environment with no database yet; the caller sets DATABASE_URL."""
    use_cli_env(monkeypatch, "", tmp_path / "chroma", tmp_path)
    monkeypatch.setenv("COLUMNS", "80")  # what Rich assumes when output is piped
    return monkeypatch


def ask_json(email: str, question: str) -> dict[str, Any]:
    result = run("ask", "--as", email, question, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def artifact(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [a for a in answer["artifacts"] if a["type"] == kind]
    return found


def user_id(conn: Connection, email: str) -> int:
    return conn.execute(text("SELECT id FROM users WHERE email = :e"), {"e": email}).scalar_one()


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def dollars(value: Decimal) -> str:
    return f"${value:,.2f}".removesuffix(".00")


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def quarter(day: date) -> tuple[date, date]:
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    after = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def team_pipeline(conn: Connection, email: str) -> dict[str, Any]:
    """The team's pipeline this quarter, computed from raw SQL without the app's code."""
    team = (
        conn.execute(
            text(
                "WITH RECURSIVE team(id) AS (SELECT id FROM users WHERE email = :e "
                "UNION SELECT u.id FROM users u JOIN team t ON u.manager_id = t.id) "
                "SELECT id FROM team"
            ),
            {"e": email},
        )
        .scalars()
        .all()
    )
    tz: str = conn.execute(
        text("SELECT timezone FROM users WHERE email = :e"), {"e": email}
    ).scalar_one()
    # "This quarter" is where the asker is, as the product defines today.
    start, end = quarter(datetime.now(ZoneInfo(tz)).date())
    params = {"owners": team, "start": start, "end": end}

    def amounts(where: str) -> list[Decimal]:
        query = text(
            "SELECT amount FROM deals WHERE owner_id IN :owners "
            f"AND close_date BETWEEN :start AND :end AND {where}"
        ).bindparams(bindparam("owners", expanding=True))
        return [Decimal(str(a)) for a in conn.execute(query, params).scalars()]

    stages = ", ".join(f"'{s}'" for s in OPEN_STAGES)
    open_amounts = amounts(f"stage IN ({stages})")
    won_amounts = amounts("stage = 'closed_won'")
    quotas = conn.execute(
        text(
            "SELECT period_start, period_end, amount FROM quotas WHERE user_id IN :owners "
            "AND period_start <= :end AND period_end >= :start"
        ).bindparams(bindparam("owners", expanding=True)),
        params,
    ).all()
    quota = Decimal(0)
    for q_start, q_end, amount in quotas:
        q_start, q_end = as_date(q_start), as_date(q_end)
        overlap = (min(q_end, end) - max(q_start, start)).days + 1
        quota += Decimal(str(amount)) * overlap / ((q_end - q_start).days + 1)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "open_count": len(open_amounts),
        "open_amount": cents(sum(open_amounts, Decimal(0))),
        "won_count": len(won_amounts),
        "won_amount": cents(sum(won_amounts, Decimal(0))),
        "quota": cents(quota) if quota else None,
    }


def test_seed_demo_names_counts_and_a_second_run_duplicates_nothing(seeded: Demo) -> None:
    before = table_counts(seeded.engine)
    said = flat(seeded.seed_output)
    for table in ("users", "accounts", "deals", "activities", "tasks"):
        assert f"{before[table]} {table}" in said
    assert f"Indexed {before['activities']:,} new in" in said

    again = run("seed-demo")

    assert again.exit_code == 0, again.output
    assert "nothing was duplicated" in flat(again.output)
    assert f"All {before['activities']:,} interactions were already indexed and up to date" in flat(
        again.output
    )
    assert table_counts(seeded.engine) == before


def test_team_pipeline_equals_raw_sql(seeded: Demo) -> None:
    question = "pipeline for my team this quarter"
    got = artifact(ask_json(MORGAN, question), "pipeline")
    with seeded.engine.connect() as conn:
        expected = team_pipeline(conn, MORGAN)

    assert {"start": got["period"]["start"], "end": got["period"]["end"]} == expected["period"]
    assert {k: got[k] for k in expected if k != "period"} == {
        k: v for k, v in expected.items() if k != "period"
    }
    assert got["open_count"] > 0 and expected["quota"] is not None

    printed = run("ask", "--as", MORGAN, question)
    assert printed.exit_code == 0, printed.output
    assert dollars(Decimal(expected["open_amount"])) in printed.stdout


def test_what_to_do_today_lists_only_danas_open_work(seeded: Demo) -> None:
    answer = ask_json(DANA, "what should I do today?")
    items = artifact(answer, "next_actions")["items"]

    assert "next_actions" in [c["name"] for c in answer["tool_calls"]]
    assert items
    with seeded.engine.connect() as conn:
        dana = user_id(conn, DANA)
        open_tasks: dict[int, str] = dict(
            conn.execute(
                text("SELECT id, title FROM tasks WHERE owner_id = :u AND completed_at IS NULL"),
                {"u": dana},
            ).all()
        )
        deals = {
            row.id: row
            for row in conn.execute(
                text("SELECT id, name, stage FROM deals WHERE owner_id = :u"), {"u": dana}
            )
        }
    names = {d.name for d in deals.values()}
    for item in items:
        if item.get("task_id") is not None:
            assert open_tasks[item["task_id"]] == item["title"]
        else:  # a deal-level action is only ever about one of her open deals
            assert deals[item["deal_id"]].stage in OPEN_STAGES
        assert item["deal"] is None or item["deal"] in names


def test_search_returns_only_danas_book(seeded: Demo) -> None:
    with seeded.engine.connect() as conn:
        dana = user_id(conn, DANA)
        account = (
            conn.execute(
                text("SELECT name FROM accounts WHERE owner_id = :u ORDER BY name"), {"u": dana}
            )
            .scalars()
            .first()
        )
    answer = ask_json(DANA, f"what did {account} say about pricing?")
    hits = artifact(answer, "interactions")["hits"]

    assert [c["name"] for c in answer["tool_calls"]] == ["search_interactions"]
    assert hits and {h["account"] for h in hits} == {account}
    with seeded.engine.connect() as conn:
        for hit in hits:
            deal_owner, account_owner = conn.execute(
                text(
                    "SELECT d.owner_id, a.owner_id FROM activities ac "
                    "JOIN accounts a ON a.id = ac.account_id "
                    "LEFT JOIN deals d ON d.id = ac.deal_id WHERE ac.id = :id"
                ),
                {"id": hit["activity_id"]},
            ).one()
            assert dana in (deal_owner, account_owner)


def test_chat_answers_each_question_then_exits(seeded: Demo) -> None:
    with seeded.engine.connect() as conn:
        acme_deals = list(
            conn.execute(
                text(
                    "SELECT d.name FROM deals d JOIN accounts a ON a.id = d.account_id "
                    "JOIN users u ON u.id = d.owner_id WHERE u.email = :e AND a.name LIKE 'Acme%'"
                ),
                {"e": DANA},
            ).scalars()
        )
    script = "what should I do today?\nhow is the acme deal going?\nexit\n"

    result = run("chat", "--as", DANA, input=script)

    assert result.exit_code == 0, result.output
    assert result.stdout.count("you>") == 3
    assert "Next actions for" in result.stdout
    assert any(name in result.stdout for name in acme_deals)


def test_users_lists_every_demo_user(seeded: Demo) -> None:
    with seeded.engine.connect() as conn:
        emails = set(conn.execute(text("SELECT email FROM users")).scalars())

    result = run("users")

    assert result.exit_code == 0, result.output
    assert set(DEMO_USERS) <= emails
    assert all(email in result.stdout for email in emails)


# The second email would be Rich markup (a stray closing tag) if it were not escaped.
@pytest.mark.parametrize("email", ["nobody@example.com", "[/b]nobody@example.com"])
def test_unknown_user_is_one_line_saying_what_to_do(
    seeded: Demo, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # what Rich assumes when output is piped
    result = run("ask", "--as", email, "hi")

    assert_clean_failure(result, email, "Use the email of a user in the CRM")


def test_unreachable_search_store_fails_cleanly(
    seeded: Demo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a-file").touch()
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "a-file" / "chroma"))

    result = run("index")

    assert_clean_failure(result, "Cannot open the interaction search store", "CHROMA_PATH")


def test_database_url_that_is_not_a_url(cli_env: pytest.MonkeyPatch) -> None:
    cli_env.setenv("DATABASE_URL", "notaurl")

    assert_clean_failure(run("ask", "--as", DANA, "hi"), "DATABASE_URL", "is not a database URL")


def test_unmigrated_database_says_to_upgrade_or_seed(
    cli_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "empty.db").touch()
    cli_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")

    result = run("ask", "--as", DANA, "hi")

    assert_clean_failure(result, "salesbot db upgrade", "salesbot seed-demo")


def test_unreachable_postgres_fails_cleanly(cli_env: pytest.MonkeyPatch) -> None:
    cli_env.setenv("DATABASE_URL", "postgresql+psycopg://salesbot@127.0.0.1:9/crm")

    assert_clean_failure(run("ask", "--as", DANA, "hi"), "Cannot open the database")


def test_db_upgrade_creates_the_tables_and_twice_is_fine(
    cli_env: pytest.MonkeyPatch, db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        Path(make_url(db_url).database or "").touch()  # an existing, empty file
    cli_env.setenv("DATABASE_URL", db_url)

    first, second = run("db", "upgrade"), run("db", "upgrade")

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "is up to date" in flat(second.output)
    engine = create_engine(db_url)
    try:
        assert set(TABLES) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
