"""Stage 4b: values an extractor printed away from their row, and the one reading that
takes them back.

Raw pdftotext prints each cell as a block of its own and moves some: a cell drawn above its
row's other cells comes out after the page's footer, a label taller than its values after
them, a 0 of a tall row among a later row's values. Text tools print a page's number bare,
among a row's values. Each rule here places a value only where one reading allows it (the
row's totals hold there and nowhere else); otherwise `tables` leaves the row empty with a
warning.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from functools import partial

from etl.checks import holds
from etl.claims import Claim, TableResult
from etl.normalize import BLANK, NUMBER
from etl.tokens import PageEnd, Tok


def _total_groups(values: list[Tok]) -> list[list[Tok]]:
    """A row's groups that end in a 总计: table 三's seven values, table 四's three fives."""
    size = 7 if len(values) == 7 else 5 if len(values) == 15 else 0
    return [values[i : i + size] for i in range(0, len(values), size)] if size else []


def totals_hold(values: list[Tok]) -> bool:
    """Is the row's last value the total of the values before it in its group (a 总计 column:
    table 三's seven columns, table 四's last five)? Then it is no page number."""
    groups = _total_groups(values)
    return bool(groups) and group_totals_hold(groups[-1], len(groups[-1]))


def total_fails(values: list[Tok]) -> bool:
    """Does a 总计 of the row differ from the sum of the values before it in its group — not
    merely unassessable for a mark?"""
    return any(
        holds([t.value for t in g[:-1]], [g[-1].value]) is False for g in _total_groups(values)
    )


def loose_in_a_short_table(claims: dict[str, Claim], claim: Claim, n: int) -> str | None:
    """Values one a line, all or all but one after an empty line (raw pdftotext prints a cell
    as a block of its own, at times two in one, nothing for an empty cell), in a table where
    some row printed some but fewer values than columns: that row's other values, or those
    of a taller row raw pdftotext reorders, may stand after a later label. This row's `n`
    values are then its own only if its total holds — and, where one of them is 0 (a 0 moved
    in keeps any total: seven zeros, one of them 部分公开's, read as 不予公开 3's own stored its
    blank 商业企业 as 0), only if no taller short row stands before it. Returns why they may
    not be its own, or None."""
    if claim.twice or not claim.values or not claim.values[0].lone:
        return None  # (a label printed twice: `choose` needs its total and says why)
    printed = [t for t in claim.values if t.kind != BLANK]
    if len(printed) != n or not one_a_block(printed):
        return None  # (one cell a line, an empty line for an empty cell: not raw pdftotext)
    short = [c for c in claims.values() if 0 < sum(t.kind != BLANK for t in c.values) < n]
    if not short:
        return None
    if not totals_hold(printed):
        return "its own total does not hold"
    if all(t.value != 0 for t in printed):
        return None  # its own total holds, and no value moved in would keep it
    # raw pdftotext moves a value of a row whose cells stand at several heights (its label
    # over lines: 部分公开's 总计 stands a line above its other cells) to a later label, and
    # nothing says which: every row after such a short row is at risk, none before it
    rows = list(claims)
    at = rows.index(claim.row)
    if any(tall(c) and rows.index(c.row) < at for c in short):
        return (
            "its total holds, but a 0 moved in from a row whose label runs over lines would keep it"
        )
    return None


def stray_reading(
    claims: dict[str, Claim], n: int, strays: Sequence[PageEnd], breaks: tuple[int, ...]
) -> tuple[str, list[Tok], Tok] | None:
    """The one row a value pdftotext printed after its page's footer belongs to, and that
    row's values with it: raw pdftotext prints a cell drawn above its row's other cells (a
    label over lines) at the end of the page, and never on another page. Taken only when
    certain: it is the only such value on its page; the rows labelled on that page hold all
    of its values, one value short of their count, and one of them, all its values on that
    page, lacks exactly one while every other holds whole rows (a row's label may come after
    its values: the row before then holds both); and of the places the value could take in
    the short row, all those where its own total holds give the same values. Else None."""
    page_of = partial(bisect.bisect_right, breaks)
    short = [c for c in claims.values() if 0 < len(c.values) < n]
    if not short:
        return None
    claim = short[0]  # (short rows on other pages are not this page's)
    page = page_of(claim.line)
    on_page = [c for c in claims.values() if page_of(c.line) == page]
    if any(page_of(t.line) != page for c in on_page for t in c.values) or any(
        page_of(t.line) == page for c in claims.values() if c not in on_page for t in c.values
    ):
        return None  # a row runs over the page break
    printed = claim.values
    if claim.twice or len(printed) != n - 1 or not one_a_block(printed):
        return None
    if any(c is not claim and len(c.values) % n for c in on_page):
        return None
    if sum(len(c.values) for c in on_page) != n * len(on_page) - 1:
        return None
    back = one_reading(printed, [p.value for p in strays if page_of(p.start) == page], totals_hold)
    return None if back is None else (claim.row, *back)


def one_reading(
    printed: list[Tok], moved: list[Tok], totals: Callable[[list[Tok]], bool]
) -> tuple[list[Tok], Tok] | None:
    """The row's values with the one number moved away from them (`moved`: the numbers that
    may be it, one at most) put back, and that number: when every place it could take where
    the row's `totals` hold gives the same values; else None."""
    if len(moved) != 1 or moved[0].kind != NUMBER:
        return None
    value = moved[0]
    readings = {
        tuple(t.value for t in values): values
        for at in range(len(printed) + 1)
        if totals(values := [*printed[:at], value, *printed[at:]])
    }
    return (next(iter(readings.values())), value) if len(readings) == 1 else None


def tall(claim: Claim) -> bool:
    """Does the row's first value stand more than one empty line below its label's first
    line (its label runs over lines, in raw pdftotext's blocks of one cell)?"""
    first = next((t for t in claim.values if t.kind != BLANK), None)
    return first is not None and first.line > claim.line + 2


PAGE_LIKE = re.compile(r"[1-9]\d?")  # a report runs to tens of pages, not hundreds


def _page_number_like(t: Tok | None, pages: frozenset[int] | None = None) -> bool:
    """A bare number from 1 to 99 alone on its line, as a footer prints a page's number (one
    of `pages`, when given)."""
    return (
        t is not None
        and t.kind == NUMBER
        and t.lone
        and t.col >= 0
        and (pages is None or t.value in pages)
        and PAGE_LIKE.fullmatch(t.raw) is not None
    )


def page_number_suspect(tokens: list[Tok]) -> Tok | None:
    """The table's last value when it could be the page's footer instead: a bare number from
    1 to 99 alone on the table's last line, in a rendering that prints no blank cells (so a
    blank the row really had cannot tell the two apart)."""
    last = next((t for t in reversed(tokens) if t.kind != BLANK), None)
    return last if _page_number_like(last) else None


def next_pages(before: list[Tok]) -> frozenset[int]:
    """The numbers of the next two pages, when the table before ends with a page number."""
    last = page_number_suspect(before)
    if last is None or not isinstance(last.value, int):
        return frozenset()
    return frozenset({last.value + 1, last.value + 2})


def next_page_number(claim: Claim, n: int, pages: frozenset[int]) -> Tok | None:
    """The row's last value when it may be a later page's number instead: the row prints its
    columns' count only with it, alone on its line as a footer's number is, in a rendering
    that prints no blank cells, and the row's total does not prove it."""
    printed = [t for t in claim.values if t.kind != BLANK]
    if not pages or len(printed) != n:
        return None
    last = printed[-1]
    return last if _page_number_like(last, pages) and not totals_hold(printed) else None


def page_number_after(claim: Claim, n: int, pages: frozenset[int]) -> Tok | None:
    """The row's last value when it is the next page's number printed after the row: the row
    prints one value more than its columns, one a line, no blank cell among them; the last
    is a number the next pages may carry (table 二 ended with the page number before), and
    every reading without one of the values that keeps the row's total reads the values
    before it."""
    if not pages or len(claim.values) != n + 1:
        return None
    printed = [t for t in claim.values if t.kind != BLANK]
    if len(printed) != n + 1:
        return None
    last = printed[-1]
    if not _page_number_like(last, pages):
        return None
    readings = [printed[:k] + printed[k + 1 :] for k in range(n + 1)]
    holding = {tuple(t.value for t in r) for r in readings if totals_hold(r)}
    return last if holding == {tuple(t.value for t in printed[:n])} else None


def before_their_labels(
    claims: dict[str, Claim],
    order: list[str],
    template: tuple[str, ...],
    row: str,
    n: int,
    table: str,
    res: TableResult,
) -> None:
    """Raw pdftotext prints each cell as a block of its own, and the label of a row whose
    label cell is taller than its values after them: the row before then holds whole rows
    of values, its own and those of the rows whose labels follow. Placed only when the
    count is exactly whole rows for this row and the next rows of the template, each of
    which printed its label after these values and none of its own, and every row's total
    holds (the blocks keep a row's cells in order)."""
    claim = claims[row]
    printed = claim.values
    if not one_a_block(printed) or len(printed) % n:
        return
    k = len(printed) // n - 1
    i, pos = order.index(row), template.index(row)
    nxt = order[i + 1 : i + 1 + k]
    if len(nxt) != k or tuple(nxt) != template[pos + 1 : pos + 1 + k]:
        return
    if any(claims[r].values or claims[r].line < printed[-1].line for r in nxt):
        return
    chunks = [printed[j : j + n] for j in range(0, len(printed), n)]
    if not all(totals_hold(c) for c in chunks):
        return
    claim.values = chunks[0]
    for r, chunk in zip(nxt, chunks[1:], strict=True):
        claims[r].values = chunk
        res.warnings.append(
            f"{table}.{r} (line {claims[r].line}): its label printed after its values; the "
            f"{n} values on lines {chunk[0].line}-{chunk[-1].line}, after {row}'s, placed here"
        )


def one_a_block(printed: list[Tok]) -> bool:
    """Values one a line, all or all but one after an empty line, no blank among them: raw
    pdftotext's blocks of one cell (it prints nothing for an empty cell)."""
    return (
        bool(printed)
        and all(t.lone and t.cell < 0 and not t.spaced and t.kind != BLANK for t in printed)
        and sum(t.gap for t in printed) >= len(printed) - 1
    )


def appeals_page_end(
    printed: list[Tok], n: int, after: Sequence[PageEnd]
) -> tuple[list[Tok], Tok] | None:
    """Raw pdftotext moves table 四's last 总计 cell, with the header word above it, to the end
    of the page (tokens.PageEnd). The row takes that number back only when it prints one
    value fewer than its 15, one a block, all on that page before it; and of the places the
    number could take, all those where the three totals hold give the same values. Returns
    the row's values with it, and the number."""
    if len(printed) != n - 1 or not one_a_block(printed):
        return None
    here = [p.value for p in after if p.start <= printed[0].line <= printed[-1].line < p.value.line]
    return one_reading(printed, here, partial(group_totals_hold, size=5))


def page_end_note(where: str, values: list[Tok], value: Tok, cols: Sequence[str]) -> str:
    """The warning of a row that took back (as `value`, among its `values`, in columns
    `cols`) the number pdftotext moved to its page's end."""
    col, n = cols[values.index(value)], len(cols)
    return (
        f"{where}: {n - 1} values for {n} columns; {value.raw}, printed after the page's "
        f"footer (line {value.line}), is the {col} cell in the one reading whose totals hold"
    )


def group_totals_hold(values: list[Tok], size: int) -> bool:
    """Is the last value of each group of `size` the total of the others (table 四)?"""
    groups = ([t.value for t in values[i : i + size]] for i in range(0, len(values), size))
    return all(holds(g[:-1], g[-1:]) for g in groups)
