"""Stage 4b: where a value of a space-aligned table stands (`pdftotext -layout`, pdfplumber,
inscriptis, an editor's spaces).

A row that prints fewer values than columns is placed by the columns of the page it stands
on: those of the nearest row printed in full on one line, or the header's words (centred
over their cells, a column's name over two lines), or every value of the page when no row
is full. Whether a Chinese character counts one column (as extractors print) or two (as
editors draw) is decided by the full rows; where nothing decides, by the extractors' count,
each value within a header word's width. `tables` asks these when its other evidence (tab
and pipe cells, empty lines) does not place a row.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence

from etl.claims import Claim
from etl.normalize import BLANK, MARK, NUMBER, TEXT, UNREADABLE
from etl.row_labels import norm
from etl.tokens import Tok, wide_chars


def lines_of(values: list[Tok]) -> dict[int, int]:
    out: dict[int, int] = {}
    for t in values:
        if t.kind != BLANK:
            out[t.line] = out.get(t.line, 0) + 1
    return out


def readings_of(toks: Sequence[Tok | None]) -> list[tuple | None]:
    return [(t.kind, t.value) if t is not None else None for t in toks]


def by_position(
    printed: list[Tok], refs: Sequence[Tok | None], display: bool | None = False
) -> list[Tok | None] | None:
    """Values of a space-aligned row under the columns of a reference row or header line,
    when each value sits clearly under exactly one column. When the table's full rows do not
    say how it counts columns (one a character, as extractors print; Chinese two wide, as
    editors draw), by the extractors' count only, and each value within a header word's
    width (the editors' count may put a value beside a word under another word)."""
    if any(not t.spaced or t.col < 0 for t in printed):
        return None
    if any(r is None or r.col < 0 for r in refs):
        return None
    if display is not None:
        return _place_at(printed, refs, display)
    # undecided: as extractors print columns (pdftotext -layout), never by the editors' count
    # alone (where the extractors' fails, the editors' may fit by chance)
    return _place_at(printed, refs, False, loose=False)


def display_columns(
    claims: dict[str, Claim], n_of: Callable[[str], int], breaks: Sequence[int] = ()
) -> bool | None:
    """Do the table's columns line up as an editor draws them (Chinese two columns wide)
    rather than as extractors print them (one column a character)? Decided by the rows
    printed in full on one line: under the right reading their values line up."""
    rows: dict[tuple[int, int], list[list[Tok]]] = {}
    for row, claim in claims.items():
        first = next((t for t in claim.values if t.kind != BLANK), None)
        if first is None or not first.spaced:
            continue  # nothing printed, or values in tab or pipe cells: no layout columns
        printed = [t for t in claim.values if t.kind != BLANK]
        n = n_of(row) if row else 0
        if (
            n > 1
            and len(printed) == n
            and len(lines_of(printed)) == 1
            and all(t.spaced and t.col >= 0 for t in printed)
        ):
            # rows compared on their own page: pdftotext -layout lays out each page anew
            rows.setdefault((n, bisect.bisect_right(breaks, printed[0].line)), []).append(printed)
    spread = {False: 0.0, True: 0.0}
    for group in rows.values():
        if len(group) < 2:
            continue
        for display in (False, True):
            for j in range(len(group[0])):
                xs = [r[j].center(display) for r in group]
                spread[display] += max(xs) - min(xs)
    if spread[True] + 1 < spread[False] / 2:
        return True
    if spread[False] + 1 < spread[True] / 2:
        return False
    return None  # no row tells: a placement must hold under both readings


def _place_at(
    printed: list[Tok], refs, display: bool, loose: bool = True
) -> list[Tok | None] | None:
    if refs[0].kind == TEXT:
        return _under_words(printed, refs, display, loose)
    centers = [r.center(display) for r in refs]
    gaps = [b - a for a, b in itertools.pairwise(centers)]
    if not gaps or min(gaps) <= 2:
        return None
    tol = min(gaps) * 0.4
    out: list[Tok | None] = [None] * len(centers)
    last = -1
    for t in printed:
        mid = t.center(display)
        j = min(range(len(centers)), key=lambda k: abs(centers[k] - mid))
        if abs(centers[j] - mid) > tol or j <= last:
            return None
        out[j] = t
        last = j
    return out


def _under_words(
    printed: list[Tok], words, display: bool, loose: bool = True
) -> list[Tok | None] | None:
    """Values under header words: each value must stand within exactly one word's width
    (a number sits anywhere under a wide header cell, so nearness to its centre says little),
    or between two neighbouring words where the values beside it leave it one of the two,
    or less than a column left of the first word (the first column), right of the last (the
    last column). Not `loose`: within a word's width only."""
    bounds = [
        (w.center(display) - _half(w, display) - 1, w.center(display) + _half(w, display) + 1)
        for w in words
    ]
    options: list[tuple[int, ...]] = []
    for t in printed:
        mid = t.center(display)
        spans = tuple(j for j, (lo, hi) in enumerate(bounds) if lo <= mid <= hi)
        if spans or not loose:
            pass
        elif mid < bounds[0][0]:  # left of the first column's word, by less than a column
            spans = (0,) if mid > 2 * bounds[0][0] - bounds[1][0] else ()
        elif mid > bounds[-1][1]:
            spans = (len(bounds) - 1,) if mid < 2 * bounds[-1][1] - bounds[-2][1] else ()
        else:  # between word j and word j + 1: one of the two
            spans = tuple(
                j for j in range(len(bounds) - 1) if bounds[j][1] < mid < bounds[j + 1][0]
            )
            spans = (spans[0], spans[0] + 1) if spans else ()
        if not spans or len(spans) > 2 or (len(spans) == 2 and spans[1] != spans[0] + 1):
            return None
        options.append(spans)
    cols = _one_rising(options)
    if cols is None:
        return None
    out: list[Tok | None] = [None] * len(words)
    for t, j in zip(printed, cols, strict=True):
        out[j] = t
    return out


def _one_rising(options: list[tuple[int, ...]]) -> list[int] | None:
    """The one way to take a column from each value's options (one column, or two side by
    side), each right of the one before; None when there is none or more than one. Every
    way lies between the leftmost and the rightmost: one way when those two are the same."""
    left: list[int] = []
    for opts in options:
        fit = [j for j in opts if not left or j > left[-1]]
        if not fit:
            return None
        left.append(fit[0])
    right: list[int] = []
    for opts in reversed(options):
        fit = [j for j in opts if not right or j < right[-1]]
        if not fit:
            return None
        right.append(fit[-1])
    return left if left == right[::-1] else None


def _half(w: Tok, display: bool) -> float:
    wide = sum(1 for ch in w.raw if ord(ch) > 0x2E80) if display else 0
    return (w.end - w.col + wide) / 2


def _reference_columns(
    claims: dict[str, Claim],
    order: list[str],
    row: str,
    n: int,
    n_of=None,
    breaks=(),
    display: bool | None = False,
    text_end: Callable[[], dict[int, Tok]] | None = None,
) -> list[Tok] | None:
    """The nearest row printed in full on one spaced line: its values mark the columns. Only
    a row of as many columns counts (a 3-column row that printed two values is no grid for
    a 2-column row), and only on the row's page. [] when the page's full rows place the
    row's values in different columns (a text tool pushes a row's cells one cell right after
    a label too long for its cell): its columns are then not certain. [] too when the row's
    label runs into the first of those columns (`text_end()`: each line's last text token): a
    tool that gave a merged group label a column of its own printed the row a cell right."""
    idx = order.index(row)
    full = []
    for dist in range(1, len(order)):
        for k in (idx - dist, idx + dist):
            if 0 <= k < len(order):
                c = claims[order[k]]
                if n_of is not None and n_of(order[k]) != n:
                    continue
                printed = [t for t in c.values if t.kind != BLANK]
                if (
                    len(printed) == n
                    and len(lines_of(printed)) == 1
                    and all(t.spaced and t.col >= 0 for t in printed)
                    and not off_page(printed, claims[row], claims, breaks)
                ):
                    full.append(printed)
    if not full:
        return None
    mine = [t for t in claims[row].values if t.kind != BLANK]
    if text_end and mine and _label_over(full[0][0], mine, text_end(), bool(display)):
        return []
    if len(full) > 1 and mine and all(t.spaced and t.col >= 0 for t in mine):
        readings = set()
        for ref in full:
            placed = _place_at(mine, ref, bool(display))
            if placed is not None:
                readings.add(tuple(readings_of(placed)))
        if len(readings) > 1:
            return []
    return full[0]


def _label_over(first: Tok, mine: list[Tok], text_end: dict[int, Tok], display: bool) -> bool:
    """Does text on a line of the row's values run past where the first column starts?"""
    start = first.col + (first.shift if display else 0)
    for line in {t.line for t in mine}:
        t = text_end.get(line)
        if t is not None and t.end + ((t.shift + wide_chars(t.raw)) if display else 0) > start:
            return True
    return False


def line_text_ends(tokens: list[Tok]) -> dict[int, Tok]:
    """Each line's last text token of a space-aligned table (where a row's label ends)."""
    return {t.line: t for t in tokens if t.kind == TEXT and t.spaced and t.col >= 0}


def columns_of_row(
    claims: dict[str, Claim],
    order: list[str],
    row: str,
    n: int,
    fallback: Callable[[], list[Tok] | None],
    n_of: Callable[[str], int | None] | None = None,
    breaks: Sequence[int] = (),
    display: bool | None = False,
    text_end: Callable[[], dict[int, Tok]] | None = None,
) -> list[Tok] | None:
    """A row's columns: from the nearest full row, else from the header (computed late:
    most rows never need them) — on the row's own page."""
    refs = _reference_columns(claims, order, row, n, n_of, breaks, display, text_end)
    if refs is None:
        refs = fallback()
        if refs and off_page([r for r in refs if r is not None], claims[row], claims, breaks):
            return None
    return refs


def off_page(
    refs: Sequence[Tok], claim: Claim, claims: dict[str, Claim], breaks: Sequence[int]
) -> bool:
    """Do the reference tokens stand on another page than the row, on a page laid out in
    other columns? pdftotext -layout lays out each page anew: character columns carry over
    only when every value printed on the row's page stands under one of them."""
    if not breaks or not refs:
        return False
    lines = [t.line for t in refs] + [claim.line] + [t.line for t in claim.values]
    lo, hi = min(lines), max(lines)
    if not any(lo < p <= hi for p in breaks):
        return False
    page = bisect.bisect_right(breaks, hi)
    on_page = [
        t
        for c in claims.values()
        for t in c.values
        if t.kind != BLANK and bisect.bisect_right(breaks, t.line) == page
    ]
    return not all(
        t.spaced and t.col >= 0 and _place_at([t], refs, False, loose=False) is not None
        for t in on_page
    )


VALUE_KINDS = (NUMBER, MARK, UNREADABLE)


def value_columns(toks: Iterable[Tok], n: int) -> list[Tok] | None:
    """The character ranges that values and pieces cover, overlapping ranges one column (one
    token each, spanning them) — only when that makes `n` columns, none holding two values of
    one line."""
    groups: list[list[Tok]] = []
    end = -1
    for t in sorted(toks, key=lambda t: t.col):
        if groups and t.col < end:
            groups[-1].append(t)
            end = max(end, t.end)
        else:
            groups.append([t])
            end = t.end
    if len(groups) != n or any(len({t.line for t in g}) != len(g) for g in groups):
        return None
    return [g[0]._replace(col=min(t.col for t in g), end=max(t.end for t in g)) for g in groups]


def columns_of_page(
    tokens: list[Tok], page: int, n: int, breaks: Sequence[int]
) -> list[Tok] | None:
    """Columns from every value on page `page` (of `breaks`) when no row there prints all its
    values on one line (a sparse table: zeros left empty): the character ranges of the values,
    ranges that overlap one column, only when that makes exactly `n` columns, clearly apart,
    none holding two values of one line. A column no row on the page filled leaves `n - 1`:
    no columns at all."""
    cols = value_columns(
        (
            t
            for t in tokens
            if t.kind in VALUE_KINDS
            and t.spaced
            and t.col >= 0
            and bisect.bisect_right(breaks, t.line) == page
        ),
        n,
    )
    if cols is None:
        return None
    if any(b.col - a.end < 2 for a, b in itertools.pairwise(cols)):
        return None
    # the template's columns after the first are equally wide: a column no value filled
    # beside one whose values fell apart would show as one gap twice another
    gaps = [b.center() - a.center() for a, b in itertools.pairwise(cols[1:])]
    mid = sorted(gaps)[len(gaps) // 2] if gaps else 0
    if any(not 0.6 * mid <= g <= 1.5 * mid for g in gaps):
        return None
    return cols


def header_columns(tokens: list[Tok], n: int, display: bool = False) -> list[Tok] | None:
    """The last header line, before the first value, that prints exactly `n` words apart
    (`自然人  商业  科研 … 总计`) in a space-aligned rendering: its words mark the columns."""
    by_line: dict[int, list[Tok]] = {}
    for t in tokens:
        if t.kind in (NUMBER, MARK):
            break
        if t.kind == TEXT and t.spaced and t.col >= 0:
            by_line.setdefault(t.line, []).append(t)
    for line in sorted(by_line, reverse=True):
        words = by_line[line]
        if len(words) == n:
            return words
    return _header_grid([t for ts in by_line.values() for t in ts], n, display)


_COLUMN_WORDS = frozenset(
    [
        "自然人",
        "自然",
        "人",
        "商业",
        "企业",
        "科研",
        "机构",
        "社会",
        "公益",
        "组织",
        "社会公益",
        "法律",
        "服务",
        "法律服务",
        "其他",
        "总计",
        "结果",
        "维持",
        "纠正",
        "尚未",
        "审结",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
    ]
)


def _header_grid(words: list[Tok], n: int, display: bool = False) -> list[Tok] | None:
    """Columns from a header shredded over several lines (`结果 / 维持` stacked in one
    column): the words of the lowest header level, grouped by where they stand. Only when
    exactly `n` groups come out, each clearly apart from the next."""
    cells = sorted(
        (t for t in words if norm(t.raw) in _COLUMN_WORDS), key=lambda t: t.center(display)
    )
    groups: list[list[Tok]] = []
    for t in cells:
        if groups and t.center(display) - groups[-1][-1].center(display) <= 1.5:
            groups[-1].append(t)
        else:
            groups.append([t])
    groups = _tails_joined(groups, display)
    if len(groups) != n:
        return None
    return [g[0] for g in groups]


# a header word that only ends a column's name (`自然` / `人`), and the words it may end
_TAIL_OF = {
    "人": ("自然",),
    "企业": ("商业",),
    "机构": ("科研", "服务", "法律服务"),
    "公益": ("社会",),
    "组织": ("公益", "社会公益"),
    "服务": ("法律",),
    "维持": ("结果",),
    "纠正": ("结果",),
    "审结": ("尚未",),
}


def _tails_joined(groups: list[list[Tok]], display: bool) -> list[list[Tok]]:
    """Groups of header words with a column's name ended on a line of its own further right
    (pdftotext -layout centres `自然` and `人` of one cell apart): a group of such ends only,
    nearer the group on its left, which holds a word it ends, joins that group."""
    out: list[list[Tok]] = []
    for k, g in enumerate(groups):
        heads = {norm(t.raw) for t in out[-1]} if out else set()
        if (
            out
            and all(norm(t.raw) in _TAIL_OF for t in g)
            and all(heads.intersection(_TAIL_OF[norm(t.raw)]) for t in g)
            and (
                k + 1 == len(groups)
                or g[0].center(display) - out[-1][-1].center(display)
                < groups[k + 1][0].center(display) - g[-1].center(display)
            )
        ):
            out[-1] = out[-1] + g
        else:
            out.append(g)
    return out
