"""Stage 4b: the order of a row's values, and numbers a text tool wrapped over lines.

A space-aligned rendering keeps each value's column but not always its line: a number too
wide for its narrow cell is wrapped (`1` / `06`, `２` / `７` / `１`), a 总计 cell centred
higher than its row's other cells prints on the label's first line, the next row's wrapped
pieces stand among a row's values. The readings here put a row's values in column order
only where the columns, the full rows' widths or the row's own total leave one reading;
`tables` leaves the row empty, with a warning, where they do not.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Callable

from etl.claims import Claim
from etl.columns import VALUE_KINDS, lines_of, off_page, value_columns
from etl.moved_cells import totals_hold
from etl.normalize import BLANK, MARK, NUMBER, TEXT, UNREADABLE, nfkc
from etl.tokens import Tok

_LINE = operator.attrgetter("line")


def column_order(claim: Claim, n: int) -> tuple[list[Tok], bool]:
    """The claim's values in column order, and whether that order is certain."""
    vals = claim.values
    lines: dict[int, int] = {}  # values (not blanks) a line
    grid_lines: set[int] = set()  # lines with an empty tab or pipe cell
    loose: list[int] = []  # lines of values outside any tab or pipe cell
    for t in vals:
        if t.kind == BLANK:
            if t.cell >= 0:
                grid_lines.add(t.line)
        else:
            lines[t.line] = lines.get(t.line, 0) + 1
            if t.cell < 0:
                loose.append(t.line)
    if grid_lines and any(line not in grid_lines for line in loose):
        return vals, False  # a row's cells in pipes, a value spilled onto a line of its own
    if len(lines) <= 1 and not claim.interrupted:
        return vals, True
    if not claim.interrupted and all(k == n for k in lines.values()):
        return vals, True  # whole rows, one a line (values printed before their label)
    printed = [t for t in vals if t.kind != BLANK]
    if printed and all(t.spaced and t.col >= 0 for t in printed):
        if stacked_in_a_column(printed):
            return vals, False  # figures stacked in one column: a number wrapped over lines?
        by_col = sorted(printed, key=lambda t: t.col)
        if any(t in claim.near for t in printed) and not (len(by_col) == n and totals_hold(by_col)):
            # a value under another row's value: a piece of its number wrapped over lines?
            # (unless the row's own total holds in column order)
            return vals, False
        return by_col, True
    if not claim.interrupted and all(t.lone for t in vals):
        return vals, True  # one cell per line: reading order is column order
    return vals, False


def stacked_values(tokens: list[Tok]) -> frozenset:
    """Values of a space-aligned table that stand in a column with a value one or two lines
    up or down (`１ ０` / `６`: 106 wrapped in a narrow cell)."""
    vals = [t for t in tokens if t.kind in (NUMBER, MARK, UNREADABLE) and t.spaced and t.col >= 0]
    out: set[Tok] = set()
    for i, a in enumerate(vals):
        for b in vals[i + 1 :]:
            if b.line - a.line > 2:
                break
            if b.line != a.line and a.col < b.end and b.col < a.end:
                out.update((a, b))
    return frozenset(out)


def stacked_in_a_column(printed: list[Tok]) -> bool:
    """Do values of different lines stand in the same columns?"""
    return any(
        a.line != b.line and a.col < b.end and b.col < a.end
        for i, a in enumerate(printed)
        for b in printed[i + 1 :]
    )


def one_reading_by_total(printed: list[Tok], n: int) -> list[Tok] | None:
    """Values of a table-三 row printed over two lines (pdfminer puts a 总计 cell that sits
    higher on the label's first line): each line keeps its own order, but how the lines
    interleave is lost. Of every interleaving, keep the one reading whose 总计 is the sum of
    its six applicant columns — only if exactly one does."""
    lines = sorted({t.line for t in printed})
    if n != 7 or len(printed) != n or len(lines) != 2:
        return None
    first = [t for t in printed if t.line == lines[0]]
    second = [t for t in printed if t.line == lines[1]]
    fits = []
    for slots in itertools.combinations(range(n), len(first)):
        a, b = iter(first), iter(second)
        reading = [next(a) if i in slots else next(b) for i in range(n)]
        if totals_hold(reading):
            fits.append(reading)
    if len({tuple((t.kind, t.value) for t in r) for r in fits}) != 1:
        return None
    return fits[0]


def _full_line(claim: Claim, n: int) -> list[Tok] | None:
    """The claim's values when it prints exactly `n`, all on one space-aligned line."""
    printed = [t for t in claim.values if t.kind != BLANK]
    if len(printed) != n or len(lines_of(printed)) != 1:
        return None
    return printed if all(t.spaced and t.col >= 0 for t in printed) else None


def _glued(t: Tok, tokens: list[Tok]) -> bool:
    """Does text end one space before the value on its line (`…不再处理其政府 0`)? pdftotext
    -layout prints a value there when the label's wide characters pushed it out of place."""
    return any(u.kind == TEXT and u.line == t.line and u.end == t.col - 1 for u in tokens)


_DIGIT_PIECE = re.compile(r"[0-9０-９][0-9０-９,]*")


def piece_off_its_label_line(claim: Claim, printed: list[Tok]) -> bool:
    """Does a value of wide digits (a narrow cell wraps them a digit or two a line) stand off
    its label's line in a column with a value a line or two away (`２ １` above the label,
    `８` below: 218)? On the label's own line it lies in the row's band, below the row above's
    cells."""
    return any(
        t in claim.near and t.line != claim.line and _WIDE_DIGITS.fullmatch(t.raw) for t in printed
    )


def _pieces(upper: Tok, lower: Tok) -> bool:
    """Could `upper` and `lower` be two pieces of one number wrapped in its cell?"""
    return (
        bool(_DIGIT_PIECE.fullmatch(upper.raw) and _DIGIT_PIECE.fullmatch(lower.raw))
        and upper.raw[0] not in "0０"  # no number starts with 0
    )


def _in_columns(printed: list[Tok], ref: list[Tok], tokens: list[Tok]) -> list[Tok] | None:
    """The values under the columns of a reference row: each under exactly one column (its
    characters overlap that column's), one a column; a value under none only when text is
    glued to it and it is the only one, then the one free column, if its line's order
    allows it."""
    out: list[Tok | None] = [None] * len(ref)
    loose: list[Tok] = []
    for t in printed:
        under = [j for j, r in enumerate(ref) if t.col < r.end and r.col < t.end]
        if len(under) > 1 or (under and out[under[0]] is not None):
            return None
        if under:
            out[under[0]] = t
        else:
            loose.append(t)
    if loose:
        if len(loose) != 1 or out.count(None) != 1 or not _glued(loose[0], tokens):
            return None
        t, j = loose[0], out.index(None)
        for k, u in enumerate(out):
            if u is not None and u.line == t.line and (u.col < t.col) != (k < j):
                return None
        out[j] = t
    return out if None not in out else None  # type: ignore[return-value]


def _grid_rows(
    claims: dict[str, Claim],
    order: list[str],
    row: str,
    n: int,
    tokens: list[Tok],
    breaks: tuple[int, ...] = (),
) -> list[list[Tok]]:
    """The nearest rows above and below (three rows at most) printing all their values on
    their label's space-aligned line, no value glued to text, on the row's page or a page
    laid out in the same columns: those values mark the columns (pieces of the next row's
    wrapped numbers may follow them)."""
    idx = order.index(row)
    refs: list[list[Tok]] = []
    for side in (range(idx - 1, idx - 4, -1), range(idx + 1, idx + 4)):
        for k in side:
            if not 0 <= k < len(order):
                break
            c = claims[order[k]]
            full = _full_line(Claim(c.row, c.line, [t for t in c.values if t.line == c.line]), n)
            if (
                full is not None
                and not any(_glued(t, tokens) for t in full)
                and not off_page(full, claims[row], claims, breaks)
            ):
                refs.append(full)
                break
    return refs


def _by_char_columns(
    claims: dict[str, Claim],
    order: list[str],
    row: str,
    n: int,
    tokens: list[Tok],
    breaks: tuple[int, ...],
    printed: list[Tok],
) -> list[Tok] | None:
    """A table-三 row printed over several lines of a space-aligned rendering (pdftotext
    -layout: 总计 on the label's first line, the six applicant values on its last line), read
    by the character columns of the nearest full rows above and below, only when the text
    decides: as many values as columns, none two in one column, the full rows around agree,
    and no value can be a piece of a number wrapped in another row's cell (a piece stands at
    most a line from its row's line: a value two lines from a full row whose total holds is
    no piece of it; a mark, or a figure under a `0`, is no piece at all)."""
    claim = claims[row]
    if (
        len(printed) != n
        or any(t.kind == BLANK for t in claim.values)
        or stacked_in_a_column(printed)
    ):
        return None
    if any(not t.spaced or t.col < 0 for t in printed):
        return None
    refs = _grid_rows(claims, order, row, n, tokens, breaks)
    readings = [_in_columns(printed, ref, tokens) for ref in refs]
    if not readings or any(r is None or r != readings[0] for r in readings):
        return None
    settled: dict[Tok, int] = {}  # values of rows printed in full on one line, total holding
    for r, c in claims.items():
        full = _full_line(c, n) if r != row else None
        if full is not None and totals_hold(full):
            settled.update((t, full[0].line) for t in full)
    mine = set(printed)
    for t in printed:
        for u in tokens:
            if (
                u in mine
                or u.kind not in (NUMBER, MARK, UNREADABLE)
                or abs(u.line - t.line) > 2
                or u.line == t.line
                or not (u.col < t.end and t.col < u.end)
            ):
                continue
            upper, lower = (u, t) if u.line < t.line else (t, u)
            if lower is t and t.line == claim.line:
                continue  # the row's label starts on its line: below the row above's cells
            if _pieces(upper, lower) and (u not in settled or abs(u.line - t.line) < 2):
                return None
    return readings[0]


_ONE_NUMBER = re.compile(r"[+\-−]?(?:[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+|0(?=\.))(?:\.\d+)?")


def may_be_wrapped(printed: list[Tok]) -> bool:
    """Could two neighbouring values of one tab or pipe cell be one number wrapped in it
    (`1<br>18`, `+6<br>1654`, `-1<br>2,242`, `１<br>１５`)? Not `0<br>34` (no number starts
    with 0), nor a mark, nor a sign after the first piece."""
    return any(
        a.merged
        and (a.line, a.cell) == (b.line, b.cell)
        and b.raw[:1] not in "+-−"
        and bool(_ONE_NUMBER.fullmatch(nfkc(a.raw + b.raw)))
        for a, b in itertools.pairwise(printed)
    )


_PLAIN_DIGITS = re.compile(r"[1-9１-９][0-9０-９]*")


_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+")


_BY_COLUMNS = "read by their character columns under the full rows' columns"


_BY_STACKS = (
    "numbers wrapped over lines in their columns read whole: the row's own total allows "
    "one reading only"
)


_BESIDE = "the next row's wrapped numbers printed among them belong to that row; read its line"


def by_layout(
    claims: dict[str, Claim],
    order: list[str],
    row: str,
    n: int,
    tokens: list[Tok],
    breaks: tuple[int, ...],
    stacked: Callable[[], dict[str, tuple[list[Tok], str]]],
    printed: list[Tok],
) -> tuple[list[Tok], str] | None:
    """A space-aligned table-三 row printed over several lines: by the full rows' character
    columns, else as part of a stretch of rows with numbers wrapped in their cells."""
    got = _by_char_columns(claims, order, row, n, tokens, breaks, printed)
    if got is not None:
        return got, _BY_COLUMNS
    return stacked().get(row)


def _joined(pieces: list[Tok]) -> Tok | None:
    """One column's pieces, top to bottom, as one number: wide digits (a narrow cell wraps
    them a digit or two a line) or a thousands figure wrapped after its comma, no number
    starting with 0 (as `wrapped_by_total` joins them), every line but the last as full as
    the first."""
    if len(pieces) == 1:
        return pieces[0] if pieces[0].kind == NUMBER else None
    if any(t.kind not in (NUMBER, UNREADABLE) for t in pieces):
        return None
    widths = [sum(len(t.raw) for t in g) for _, g in itertools.groupby(pieces, key=_LINE)]
    if any(w != widths[0] for w in widths[:-1]) or widths[-1] > widths[0]:
        return None  # a cell fills each line before the next: `２`/`５７` is no 257
    digits = "".join(t.raw for t in pieces)
    if _THOUSANDS.fullmatch(digits) and pieces[0].kind == UNREADABLE:
        digits = digits.replace(",", "")
    elif not _PLAIN_DIGITS.fullmatch(digits) or any(d.isascii() for d in digits):
        return None
    value = int(nfkc(digits))
    return pieces[0]._replace(kind=NUMBER, raw=" ".join(t.raw for t in pieces), value=value)


def _stack_reading(toks: list[Tok], refs: list[list[Tok]], n: int) -> list[Tok] | None:
    """The one reading of a row's values and number pieces (sorted by line, then column)
    under the columns of `refs` (every reference agreeing): columns in order along each line,
    every column holding something, the pieces of a column joined top to bottom — of every
    such reading, exactly one whose 总计 is the sum of the row (at least one number wrapped).
    A piece under a reference value's characters stands in that column; one between two
    columns, in either."""
    options = []
    for t in toks:
        near = set(range(n))
        for ref in refs:
            under = {j for j, r in enumerate(ref) if t.col < r.end and r.col < t.end}
            left = [j for j, r in enumerate(ref) if r.end <= t.col]
            right = [j for j, r in enumerate(ref) if r.col >= t.end]
            near &= under or {*left[-1:], *right[:1]}
        if not near:
            return None
        options.append(sorted(near))
    if math.prod(map(len, options)) > 4096:
        return None
    fits: dict[tuple, list[Tok]] = {}
    for cols in itertools.product(*options):
        if any(
            a.line == b.line and ca > cb
            for (a, ca), (b, cb) in itertools.pairwise(zip(toks, cols, strict=True))
        ):
            continue
        stacks: list[list[Tok]] = [[] for _ in range(n)]
        for t, j in zip(toks, cols, strict=True):
            stacks[j].append(t)
        if not all(stacks) or all(len(s) == 1 for s in stacks):
            continue
        joined = [_joined(s) for s in stacks]
        reading = [t for t in joined if t is not None]
        if len(reading) != n or not totals_hold(reading):
            continue
        fits[tuple(t.value for t in reading)] = reading
        if len(fits) > 1:
            return None
    return next(iter(fits.values())) if fits else None


def _own_columns(toks: list[Tok], n: int) -> list[list[Tok]]:
    """Columns from the row's own values when no full row gives them (a sparse table)."""
    cols = value_columns(toks, n)
    return [cols] if cols is not None else []


def _not_its_own(rest: list[Tok], mine: list[Tok]) -> bool:
    """Can none of `rest`, printed on the line below a row's full line `mine`, be the lower
    piece of one of its numbers? Pieces under (or beside) a value of `mine` continue it only
    if all are digits, the value does not start with 0, and it is at least as wide as they
    are: a cell fills its first line first (`7` / `１ １` is no number)."""
    if any(t.line != mine[0].line + 1 for t in rest):
        return not rest
    groups: dict[tuple[int, ...], list[Tok]] = {}
    prev: tuple[Tok, tuple[int, ...]] | None = None
    for t in sorted(rest, key=lambda t: t.col):
        under = tuple(j for j, u in enumerate(mine) if t.col < u.end and u.col < t.end)
        if not under and prev is not None and t.col - prev[0].end <= 1:
            under = prev[1]  # `１ ０`: one printed figure, a space between wide digits
        elif not under:
            left = [j for j, u in enumerate(mine) if u.end <= t.col][-1:]
            under = (*left, *[j for j, u in enumerate(mine) if u.col >= t.end][:1])
        groups.setdefault(under, []).append(t)
        prev = (t, under)
    for cols, pieces in groups.items():
        if not all(_DIGIT_PIECE.fullmatch(t.raw) for t in pieces):
            continue
        width = sum(len(t.raw) for t in pieces)
        for j in cols:
            u = mine[j]
            if _DIGIT_PIECE.fullmatch(u.raw) and u.raw[0] not in "0０" and len(u.raw) >= width:
                return False
    return True


def stacked_readings(
    claims: dict[str, Claim],
    order: list[str],
    n: int,
    tokens: list[Tok],
    breaks: tuple[int, ...] = (),
) -> dict[str, tuple[list[Tok], str]]:
    """Table-三 rows of a space-aligned rendering (pdftotext -layout) whose numbers wrapped
    in their narrow cells: a cell's pieces stand a line above and below the row's line (or on
    it and below), in the row's column, where the walk gives the upper pieces to the row
    above. A row whose order is not certain reads the values it claimed and those of the line
    just above (unless that line holds another row's label, or values of a row that did not
    print all its values on its own line), when exactly one reading fits its total; the row
    above then reads its own line, when its total holds and every other value it claimed is a
    piece of such a reading or cannot be its own. A piece claimed twice, or any value left
    over, leaves the rows empty."""
    label_lines = {c.line for c in claims.values()}
    first = min(label_lines, default=0)
    by_line: dict[int, list[Tok]] = {}
    for t in tokens:
        if t.kind in VALUE_KINDS and t.col >= 0 and t.cell < 0:
            by_line.setdefault(t.line, []).append(t)  # (pieces alone on a line: not spaced)
    owner = {t: r for r, c in claims.items() for t in c.values}
    found: dict[str, tuple[list[Tok], set[Tok]]] = {}
    for row in order:
        claim = claims[row]
        if any(t.kind == BLANK for t in claim.values) or _full_line(claim, n) is not None:
            continue
        if column_order(claim, n)[1]:
            continue  # `choose` reads it as printed and never asks for a reading here
        line = claim.line
        lines = sorted({line, *(t.line for t in claim.values)})
        above = by_line.get(line - 1, ())
        if line - 1 not in label_lines and all(
            (r := owner.get(t)) is None or len(by_line.get(claims[r].line, ())) == n for t in above
        ):
            lines.insert(0, line - 1)  # pieces the walk gave the row above, if it has its own
        toks = [t for x in lines for t in by_line.get(x, ())]
        if any(owner.get(t) is None and t.line >= first for t in toks):
            continue  # a value no row claimed, inside the table
        refs = _grid_rows(claims, order, row, n, tokens, breaks) or _own_columns(toks, n)
        reading = _stack_reading(toks, refs, n) if refs else None
        if reading is not None:
            found[row] = (reading, set(toks))
    while True:
        used: dict[Tok, str] = {}
        clash: set[str] = set()
        for row, (_, took) in found.items():
            for t in took:
                if t in used:
                    clash |= {row, used[t]}
                used[t] = row
        beside: dict[str, list[Tok]] = {}
        for row, claim in claims.items():
            mine = [t for t in claim.values if t.line == claim.line]
            rest = [t for t in claim.values if t.line != claim.line]
            if (
                row not in found
                and rest
                and len(mine) == n
                and all(t.kind != BLANK and t.spaced and t.col >= 0 for t in mine)
                and totals_hold(mine)
                and _not_its_own([t for t in rest if t not in used], mine)
            ):
                beside[row] = mine
        bad = set(clash)
        for row, (_, took) in found.items():
            if any(owner.get(t, row) not in (row, *beside) for t in took):
                bad.add(row)  # a piece from a row that does not read without it
            if any(t not in used for t in claims[row].values):
                bad.add(row)  # a value of its own that no reading took
        if not bad:
            break
        for row in bad:
            del found[row]
    out = {row: (reading, _BY_STACKS) for row, (reading, _) in found.items()}
    return out | {row: (mine, _BESIDE) for row, mine in beside.items()}


def joined_wraps(printed: list[Tok], n: int) -> list[Tok] | None:
    """A row with more values than columns because numbers wrapped in narrow cells print
    their pieces in one cell (`１<br>０<br>６`): each cell's pieces joined into one number,
    only when that gives exactly `n` values and the row's own total then holds."""
    if len(printed) <= n or not any(t.merged for t in printed):
        return None
    out: list[Tok] = []
    for _, group in itertools.groupby(printed, key=lambda t: (t.line, t.cell, t.merged)):
        pieces = list(group)
        if len(pieces) == 1 or not pieces[0].merged:
            out.extend(pieces)
            continue
        digits = "".join(t.raw for t in pieces)
        if pieces[0].cell < 0 or any(t.kind != NUMBER for t in pieces):
            return None
        if not _PLAIN_DIGITS.fullmatch(digits):
            return None  # `0 3`: two columns run together, no wrapped number starts with 0
        value = int(nfkc(digits))
        out.append(pieces[0]._replace(raw=" ".join(t.raw for t in pieces), value=value))
    if len(out) != n or not totals_hold(out):
        return None
    return out


def wrapped_by_total(claim: Claim, printed: list[Tok], n: int) -> list[Tok] | None:
    """A table-三 row printed one value a line (PyMuPDF) with more numbers than columns
    because numbers wrapped in narrow cells print a piece a line (`１` / `０` / `６`): of every
    way to join neighbouring pieces of wide digits into `n` numbers (none starting with 0),
    keep the one reading whose 总计 is the sum of the row — only if exactly one does. (Narrow
    digits joined would read raw pdftotext's moved values `2` / `22` as 222.)"""
    m = len(printed)
    if n != 7 or not n < m <= 2 * n or claim.split or claim.interrupted:
        return None
    if any(t.kind not in (NUMBER, UNREADABLE) or not t.lone or t.col < 0 for t in printed):
        return None
    fits: dict[tuple, list[Tok]] = {}
    for cuts in itertools.combinations(range(1, m), n - 1):
        groups = [printed[a:b] for a, b in itertools.pairwise((0, *cuts, m))]
        reading: list[Tok] = []
        for g in groups:
            if len(g) == 1:
                if g[0].kind != NUMBER:
                    break
                reading.append(g[0])
                continue
            digits = "".join(t.raw for t in g)
            if _THOUSANDS.fullmatch(digits) and g[0].kind == UNREADABLE:
                digits = digits.replace(",", "")  # `1,09` / `2`: `1,09` alone is no number
            elif not _PLAIN_DIGITS.fullmatch(digits) or any(d.isascii() for d in digits):
                break  # wide digits wrap a piece a line; a number starts with no 0
            value = int(nfkc(digits))
            reading.append(g[0]._replace(kind=NUMBER, raw=" ".join(t.raw for t in g), value=value))
        else:
            if totals_hold(reading):
                fits[tuple(t.value for t in reading)] = reading
                if len(fits) > 1:
                    return None
    return next(iter(fits.values())) if fits else None


_WIDE_FIRST = frozenset("１２３４５６７８９")


_WIDE_DIGITS = re.compile("[０-９]+")


def wide_pieces(printed: list[Tok]) -> bool:
    """One value a line without cells (PyMuPDF): does a single wide digit stand right above
    another line of wide digits, so that the two may be pieces of one number wrapped in a
    narrow cell of table 三 (`２` / `７` / `１` is 271)? Blanks print as nothing there, so
    the joined reading's fewer values are no less possible."""
    return any(
        a.raw in _WIDE_FIRST
        and b.line == a.line + 1
        and a.lone
        and b.lone
        and a.cell < 0
        and a.col >= 0  # a plain line: behind a tab (seeds 001/002) an empty cell prints
        and not a.spaced
        and _WIDE_DIGITS.fullmatch(b.raw) is not None
        for a, b in itertools.pairwise(printed)
    )
