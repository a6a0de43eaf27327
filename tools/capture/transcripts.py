"""Call transcripts (WebVTT, SRT, plain text from Zoom, Teams, Meet) with their speaker turns.

The summary offline is extractive: the sentences whose words recur most in the call. The next
steps are the promises said in it (tools/nudge_engine/promises.py), offered as task proposals.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tools.capture.items import CaptureError, Item, clean_addresses
from tools.models import ActivityKind
from tools.nudge_engine.promises import PROMISE, promised_by

_TIMING = re.compile(r"^\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}")
_VOICE = re.compile(r"<v(?:\.[\w.]+)?\s+([^>]+)>(.*?)(?:</v>|$)")
_TAG = re.compile(r"</?[^>]+>")
_PLAIN_TURN = re.compile(r"^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*)?([^:\n]{1,60}?):\s+(.+)$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "this",
        "that",
        "we",
        "you",
        "i",
        "they",
        "he",
        "she",
        "our",
        "your",
        "their",
        "so",
        "yes",
        "no",
        "ok",
        "okay",
        "just",
        "like",
        "um",
        "uh",
        "yeah",
        "right",
        "well",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "can",
        "will",
        "would",
        "could",
        "should",
        "there",
        "here",
        "what",
        "which",
        "who",
    ]
)
SUMMARY_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class NextStep:
    said: str
    due: date | None


def read_turns(path: Path) -> list[Turn]:
    """The speaker turns of a transcript file, consecutive lines of one speaker joined."""
    if not path.is_file():
        raise CaptureError(f"{path}: no such file.")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    timed = any(_TIMING.match(line) for line in text.splitlines())
    cues = _cues(text) if timed else text.splitlines()
    turns: list[Turn] = []
    for line in cues:
        turn = _turn(line)
        if turn is None:
            continue
        if turns and turns[-1].speaker == turn.speaker:
            turns[-1] = Turn(turn.speaker, f"{turns[-1].text} {turn.text}")
        else:
            turns.append(turn)
    if not turns:
        raise CaptureError(f"{path}: no speech found (expected WebVTT, SRT or 'Name: text').")
    return turns


def _cues(text: str) -> list[str]:
    """The text lines of WebVTT or SRT cues: headers, numbers and timings dropped."""
    lines: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        rows = block.strip().split("\n")
        timing = next((i for i, r in enumerate(rows) if _TIMING.match(r)), None)
        if timing is not None:
            lines.append(" ".join(rows[timing + 1 :]))
    return lines


def _turn(line: str) -> Turn | None:
    voice = _VOICE.search(line)
    if voice:  # Teams: <v Ana Acme>text</v>
        return Turn(voice.group(1).strip(), _TAG.sub("", voice.group(2)).strip())
    plain = _PLAIN_TURN.match(_TAG.sub("", line))
    if plain:  # Zoom and plain text: "Ana Acme: text"
        return Turn(plain.group(1).strip(), plain.group(2).strip())
    words = _TAG.sub("", line).strip()
    return Turn("Unknown", words) if words else None


def summarize(turns: list[Turn], limit: int = SUMMARY_SENTENCES) -> list[str]:
    """The `limit` sentences whose content words recur most in the call, in spoken order."""
    sentences = [s.strip() for t in turns for s in _SENTENCE.split(t.text) if len(s.split()) > 3]
    counts = Counter(w for s in sentences for w in _words(s))

    def score(sentence: str) -> float:
        words = _words(sentence)
        return sum(counts[w] for w in words) / (len(words) or 1) ** 0.5

    best = sorted(range(len(sentences)), key=lambda i: (-score(sentences[i]), i))[:limit]
    return [sentences[i] for i in sorted(best)]


def _words(sentence: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9']+", sentence.lower()) if w not in _STOP]


def next_steps(turns: list[Turn], said_on: date) -> list[NextStep]:
    """Every promise made in the call ("I'll send the SOC 2 report by Friday"), in order."""
    found: list[NextStep] = []
    for turn in turns:
        for match in PROMISE.finditer(turn.text):
            said = " ".join(match.group(0).split()).rstrip(" ,;")
            found.append(NextStep(said, promised_by(said, said_on)))
    return found


def transcript_item(
    path: Path,
    turns: list[Turn],
    *,
    at: datetime,
    addresses: list[str],
    summary: list[str],
    steps: list[NextStep],
) -> Item:
    """The call as one Item: summary and next steps first, then every turn."""
    speakers = list(dict.fromkeys(t.speaker for t in turns))
    body = [f"Call transcript ({path.name}) with {', '.join(speakers)}."]
    if summary:
        body += ["", "Summary: " + " ".join(summary)]
    if steps:
        body += ["", "Next steps:", *(f"- {s.said}" for s in steps)]
    body += ["", "Transcript:", *(f"{t.speaker}: {t.text}" for t in turns)]
    text = "\n".join(body)
    return Item(
        key="sha256:"
        + hashlib.sha256("\n".join(f"{t.speaker}:{t.text}" for t in turns).encode()).hexdigest(),
        kind=ActivityKind.CALL,
        occurred_at=at,
        subject=f"Call: {path.stem.replace('_', ' ')}",
        body=text,
        addresses=clean_addresses(addresses),
        source=f"transcript {path.name}",
    )
