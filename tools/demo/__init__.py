"""The deterministic demo CRM, dated relative to a given day, for an empty database."""

from tools.demo.seed import DEMO_META_KEY, DemoSummary, seed_demo

__all__ = ["DEMO_META_KEY", "DemoSummary", "seed_demo"]
