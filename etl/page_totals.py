"""Stage 4c: a page of table 三 without a header or a full row, its columns read off the
table's printed totals.

`pdftotext -layout` lays out every page anew: the character columns of the header on one
page say nothing about the next, and a sparse table (blank cells where the office had
nothing to report) prints no row in full there to show where its columns stand. What the
page still keeps: the values of one column stand one above the other. Each such stack is
one column, the stacks keep their left-to-right order, and the report's own checks of one
column (总计 is the sum of the outcomes; new plus carried over equals 总计 plus carried
forward) say which column a stack is: the page is read when exactly one way of taking
columns for the stacks leaves no check failed and each stack holding a figure other than
0 in a column whose check holds with it. A 0 adds nothing to a total and a row's own
total holds wherever its parts stand, so neither says where a value is: a stack of zeros
stands only where the others leave it one place. Any doubt (a check no placement
satisfies, two placements that do, a stack that is no clear column) leaves the rows empty.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from etl import spec
from etl.checks import check_inputs, holds
from etl.normalize import BLANK, MARK, NUMBER
from etl.tokens import Tok

_SAME_COLUMN = 2.0  # centres of one stack's values lie this close (characters)
_APART = 4.0  # neighbouring stacks' centres lie at least this far apart


def stacks(values: Sequence[Tok]) -> list[list[Tok]] | None:
    """The page's values grouped into stacks by where they stand, left to right; None when
    two stacks are not clearly apart or a stack holds two values of one line."""
    out: list[list[Tok]] = []
    for t in sorted(values, key=Tok.center):
        if out and t.center() - out[-1][-1].center() <= _SAME_COLUMN:
            out[-1].append(t)
        else:
            out.append([t])
    if any(b[0].center() - a[-1].center() < _APART for a, b in itertools.pairwise(out)):
        return None
    if any(len({t.line for t in s}) != len(s) for s in out):
        return None
    return out


def by_totals(
    page_rows: Mapping[str, Sequence[Tok]],
    known: Mapping[str, Sequence[Tok | None]],
    fmt: str,
    old_other: bool = False,
) -> dict[str, list[Tok | None]] | None:
    """The rows of one page (`page_rows`: each row's printed values, all spaced, on that
    page) in table 三's seven columns (None for a blank cell): the one rising assignment of
    the page's stacks to columns that no check refutes and where each stack holding a figure
    other than 0 has one read by a check of one column that holds. A check counts when it
    reads only rows of the page or rows placed already (`known`). A 0 adds nothing to a
    total, and a row's own total holds wherever its parts stand: neither says which column a
    value is in, so a stack of zeros stands where the others leave it room, if only one way.
    None when no or several assignments qualify."""
    n = len(spec.REQUEST_COLS)
    values = [t for row in page_rows.values() for t in row]
    if not values or any(t.kind not in (NUMBER, MARK) or t.col < 0 or not t.spaced for t in values):
        return None
    found = stacks(values)
    if found is None or len(found) > n:
        return None
    stack_of = {id(t): k for k, s in enumerate(found) for t in s}
    to_pin = {k for k, s in enumerate(found) if any(t.kind == NUMBER and t.value for t in s)}
    rules = [
        (left, right, len({c for _, _, c in (*left, *right)}) == 1)
        for left, right in check_inputs(fmt, old_other).values()
        if all(r in known or r in page_rows for _, r, _ in (*left, *right))
        and any(r in page_rows for _, r, _ in (*left, *right))
    ]
    fixed = {row: _figures(cells) for row, cells in known.items()}
    fit = None
    for cols in itertools.combinations(range(n), len(found)):
        placed: dict[str, list[Tok | None]] = {}
        for row, printed in page_rows.items():
            placed[row] = [None] * n
            for t in printed:
                placed[row][cols[stack_of[id(t)]]] = t
        figures = fixed | {row: _figures(cells) for row, cells in placed.items()}
        pinned: set[int] = set()
        for left, right, one_column in rules:
            held = holds([_at(figures, k) for k in left], [_at(figures, k) for k in right])
            if held is False:
                break
            if held and one_column:
                pinned.update(
                    stack_of[id(cell)]
                    for _, row, col in (*left, *right)
                    if row in placed and (cell := placed[row][_COL[col]]) is not None and cell.value
                )
        else:
            if to_pin <= pinned:
                if fit is not None:
                    return None
                fit = placed
    return fit


def _at(figures: Mapping[str, list[float | None]], key: tuple[str, str, str]) -> float | None:
    return figures[key[1]][_COL[key[2]]]


_COL = {c: i for i, c in enumerate(spec.REQUEST_COLS)}


def _figures(cells: Sequence[Tok | None]) -> list[float | None]:
    """A row's cells as the checks add them up. A blank is 0 where the row says so: it
    prints nothing at all, or its 总计 is the sum of the figures it printed. Elsewhere a
    blank is no figure (an office that fills only 总计 printed no parts; one that left 总计
    blank printed no total), and a mark never is one."""
    nums = [t.value if t is not None and t.kind == NUMBER else None for t in cells]
    blank = [t is None or t.kind == BLANK for t in cells]
    if all(blank):
        return [0] * len(cells)
    zeros = [0 if b else v for v, b in zip(nums, blank, strict=True)]
    if nums[-1] is not None and holds(zeros[:-1], zeros[-1:]):
        return zeros
    return nums
