"""Capture: emails, meetings and call transcripts written into the interaction history.

Each source (`mail`, `calendar`, `transcripts`, `imap`) turns its input into `Item`s; `match`
finds the contacts, account and deal without guessing; `run` writes matched items as activities
(searchable at once) and the rest into the review list (`review`).
"""

from tools.capture.items import Item
from tools.capture.run import CaptureReport, capture_items

__all__ = ["CaptureReport", "Item", "capture_items"]
