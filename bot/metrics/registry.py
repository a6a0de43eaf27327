"""Every Prometheus metric salesbot exports, on the default registry (served at /metrics).

Names follow Prometheus conventions (`salesbot_` prefix, `_total` counters, `_seconds`
durations). Labels hold only bounded, non-personal values: a surface, an outcome, a Slack
method or error code, a tool name. Never a user, a channel, a question or a CRM name.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Answers take from a few milliseconds (planner) to a minute (a slow LLM): buckets span both.
ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120)
QUERY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)

ANSWERS = Counter(
    "salesbot_answers_total",
    "Questions answered, by surface and outcome.",
    ["surface", "outcome"],
)
ANSWER_SECONDS = Histogram(
    "salesbot_answer_duration_seconds",
    "Time from taking a question off the work pool to the answer posted.",
    ["surface"],
    buckets=ANSWER_BUCKETS,
)
LLM_CALLS = Counter("salesbot_llm_calls_total", "Requests to the LLM, by outcome.", ["outcome"])
LLM_TOKENS = Counter("salesbot_llm_tokens_total", "LLM tokens used, by kind.", ["kind"])
PLANNER_FALLBACKS = Counter(
    "salesbot_planner_fallbacks_total",
    "Questions the offline planner answered because the LLM failed, by reason.",
    ["reason"],
)
WORK_POOL_PENDING = Gauge(
    "salesbot_work_pool_pending", "Jobs waiting or running in the work pool, by lane.", ["lane"]
)
WORK_POOL_REJECTIONS = Counter(
    "salesbot_work_pool_rejections_total",
    "Jobs turned away because the work pool was full or closing, by lane.",
    ["lane"],
)
NUDGE_DELIVERIES = Counter(
    "salesbot_nudge_deliveries_total",
    "Scheduled messages handled, by kind and status (sent, recovered, skipped, failed, lost).",
    ["kind", "status"],
)
SLACK_API_ERRORS = Counter(
    "salesbot_slack_api_errors_total",
    "Slack Web API calls that failed, by method and Slack's error code.",
    ["method", "error"],
)
SLACK_RATE_LIMITED = Counter(
    "salesbot_slack_rate_limited_total",
    "HTTP 429 responses from the Slack Web API (each is retried after Retry-After).",
    ["method"],
)
SEARCH_SECONDS = Histogram(
    "salesbot_search_duration_seconds",
    "Time of one search of the interaction index.",
    buckets=QUERY_BUCKETS,
)
DB_SECONDS = Histogram(
    "salesbot_db_query_duration_seconds",
    "Time of one SQL statement.",
    buckets=QUERY_BUCKETS,
)
MCP_CALLS = Counter(
    "salesbot_mcp_tool_calls_total",
    "MCP tool calls, by tool and outcome (ok, refused, error).",
    ["tool", "outcome"],
)
MCP_AUTH_FAILURES = Counter(
    "salesbot_mcp_auth_failures_total",
    "MCP requests refused for their token, by transport.",
    ["transport"],
)

# Known label values start at 0, so a graph or an alert has a series before the first event.
for _lane in ("answer", "claim"):
    WORK_POOL_PENDING.labels(lane=_lane)
    WORK_POOL_REJECTIONS.labels(lane=_lane)
for _outcome in ("ok", "error"):
    LLM_CALLS.labels(outcome=_outcome)
for _kind in ("prompt", "completion"):
    LLM_TOKENS.labels(kind=_kind)
