"""`--charts DIR` for `salesbot ask` and `chat`: an answer's charts saved as PNG files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.common import console, err, fail
from bot.cli.text import markup

ChartsOption = Annotated[
    Path | None,
    typer.Option(
        "--charts",
        help="Save the answer's charts (pipeline, forecast, leaderboard) as PNG files in DIR.",
        metavar="DIR",
        file_okay=False,
    ),
]


def save_charts(folder: Path, artifacts: Sequence[dict[str, Any]], prefix: str = "") -> list[Path]:
    """Write each chart as `<prefix><name>.png` in `folder` (created); returns the paths."""
    from bot.charts import charts_for  # matplotlib loads only when charts are asked for

    charts = charts_for(artifacts)
    if not charts:
        return []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / f"{prefix}{chart.filename}" for chart in charts]
        for chart, path in zip(charts, paths, strict=True):
            path.write_bytes(chart.png)
    except OSError as exc:
        raise fail(f"Cannot save the charts in {folder}: {exc.strerror or exc}.") from exc
    return paths


def print_saved_charts(
    folder: Path | None,
    artifacts: Sequence[dict[str, Any]],
    prefix: str = "",
    *,
    to_stderr: bool = False,
) -> None:
    """Save and list the charts when `--charts` was given; say so when the answer has none.
    With `--json` the list goes to stderr, so stdout stays one JSON document."""
    if folder is None:
        return
    out = err if to_stderr else console
    paths = save_charts(folder, artifacts, prefix)
    if not paths:
        out.print(markup("[dim]No chart for this answer.[/dim]"))
    for path in paths:
        out.print(markup("Chart saved: {path}", path=path), soft_wrap=True, highlight=False)
