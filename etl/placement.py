"""Stage 4b (continued): a row's printed values → its cells in column order, or nothing.

`choose` decides each row the plain reading does not (tables.py walks the stream and
asks it): values and explicit blank cells that fill the row exactly; a tab or pipe row's
empty cells; a table that prints an empty cell as an empty line (`blank_lines_are_cells`,
with the group's shape: `group_leads`, `group_periods`); the header's or a full row's
columns (`etl.columns`); a row's own total where it allows one reading only
(`etl.value_order`). Every other row is left empty with a warning saying why.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

from etl import spec
from etl.claims import Claim, TableResult
from etl.columns import by_position, lines_of, readings_of
from etl.moved_cells import total_fails, totals_hold
from etl.normalize import BLANK
from etl.tokens import Tok
from etl.value_order import (
    column_order,
    joined_wraps,
    may_be_wrapped,
    one_reading_by_total,
    piece_off_its_label_line,
    wide_pieces,
    wrapped_by_total,
)


def blank_between(cells: list[Tok]) -> bool:
    """Is there an empty cell between two of the row's values?"""
    idx = [i for i, t in enumerate(cells) if t.kind != BLANK]
    return bool(idx) and any(t.kind == BLANK for t in cells[idx[0] : idx[-1] + 1])


def _one_a_line(printed: list[Tok]) -> bool:
    """Is every value alone on a plain line: no tab before it (seeds 001/002 print an empty
    cell as a tab line), no pipe or run of spaces around it?"""
    return all(t.lone and t.col >= 0 and not t.spaced and t.kind != BLANK for t in printed)


def _slots(printed: list[Tok]) -> int | None:
    """Cells from a row's first value to its last when each value stands on a line of its
    own and each empty line between two of them is read as a cell; None when not so printed
    (a value beside other text, a page break between two values)."""
    if not _one_a_line(printed) or any(t.empties < 0 for t in printed[1:]):
        return None
    return len(printed) + sum(t.empties for t in printed[1:])


def blank_lines_are_cells(claims: Iterable[Claim], n_of: Callable[[str], int]) -> bool:
    """Does the table print one cell a line with an empty line for an empty cell (a web
    table copied cell by cell)? Only when two or more full rows print their values on
    consecutive lines (raw pdftotext sets every cell apart with an empty line; PyMuPDF and
    pdftotext print nothing for an empty cell) and no row has more cells from its first
    value to its last than the template has columns."""
    full = 0
    for claim in claims:
        printed = [t for t in claim.values if t.kind != BLANK]
        if not printed:
            continue
        if len(printed) != len(claim.values) or not _one_a_line(printed):
            return False  # an explicit blank, values beside text: not this layout
        if claim.interrupted or claim.split:
            return False
        slots = _slots(printed)
        if slots is None:
            continue  # a page breaks the row: it tells nothing
        n = n_of(claim.row)
        if slots > n:
            return False
        full += slots == len(printed) == n
    return full >= 2


def _with_blank_lines(
    printed: list[Tok], n: int, lead: int | None = None, room: int = 0
) -> list[Tok] | None:
    """The row's values with a blank cell for each empty line between two of them, when that
    makes exactly `n` cells: an empty cell before its first value or after its last prints
    as an empty line like a label's empty cell does, so only the cells between are certain.

    Unless the row's group says where its first cell stands (`lead`: that many of the empty
    lines right before the first value are its first cells, by group_leads): then the row's
    `n` cells run from there, and those after its last value are blank — provided the text
    prints them, as empty lines before what comes next (`room` of them)."""
    slots = _slots(printed)
    if slots is None or not printed or len(printed) >= n:
        return None
    if slots == n:
        lead = 0  # the row's own cells are certain: its empty lines before are label cells
    before = lead or 0
    trail = n - slots - before
    if printed[0].empties < before or trail < 0 or (trail and (lead is None or trail > room)):
        return None
    first, last = printed[0].line, printed[-1].line
    out = [_blank_at(line) for line in range(first - before, first)]
    out.append(printed[0])
    for t in printed[1:]:
        out += [_blank_at(line) for line in range(t.line - t.empties, t.line)]
        out.append(t)
    return out + [_blank_at(line) for line in range(last + 1, last + 1 + trail)]


def _blank_at(line: int) -> Tok:
    return Tok(BLANK, "", None, None, -1, -1, False, lone=True, line=line)


def group_leads(claims: dict[str, Claim], n: int) -> dict[str, int]:
    """For each group of table 三's item rows (不予公开 1–8, 无法提供 1–3, …) whose whole rows
    (every cell from the first to the last printed, two rows at least) all print the same
    number of empty lines between the label and the first value: that number. The group's
    rows share one shape, so in a table that prints every cell a line, an empty line more
    before a row's first value is its first cell, empty — unless part of the row's label
    comes after its values (a label split over two cells, an empty cell between). An item
    group without two whole rows takes the number other item groups agree on (_agreed)."""
    seen: dict[str, set[int]] = {}
    count: dict[str, int] = {}
    for group, rows in spec.OUTCOME_GROUPS.items():
        for claim in (claims[row] for row in rows if row in claims):
            printed = [t for t in claim.values if t.kind != BLANK]
            if not printed or claim.label_after or _slots(printed) != n or printed[0].empties < 0:
                continue
            seen.setdefault(group, set()).add(printed[0].empties)
            count[group] = count.get(group, 0) + 1
    return _agreed(
        {g: min(e) for g, e in seen.items() if len(e) == 1 and count[g] >= 2}, seen, claims
    )


def group_periods(claims: dict[str, Claim], order: list[str], n: int) -> dict[str, int]:
    """For each group of item rows: the lines from a row's label to the next row's label,
    wherever a whole row stands before another row of its group (all such pairs agreeing).
    In a table that prints every cell a line, each row of a group takes that many lines: its
    label cells and its `n` cells. A row as far from the next as that printed all its cells,
    none dropped (PyMuPDF prints nothing for an empty cell, and at times an empty line for
    a cell holding a full-width space)."""
    seen: dict[str, set[int]] = {}
    apart: dict[str, set[int]] = {}  # between any two rows of the group, whole or not
    for a, b in itertools.pairwise(order):
        group = _group_of(a)
        if group is None or _group_of(b) != group:
            continue
        lines = claims[b].line - claims[a].line
        apart.setdefault(group, set()).add(lines)
        printed = [t for t in claims[a].values if t.kind != BLANK]
        if printed and not claims[a].label_after and _slots(printed) == n:
            seen.setdefault(group, set()).add(lines)
    periods = _agreed({g: min(p) for g, p in seen.items() if len(p) == 1}, seen, claims)
    # a group whose rows stand at other distances too dropped a cell somewhere, or printed
    # something more: its rows say nothing of where a row's cells end
    return {g: p for g, p in periods.items() if apart.get(g, {p}) == {p}}


def _agreed(
    found: dict[str, int], seen: dict[str, set[int]], claims: dict[str, Claim]
) -> dict[str, int]:
    """`found` (a number for each group whose rows agree on it) with the item groups that do
    not say taking the number two item groups or more agree on. Every item row (1.–8., 1.–3.,
    …) prints its label in the table's last label column, so the item groups share one
    shape — unless a row of the group says otherwise (never the 2019 format's single
    （六）其他处理 row, whose label stands a column further left)."""
    items = [g for g, rows in spec.OUTCOME_GROUPS.items() if _item_group(rows, claims)]
    agreed = {found[g] for g in items if g in found}
    if sum(g in found for g in items) >= 2 and len(agreed) == 1:
        number = agreed.pop()
        for group in items:
            if group not in found and seen.get(group, {number}) == {number}:
                found[group] = number
    return found


def _item_group(rows: tuple[str, ...], claims: dict[str, Claim]) -> bool:
    """A group of item rows (1.–8., 1.–3., …) as this table prints it."""
    return len(rows) > 1 and not (spec.OLD_OTHER_ROW in rows and spec.OLD_OTHER_ROW in claims)


def _group_of(row: str) -> str | None:
    return next((g for g, rows in spec.OUTCOME_GROUPS.items() if row in rows), None)


def lead_blanks(claims: dict[str, Claim], row: str, leads: dict[str, int]) -> int | None:
    """Empty first cells of `row` by its group's full rows (group_leads); None when they do
    not say (no such group, or fewer empty lines before its first value than theirs)."""
    group = _group_of(row)
    printed = [t for t in claims[row].values if t.kind != BLANK]
    if group not in leads or not printed or printed[0].empties < 0 or claims[row].label_after:
        return None
    lead = printed[0].empties - leads[group]
    return lead if lead >= 0 else None


def room_after(
    tokens: list[Tok], claims: dict[str, Claim], order: list[str], row: str, periods: dict
) -> int:
    """Empty lines after the row's last value that may print its last cells: only where the
    next row is of its group and stands as far from it as the group's rows do
    (group_periods); 0 otherwise, or where a page break or a dropped line stands there."""
    i = order.index(row)
    group = _group_of(row)
    if group not in periods or i + 1 >= len(order) or _group_of(order[i + 1]) != group:
        return 0
    if claims[order[i + 1]].line - claims[row].line != periods[group]:
        return 0
    printed = [t for t in claims[row].values if t.kind != BLANK]
    if not printed:
        return 0
    last = printed[-1].line
    nxt = next((t for t in tokens if t.line > last), None)
    return max(nxt.empties, 0) if nxt is not None else 0


def same_reading(cells: list[Tok], starts: list[int], n: int) -> bool:
    readings = {tuple((c.kind, c.value) for c in cells[s : s + n]) for s in starts}
    return len(readings) == 1


def place(cells: list[Tok], n: int) -> list[int]:
    """Every start at which `n` contiguous cells can be read with only blanks left out."""
    return [
        s
        for s in range(0, len(cells) - n + 1)
        if all(c.kind == BLANK for c in cells[:s] + cells[s + n :])
    ]


def choose(
    claim: Claim,
    n: int,
    what: str,
    res: TableResult,
    columns: Sequence[Tok] | Callable[[], Sequence[Tok] | None] | None = None,
    display: bool | None = False,
    suspect: Tok | None = None,
    grid: Callable[[], Sequence[Tok | None] | None] | None = None,
    rows_grid: Callable[[], Sequence[Tok | None] | None] | None = None,
    by_columns: Callable[[list[Tok]], tuple[list[Tok], str] | None] | None = None,
    blank_lines: bool = False,
    lead: int | None = None,
    room: int = 0,
) -> Sequence[Tok | None] | None:
    """The claim's `n` values in column order (None for a blank), or None with a warning.
    `blank_lines`: the table prints an empty cell as an empty line (blank_lines_are_cells);
    `lead`: that many of the empty lines before its first value are its first cells (None:
    not known); `room`: empty lines after its last value (see _with_blank_lines)."""
    cells, certain = column_order(claim, n)
    printed = [t for t in cells if t.kind != BLANK]
    if claim.twice and len(printed) == n and not totals_hold(printed):
        res.warnings.append(
            f"{what}: its label printed again at line {claim.twice} with values after it (raw "
            "pdftotext prints a column header 总计 or 其他 among the rows): which values are "
            "its own is not certain, and its total does not hold; left empty"
        )
        return None
    if claim.moved:
        res.warnings.append(
            f"{what}: values after the label of an earlier group (line {claim.moved}): the "
            "extractor moved parts of the table; left empty"
        )
        return None
    if (
        suspect is not None
        and printed
        and printed[-1] is suspect
        and len(printed) in (n, n + 1)
        and not (len(printed) == n and totals_hold(printed))
    ):
        res.warnings.append(
            f"{what}: its last number (line {suspect.line}) ends the table on a line of its own "
            "and may be the page number; left empty"
        )
        return None
    if not certain:
        if len({(t.kind, t.value) for t in printed}) <= 1 and len(printed) == n:
            return printed
        by_total = one_reading_by_total(printed, n)
        if by_total is not None:
            res.warnings.append(
                f"{what}: values printed on several lines; the row's own total allows one "
                "column order only, read so"
            )
            return by_total
        in_columns = by_columns(printed) if by_columns is not None else None
        if in_columns is not None:
            res.warnings.append(
                f"{what}: values printed on several lines around the label; {in_columns[1]}"
            )
            return in_columns[0]
        res.warnings.append(
            f"{what}: values printed on several lines around the label; their order is not "
            "certain; left empty"
        )
        return None
    if any(t.merged for t in printed) and blank_between(cells):
        if len(printed) == n and not may_be_wrapped(printed):
            res.warnings.append(
                f"{what}: values run together in one cell beside an empty cell; as many "
                "values as columns and none of them two pieces of one number: read in order"
            )
            return printed
        res.warnings.append(
            f"{what}: values printed in one cell beside empty cells: the columns were lost; "
            "left empty"
        )
        return None
    if len(printed) == n:
        # an empty cell among the values, or (one value a line) the last one alone set apart
        # by an empty line, as a page's number is
        apart = blank_between(cells) or (
            _one_a_line(printed)
            and printed[-1].empties > 0
            and not any(t.empties for t in printed[1:-1])
        )
        if apart and total_fails(printed):
            res.warnings.append(
                f"{what}: {len(printed)} values and an empty cell between them, one cell more "
                "than columns, and with these values the row's own total does not hold: one of "
                "them may not be its own (a page number); left empty"
            )
            return None
        if n == 7 and wide_pieces(printed) and not totals_hold(printed):
            res.warnings.append(
                f"{what}: a wide digit alone on its line above more wide digits may be a piece "
                "of one number wrapped in its cell, and the row's total does not decide; left "
                "empty"
            )
            return None
        return printed
    if blank_lines and len(cells) == len(printed):
        with_blanks = _with_blank_lines(printed, n, lead, room)
        if with_blanks is not None and not wide_pieces(printed):
            return with_blanks
    wrapped = joined_wraps(printed, n) if not blank_between(cells) else None
    if wrapped is not None:
        res.warnings.append(
            f"{what}: numbers wrapped inside their cells (`1<br>06`) read whole: the row's "
            "own total proves it"
        )
        return wrapped
    if any(t.merged for t in printed):
        res.warnings.append(
            f"{what}: {len(printed)} values for {n} columns, some printed in one cell; left empty"
        )
        return None
    if claim.lone_grid and printed and any(t.kind == BLANK and t.cell >= 0 for t in cells):
        res.warnings.append(
            f"{what}: {len(printed)} values for {n} columns in a pipe table cut from the rest "
            "(other row labels print outside it): its empty cells do not say where the values "
            "stand; left empty"
        )
        return None
    if claim.lost_grid and printed and any(t.kind == BLANK and t.cell >= 0 for t in cells):
        res.warnings.append(
            f"{what}: {len(printed)} values for {n} columns, and other rows print several "
            "values in one cell: the empty cells do not say where the values stand; left empty"
        )
        return None
    starts = place(cells, n)
    if len(starts) == 1 or (starts and same_reading(cells, starts, n)):
        chosen = cells[starts[0] : starts[0] + n]
        for other, says in (
            # (an empty grid: the header merged two columns into one cell)
            (grid, "the header row above says the values stand elsewhere than its empty cells do"),
            (
                rows_grid,
                "the full rows as wide as this one print their values in other cells than its "
                "empty cells say",
            ),
        ):
            under = other() if other is not None else None
            if under == [] and other is grid:
                says = (
                    "the header row prints two columns' names in one cell: the row's cells do "
                    "not stand one a column"
                )
            if under is not None and readings_of(under) != readings_of(chosen):
                res.warnings.append(f"{what}: {says}; left empty")
                return None
        return chosen
    if starts and grid is not None and (under := grid()):
        return under  # the header row above, as wide as this one, says where values stand
    if starts and rows_grid is not None and (under := rows_grid()) is not None:
        return under  # the full rows as wide as this one say which cells hold the values
    if starts:
        res.warnings.append(
            f"{what}: {len(cells)} cells for {n} columns can be read {len(starts)} ways; left empty"
        )
        return None
    one_line = len(lines_of(printed)) == 1 or (
        # one cell a line behind a tab (seeds 001/002): an empty cell prints as a tab line,
        # so a cell too many is one; without tabs (PyMuPDF, pdftotext) blanks vanish and
        # extra values may stand for a dropped blank
        not claim.split and not claim.interrupted and all(t.lone and t.col < 0 for t in printed)
    )
    if one_line and (
        n < len(printed) < 2 * n or (len(printed) > n and all(t.col < 0 for t in printed))
    ):
        # on the row's own line: a cell too many (seed 004), or a merged cell repeated in
        # each column it spans (docling's Markdown) — never values from other lines
        every = list(range(len(printed) - n + 1))
        if same_reading(printed, every, n):
            extra = len(printed) - n
            res.warnings.append(
                f"{what}: {len(printed)} cells for {n} columns; the extra "
                f"{'cell was' if extra == 1 else 'cells were'} dropped"
            )
            return printed[:n]
    refs = columns() if callable(columns) else columns
    if 0 < len(printed) < n and refs:
        placed = by_position(printed, refs, display)
        if placed is not None and piece_off_its_label_line(claim, printed):
            res.warnings.append(
                f"{what}: a value off the label's line stands in a column with a value a line or "
                "two away: it may be a piece of one number wrapped in its cell; left empty"
            )
            return None
        if placed is not None:
            return placed
    wrapped = wrapped_by_total(claim, printed, n) if len(cells) == len(printed) else None
    if wrapped is not None:
        res.warnings.append(
            f"{what}: {len(printed)} numbers for {n} columns, numbers wrapped over lines "
            "(`1` / `06`): the row's own total allows one reading only, read so"
        )
        return wrapped
    if printed or len(cells) != 0:
        hint = ""
        if len(printed) == n + 1 and all(t.lone for t in printed):
            hint = " (a page number printed among them?)"
        res.warnings.append(f"{what}: {len(cells)} cells for {n} columns{hint}; left empty")
    return None
