"""Daily next-action nudges: what each rep should do today, ranked by value, each explained.

`compute_nudges` runs the rules (due tasks, promised follow-ups, quiet deals, close dates, stalled
stages, likely wins) for any number of reps in a fixed number of SQL statements.
"""

from tools.nudge_engine.backtest import backtest, format_backtest
from tools.nudge_engine.engine import compute_nudges
from tools.nudge_engine.nudge import Nudge
from tools.nudge_engine.promises import PROMISE, find_promise
from tools.nudge_engine.team import TeamStats, cached_team_stats, team_stats
from tools.nudge_engine.win_model import WinModel, fit_win_model

__all__ = [
    "PROMISE",
    "Nudge",
    "TeamStats",
    "WinModel",
    "backtest",
    "cached_team_stats",
    "compute_nudges",
    "find_promise",
    "fit_win_model",
    "format_backtest",
    "team_stats",
]
