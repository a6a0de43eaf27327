"""`salesbot serve`: the Slack app."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import Annotated

import typer
from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App

from bot.cli.common import configure_logging, console, fail, services
from bot.cli.process_memory import freeze_startup_objects, pin_mmap_threshold
from bot.cli.text import markup
from bot.mcp.http import MCP_PATH, mcp_http_app
from bot.mcp.slack_cards import slack_card_poster
from bot.metrics.events import configure_event_log
from bot.metrics.http import METRICS_PATH, metrics_app
from bot.nudges.scheduler import start_nudge_scheduler
from bot.services import Services
from bot.slack.app import build_app, build_client, build_deps
from bot.slack.http_server import HttpServer, Wsgi
from bot.slack.server import make_http_server, serve_socket_mode
from bot.slack.work import WorkPool

log = logging.getLogger(__name__)


def serve(
    ctx: typer.Context,
    port: Annotated[int | None, typer.Option(help="HTTP port (default: PORT).")] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events."""
    pin_mmap_threshold()  # before anything large is allocated (bot.process_memory.py)
    svc = services(ctx)
    s = svc.settings
    configure_logging(s.log_level, "%(asctime)s %(levelname)s %(name)s %(message)s")
    configure_event_log(log_content=s.log_content, level=s.log_level)
    if not s.slack_bot_token:
        raise fail("SLACK_BOT_TOKEN is not set. See README, 'Connect a real Slack workspace'.")
    if not s.slack_app_token and not s.slack_signing_secret:
        raise fail("Set SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN for Socket Mode.")
    client = build_client(s)
    try:
        deps = build_deps(s, svc.runner, client)
    except Exception as exc:  # slack_sdk raises several types for a bad token or URL
        raise fail(f"Slack rejected the bot token at {s.slack_api_url}: {exc}") from exc
    app = build_app(s, deps, client)
    # The embedding model loads while Slack connects, not when the first search waits for it.
    warming = svc.index.warm_up()
    # Started before serving so a restart sends what is overdue at once
    # (bot/nudges/scheduler.py).
    scheduler = start_nudge_scheduler(s, svc.sessions, client) if s.scheduler_enabled else None
    # SIGTERM (systemd, Kubernetes, a load balancer draining us) stops like Ctrl-C: gracefully.
    signal.signal(signal.SIGTERM, _interrupt)
    mcp = mcp_http_app(
        svc.runner,
        timeout_seconds=s.agent_timeout_seconds + 5,
        post_card=slack_card_poster(client, svc.sessions),
    )
    mounts = {METRICS_PATH: metrics_app(), MCP_PATH: mcp}
    freeze_startup_objects()
    try:
        _serve(app, svc, host, port, mounts)
    except KeyboardInterrupt:
        # A signal just before serving began (after the "listening" line, before serve_forever)
        # stops the same way as one while serving: exit 0, not Typer's 130.
        pass
    finally:
        mcp.close()
        _shut_down(deps.work, scheduler, s.shutdown_grace_seconds)
        _await_warm_up(warming, s.shutdown_grace_seconds)
    if warming.is_alive():
        _leave_now()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _shut_down(work: WorkPool, scheduler: BackgroundScheduler | None, grace: float) -> None:
    """No new nudge ticks, then let answers in flight finish (up to `grace` s), then exit.

    A nudge batch already sending is not awaited: its claims' lease lets another instance (or
    this one after a restart) finish it, and the ledger never sends a message twice.
    """
    if scheduler is not None:
        scheduler.shutdown(wait=False)
    if not work.drain(grace):
        log.warning("stopping with %d answers unfinished after %.0f s", work.pending, grace)
    work.shutdown()
    console.print("salesbot stopped.")


def _await_warm_up(warming: threading.Thread, grace: float) -> None:
    """Give a model still loading time to finish: the first start exports it and then loads it,
    and a daemon thread inside a native runtime still starting makes the interpreter's exit abort
    ("terminate called without an active exception", exit -6), which a supervisor reads as a
    crash."""
    if warming.is_alive():
        console.print("Waiting for the embedding model to finish loading...")
        warming.join(grace)


def _leave_now() -> None:
    """Exit without finalizing the interpreter, so the loading thread cannot abort it; everything
    that matters is already committed, and the model cache is written by rename, never in part."""
    log.warning("the embedding model is still loading; exiting without waiting for it")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _serve(app: App, svc: Services, host: str, port: int | None, mounts: dict[str, Wsgi]) -> None:
    s = svc.settings
    port = s.port if port is None else port
    secret = s.slack_signing_secret or ""
    if s.slack_app_token:
        _serve_socket_mode(app, svc, host, port, mounts)
        return
    server = make_http_server(app, svc.sessions, host, port, signing_secret=secret, mounts=mounts)
    listening = markup(
        "salesbot is listening on http://{host}:{port}/slack/events (health: /healthz, "
        "metrics: /metrics, MCP: /mcp). Ctrl-C stops it.",
        host=host,
        port=server.server_port,
    )
    try:
        console.print(listening)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _serve_socket_mode(
    app: App, svc: Services, host: str, port: int, mounts: dict[str, Wsgi]
) -> None:
    """Slack's events come over the socket; HTTP still serves /healthz, /metrics and /mcp,
    unless its port is taken (then Socket Mode runs alone, as before, with a warning)."""
    s = svc.settings
    try:
        server: HttpServer | None = make_http_server(
            app,
            svc.sessions,
            host,
            port,
            signing_secret=s.slack_signing_secret or "",
            mounts=mounts,
        )
    except OSError as exc:
        log.warning("no /healthz, /metrics or /mcp: cannot listen on port %s (%s)", port, exc)
        server = None
    if server is not None:
        threading.Thread(target=server.serve_forever, name="salesbot-http", daemon=True).start()
    where = f" (health, metrics, MCP on port {server.server_port})" if server else ""
    console.print(
        markup("salesbot is running in Socket Mode{where}. Ctrl-C stops it.", where=where)
    )
    try:
        serve_socket_mode(app, s.slack_app_token or "")
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
