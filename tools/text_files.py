"""Text files as exports come: UTF-8 (with or without a BOM), UTF-16, Windows-1252, Latin-1.

Salesforce's Data Export writes ISO-8859-1 by default, Excel saves "Unicode text" as UTF-16
and "CSV" as Windows-1252; all of them are read without asking, or with the encoding named.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path


class TextFileError(ValueError):
    """The file cannot be read as text; the message names the file and what to do."""


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding it was read with (detected unless `encoding` given)."""
    if not path.exists():
        raise TextFileError(f"{path} does not exist.")
    if not path.is_file():
        raise TextFileError(f"{path} is not a file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TextFileError(f"Cannot read {path}: {exc.strerror or exc}") from None
    return decode(data, path, encoding)


def decode(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """`data` as text: the named encoding, else the first of BOM, UTF-16, UTF-8, Windows-1252."""
    if encoding:
        return _named(data, path, encoding), encoding
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _named(data, path, "utf-16"), "utf-16"
    if guessed := _utf16_without_bom(data):
        return _named(data, path, guessed), guessed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: plain Latin-1
        return data.decode("latin-1"), "latin-1"


def _named(data: bytes, path: Path, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except LookupError:
        raise TextFileError(f"--encoding {encoding!r} is not an encoding Python knows.") from None
    except UnicodeDecodeError as exc:
        raise TextFileError(
            f"{path} is not {encoding} text (byte {exc.start}); try another --encoding."
        ) from None
    return text.removeprefix("\ufeff")


def _utf16_without_bom(data: bytes) -> str | None:
    # ASCII text in UTF-16 has a NUL in every other byte; which half says the byte order.
    head = data[:200]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even == 0:
        return "utf-16-le"
    if even > len(head) // 4 and odd == 0:
        return "utf-16-be"
    return None


def csv_rows(text: str) -> list[list[str]]:
    """Every row of a CSV text; the delimiter (`,`, `;` or tab) is the header line's commonest."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=max(",;\t", key=first.count))
    return list(reader)
