"""Text helpers shared by the readers: one table cell, one table row, one line.

Every reader hands the parser the same shape: a paragraph per line, a table row per
line with tab-separated cells. A cell never holds a tab or a newline, or the parser
would see extra cells or rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\u3000]+")


def is_cjk(ch: str) -> bool:
    """True for Han characters and full-width punctuation, where a break adds no space."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols and punctuation, kana, Han
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF  # Han extensions B and later
        or ch in "“”‘’—…·"
    )


def join_broken(parts: Iterable[str]) -> str:
    """Join pieces of text a line break separated: nothing between CJK, a space otherwise."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(part[0])):
            out += " "
        out += part
    return out


def clean_inline(text: str) -> str:
    """One line of text: any run of whitespace (tab, newline, nbsp, U+3000) becomes a space."""
    return _SPACES.sub(" ", text).strip()


def clean_cell(lines: Iterable[str]) -> str:
    """A table cell's text on one line: its lines joined, whitespace collapsed."""
    return join_broken(clean_inline(line) for line in lines)


def row_line(cells: Sequence[str]) -> str | None:
    """A table row as one tab-separated line, or None for a row with no text at all."""
    if not any(cells):
        return None
    return "\t".join(cells)


def text_of(lines: Iterable[str | None]) -> str:
    """The final text: lines in order, without empty ones and without trailing spaces."""
    kept = [line.rstrip(" ") for line in lines if line is not None]
    return "\n".join(line for line in kept if line.strip()) + "\n"
