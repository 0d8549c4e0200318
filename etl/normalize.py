"""Stage 2, normalize: clean lines, classify cells (labels are matched in etl/row_labels.py).

A cell is a number, blank, or a not-applicable mark; anything else is text (a label).
Blank and not-applicable both yield `value=None` — the printed mark stays in `raw`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import opencc

BLANK, MARK, NUMBER, TEXT = "blank", "mark", "number", "text"
UNREADABLE = "unreadable"  # a value cell holding letters (OCR's `l` for 1, `O` for 0)

# Marks a report prints for "not applicable".
NA_MARKS = frozenset({"/", "-", "—", "——", "–", "--", "─", "无", "\\", "不适用", "/ ", "×"})

_NOISE = re.compile(r"\[bookmark:[^\]]*\]|\*\*")
_FOOTER = re.compile(
    r"^\s*(?:[—\-－–─]+\s*\d{1,3}\s*[—\-－–─]+|[—\-－–─]\s+\d{1,3}|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[Pp](?:age)?\.?\s*\d{1,3}(?:\s*/\s*\d{1,3})?)\s*$"
)
_NUMBER = re.compile(r"([+\-]?)(\d+(?:\.\d+)?)(万元|万|元|件|条|个|项|次|人次|人)?")
_NOTED = re.compile(r"([^()]*\d[^()]*)\([^()]+\)")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
_SPACES = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")


class Cell(NamedTuple):
    """One table cell as printed, with where it stood (a tuple: millions are made)."""

    raw: str
    kind: str
    value: float | int | None = None
    unit: str | None = None
    line: int = 0


def clean_line(line: str) -> str:
    """Drop extractor noise (`[bookmark: _GoBack]`, markdown bold) from one line."""
    if "[" not in line and "*" not in line:
        return line
    return _NOISE.sub("", line)


def is_footer(line: str) -> bool:
    """A page footer (`— 5 —`, `第5页 共12页`) that an extractor left inside a table."""
    return bool(_FOOTER.match(line))


_T2S = opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as Simplified (OpenCC t2s), for matching only: what a report
    printed stays in `raw`. Plain ASCII and text without Traditional characters pass as is;
    short strings (labels, cells) are cached, long ones never are."""
    if text.isascii():
        return text
    if len(text) > 200:
        return _T2S.convert(text)
    return _simplified_short(text)


@lru_cache(maxsize=65536)
def _simplified_short(text: str) -> str:
    return _T2S.convert(text)


def simplified_lines(lines: list[str]) -> list[str]:
    """A whole document's lines in Simplified characters (one conversion, ~30 µs); the same
    list object exactly when the document holds no Traditional characters."""
    text = "\n".join(lines)
    converted = _T2S.convert(text)
    if converted == text:
        return lines
    out = converted.split("\n")
    return out if len(out) == len(lines) else list(lines)


# the compatibility characters reports print all the time (full-width ASCII, the
# ideographic space), each with what NFKC makes of it
_WIDE_FORMS = {
    chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000)
}
_WIDE_FORM = re.compile("[\uff01-\uff5e\u3000]")


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), about five times faster on report text: the
    full normalisation (~100 ns a character) runs only when the text holds a compatibility
    character other than full-width ASCII and the ideographic space, which are mapped first
    (a character replaced by its own decomposition leaves NFKC's result as it was)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _WIDE_FORM.sub(_wide_form, text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _wide_form(m: re.Match) -> str:
    return _WIDE_FORMS[m.group()]


def squash(text: str) -> str:
    """NFKC (full-width → half-width) and no white space at all."""
    return _SPACES.sub("", nfkc(text))


def classify(raw: str, line: int) -> Cell:
    """Classify one printed cell. Only a printed number gets a value."""
    return Cell(*_classify(raw), line)


@lru_cache(maxsize=65536)
def _classify(raw: str) -> tuple[str, str, float | int | None, str | None]:
    """(raw, kind, value, unit) — cached: reports repeat the same cells a lot."""
    kept = raw.strip(" \t\u3000\xa0")
    s = squash(raw)
    if not s:
        return (kept, BLANK, None, None)
    if s in NA_MARKS:
        return (kept, MARK, None, None)
    s = _THOUSANDS.sub("", s).replace("−", "-")
    m = _NUMBER.fullmatch(s)
    if not m and s.endswith(")"):  # `22（其中修订16件）`: the figure, its note kept in raw
        noted = _NOTED.fullmatch(s)
        m = _NUMBER.fullmatch(noted.group(1)) if noted else None
    if m:
        sign, digits, unit = m.groups()
        value: float | int = float(digits) if "." in digits else int(digits)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 12.0 is the integer 12: ints wherever integral
        if sign == "-":
            value = -value
        if unit == "万":
            unit = "万元"
        if unit not in ("元", "万元"):
            unit = None
        return (kept, NUMBER, value, unit)
    return (kept, TEXT, None, None)
