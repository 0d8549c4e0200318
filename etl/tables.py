"""Stage 4b: logical rows → the cells of tables 二, 三 and 四, by canonical id.

Rows are recognised by their labels (never by position), values are the cells after a
row's last label. When a row holds more cells than columns, only blank cells may be
left out; if that can be done in more than one way with different results, the header
grid or a row of the same shape decides, and otherwise the row stays empty with a
warning. Nothing is shifted or guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from etl import spec
from etl.normalize import BLANK, MARK, NUMBER, TEXT, Cell, norm_label
from etl.rows import Row, place, same_reading, value_cells


@dataclass
class TableResult:
    """Cells placed in one table: (row, col) → Cell, plus units and warnings."""

    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    units: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    found: bool = False


def _labels(table: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return {row: [norm_label(x) for x in labels] for row, labels in table.items()}


ACTIVE_LABELS = _labels(spec.ACTIVE_ROW_LABELS)
REQUEST_LABELS = _labels(spec.REQUEST_ROW_LABELS)
REQUEST_GROUPS = [norm_label(x) for x in spec.REQUEST_GROUP_LABELS]
REQUEST_HEADERS = frozenset(norm_label(x) for x in spec.REQUEST_HEADER_WORDS)
APPEAL_HEADERS = frozenset(norm_label(x) for x in spec.APPEAL_HEADER_WORDS)
ACTIVE_HEADERS = {norm_label(k): v for k, v in spec.ACTIVE_HEADERS.items()}
_BY_ID = {id(ACTIVE_LABELS): ACTIVE_LABELS, id(REQUEST_LABELS): REQUEST_LABELS}
_MIN_PREFIX = 4


def match_label(
    label: str, labels: dict[str, list[str]], allowed: tuple[str, ...], number: int | None = None
) -> str | None:
    """Row id of a label: exact, or an unambiguous start of one (a label broken over lines).

    `number` is the item number printed before the label (`8.属于行政…`): it tells apart two
    rows whose labels start alike, and lets a shorter first half count.
    """
    return _match(label, id(labels), allowed, number)


def match_cell(cell: Cell, labels: dict[str, list[str]], allowed: tuple[str, ...]) -> str | None:
    m = _ITEM_NUMBER.match(cell.raw)
    return match_label(cell.label, labels, allowed, int(m.group(1)) if m else None)


_ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.、．]")


@lru_cache(maxsize=65536)
def _match(label: str, table: int, allowed: tuple[str, ...], number: int | None) -> str | None:
    labels = _BY_ID[table]
    for row, names in labels.items():
        if row in allowed and label in names:
            return row
    if len(label) >= (2 if number else _MIN_PREFIX):
        hits = {
            row
            for row, names in labels.items()
            if row in allowed and any(n.startswith(label) for n in names)
        }
        if number is not None:
            hits = {h for h in hits if h.endswith(f"_{number}")}
        elif len(label) < _MIN_PREFIX:
            hits = set()
        if len(hits) == 1:
            return hits.pop()
    return None


def _continues(prefix: str, fragment: str, labels: dict[str, list[str]], row: str) -> bool:
    return any(n.startswith(prefix + fragment) for n in labels[row])


def _choose(
    cells: list[Cell], n: int, *, grid_start: int | None, offset: int, what: str, warnings: list
) -> list[Cell] | None:
    """Pick the `n` value cells of a row, or None (with a warning) when unsure.

    `offset` is the index of cells[0] in the row; `grid_start` the row index at which the
    header grid (or a row of the same shape) says the values begin.
    """
    starts = place(cells, n)
    if len(starts) == 1 or (starts and same_reading(cells, starts, n)):
        return cells[starts[0] : starts[0] + n]
    if starts:
        if grid_start is not None and grid_start - offset in starts:
            s = grid_start - offset
            return cells[s : s + n]
        warnings.append(
            f"{what}: {len(cells)} cells for {n} columns can be read {len(starts)} ways; left empty"
        )
        return None
    if len(cells) > n:
        every = list(range(len(cells) - n + 1))
        if same_reading(cells, every, n):
            extra = len(cells) - n
            warnings.append(
                f"{what}: {len(cells)} cells for {n} columns; the extra "
                f"{'cell was' if extra == 1 else 'cells were'} dropped"
            )
            return cells[:n]
    warnings.append(f"{what}: {len(cells)} cells for {n} columns; left empty")
    return None


def split_after_headers(rows: list[Row], is_header, is_row_label) -> list[Row]:
    """Cut a row where a row label follows header cells (a row break the extractor lost)."""
    out = []
    for row in rows:
        piece: list[Cell] = []
        has_header = False
        for cell in row.cells:
            if cell.kind == TEXT and has_header and is_row_label(cell.label):
                out.append(Row(piece))
                piece, has_header = [], False
            piece.append(cell)
            has_header = has_header or (cell.kind == TEXT and is_header(cell.label))
        out.append(Row(piece))
    return out


# --- Table 二 ----------------------------------------------------------------------------


def detect_format(active: list[Row], requests: list[Row]) -> tuple[str | None, list[str]]:
    """The table format from the tables' own headers and rows, never from the year."""
    votes = {"2019": 0, "2021": 0}
    for row in active:
        for c in row.labels():
            if c.label in ACTIVE_HEADERS:
                votes[ACTIVE_HEADERS[c.label][0]] += 2
            elif c.label in ("政府集中采购", "其他对外管理服务事项"):
                votes["2019"] += 1
    for row in requests:
        for c in row.labels():
            hit = match_label(c.label, REQUEST_LABELS, ("other_1", "other_2"))
            if hit:
                votes["2021"] += 1
    warnings = []
    if votes["2019"] and votes["2021"]:
        warnings.append(
            f"format: headers of both formats (2019: {votes['2019']}, 2021: {votes['2021']})"
        )
    if votes["2019"] == votes["2021"]:
        return None, warnings + ["format: the tables name neither format; tables not read"]
    return ("2019" if votes["2019"] > votes["2021"] else "2021"), warnings


def parse_active(rows: list[Row], fmt: str) -> TableResult:
    res = TableResult(found=bool(rows))
    allowed = spec.ACTIVE_ROWS[fmt]
    header_cols: list[str] = []
    header_units: dict[str, str] = {}
    header_row: Row | None = None
    rows = split_after_headers(
        rows,
        lambda label: label in ACTIVE_HEADERS,
        lambda label: match_label(label, ACTIVE_LABELS, allowed) is not None,
    )
    for row in rows:
        labels = row.labels()
        heads = [c for c in labels if c.label in ACTIVE_HEADERS]
        if heads:
            header_row = row
            header_cols = [ACTIVE_HEADERS[c.label][1] for c in heads]
            header_units = {
                ACTIVE_HEADERS[c.label][1]: u for c in heads if (u := _unit_in(c.raw)) is not None
            }
            continue
        row_id = next(
            (r for c in reversed(labels) if (r := match_cell(c, ACTIVE_LABELS, allowed))),
            None,
        )
        if row_id is None:
            continue
        if (row_id, spec.ACTIVE_COLS[fmt][row_id][0]) in res.cells:
            res.warnings.append(
                f"active: row {row_id} printed twice (line {row.line}); kept the first"
            )
            continue
        cols = spec.ACTIVE_COLS[fmt][row_id]
        if header_cols and header_cols != list(cols):
            res.warnings.append(
                f"active: header above {row_id} (line {row.line}) names {header_cols}, "
                f"expected {list(cols)}"
            )
        offset, cells = value_cells(row)
        grid_start = None
        if header_row is not None and len(header_row.cells) == len(row.cells):
            first = next(
                (i for i, c in enumerate(header_row.cells) if c.label in ACTIVE_HEADERS), None
            )
            grid_start = first
        chosen = _choose(
            cells,
            len(cols),
            grid_start=grid_start,
            offset=offset,
            what=f"active.{row_id} (line {row.line})",
            warnings=res.warnings,
        )
        for i, col in enumerate(cols):
            cell = chosen[i] if chosen else None
            if cell is not None:
                res.cells[(row_id, col)] = cell
                unit = cell.unit or (header_units.get(col) if cell.kind == NUMBER else None)
                if unit:
                    res.units[(row_id, col)] = unit
    return res


def _unit_in(text: str) -> str | None:
    if "万元" in text:
        return "万元"
    if "元" in text:
        return "元"
    return None


# --- Table 三 ----------------------------------------------------------------------------


def parse_requests(rows: list[Row], fmt: str) -> TableResult:
    res = TableResult(found=bool(rows))
    allowed = spec.REQUEST_ROWS[fmt]
    n = len(spec.REQUEST_COLS)
    pending: dict[str, tuple[Row, int, list[Cell]]] = {}
    last: tuple[str, str] | None = None  # a row id whose label came without values
    rows = split_after_headers(
        rows,
        lambda label: label in REQUEST_HEADERS,
        lambda label: (
            label not in ("总计", "其他")
            and match_label(label, REQUEST_LABELS, allowed) is not None
        ),
    )
    for row in rows:
        labels = row.labels()
        if any(c.label in REQUEST_HEADERS for c in labels):
            last = None
            continue
        row_id = _request_row(labels, allowed)
        offset, cells = value_cells(row)
        has_values = any(c.kind != BLANK for c in cells)
        # the numbers may come after the second half of a label broken over lines
        if (
            row_id is None
            and labels
            and last
            and has_values
            and _continues(last[1], labels[-1].label, REQUEST_LABELS, last[0])
        ):
            row_id = last[0]
            del pending[row_id]
        if row_id is None:
            if has_values and labels:
                res.warnings.append(
                    f"requests: numbers after an unknown label '{labels[-1].raw}' "
                    f"(line {row.line}) ignored"
                )
            continue
        if row_id in pending:
            res.warnings.append(
                f"requests: row {row_id} printed twice (line {row.line}); kept the first"
            )
            continue
        last = (row_id, labels[-1].label) if labels and not has_values else None
        pending[row_id] = (row, offset, cells)
    # No header grid here: the label columns of table 三 are ragged (merged cells), so two
    # rows as wide as the 总计 header may still hold their values at different places.
    for row_id, (row, offset, cells) in pending.items():
        chosen = _choose(
            cells,
            n,
            grid_start=None,
            offset=offset,
            what=f"requests.{row_id} (line {row.line})",
            warnings=res.warnings,
        )
        if chosen is None:
            continue
        for col, cell in zip(spec.REQUEST_COLS, chosen, strict=True):
            res.cells[(row_id, col)] = cell
    return res


def _request_row(labels: list[Cell], allowed: tuple[str, ...]) -> str | None:
    """The row id named by the last label that names one; a group label names none."""
    for c in reversed(labels):
        if c.label in REQUEST_GROUPS:
            return None
        row_id = match_cell(c, REQUEST_LABELS, allowed)
        if row_id:
            return row_id
    return None


# --- Table 四 ----------------------------------------------------------------------------


def parse_appeals(rows: list[Row]) -> TableResult:
    res = TableResult(found=bool(rows))
    cols = [(r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]
    header: Row | None = None
    for row in rows:
        labels = row.labels()
        offset, cells = value_cells(row)
        if not any(c.kind in (NUMBER, MARK) for c in cells):
            if labels and all(c.label in APPEAL_HEADERS for c in labels):
                header = row
            continue
        labels = [c for c in labels if c.label not in APPEAL_HEADERS]
        if labels:
            res.warnings.append(f"appeals: unexpected label '{labels[-1].raw}' (line {row.line})")
        grid_start = 0 if header is not None and len(header.cells) == len(row.cells) else None
        chosen = _choose(
            cells,
            len(cols),
            grid_start=grid_start,
            offset=offset,
            what=f"appeals (line {row.line})",
            warnings=res.warnings,
        )
        if chosen is not None:
            res.cells = dict(zip(cols, chosen, strict=True))
        break
    return res


def is_text(cell: Cell) -> bool:
    return cell.kind == TEXT
