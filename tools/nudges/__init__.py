"""Daily next-action nudges: what each rep should do today, ranked by value, each explained.

`compute_nudges` runs the rules (due tasks, promised follow-ups, quiet deals, close dates, stalled
stages, likely wins) for any number of reps in a fixed number of SQL statements.
"""

from tools.nudges.backtest import backtest, format_backtest
from tools.nudges.engine import compute_nudges
from tools.nudges.nudge import Nudge
from tools.nudges.promises import PROMISE, find_promise
from tools.nudges.team import TeamStats, cached_team_stats, team_stats
from tools.nudges.win_model import WinModel, fit_win_model

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
