"""Stage words ("open", "won", "negotiating") to stages."""

from __future__ import annotations

from tools.models import CLOSED_STAGES, OPEN_STAGES, Stage

_WORDS: dict[str, tuple[Stage, ...]] = {
    "open": OPEN_STAGES,
    "active": OPEN_STAGES,
    "closed": CLOSED_STAGES,
    "won": (Stage.CLOSED_WON,),
    "closed won": (Stage.CLOSED_WON,),
    "lost": (Stage.CLOSED_LOST,),
    "closed lost": (Stage.CLOSED_LOST,),
    "all": tuple(Stage),
    "any": tuple(Stage),
}


def parse_stages(words: str | None) -> tuple[Stage, ...]:
    """Stages named by `words`; open stages when none or unknown."""
    if not words:
        return OPEN_STAGES
    key = words.strip().lower().replace("_", " ").replace("-", " ")
    if key in _WORDS:
        return _WORDS[key]
    for stage in Stage:
        if key == stage.value.replace("_", " "):
            return (stage,)
    return OPEN_STAGES
