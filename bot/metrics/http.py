"""/metrics: the Prometheus text format of the default registry, for `salesbot serve`."""

from __future__ import annotations

from typing import Any

from prometheus_client import make_wsgi_app

METRICS_PATH = "/metrics"


def metrics_app() -> Any:
    """A WSGI application answering GET with every metric (gzip when the scraper asks)."""
    return make_wsgi_app()
