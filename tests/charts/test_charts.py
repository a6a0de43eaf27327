"""Charts: valid PNGs of exactly 1200x675, every bar and label taken from the artifact."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
import support.analytics_samples as samples
from matplotlib.figure import Figure
from PIL import Image

from bot.charts import HEIGHT_PX, WIDTH_PX, Chart, charts_for
from bot.charts.forecast import forecast_figure
from bot.charts.leaderboard import leaderboard_figure
from bot.charts.pipeline import pipeline_figure


def _size(chart: Chart) -> tuple[int, int]:
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(chart.png)) as image:
        image.verify()  # raises on a truncated or corrupt file
    with Image.open(io.BytesIO(chart.png)) as image:
        return image.size


def _heights(figure: Figure, axes: int = 0) -> list[float]:
    return [bar.get_height() for bar in figure.axes[axes].patches]


def _texts(figure: Figure) -> str:
    return "\n".join(t.get_text() for t in figure.findobj(lambda o: hasattr(o, "get_text")))


def test_each_chart_is_a_1200x675_png_in_answer_order() -> None:
    artifacts = [
        samples.pipeline_review(),
        {"type": "notice", "text": "x"},
        samples.forecast(),
        samples.rep_kpis(),
        samples.deal_risks(),
    ]
    charts = charts_for(artifacts)
    assert [c.name for c in charts] == ["pipeline_by_stage", "forecast", "rep_leaderboard"]
    for chart in charts:
        assert _size(chart) == (WIDTH_PX, HEIGHT_PX)
        assert chart.filename.endswith(".png") and chart.alt and chart.title


def test_pipeline_bars_are_the_artifacts_amounts_and_weighted_amounts() -> None:
    artifact = samples.pipeline_review()
    figure = pipeline_figure(artifact)
    stages = artifact["by_stage"]
    amounts = [float(s["amount"]) for s in stages]
    weighted = [float(s["weighted_amount"]) for s in stages]
    assert _heights(figure) == amounts + weighted
    text = _texts(figure)
    # Exact figures as labels, and no "$...$" taken for TeX math.
    assert "$120,000.50" in text and "4 deals" in text and "1 deal\n" in text
    assert "coverage 2.17x" in text and "(win rate 42.5%)" not in text
    assert "(win rate 50.0%)" in text


def test_the_older_pipeline_artifact_gets_the_same_chart() -> None:
    artifact = {
        "type": "pipeline",
        "scope_label": "you",
        "currency": "USD",
        "period": samples.PERIOD,
        "by_stage": [
            {
                "stage": "proposal",
                "count": 2,
                "amount": "165000.50",
                "weighted_amount": "82500.25",
                "win_rate": "0.5000",
            },
        ],
        "open_count": 2,
        "open_amount": "165000.50",
        "weighted_amount": "82500.25",
    }
    [chart] = charts_for([artifact])
    assert chart.name == "pipeline_by_stage"
    figure = pipeline_figure(artifact)
    assert _heights(figure) == [165000.50, 82500.25]
    assert "(win rate 50%)" in _texts(figure)


def test_forecast_shows_expected_range_quota_and_backtest() -> None:
    artifact = samples.forecast()
    figure = forecast_figure(artifact)
    assert _heights(figure, 0) == [165000.25, 50000.0]  # expected, closed won
    ax = figure.axes[0]
    [quota] = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert list(quota.get_ydata()) == [200000.0, 200000.0]
    [range_line] = ax.collections[:1]
    [[(_, low), (_, high)]] = range_line.get_segments()
    assert (low, high) == (120000.0, 210000.75)
    backtest = artifact["backtest"]
    forecasts = [float(r["forecast"]) for r in backtest]
    actuals = [float(r["actual"]) for r in backtest]
    assert _heights(figure, 1) == forecasts + actuals
    text = _texts(figure)
    assert "error -8.6%" in text and "mean abs. error 6.0%" in text and "Q1 2026" in text


def test_forecast_without_a_backtest_draws_one_panel() -> None:
    figure = forecast_figure(samples.forecast(backtest=[], backtest_mae_pct=None))
    assert len(figure.axes) == 1


def test_leaderboard_keeps_the_artifacts_order_and_attainment() -> None:
    artifact = samples.rep_kpis()
    figure = leaderboard_figure(artifact)
    widths = [bar.get_width() for bar in figure.axes[0].patches]
    assert widths == [120.0, 85.5, 40.0, 0.0]
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels[0] == "1. Rita Rep" and labels[3] == "4. Newbie Rep"
    text = _texts(figure)
    assert "no quota · won $50,000" in text and "Team median 85.5%" in text
    assert samples.HOSTILE in text  # drawn as plain text: an image cannot ping anyone


@pytest.mark.parametrize(
    "artifact",
    [samples.pipeline_review(by_stage=[]), samples.rep_kpis(rows=[])],
    ids=["no stages", "no reps"],
)
def test_nothing_to_draw_means_no_chart(artifact: dict[str, Any]) -> None:
    assert charts_for([artifact]) == []


def test_a_chart_that_fails_to_draw_is_left_out(caplog: pytest.LogCaptureFixture) -> None:
    broken = samples.forecast(backtest="not a list")
    charts = charts_for([broken, samples.rep_kpis()])
    assert [c.name for c in charts] == ["rep_leaderboard"]
    assert "forecast" in caplog.text


def test_two_pipeline_artifacts_get_distinct_file_names() -> None:
    charts = charts_for([samples.pipeline_review(), samples.pipeline_review()])
    assert [c.filename for c in charts] == ["pipeline_by_stage.png", "pipeline_by_stage_2.png"]


def test_alt_text_carries_the_figures_and_fits_slack() -> None:
    [pipeline, forecast, board] = charts_for(
        [samples.pipeline_review(), samples.forecast(), samples.rep_kpis()]
    )
    assert "Proposal: 2 deals, $120,000.50 (weighted $60,000.25)" in pipeline.alt
    assert "Q3 2026: forecast $180,000, actual $190,000, error -5.3%" in forecast.alt
    assert "1. Rita Rep: 120.0%" in board.alt
    many = samples.rep_kpis(rows=[samples.kpi_row(i, f"Rep {i}", i, "50.0") for i in range(60)])
    [chart] = charts_for([many])
    assert len(chart.alt) <= 1000


def test_charts_draw_concurrently_without_pyplot_state() -> None:
    """The Slack worker pool draws charts in parallel threads."""
    results: list[tuple[bytes, ...]] = []

    def draw() -> None:
        charts = charts_for([samples.pipeline_review(), samples.rep_kpis()])
        results.append(tuple(c.png for c in charts))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(len(r) == 2 for r in results)
    assert len(set(results)) == 1  # the same bytes in every thread: no shared state leaked
