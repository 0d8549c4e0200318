"""Stage 4b: a table's token stream, aligned against the national template → cells by id.

The template fixes each table's rows, their order and how many values each holds. The
reader walks the tokens once: text runs are scanned for the row labels the template knows
(as printed: spaces, line breaks, cell breaks, item numbers, Traditional characters, a
first half whose second half follows the values), and each recognised label claims the
values between it and the next label. Line, tab, pipe and column structure only decides
where a value stands when a row prints fewer values than columns. A row whose values
cannot be placed with certainty stays empty with a warning: nothing is shifted or guessed.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import Any

from etl import page_totals, spec
from etl.claims import Claim, TableResult
from etl.columns import (
    columns_of_page,
    columns_of_row,
    display_columns,
    header_columns,
    line_text_ends,
    lines_of,
)
from etl.moved_cells import (
    appeals_page_end,
    before_their_labels,
    loose_in_a_short_table,
    next_page_number,
    next_pages,
    page_end_note,
    page_number_after,
    page_number_suspect,
    stray_reading,
)
from etl.normalize import BLANK, MARK, NUMBER, TEXT, UNREADABLE
from etl.placement import (
    blank_between,
    blank_lines_are_cells,
    choose,
    group_leads,
    group_periods,
    lead_blanks,
    room_after,
)
from etl.row_labels import (
    ACTIVE,
    APPEALS,
    REQUESTS,
    ScanState,
    Vocab,
    alternation,
    norm,
    scan,
)
from etl.tokens import PageEnd, Tok
from etl.value_order import (
    by_layout,
    stacked_readings,
    stacked_values,
)

_SPACED = operator.attrgetter("spaced")
_LINE = operator.attrgetter("line")
_MERGED = operator.attrgetter("merged")
# --- results ------------------------------------------------------------------------------


# --- walking the stream -----------------------------------------------------------------


def _walk(
    tokens: list[Tok], vocab: Vocab, allowed: tuple[str, ...], table: str, res: TableResult
) -> tuple[dict[str, Claim], list[str]]:
    """Claims of every printed row label, and the row ids in printed order."""
    open_remark = seen_row = False
    claims: dict[str, Claim] = {}
    order: list[str] = []
    current: Claim | None = None
    header: list[tuple[str, Tok | None]] = []
    run: list[Tok] = []
    held: list[Tok] = []
    continuation_after_values = False
    text_after_values = False  # blanks after text that follows a row's values are not its own
    moved_from = 0  # line of an earlier group's label printed after the current row's values
    new_state = tuple.__new__  # ScanState's own __new__ is a slow Python function

    def flush() -> None:
        nonlocal current, header, continuation_after_values, text_after_values
        nonlocal open_remark, seen_row, moved_from
        if not run:
            return
        held.clear()
        owner = (current.row, current.label_seen) if current is not None and current.row else None
        st = new_state(ScanState, (table, allowed, owner, open_remark, seen_row))
        raw_events, open_remark, seen_row = scan(tuple([t.raw for t in run]), st)
        for kind, key, text, idx, warning in raw_events:
            tok = run[idx]
            if res.explain:
                res.trace.append(f"  line {tok.line}: '{text}' → {kind} {key}".rstrip())
            if kind == "continuation" and current is not None:
                current.label_seen += text
                continuation_after_values = current.count > 0
                current.label_after = current.label_after or continuation_after_values
            elif kind == "row":
                if warning:
                    res.warnings.append(f"{table}: line {tok.line}: {warning}")
                old = claims.get(key)
                if old is not None and _printed(old):
                    res.warnings.append(
                        f"{table}: row {key} printed twice (line {tok.line}); kept the first"
                    )
                    old.twice = tok.line
                    current = Claim("", tok.line)  # its values go nowhere
                else:
                    current = Claim(
                        key, tok.line, label_seen=text, header=tuple(header), label_cell=tok.cell
                    )
                    claims[key] = current
                    if old is not None:  # (every key of `claims` is in `order`)
                        order.remove(key)
                    order.append(key)
                continuation_after_values = False
                moved_from = 0
            elif kind == "group" and current is not None and current.count:
                if _earlier_group(text, current.row, allowed):
                    moved_from = tok.line
            elif kind == "header":
                col = vocab.headers.get(text, "")
                if col:
                    if current is not None and current.row:
                        header = []  # a new block of table 二
                        current = None
                    header.append((col, tok))
            elif kind == "unknown" and current is not None and current.row:
                current = Claim("", tok.line, label_seen=text)
        run.clear()
        text_after_values = current is not None and current.count > 0

    for tok in tokens:
        kind = tok.kind
        if kind == TEXT:
            run.append(tok)
            continue
        if run:
            flush()
        if current is None:
            continue  # values before any row label: nothing claims them
        blank = kind == BLANK
        if not current.row:
            if blank:
                continue
            if current.label_seen and not current.values:
                res.warnings.append(
                    f"{table}: numbers after an unknown label '{current.label_seen}' "
                    f"(line {current.line}) ignored"
                )
            current.values.append(tok)
            current.count += 1
            continue
        if blank:
            if (
                current.count > 0
                and tok.line != current.values[-1].line
                and (held or tok.gap or not tok.lone or text_after_values)
            ):
                held.append(tok)  # the next row's label cells, unless a value follows
                continue
        else:
            if continuation_after_values:
                current.interrupted = True
            if text_after_values:
                current.split = True
            if moved_from and not current.moved:
                current.moved = moved_from
            current.count += 1
        if held:
            current.values.extend(held)
            held.clear()
        current.values.append(tok)
    flush()
    spaced = any(map(_SPACED, tokens))  # only space-aligned values stack in columns
    near = stacked_values(tokens) if spaced else frozenset()
    for claim in claims.values():
        claim.near = near
    return claims, order


def _mark_lost_grid(claims: dict[str, Claim], n_of: Callable[[str], int]) -> None:
    """A row printing all its values, some run together in one tab or pipe cell (markitdown's
    `0 3`): the table's cells are not its columns, so no row's empty cells place a value."""
    lost = False
    if not any(any(map(_MERGED, c.values)) for c in claims.values()):
        return  # no cell holds two values (the test below needs one): the common case
    for row, claim in claims.items():
        printed = [t for t in claim.values if t.kind != BLANK]
        if (
            row
            and len(printed) == n_of(row) > 1
            and all(t.cell >= 0 for t in printed)
            and not blank_between(claim.values)  # else a number wrapped in its cell (`1 18`)
        ):
            lost = lost or len({(t.line, t.cell) for t in printed}) < len(printed)
    for claim in claims.values():
        claim.lost_grid = lost


def _mark_lone_grid_rows(claims: dict[str, Claim]) -> None:
    """Rows in tab or pipe cells beside row labels printed as plain lines: markitdown cuts a
    table into pipe tables of a row or two (each with its own `|---|`) between lines of
    plain text, and their empty cells are its guess from those rows alone, not the table's
    columns. A faithful grid (Word, a web page, other converters) holds all its labels."""
    if all(c.label_cell >= 0 for c in claims.values() if c.row):
        return
    for claim in claims.values():
        claim.lone_grid = any(t.cell >= 0 for t in claim.values)


def _earlier_group(word: str, row: str, template: tuple[str, ...]) -> bool:
    """Is `word` the label of an outcome group whose rows all come before `row`? Printed
    after the row's values, it means the extractor moved a block of the table (raw
    pdftotext): the values after it may be any row's."""
    rows = spec.OUTCOME_GROUPS.get(word, ())
    if not rows or row not in template:
        return False
    at = template.index(row)
    return all(r in template and template.index(r) < at for r in rows if r in template)


# --- placing a row's values -------------------------------------------------------------


def _fill_lost_rows(
    claims: dict[str, Claim],
    order: list[str],
    template: tuple[str, ...],
    n_of,
    table: str,
    res: TableResult,
) -> None:
    """A row holding whole lines of values after its own: the next row's label was lost, or
    printed after its values. The row keeps its first line; the next line goes to the next
    row only when exactly one template row stands between this label and the next one."""
    for row in list(order):
        claim = claims[row]
        n = n_of(row)
        printed = [t for t in claim.values if t.kind != BLANK]
        if n == 0 or len(printed) <= n or len(printed) % n:
            continue
        i = order.index(row)
        lines = lines_of(printed)
        if claim.interrupted:
            continue
        if any(k != n for k in lines.values()):
            before_their_labels(claims, order, template, row, n, table, res)
            continue  # else not whole rows, one a line: nothing is certain
        k = len(printed) // n - 1
        pos = template.index(row)
        nxt = order[i + 1] if i + 1 < len(order) else None
        gap = template[pos + 1 : template.index(nxt)] if nxt in template else template[pos + 1 :]
        if nxt is not None and not _printed(claims[nxt]):
            gap = (*gap, nxt)  # its values came before its label
        claim.values = printed[:n]
        missing = [r for r in gap if r not in claims or not _printed(claims[r])]
        if k == 1 and len(missing) == 1 and n_of(missing[0]) == n:
            r = missing[0]
            block = printed[n:]
            claims[r] = Claim(r, block[0].line, values=block)
            if r not in order:
                order.insert(order.index(row) + 1, r)
            how = "its label was lost" if r != nxt else "they were printed before its label"
            res.warnings.append(f"{table}.{r}: values on line {block[0].line} placed here ({how})")
            continue
        spare = sorted({t.line for t in printed[n:]})
        for r in missing or [row]:
            res.warnings.append(
                f"{table}.{r}: {k} line(s) of values after {row} (lines "
                f"{', '.join(map(str, spare))}) cannot be placed with certainty; left empty"
            )


def _printed(claim: Claim) -> bool:
    return any(t.kind != BLANK for t in claim.values)


# --- the three tables ---------------------------------------------------------------------


_FORMAT_OF = {norm(w): fmt for w, (fmt, _) in spec.ACTIVE_HEADERS.items()}
_FORMAT_WORDS = re.compile("|".join(sorted(map(re.escape, _FORMAT_OF), key=len, reverse=True)))


def _joined_norm(tokens: list[Tok]) -> str:
    """The table's text as matched, token by token (each token's form is cached; the whole
    text, different in every report, would be converted anew each time)."""
    return "".join([norm(t.raw) for t in tokens if t.kind == TEXT])


# a row label run into its values, no separator between (`本年新收政府信息公开申请数量640020470`):
# a crawler's text of a page that joined every cell of the table
_GLUED = re.compile(
    "(?:"
    + alternation(
        label
        for labels in (*spec.ACTIVE_ROW_LABELS.values(), *spec.REQUEST_ROW_LABELS.values())
        for label in labels
        if len(label) >= 4
    )
    + r")\d{3,}"
)


def note_glued_cells(res: TableResult, kind: str, lines: Sequence[str], first: int) -> None:
    """Say why a table read no cell when a row label runs into three digits or more on one
    of its lines: the table's cells were joined without separators (a crawler's text of a
    page), and no value can be told apart."""
    if res.cells:
        return
    at = next((i for i, ln in enumerate(lines) if _GLUED.search(ln)), None)
    if at is not None:
        res.warnings.append(
            f"{kind}: line {first + at}: its row labels run into their values without "
            "separators (a page's text with its cells joined): no value can be told apart"
        )


def detect_format(active: list[Tok], requests: list[Tok]) -> tuple[str | None, list[str]]:
    """The table format from the tables' own headers and rows, never from the year."""
    text = _joined_norm(active)
    votes = {"2019": 0, "2021": 0}
    for m in _FORMAT_WORDS.finditer(text):
        votes[_FORMAT_OF[m.group()]] += 2
    for word in ("政府集中采购", "其他对外管理服务事项"):
        if word in text:
            votes["2019"] += 1
    rq = _joined_norm(requests)
    for word in ("逾期不补正", "逾期未按收费通知"):
        if word in rq:
            votes["2021"] += 1
    warnings = []
    if votes["2019"] and votes["2021"]:
        warnings.append(
            f"format: headers of both formats (2019: {votes['2019']}, 2021: {votes['2021']})"
        )
    if votes["2019"] == votes["2021"]:
        return None, [*warnings, "format: the tables name neither format; tables not read"]
    return ("2019" if votes["2019"] > votes["2021"] else "2021"), warnings


def parse_active(
    tokens: list[Tok],
    fmt: str,
    explain: bool = False,
    marked_pages: bool = False,
    display_hint: bool | None = None,
    breaks: tuple[int, ...] = (),
    blank_lines: bool = False,
) -> TableResult:
    """Table 二; `breaks`: lines where a new page begins (tokens.page_starts);
    `blank_lines`: table 三 prints an empty cell as an empty line."""
    res = TableResult(found=bool(tokens), explain=explain)
    allowed = spec.ACTIVE_ROWS[fmt]
    claims, order = _walk(tokens, ACTIVE, allowed, "active", res)
    n_of = {r: len(spec.ACTIVE_COLS[fmt][r]) for r in allowed}.get
    _fill_lost_rows(claims, order, allowed, n_of, "active", res)
    _mark_lost_grid(claims, lambda r: n_of(r, 0))
    _mark_lone_grid_rows(claims)
    display = display_columns(claims, lambda r: n_of(r, 0), breaks)
    if display is None:
        display = display_hint  # table 三's full rows say how this document counts columns
    suspect = None if marked_pages else page_number_suspect(tokens)
    ends = _once(partial(line_text_ends, tokens))
    for row in order:
        claim = claims[row]
        cols = spec.ACTIVE_COLS[fmt][row]
        named = [c for c, _ in claim.header]
        if named and named != list(cols) and _repeats(named) == list(cols):
            _merge_repeated(claim, named)  # a merged header cell repeated (docling, pymupdf4llm)
            named = list(cols)
        if named and named != list(cols):
            res.warnings.append(
                f"active: header above {row} (line {claim.line}) names {named}, expected {list(cols)}"
            )
        heads = [t for _, t in claim.header] if named == list(cols) else None
        if _plain_row(claim, len(cols), suspect):
            chosen: Sequence[Tok | None] | None = claim.values
        else:
            centers = partial(
                columns_of_row,
                *(claims, order, row, len(cols), lambda h=heads: h, n_of, breaks, display),
                ends,
            )
            chosen = choose(
                claim,
                len(cols),
                f"active.{row} (line {claim.line})",
                res,
                centers,
                display,
                suspect,
                partial(_under_header, claim, heads, tokens) if heads else None,
                blank_lines=blank_lines,
            )
        if res.explain:
            res.trace.append(f"  {row}: {_show(claim)} → {_show_chosen(chosen)}")
        if chosen is None:
            continue
        for (_, col), tok in _store(res, f"active.{row}", _row_keys(row, cols), chosen).items():
            unit = tok.unit or (_header_unit(tokens, col) if tok.kind == NUMBER else None)
            if unit:
                res.units[(row, col)] = unit
    return res


def _under_header(claim: Claim, heads: list[Tok | None], tokens: list[Tok]) -> list[Tok] | None:
    """A table-二 tab or pipe row under a header row of the same width: its values are the
    cells under the header's column cells (seed layouts print a row's blanks after it)."""
    known = [h for h in heads if h is not None]
    if len(known) != len(heads) or any(h.cell < 0 for h in known):
        return None
    if any(not any(w in norm(h.raw) for w in ACTIVE.headers) for h in known):
        return None  # a header word split over two cells (`本年新|制作数量`): no grid
    if len({h.cell for h in known}) != len(known):
        return []  # two header words in one cell: the row's cells are merged too
    if len({h.line for h in known}) != 1:
        return None
    line = _grid_line(claim)
    widths = _row_widths(tokens)
    if line is None or widths.get(line) != widths.get(known[0].line):
        return None
    cells = {h.cell for h in known}
    if any(t.kind != BLANK and t.cell not in cells for t in claim.values):
        return []  # a value outside the header's cells: the header says they stand elsewhere
    by_cell = {t.cell: t for t in claim.values}
    under = [u for h in known if (u := by_cell.get(h.cell)) is not None]
    return under if len(under) == len(known) else None


_REQUEST_HEADER_COLS = {norm(spec.COL_NAMES[c]): c for c in spec.REQUEST_COLS}


def request_header_cells(
    tokens: list[Tok], claims: dict[str, Claim]
) -> tuple[int, tuple[int, ...]] | None:
    """Table 三's column headers in a tab or pipe grid (HTML and Word tables with their
    merged cells expanded): the header lines' last cell and the cell of each column, when
    each of the seven column names stands once, in a cell of its own, in the template's
    order, on lines all as wide — and the rows as wide agree: none prints a value outside
    those cells, one at least in the first and the last, or in the last cell of the row
    when the columns are its last cells (a converter's header row may stand a cell off its
    columns)."""
    found: dict[str, Tok] = {}
    for t in tokens:
        if t.kind in (NUMBER, MARK, UNREADABLE):
            break
        col = _REQUEST_HEADER_COLS.get(norm(t.raw)) if t.kind == TEXT else None
        if col is None:
            continue
        if col in found or t.cell < 0:
            return None
        found[col] = t
    if len(found) != len(spec.REQUEST_COLS):
        return None
    cells = tuple(found[c].cell for c in spec.REQUEST_COLS)
    if any(a >= b for a, b in itertools.pairwise(cells)):
        return None
    row_widths = _row_widths(tokens)
    widths = {row_widths[t.line] for t in found.values()}
    if len(widths) != 1:
        return None
    width = widths.pop()
    # the seven columns are the grid's last seven cells: a value in the last cell of a row
    # as wide pins them, as a value in each of the first and the last column does
    pinned = cells == tuple(range(width - len(cells) + 1, width + 1))
    anchored = False
    for claim in claims.values():
        vals = claim.values
        if not vals or any(t.cell < 0 or t.line != vals[0].line for t in vals):
            continue
        if max(t.cell for t in vals) != width:
            continue
        printed = {t.cell for t in vals if t.kind != BLANK}
        if not printed <= set(cells):
            return None
        anchored = (
            anchored
            or (cells[0] in printed and cells[-1] in printed)
            or (pinned and width in printed)
        )
    return (width, cells) if anchored else None


def _name_pieces() -> dict[str, tuple[str, ...]]:
    """Each table-三 column's name in the two-character pieces a header cell split over lines
    prints (`科研`/`机构`), without the pieces two names share (`机构`)."""
    pieces = {
        c: tuple(name[i : i + 2] for i in range(0, len(name) - 1, 2))
        for c in spec.REQUEST_COLS
        for name in (spec.COL_NAMES[c],)
    }
    shared = {p for a, b in itertools.combinations(pieces.values(), 2) for p in set(a) & set(b)}
    return {c: tuple(p for p in ps if p not in shared) for c, ps in pieces.items()}


_NAME_PIECES = _name_pieces()


def request_header_merged(tokens: list[Tok]) -> bool:
    """Does a tab or pipe cell of table 三's header name two columns (`科研 社会`, `服务 其他`)?
    A converter that guessed the table's columns from the page (markitdown's pdfminer text)
    merged them: its rows' cells do not stand one a column."""
    for t in tokens:
        if t.kind in (NUMBER, MARK, UNREADABLE):
            return False
        if t.kind == TEXT and t.cell >= 0:
            text = norm(t.raw).replace("法人或其他组织", "")
            named = [c for c, pieces in _NAME_PIECES.items() if any(p in text for p in pieces)]
            if len(named) > 1:
                return True
    return False


def _under_request_header(
    claim: Claim,
    grid_of: Callable[[], tuple[int, tuple[int, ...]] | None],
    merged: Callable[[], bool],
) -> list[Tok | None] | None:
    """A table-三 tab or pipe row as wide as the header lines: its values are the cells under
    the seven column names (a sparse table prints no full row to say where values stand).
    [] when a header cell names two columns: its cells say nothing of where values stand."""
    if merged():
        return []
    grid = grid_of()
    if grid is None or not claim.values:
        return None
    width, cells = grid
    if _grid_line(claim) is None or max(t.cell for t in claim.values) != width:
        return None
    return _in_cells(claim, cells)


def _full_row_cells(claims: dict[str, Claim], n: int, tokens: list[Tok]) -> dict[int, tuple]:
    """Tab or pipe rows that print all `n` values, one a cell, on one line: when every such
    row (two at least) is as wide and holds its values in the same cells — a regular grid
    (Word and PDF tables) — {line: those cells} for every line as wide; else, for each shape
    (width, and the cell the label stands in) whose two or more full rows agree (on a web
    page the rows under a merged cell are narrower, alike among themselves), for every line
    of that shape. Ragged rows (seed 000: merged label cells left out, so rows of one shape
    hold values at different places) give none."""
    widths = _row_widths(tokens)
    seen: dict[tuple[int, int], set[tuple[int, ...]]] = {}
    count: dict[tuple[int, int], int] = {}
    for row, claim in claims.items():
        printed = [t for t in claim.values if t.kind != BLANK]
        if not row or len(printed) != n or len(lines_of(printed)) != 1:
            continue
        cells = tuple(t.cell for t in printed)
        if min(cells) < 0 or len(set(cells)) != n:
            continue
        shape = (widths[printed[0].line], claim.label_cell)
        seen.setdefault(shape, set()).add(cells)
        count[shape] = count.get(shape, 0) + 1
    alike = {(width, cells) for (width, _), grid in seen.items() for cells in grid}
    if sum(count.values()) >= 2 and len(alike) == 1:
        # every full row alike: the grid holds for every line as wide, whatever its label
        ((width, cells),) = alike
        return {line: cells for line, w in widths.items() if w == width}
    grids = {k: next(iter(c)) for k, c in seen.items() if len(c) == 1 and count[k] >= 2}
    shape_of = {
        c.values[0].line: (widths.get(c.values[0].line), c.label_cell)
        for c in claims.values()
        if c.values
    }
    return {line: grids[k] for line, k in shape_of.items() if k in grids}


def _row_widths(tokens: list[Tok]) -> dict[int, int]:
    out: dict[int, int] = {}
    for t in tokens:
        if t.cell >= 0 and t.cell > out.get(t.line, -1):
            out[t.line] = t.cell
    return out


def _under_full_rows(
    claim: Claim, grid_of: Callable[[], dict[int, tuple]]
) -> list[Tok | None] | None:
    """A tab or pipe row with empty cells, its values in the cells where the full rows as
    wide as it print theirs (table 三 in Word and PDF tables: merged label cells leave empty
    cells before the values as well as between them)."""
    line = _grid_line(claim)
    cells = grid_of().get(line) if line is not None else None
    return _in_cells(claim, cells) if cells else None


def _grid_line(claim: Claim) -> int | None:
    """The one line of a row printed in tab or pipe cells, else None."""
    if not claim.values or any(t.cell < 0 for t in claim.values):
        return None
    line = claim.values[0].line
    return line if all(t.line == line for t in claim.values) else None


def _in_cells(claim: Claim, cells: Sequence[int]) -> list[Tok | None] | None:
    """A grid row's tokens in `cells`, when every value stands in one of them and each of
    them printed (a value, or an empty cell)."""
    by_cell = {t.cell: t for t in claim.values}
    if any(t.kind != BLANK and t.cell not in cells for t in claim.values):
        return None
    under = [by_cell.get(c) for c in cells]
    return under if all(t is not None for t in under) else None


def _repeats(named: list[str]) -> list[str]:
    """Column names with a name repeated in the next column printed once."""
    return [c for i, c in enumerate(named) if i == 0 or named[i - 1] != c]


def _merge_repeated(claim: Claim, named: list[str]) -> None:
    """Values under a header cell repeated across columns: one value, when the copies agree
    and the row prints one value a header cell on a single line."""
    printed = [t for t in claim.values if t.kind != BLANK]
    if len(printed) != len(named) or len(lines_of(printed)) != 1:
        return
    keep = []
    for i, t in enumerate(printed):
        if i and named[i] == named[i - 1]:
            if (t.kind, t.value, t.raw) != (
                printed[i - 1].kind,
                printed[i - 1].value,
                printed[i - 1].raw,
            ):
                return
            continue
        keep.append(t)
    claim.values = keep


def _header_unit(tokens: list[Tok], col: str) -> str | None:
    """The unit a column's header states (`本年收费金额（单位：万元）`, `采购总金额（元）`)."""
    if col != "amount":
        return None
    for i, t in enumerate(tokens):
        if t.kind == TEXT and ("收费金额" in t.raw or "采购总金额" in t.raw):
            text = t.raw + (
                tokens[i + 1].raw if i + 1 < len(tokens) and tokens[i + 1].kind == TEXT else ""
            )
            if "万元" in text:
                return "万元"
            if "元" in text.replace("金额", ""):
                return "元"
    return None


def parse_requests(
    tokens: list[Tok],
    fmt: str,
    explain: bool = False,
    marked_pages: bool = False,
    before: list[Tok] | None = None,
    breaks: tuple[int, ...] = (),
    display_hint: bool | None = None,
    strays: Sequence[PageEnd] = (),
    paged: bool = True,
) -> TableResult:
    """Table 三; `before`: table 二's tokens (a page number ending it tells the next ones);
    `breaks`: lines where a new page begins (tokens.page_starts); `display_hint`: how the
    document counts columns when its full rows do not say (False: one a character);
    `strays`: numbers pdftotext moved to the end of the table's pages (tokens.PageEnd);
    `paged`: the text shows pages (form feeds, page footers), as a PDF's text does — a web
    page's text shows none, and never moves a cell away from its row."""
    res = TableResult(found=bool(tokens), explain=explain)
    template = spec.REQUEST_ROWS[fmt]
    allowed = template if fmt == "2019" else (*template, "other")
    claims, order = _walk(tokens, REQUESTS, allowed, "requests", res)
    n = len(spec.REQUEST_COLS)
    if fmt == "2021" and "other" in claims:
        printed = [t for t in claims["other"].values if t.kind != BLANK]
        if len(printed) == n:
            _group_label_beside_values(claims, order, res)
        else:  # （六）其他处理 as the group label of other_1..3
            if printed:
                res.warnings.append(
                    f"requests: {len(printed)} values after （六）其他处理 "
                    f"(line {claims['other'].line}) not placed"
                )
            del claims["other"]
            order.remove("other")
    seq = template if "other" not in claims else (*template[:-5], "other", *template[-5:])
    _fill_lost_rows(claims, order, seq, lambda r: n, "requests", res)
    _mark_lost_grid(claims, lambda r: n)
    _mark_lone_grid_rows(claims)
    display = display_columns(claims, lambda r: n, breaks)
    if display is None:
        display = display_hint
    res.display = display
    res.blank_lines = blank_lines_are_cells(claims.values(), lambda r: n)
    leads = group_leads(claims, n) if res.blank_lines else {}
    periods = group_periods(claims, order, n) if leads else {}
    suspect = None if marked_pages else page_number_suspect(tokens)
    pages = next_pages(before) if before and not marked_pages else frozenset()

    header = _once(partial(header_columns, tokens, n))
    by_page: dict[int, list[Tok] | None] = {}

    def page_columns(page: int) -> list[Tok] | None:
        if page not in by_page:
            by_page[page] = columns_of_page(tokens, page, n, breaks)
        return by_page[page]

    def header_or_page(row: str) -> list[Tok] | None:
        return page_columns(bisect.bisect_right(breaks, claims[row].line)) or header()

    full_rows = _once(partial(_full_row_cells, claims, n, tokens))
    text_end = _once(partial(line_text_ends, tokens))
    stacked = _once(partial(stacked_readings, claims, order, n, tokens, breaks))
    header_cells = _once(partial(request_header_cells, tokens, claims))
    merged_header = _once(partial(request_header_merged, tokens))

    left_empty: dict[str, list[str]] = {}  # rows not placed → the warnings that said so
    mended = stray_reading(claims, n, strays, breaks) if strays else None
    if mended is not None:
        row, values, stray = mended
        claims[row].values = values
        where = f"requests.{row} (line {claims[row].line})"
        res.warnings.append(page_end_note(where, values, stray, spec.REQUEST_COLS))
    for row in order:
        claim = claims[row]
        # (the row a page-end value went back to: its values are certain, in order)
        plain = (mended is not None and row == mended[0]) or _plain_row(claim, n, suspect)
        if not plain and paged and (why := loose_in_a_short_table(claims, claim, n)):
            res.warnings.append(
                f"requests.{row} (line {claim.line}): one value a line in a table where a row "
                f"printed fewer values than columns, and {why}: the extractor may have "
                "printed another row's values after this label; left empty"
            )
            continue
        if row == "other" and fmt == "2021":
            res.warnings.append(
                f"requests: line {claim.line} prints the 2019 row （六）其他处理 in a 2021 table; "
                "kept as requests.other"
            )
        if plain:
            chosen: Sequence[Tok | None] | None = claim.values
        elif (page_no := page_number_after(claim, n, pages)) is not None:
            res.warnings.append(
                f"requests.{row} (line {claim.line}): {n + 1} numbers for {n} columns; the "
                f"last, {page_no.raw} (line {page_no.line}), is the next page's number (table 二 "
                f"ended with page number {min(pages) - 1}): without it the row's total holds, "
                "and without any other it does not"
            )
            chosen = [t for t in claim.values if t is not page_no]
        elif (late := next_page_number(claim, n, pages)) is not None:
            res.warnings.append(
                f"requests.{row} (line {claim.line}): its last number {late.raw} (line "
                f"{late.line}) stands alone and table 二 ended with page number "
                f"{min(pages) - 1}: it may be a later page number; left empty"
            )
            continue
        else:
            before_choice = len(res.warnings)
            cols = partial(
                columns_of_row,
                *(claims, order, row, n, partial(header_or_page, row), None, breaks, display),
                text_end,
            )
            chosen = choose(
                claim,
                n,
                f"requests.{row} (line {claim.line})",
                res,
                cols,
                display,
                suspect,
                grid=partial(_under_request_header, claim, header_cells, merged_header),
                rows_grid=partial(_under_full_rows, claim, full_rows),
                by_columns=partial(by_layout, claims, order, row, n, tokens, breaks, stacked),
                blank_lines=res.blank_lines,
                lead=lead_blanks(claims, row, leads) if leads else None,
                room=room_after(tokens, claims, order, row, periods) if periods else 0,
            )
            if chosen is None and claim.values:  # the totals may place it yet
                left_empty[row] = res.warnings[before_choice:]
        if res.explain:
            res.trace.append(f"  {row}: {_show(claim)} → {_show_chosen(chosen)}")
        if chosen is None:
            continue
        _store(res, f"requests.{row}", _row_keys(row, spec.REQUEST_COLS), chosen)
    if left_empty:
        _pages_by_totals(claims, left_empty, res, fmt, breaks)
    return res


def _group_label_beside_values(
    claims: dict[str, Claim], order: list[str], res: TableResult
) -> None:
    """（六）其他处理 with a full row of values in a 2021 table, printed right after the label
    of an item of its own group that has no values: the merged group cell stands on the line
    of that item's values, the item's label wrapped around them (inscriptis centres a merged
    cell so). The values are the item's; the group label names no row of the template there,
    and the 2019 row （六）其他处理 never follows one of its 2021 items."""
    at = order.index("other")
    item = claims[order[at - 1]] if at > 0 else None
    if item is None or item.row not in spec.OLD_OTHER_REPLACES:
        return
    if any(t.kind != BLANK for t in item.values):
        return
    group = claims.pop("other")
    order.remove("other")
    item.values, item.count = group.values, group.count
    item.interrupted, item.split, item.moved = group.interrupted, group.split, group.moved
    res.warnings.append(
        f"requests.{item.row}: （六）其他处理 (line {group.line}) stands on the line of this "
        f"row's values, its label (line {item.line}) printed around them: read as its values, "
        "not as the 2019 row （六）其他处理"
    )


def _pages_by_totals(
    claims: dict[str, Claim],
    left_empty: dict[str, list[str]],
    res: TableResult,
    fmt: str,
    breaks: Sequence[int],
) -> None:
    """Rows left empty on a page of a space-aligned table, each printed on its label's
    line: placed by the stacks their values form and the table's totals (page_totals), the
    warnings that left them empty replaced by one that says so."""
    pages: dict[int, dict[str, list[Tok]]] = {}
    for row in left_empty:
        printed = [t for t in claims[row].values if t.kind != BLANK]
        if printed and printed[0].spaced and {t.line for t in printed} == {claims[row].line}:
            pages.setdefault(bisect.bisect_right(breaks, claims[row].line), {})[row] = printed
    if not pages:
        return
    cols = spec.REQUEST_COLS
    known: dict[str, list[Tok | None]] = {
        row: [None] * len(cols)
        for row, c in claims.items()
        if not any(t.kind != BLANK for t in c.values)
    }
    for (row, col), tok in res.cells.items():
        known.setdefault(row, [None] * len(cols))[cols.index(col)] = tok
    old_other = fmt == "2021" and "other" in claims
    for _, rows in sorted(pages.items()):
        placed = page_totals.by_totals(rows, known, fmt, old_other)
        if placed is None:
            continue
        for row, cells in placed.items():
            for w in left_empty[row]:
                res.warnings.remove(w)
            what = f"requests.{row} (line {claims[row].line})"
            res.warnings.append(
                f"{what}: {len(rows[row])} values for {len(cols)} columns; placed in the "
                "columns their page's values stand in, the one placement whose totals hold"
            )
            if res.explain:
                res.trace.append(f"  {row}: by the totals → {_show_chosen(cells)}")
            _store(res, f"requests.{row}", _row_keys(row, cols), cells)
            known[row] = cells


def _once(fn: Callable[[], Any]) -> Callable[[], Any]:
    """`fn`, worked out at its first call only (what a row asks of the whole table)."""
    box: list = []

    def get() -> Any:
        if not box:
            box.append(fn())
        return box[0]

    return get


def _plain_row(claim: Claim, n: int, suspect: Tok | None) -> bool:
    """Does the row print its `n` values, no empty cell among them, as the common layouts
    do — all on one line (a tab or pipe row, a layout line), or two or more one a line each
    behind a tab with no empty line between (seeds 001/002) — and nothing that `choose`
    questions (its label printed twice or after its values, an earlier group's label, the
    last value a page number perhaps)? Then they are its cells in order, as `choose` and the
    checks before it would find: the common row, told apart at once."""
    vals = claim.values
    if not vals or len(vals) != n or claim.interrupted or claim.moved or claim.twice:
        return False
    if vals[-1] is suspect:
        return False
    if not vals[0].lone:  # (a value alone on its line: the checks of one value a line apply)
        line = vals[0].line
        return all(t.kind != BLANK and t.line == line for t in vals)
    return n > 1 and all(t.kind != BLANK and t.lone and t.col < 0 and not t.gap for t in vals)


def parse_appeals(
    tokens: list[Tok],
    explain: bool = False,
    marked_pages: bool = False,
    display: bool | None = None,
    blank_lines: bool = False,
    after: Sequence[PageEnd] = (),
) -> TableResult:
    """Table 四, one row of 15 values; `display` and `blank_lines` as table 三 tells;
    `after`: numbers pdftotext moved to a page's end with a 总计 above (tokens.PageEnd)."""
    res = TableResult(found=bool(tokens), explain=explain)
    cols = [(r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]
    claim = Claim("appeals", 0)
    started = False
    for i, tok in enumerate(tokens):
        if tok.kind == TEXT:
            s = norm(tok.raw)
            if APPEALS.pattern.search(s):
                started = True
            elif claim.values and len(re.sub(r"[\d.、()（）]", "", s)) > 3:
                break  # text after the data row: the table is over
            continue
        if not started or (tok.kind == BLANK and not claim.values):
            continue
        if not claim.values:  # the data row's blank cells before its first value
            k = i
            while k > 0 and tokens[k - 1].kind == BLANK and not tokens[k].gap:
                prev = tokens[k - 1]
                if prev.line != tok.line and not (prev.lone and tokens[k].lone):
                    break
                k -= 1
            claim.values.extend(tokens[k:i])
        claim.values.append(tok)
    _drop_trailing_blanks(claim)
    if not any(t.kind != BLANK for t in claim.values):
        return res
    claim.line = next(t.line for t in claim.values if t.kind != BLANK)
    mended = appeals_page_end(claim.values, len(cols), after) if after else None
    if mended is not None:
        values, moved = mended
        names = [".".join(c) for c in cols]
        res.warnings.append(page_end_note(f"appeals (line {claim.line})", values, moved, names))
        _store(res, "appeals", cols, values)
        return res
    chosen = choose(
        claim,
        len(cols),
        f"appeals (line {claim.line})",
        res,
        lambda: header_columns(tokens, len(cols), bool(display)),
        display,
        suspect=None if marked_pages else page_number_suspect(tokens),
        blank_lines=blank_lines,
    )
    if res.explain:
        res.trace.append(f"  appeals: {_show(claim)} → {_show_chosen(chosen)}")
    if chosen is not None:
        _store(res, "appeals", cols, chosen)
    return res


def _drop_trailing_blanks(claim: Claim) -> None:
    """Blank cells after the row's last value on later lines: the cells of what follows
    (a note, the next part), unless they continue a one-cell-per-line row."""
    printed = [i for i, t in enumerate(claim.values) if t.kind != BLANK]
    if not printed:
        claim.values.clear()
        return
    last = claim.values[printed[-1]]
    tail = claim.values[printed[-1] + 1 :]
    keep = 0
    for t in tail:
        if t.line != last.line and (t.gap or not t.lone):
            break
        keep += 1
    del claim.values[printed[-1] + 1 + keep :]


def _store(
    res: TableResult, what: str, keys: Sequence[tuple[str, str]], chosen: Sequence[Tok | None]
) -> dict[tuple[str, str], Tok]:
    """Place a row's cells in `res.cells` under `keys`, its (row, column) ids in column
    order, and return them; a cell that holds letters is kept as printed, its value empty,
    warned."""
    placed = {key: tok for key, tok in zip(keys, chosen, strict=True) if tok is not None}
    res.cells.update(placed)
    for tok in placed.values():
        if tok.kind == UNREADABLE:
            res.warnings.append(
                f"{what}: cell '{tok.raw}' (line {tok.line}) is not a number; left empty"
            )
    return placed


@lru_cache(maxsize=256)
def _row_keys(row: str, cols: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((row, col) for col in cols)


def _show(claim: Claim) -> str:
    return "[" + " ".join(t.raw if t.kind != BLANK else "□" for t in claim.values) + "]"


def _show_chosen(chosen: Sequence[Tok | None] | None) -> str:
    if chosen is None:
        return "left empty"
    return "[" + " ".join("□" if t is None or t.kind == BLANK else t.raw for t in chosen) + "]"
