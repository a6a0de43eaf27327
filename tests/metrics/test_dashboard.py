"""deploy/grafana-dashboard.json and deploy/prometheus-alerts.yml use only metrics that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY

import bot.metrics.registry  # noqa: F401 - registers every metric

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bsalesbot_[a-z_]+")
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def known_names() -> set[str]:
    names = set()
    for metric in REGISTRY.collect():
        names.add(metric.name)
        names |= {sample.name for sample in metric.samples}
    return names


def used_in(text: str) -> set[str]:
    return set(NAME.findall(text))


def test_every_panel_and_alert_queries_a_real_metric() -> None:
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    alerts = (ROOT / "deploy" / "prometheus-alerts.yml").read_text()
    known = known_names()
    unknown = sorted(
        name
        for name in used_in(exprs) | used_in(alerts)
        if name not in known and not any(name.removesuffix(s) in known for s in SUFFIXES)
    )
    assert unknown == []
    assert len(dashboard["panels"]) >= 10


def test_metric_names_follow_prometheus_conventions() -> None:
    for metric in REGISTRY.collect():
        if not metric.name.startswith("salesbot_"):
            continue
        if metric.type == "counter":
            assert all(s.name.endswith(("_total", "_created")) for s in metric.samples)
        if metric.type == "histogram":
            assert metric.name.endswith("_seconds"), metric.name
