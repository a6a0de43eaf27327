"""The `salesbot` command line: the list of commands, each imported only when it runs.

`salesbot --help` imports Typer and Rich and nothing else of ours (tests/cli/test_cli_startup.py);
each command's module brings its own libraries when it is chosen.
"""

from __future__ import annotations

import typer

from bot.cli.lazy import LazyCommand, LazyGroup

COMMANDS = (
    LazyCommand(
        "serve",
        "bot.cli.slack:serve",
        "Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events.",
    ),
    LazyCommand(
        "users",
        "bot.cli.users:users_app",
        "CRM users: list them (no sub-command), add, change, deactivate, import, link to Slack.",
    ),
    LazyCommand("quotas", "bot.cli.team:quotas_app", "Quotas per person and period."),
    LazyCommand("deals", "bot.cli.team:deals_app", "Deal chores: move a book to someone else."),
    LazyCommand(
        "audit",
        "bot.cli.writes:audit",
        "List the audit log: who changed what, when, from where, before and after.",
    ),
    LazyCommand(
        "undo",
        "bot.cli.writes:undo",
        "Undo a change saved through salesbot, within 10 minutes, as the user who made it.",
    ),
    LazyCommand(
        "confirm",
        "bot.cli.writes:confirm",
        "Save a proposed change (from an MCP client, say) as the user who proposed it.",
    ),
    LazyCommand(
        "tokens",
        "bot.cli.tokens:tokens_app",
        "Personal tokens for MCP clients (Claude Desktop, IDEs).",
    ),
    LazyCommand(
        "mcp",
        "bot.cli.mcp:mcp",
        "Serve the CRM tools to an MCP client (Claude Desktop, an IDE) on stdin/stdout.",
    ),
    LazyCommand(
        "capture",
        "bot.cli.capture:capture_app",
        "Capture emails, meetings and call transcripts into the interaction history.",
    ),
    LazyCommand("sync", "bot.cli.billing:sync_app", "Bring data in from a connected service."),
    LazyCommand(
        "import",
        "bot.cli.imports:import_command",
        "Import HubSpot, Salesforce, generic CSV or Stripe billing exports; importing twice "
        "changes nothing.",
    ),
    LazyCommand(
        "seed-demo",
        "bot.cli.questions:seed_demo_command",
        "Migrate DATABASE_URL, load the demo CRM dated around today, and index its interactions.",
    ),
    LazyCommand(
        "index",
        "bot.cli.questions:index_command",
        "Bring the interaction search index in step with the database: new, changed, deleted.",
    ),
    LazyCommand(
        "ask",
        "bot.cli.questions:ask",
        "Ask one question as a CRM user and print the answer; a proposed change asks first.",
    ),
    LazyCommand(
        "chat",
        "bot.cli.questions:chat",
        "Chat as a CRM user; the conversation is kept until you type `exit`.",
    ),
    LazyCommand(
        "demo",
        "bot.cli.questions:demo",
        "Load the demo CRM when the database is empty, then chat as a demo rep.",
    ),
    LazyCommand("db", "bot.cli.questions:db_app", "Database schema chores."),
    LazyCommand(
        "nudges", "bot.cli.nudges:nudges_app", "Daily next-action nudges and the manager digest."
    ),
    LazyCommand(
        "snapshots",
        "bot.cli.snapshots:snapshots_app",
        "Analytics answers kept for large scopes: list, refresh or clear them.",
    ),
    LazyCommand(
        "currency",
        "bot.cli.currency:currency_app",
        "Exchange rates: totals are converted into REPORTING_CURRENCY.",
    ),
)


class SalesbotCommands(LazyGroup):
    LAZY = COMMANDS


app = typer.Typer(
    cls=SalesbotCommands, help="salesbot: your CRM, in plain words.", no_args_is_help=True
)


@app.callback()
def main() -> None:
    """Settings are read from the environment and `.env` by the first command that needs them
    (bot/cli/common.services), so `--help` and usage errors never depend on them."""
    from bot.cli.common import sanitize_stray_logs  # imports the services: not for --help

    sanitize_stray_logs()
