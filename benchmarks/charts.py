"""How long each chart takes to draw and how big its PNG is.

Draws the three charts from the hand-written sample artifacts of the tests (a pipeline review,
a forecast with its four-quarter backtest, a leaderboard of `--reps` reps), `--runs` times each
after one warm-up, in this process (matplotlib Agg, no pyplot), then prints and saves
(benchmarks/results/charts.json) the median and worst milliseconds per chart and the PNG sizes.

    python benchmarks/charts.py [--runs 10] [--reps 12]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the sample artifacts live with the tests

import support.analytics_samples as samples  # noqa: E402

from bot.charts import Chart  # noqa: E402
from bot.charts.forecast import forecast_chart  # noqa: E402
from bot.charts.leaderboard import leaderboard_chart  # noqa: E402
from bot.charts.pipeline import pipeline_chart  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "charts.json"


def _leaderboard(reps: int) -> dict[str, Any]:
    rows = [
        samples.kpi_row(
            i, f"Rep {i}", i, f"{150 - i * 9}.0", won_amount=f"{(150 - i * 9) * 1000}.00"
        )
        for i in range(1, reps + 1)
    ]
    return samples.rep_kpis(rows=rows)


def measure(draw: Callable[[], Chart | None], runs: int) -> dict[str, Any]:
    chart = draw()  # warm-up: fonts and caches
    assert chart is not None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        draw()
        times.append((time.perf_counter() - start) * 1000)
    return {
        "chart": chart.name,
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "png_bytes": len(chart.png),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reps", type=int, default=12)
    args = parser.parse_args()
    review, forecast, board = samples.pipeline_review(), samples.forecast(), _leaderboard(args.reps)
    rows = [
        measure(lambda: pipeline_chart(review), args.runs),
        measure(lambda: forecast_chart(forecast), args.runs),
        measure(lambda: leaderboard_chart(board), args.runs),
    ]
    for row in rows:
        print(
            f"{row['chart']:<20} median {row['median_ms']:7.1f} ms  max {row['max_ms']:7.1f} ms"
            f"  PNG {row['png_bytes'] / 1024:6.1f} KiB"
        )
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()} {platform.python_version()}",
                "matplotlib": version("matplotlib"),
                "runs": args.runs,
                "reps": args.reps,
                "charts": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"saved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
