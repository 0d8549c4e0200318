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
from collections.abc import Iterable, Iterator, Mapping, Sequence

from etl import spec
from etl.checks import check_inputs
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
    the page's stacks to columns that the checks allow (see `_one_allowed`)."""
    n = len(spec.REQUEST_COLS)
    values = [t for row in page_rows.values() for t in row]
    if not values or any(t.kind not in (NUMBER, MARK) or t.col < 0 or not t.spaced for t in values):
        return None
    found = stacks(values)
    if found is None or len(found) > n:
        return None
    stack_of = {id(t): k for k, s in enumerate(found) for t in s}

    def placements() -> Iterator[dict[str, list[Tok | None]]]:
        for cols in itertools.combinations(range(n), len(found)):
            placed: dict[str, list[Tok | None]] = {}
            for row, printed in page_rows.items():
                cells: list[Tok | None] = [None] * n
                for t in printed:
                    cells[cols[stack_of[id(t)]]] = t
                placed[row] = cells
            yield placed

    return _one_allowed(placements(), found, known, _rules(fmt, old_other, known, page_rows))


def _rules(
    fmt: str, old_other: bool, known: Mapping[str, object], placing: Mapping[str, object]
) -> list[tuple[tuple, tuple]]:
    """The checks that read only rows placed already or being placed, and one of the latter
    (a check that reads a row not placed says nothing yet)."""
    return [
        (left, right)
        for left, right in check_inputs(fmt, old_other).values()
        if all(r in known or r in placing for _, r, _ in (*left, *right))
        and any(r in placing for _, r, _ in (*left, *right))
    ]


def _one_allowed(
    placements: Iterable[dict[str, list[Tok | None]]],
    units: list[list[Tok]],
    known: Mapping[str, Sequence[Tok | None]],
    rules: list[tuple[tuple, tuple]],
) -> dict[str, list[Tok | None]] | None:
    """The one placement that no check refutes and where each unit (values that move
    together) holding a figure other than 0 has one read by a check of one column that
    holds; None when none or several qualify. A 0 adds nothing to a total, and a row's own
    total holds wherever its parts stand: neither says which column a value is in, so a
    unit of zeros stands where the others leave it room, if only one way."""
    unit_of = {id(t): k for k, u in enumerate(units) for t in u}
    to_pin = {k for k, u in enumerate(units) if any(_is_figure(t) and t.value for t in u)}
    column_rules = [len({c for _, _, c in (*left, *right)}) == 1 for left, right in rules]
    fixed = {row: _figures(cells) for row, cells in known.items()}
    fit = None
    for placed in placements:
        figures = fixed | {row: _figures(cells) for row, cells in placed.items()}
        pinned: set[int] = set()
        for (left, right), one_column in zip(rules, column_rules, strict=True):
            held = _holds(left, right, figures)
            if held is False:
                break
            if held and one_column:
                pinned.update(
                    unit_of[id(cell)]
                    for _, row, col in (*left, *right)
                    if row in placed and (cell := placed[row][_COL[col]]) is not None and cell.value
                )
        else:
            if to_pin <= pinned:
                if fit is not None:
                    return None
                fit = placed
    return fit


def _is_figure(t: Tok) -> bool:
    return t.kind == NUMBER and t.value is not None


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
    *parts, total = nums
    if (
        total is not None
        and not any(v is None and not b for v, b in zip(parts, blank, strict=False))
        and abs(sum(v for v in parts if v is not None) - total) < 1e-9
    ):
        return [0 if b else v for v, b in zip(nums, blank, strict=True)]
    return nums


def _holds(left: tuple, right: tuple, figures: dict) -> bool | None:
    """Does the check hold? None when it reads a cell that is no figure."""
    lhs = [figures[r][_COL[c]] for _, r, c in left]
    rhs = [figures[r][_COL[c]] for _, r, c in right]
    if None in lhs or None in rhs:
        return None
    return abs(sum(lhs) - sum(rhs)) < 1e-9
