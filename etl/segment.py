"""Stage 3, segment: find the report's parts and the line ranges of its three tables.

Parts are found by their headings (`二、主动公开政府信息情况`, also `2、`), never by
position; the rows of table 三 (`一、本年新收…`, `四、结转下年度…`) look like headings and
are told apart by their words. Without headings, a table is found by its own anchors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.normalize import squash

_LEAD = " \t\u3000#*|>"  # indentation and Markdown marks before a heading
_NUMERALS = frozenset("一二三四五六七八九十123456789１２３４５６７８９")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]|[1-9])\s*[、.．]\s*(.+)$")

# kind → test on the squashed heading text (without its number)
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("overview", re.compile(r"^总体情况")),
    ("active", re.compile(r"^主动公开(?:政府)?信息(?:的)?情况|^主动公开情况")),
    ("requests", re.compile(r"收到和处理|^依申请公开.*情况$|申请(?:的)?情况$")),
    ("appeals", re.compile(r"行政复议|行政诉讼")),
    ("problems", re.compile(r"问题|改进")),
    ("other", re.compile(r"^其他需要报告")),
)

# Anchors of each table, for reports whose headings are missing or unusual.
_ANCHORS = {
    "active": re.compile(r"第二十条第|本年制发件数|本年新制作数量"),
    "requests": re.compile(r"本年新收政府信息公开申请|申请人情况"),
    "appeals": re.compile(r"结果维持"),
}


@dataclass(frozen=True)
class Sections:
    """Line ranges (0-based, end exclusive) of the tables; the rest is narrative."""

    tables: dict[str, tuple[int, int]]
    headings: dict[str, int]
    n_lines: int

    def narrative_lines(self) -> list[int]:
        inside: set[int] = set()
        for start, end in self.tables.values():
            inside.update(range(start, end))
        return [i for i in range(self.n_lines) if i not in inside]


@lru_cache(maxsize=32768)
def heading_kind(line: str) -> str | None:
    """The part a heading line opens, or None for any other line."""
    line = line.lstrip(_LEAD)
    head = line
    if not head or head[0] not in _NUMERALS:
        return None
    nxt = line[1:].lstrip()[:1]
    if nxt.isascii() and nxt.isalnum():
        return None  # `12`, `3a`: a figure (NFKC leaves a letter or digit one, never `、`)
    s = squash(line)
    if len(s) > 40:
        return None
    m = _HEADING.match(s)
    if not m:
        return None
    text = m.group(1)
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return None


def segment(lines: list[str]) -> Sections:
    """Find the headings in reading order and cut the three table regions."""
    order = ("overview", "active", "requests", "appeals", "problems", "other")
    headings: dict[str, int] = {}
    last = -1
    for i, line in enumerate(lines):
        if not line or (line[0] not in _NUMERALS and line[0] not in _LEAD):
            continue
        kind = heading_kind(line)
        if kind is None or kind in headings:
            continue
        if order.index(kind) <= last:
            continue
        # a table-三 row such as 四、结转下年度继续办理 never names a part, so any match is one
        headings[kind] = i
        last = order.index(kind)
    for kind, pattern in _ANCHORS.items():
        if kind not in headings:
            anchor = _find_anchor(lines, pattern, after=_previous_start(headings, kind))
            if anchor is not None:
                headings[kind] = anchor - 1
    starts = sorted(headings.values())
    tables: dict[str, tuple[int, int]] = {}
    for kind in ("active", "requests", "appeals"):
        if kind not in headings:
            continue
        start = headings[kind] + 1
        later = [s for s in starts if s >= start]
        tables[kind] = (start, later[0] if later else len(lines))
    return Sections(tables=tables, headings=headings, n_lines=len(lines))


def _previous_start(headings: dict[str, int], kind: str) -> int:
    order = ("active", "requests", "appeals")
    before = [headings[k] for k in order[: order.index(kind)] if k in headings]
    return max(before) + 1 if before else 0


def _find_anchor(lines: list[str], pattern: re.Pattern[str], after: int) -> int | None:
    for i in range(after, len(lines)):
        if pattern.search(squash(lines[i])):
            return i
    return None
