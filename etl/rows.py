"""Stage 4a: a table region's lines → logical rows of cells.

Extractors leave tables in two layouts (report-format.md): one row per line with
tab-separated cells, or one cell per line behind a leading tab, where a line without a
tab continues the cell before it and a blank line before a tab line ends a row. Both
become the same rows of `Cell`s; a row is then split again wherever a label follows a
number, so that a missing row break cannot glue two rows together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.normalize import BLANK, NUMBER, TEXT, Cell, classify, clean_line, is_footer


@dataclass
class Row:
    """Cells of one logical table row, in printed order."""

    cells: list[Cell]

    @property
    def line(self) -> int:
        return self.cells[0].line if self.cells else 0

    def labels(self) -> list[Cell]:
        """The row's label cells (computed once: every table stage asks)."""
        try:
            return self._labels
        except AttributeError:
            self._labels = [c for c in self.cells if c.kind == TEXT and c.label]
            return self._labels


_NOTE = re.compile(r"^\s*(?:注|说明|备注|附注)\s*\d*\s*[：:]|^[^\t]{8,}。\s*$")
_FOOTER_START = frozenset("—-－–─第0123456789")


def _one_cell_per_line(lines: list[str]) -> bool:
    """Most non-blank lines start with a tab and hold no other tab."""
    body = [ln for ln in lines if ln.strip() or "\t" in ln]
    if not body:
        return False
    single = sum(1 for ln in body if ln.startswith("\t") and "\t" not in ln[1:])
    return single >= 0.6 * len(body)


def region_rows(lines: list[str], first_line: int) -> list[Row]:
    """Rows of the table whose lines are `lines`; line numbers count from `first_line`."""
    numbered = []
    for i, ln in enumerate(lines):
        ln = clean_line(ln).rstrip("\r")
        head = ln.lstrip(" \u3000")[:1]
        if head and head in _FOOTER_START and is_footer(ln):
            continue
        if not ln.startswith("\t") and _NOTE.match(ln):
            continue  # a note under the table (注：本表数据统计截至…), not a cell
        numbered.append((first_line + i, ln))
    if _one_cell_per_line([ln for _, ln in numbered]):
        physical = _rows_cell_per_line(numbered)
    else:
        physical = _rows_tabbed(numbered)
    rows: list[Row] = []
    for cells in physical:
        rows.extend(_split_after_numbers(cells))
    return rows


def _rows_tabbed(numbered: list[tuple[int, str]]) -> list[list[Cell]]:
    out = []
    for no, ln in numbered:
        if not ln.strip() and "\t" not in ln:
            continue
        out.append([Cell(*c, no) for c in _classify_row(ln)])
    return out


@lru_cache(maxsize=16384)
def _classify_row(line: str) -> tuple:
    """The cells of one tab row, without line numbers: table rows repeat across reports."""
    return tuple(classify(part, 0)[:5] for part in line.split("\t"))


def _rows_cell_per_line(numbered: list[tuple[int, str]]) -> list[list[Cell]]:
    """Rebuild rows: a tab opens a cell, a tab-less line continues it, a gap ends a row."""
    rows: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    gap = False
    for no, ln in numbered:
        if not ln.strip() and not ln.startswith("\t"):
            gap = True
            continue
        if ln.startswith("\t"):
            if gap and current:
                rows.append(current)
                current = []
            current.append((no, ln[1:]))
        elif current and classify(current[-1][1], no).kind in (TEXT, BLANK):
            # continuation of the cell above (a label broken over lines)
            cno, text = current[-1]
            joiner = "" if _cjk_edge(text, ln) else " "
            current[-1] = (cno if text.strip() else no, (text.strip() + joiner + ln.strip()))
        else:
            current.append((no, ln))
        gap = False
    if current:
        rows.append(current)
    return [[classify(text, no) for no, text in row] for row in rows]


def _cjk_edge(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    return not a or not b or not (a[-1].isascii() and b[0].isascii())


def _split_after_numbers(cells: list[Cell]) -> list[Row]:
    """Start a new row at a label that follows a number."""
    rows: list[Row] = []
    current: list[Cell] = []
    seen_number = False
    for cell in cells:
        if cell.kind == TEXT and seen_number:
            rows.append(Row(current))
            current, seen_number = [], False
        current.append(cell)
        if cell.kind == NUMBER:
            seen_number = True
    if current:
        rows.append(Row(current))
    return rows


def value_cells(row: Row) -> tuple[int, list[Cell]]:
    """The cells after the row's last label, and the index of the first of them."""
    last = -1
    for i, c in enumerate(row.cells):
        if c.kind == TEXT:
            last = i
    return last + 1, row.cells[last + 1 :]


def place(cells: list[Cell], n: int) -> list[int]:
    """Every start at which `n` contiguous cells can be read with only blanks left out.

    Returns the candidate starts; the caller decides between them or gives up.
    """
    return [
        start
        for start in range(0, len(cells) - n + 1)
        if all(c.kind == BLANK for c in cells[:start] + cells[start + n :])
    ]


def same_reading(cells: list[Cell], starts: list[int], n: int) -> bool:
    """Do all candidate windows give the same values and marks, cell by cell?"""
    readings = {tuple((c.kind, c.value) for c in cells[s : s + n]) for s in starts}
    return len(readings) == 1
