"""Parse one report's text into the JSON object of report-format.md's parse contract.

The stages are pure functions: normalize → segment → rows → tables → metadata →
narrative → checks. This module only strings them together.
"""

from __future__ import annotations

import gc
import hashlib
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from etl import PARSER_VERSION, spec
from etl.checks import Values, evaluate
from etl.claims import TableResult
from etl.errors import RejectedInput
from etl.meta import (
    agency_from_opening,
    agency_type,
    is_report,
    locate,
    title_and_year,
    year_from_period,
)
from etl.narrative import extract
from etl.normalize import BLANK, is_footer, simplified_lines
from etl.read import Document, read_document
from etl.result import Fact, NarrativeFigure, Report
from etl.sanity import distrust_future_year
from etl.segment import Sections, segment
from etl.tables import (
    detect_format,
    note_glued_cells,
    parse_active,
    parse_appeals,
    parse_requests,
)
from etl.tokens import (
    PageEnd,
    page_end_values,
    page_starts,
    tokenize,
    with_bare_page_numbers,
    with_page_footers,
)


def parser_process() -> None:
    """Set up a process that parses reports one after another (a build worker, a benchmark).

    The parser keeps tens of thousands of small cached tuples (table lines, cells, label
    runs); with the collector's default thresholds a full collection walks them all every
    few reports, some 15 % of the parse time. Parsing makes few reference cycles, so the
    young generation is collected less often instead; memory stays bounded by the caches.
    """
    gc.set_threshold(20000, 50, 100)


def parse_file(path: str | Path) -> dict[str, Any]:
    """Read and parse one file (the `python -m etl parse` command)."""
    data = Path(path).read_bytes()
    return parse_source(str(path), data, hashlib.sha256(data).hexdigest())[1]


def parse_source(path: str, data: bytes, sha256: str) -> tuple[Document, dict[str, Any]]:
    """`read_report` with the report as the JSON object of the parse contract."""
    doc, report = read_report(path, data, sha256)
    return doc, report.to_json()


def read_report(path: str, data: bytes, sha256: str) -> tuple[Document, Report]:
    """Read and parse one source: a file, or a ZIP member named `a.zip!inner/x.pdf`.
    Returns the text read (the facts' line numbers refer to it) and the report. The one
    entry point of the build, the upload page and the CLI.

    Anything that cannot give a report raises RejectedInput with its one-line reasons —
    a parser bug too, so that one odd file never stops a build or an upload.
    """
    try:
        doc = read_document(path.rsplit("!", 1)[-1], data)
        return doc, distrust_future_year(parse_report(doc, source=path, sha256=sha256))
    except RejectedInput:
        raise
    except Exception as e:
        msg = f"{type(e).__name__}: {e}".splitlines()[0][:200]
        raise RejectedInput(f"parser error: {msg}", f"解析出错：{msg}") from e


def parse_document(doc: Document, *, source: str, sha256: str) -> dict[str, Any]:
    """The parse contract for one document; raises RejectedInput if it is not a report."""
    return parse_report(doc, source=source, sha256=sha256).to_json()


def parse_report(doc: Document, *, source: str, sha256: str) -> Report:
    """The report in one document; raises RejectedInput if it is not a report."""
    lines = doc.text.split("\n")
    simple = simplified_lines(lines)  # for matching; what the report printed stays in `lines`
    warnings: list[str] = []
    agency, year, _ = title_and_year(simple, simple=True)
    if agency is None:
        agency, how = agency_from_opening(doc.text)
        if how == "publisher":
            warnings.append(
                "metadata: agency taken from the page's publisher (发布机构), not a title"
            )
    period_year = year_from_period(doc.text)
    if year is None:
        year = period_year
    elif period_year is not None and period_year != year:
        warnings.append(f"metadata: the title says {year}, the statistics period {period_year}")
    sections = segment(simple)  # headings in Traditional too
    form_feeds = "\f" in doc.text
    regions, after = table_input(lines, sections, form_feeds)
    fmt, results, has_tables = read_tables(
        regions, warnings, marked_pages=marks_pages(doc.text), form_feeds=form_feeds, after=after
    )
    # a text that names no report of its own and prints no value (the notice that issues the
    # format, its blank tables attached) is no report
    blank = not any(t.kind != BLANK for r in results.values() for t in r.cells.values())
    if (not has_tables or blank) and not is_report(doc.text):
        raise RejectedInput(
            "not a government information disclosure annual report",
            "不是政府信息公开工作年度报告",
        )
    if agency is None:
        warnings.append("metadata: no agency name found in the title")
    if year is None:
        warnings.append("metadata: no report year found in the title or statistics period")

    facts, values = _facts(results, fmt, warnings)
    if "requests" in sections.tables and "appeals" not in sections.tables:
        end = sections.tables["requests"][1]
        if end >= len(lines) - 1 or not any(ln.strip() for ln in lines[end:]):
            warnings.append("the text ends inside table 三: the report looks truncated")
    found = {t for t, r in results.items() if r.cells}
    if not has_tables:
        status = "narrative_only"  # the opening and narrative of a report, no tables
        warnings.append("no tables: only the report's opening and narrative were found")
    elif fmt is not None and found == {"active", "requests", "appeals"}:
        status = "ok"
    else:
        status = "partial"
    place, place_warnings = locate(agency)
    warnings += place_warnings

    narrative_lines = [(i + 1, lines[i]) for i in sections.narrative_lines()]
    return Report(
        source=source,
        sha256=sha256,
        agency=agency,
        year=year,
        format=fmt,
        region=place,
        agency_type=agency_type(agency),
        file_type=doc.file_type,
        status=status,
        parser_version=PARSER_VERSION,
        facts=facts,
        narrative={
            k: NarrativeFigure.from_json(v)
            for k, v in extract(narrative_lines, traditional=simple is not lines).items()
        },
        checks=evaluate(values, fmt),
        warnings=warnings,
    )


Regions = dict[str, tuple[tuple[str, ...], int]]  # table → (its lines, first line number)


def table_input(
    lines: list[str], sections: Sections, form_feeds: bool
) -> tuple[Regions, tuple[PageEnd, ...]]:
    """The tables' regions, and the numbers pdftotext moved to a page's end. In a PDF's text
    (form feeds), a bare page number that a moved number follows is read as a footer first
    (tokens.with_page_footers); in a text without form feeds, bare page numbers 1, 2, …
    (tokens.with_bare_page_numbers)."""
    printed = with_page_footers(lines) if form_feeds else with_bare_page_numbers(lines)
    regions = {
        kind: (tuple(printed[start:end]), start + 1)
        for kind, (start, end) in sections.tables.items()
    }
    return regions, page_end_values(printed) if form_feeds else ()


def _page_ends_in(
    after: tuple[PageEnd, ...], region: tuple[tuple[str, ...], int] | None, under_total: bool
) -> tuple[PageEnd, ...]:
    """The page ends inside a table's region: table 三's moved cells stay on its pages."""
    if region is None:
        return ()
    lines, first = region
    return tuple(
        p
        for p in after
        if p.under_total == under_total and first <= p.value.line and p.end < first + len(lines)
    )


def read_tables(
    regions: Regions,
    warnings: list[str],
    explain: bool = False,
    marked_pages: bool = False,
    form_feeds: bool = False,
    after: tuple[PageEnd, ...] = (),
) -> tuple[str | None, dict[str, TableResult], bool]:
    """The format, the three tables, and whether the regions hold any table text at all.

    Many reports print exactly the same tables (zero filings from one template): a result
    without warnings is reused for the same table text wherever it stands in the report.
    """
    if not explain:
        fmt, results, own, has = _tables_at_line_one(
            marked_pages,
            form_feeds,
            *(regions[k][0] if k in regions else None for k in spec.TABLES),
        )
        if not own:
            shifted = {
                k: replace(r, offset=regions[k][1] - 1) for k, r in results.items() if k in regions
            }
            shifted.update({k: r for k, r in results.items() if k not in regions})
            return fmt, shifted, has
    fmt, results, found, has = _tables(regions, explain, marked_pages, form_feeds, after)
    warnings += found
    return fmt, results, has


@lru_cache(maxsize=512)
def _tables_at_line_one(
    marked_pages: bool, form_feeds: bool, *regions: tuple[str, ...] | None
) -> tuple[str | None, dict[str, TableResult], tuple[str, ...], bool]:
    at_one = {k: (lines, 1) for k, lines in zip(spec.TABLES, regions, strict=True) if lines}
    fmt, results, own, has = _tables(at_one, False, marked_pages, form_feeds)
    return fmt, results, tuple(own), has


def _tables(
    regions: Regions,
    explain: bool,
    marked_pages: bool = False,
    form_feeds: bool = False,
    after: tuple[PageEnd, ...] = (),
) -> tuple[str | None, dict[str, TableResult], list[str], bool]:
    """The format, the three tables from their regions' lines, their warnings, and whether
    the regions hold any table text. `form_feeds`: the text came from a PDF text extractor
    (pdftotext ends pages with a form feed), which prints one character a column. `after`:
    numbers pdftotext moved to a page's end (tokens.PageEnd)."""
    tokens = {k: tokenize(list(lines), first) for k, (lines, first) in regions.items()}
    # a page ends inside a table only in a text that prints page footers or form feeds
    pages = (
        {k: page_starts(lines, first) for k, (lines, first) in regions.items()}
        if marked_pages or form_feeds
        else {}
    )
    warnings: list[str] = []
    fmt, format_warnings = detect_format(tokens.get("active", []), tokens.get("requests", []))
    warnings += format_warnings
    results: dict[str, TableResult] = {}
    if fmt is not None:
        requests = parse_requests(
            tokens.get("requests", []),
            fmt,
            explain,
            marked_pages,
            tokens.get("active"),
            pages.get("requests", ()),
            False if form_feeds else None,
            _page_ends_in(after, regions.get("requests"), under_total=False),
            paged=marked_pages or form_feeds,
        )
        results["active"] = parse_active(
            tokens.get("active", []),
            fmt,
            explain,
            marked_pages,
            requests.display,
            pages.get("active", ()),
            requests.blank_lines,
        )
        results["requests"] = requests
    results["appeals"] = parse_appeals(
        tokens.get("appeals", []),
        explain,
        marked_pages,
        results["requests"].display if "requests" in results else None,
        "requests" in results and results["requests"].blank_lines,
        # table 四's moved 总计 lands at its page's end, after the table's region: all of
        # them; the row takes only the one on its own page
        tuple(p for p in after if p.under_total),
    )
    for kind, (lines, first) in regions.items():
        if kind in results:
            note_glued_cells(results[kind], kind, lines, first)
    for res in results.values():
        warnings += res.warnings
    return fmt, results, warnings, any(tokens.values())


# a line opening like a page footer; the leading newline lets the engine jump from line to
# line instead of trying every character (`^` with re.M does)
_PAGE_MARK = re.compile(
    r"\n[ \t\u3000]*(?:[—\-－–─]+[ \t]*\d{1,3}|第[ \t]*\d{1,3}[ \t]*页|[Pp](?:age)?\.?[ \t]*\d{1,3})"
)


def marks_pages(text: str) -> bool:
    """Does the text print its page numbers as footers (`- 2 -`, `第2页`)? Then a bare number
    on a line of its own is a value, never a page number."""
    text = "\n" + text
    for m in _PAGE_MARK.finditer(text):
        start = m.start() + 1
        end = text.find("\n", start)
        if is_footer(text[start : end if end >= 0 else len(text)]):
            return True
    return False


def explain(doc: Document) -> str:
    """How the tables were read (`python -m etl parse --explain`): the regions, the tokens,
    which label matched which row, and where each row's values went."""
    lines = doc.text.split("\n")
    sections = segment(simplified_lines(lines))  # headings in Traditional too
    out = [f"{len(lines)} lines; headings {sections.headings}"]
    form_feeds = "\f" in doc.text
    regions, after = table_input(lines, sections, form_feeds)
    for kind, (region, first) in regions.items():
        out.append(
            f"table {spec.TABLE_NUMBERS[kind]} ({kind}): lines {first}-{first + len(region) - 1}"
        )
        for t in tokenize(list(region), first):
            shown = "□" if t.kind == "blank" else t.raw
            pos = f" @{t.col}" if t.col >= 0 else ""
            out.append(f"  {t.line:>4} {t.kind:<6} {shown}{pos}")
    fmt, results, warnings, _ = _tables(regions, True, marks_pages(doc.text), form_feeds, after)
    out.append(f"format: {fmt}")
    for kind, res in results.items():
        out.append(f"table {spec.TABLE_NUMBERS[kind]} ({kind}): labels and values")
        out += res.trace
    out += [f"warning: {w}" for w in warnings]
    return "\n".join(out)


def _facts(
    results: dict[str, TableResult], fmt: str | None, warnings: list[str]
) -> tuple[list[Fact], Values]:
    """Every cell of the format, NULL where the report left it empty or it was not found."""
    requests = results.get("requests")
    old_other = fmt == "2021" and bool(
        requests and any((spec.OLD_OTHER_ROW, c) in requests.cells for c in spec.REQUEST_COLS)
    )
    cells = _empty_facts(fmt, old_other)
    facts: list[Fact] = []
    values: Values = {}  # placed cells only: a check reads a missing key as blank
    missing: dict[str, dict[str, int]] = {}  # table → row → its cells left empty
    new = tuple.__new__
    for table, empty in cells:
        res = results.get(table)
        if res is None:
            facts += [fact for _, _, fact in empty]
            continue
        get, units, offset = res.cells.get, res.units, res.offset
        for at, key, fact in empty:
            cell = get(at)
            if cell is None:
                facts.append(fact)
                if res.found:
                    rows = missing.setdefault(table, {})
                    rows[fact.row] = rows.get(fact.row, 0) + 1
            else:
                unit = units.get(at) if units else None  # (only units are stored there)
                facts.append(  # tuple.__new__: Fact's own __new__ is a slow Python function
                    new(
                        Fact,
                        (table, fact[1], fact[2], cell.value, cell.raw, cell.line + offset, unit),
                    )
                )
                values[key] = cell.value
    for table in spec.TABLES:
        res = results.get(table)
        if fmt is not None and (res is None or not res.found):
            warnings.append(f"table {spec.TABLE_NUMBERS[table]} ({table}) not found")
        elif missing.get(table):
            widths = _row_widths(fmt, old_other)[table]
            warnings += _empty_rows_note(table, missing[table], widths)
    return facts, values


def _empty_rows_note(table: str, empty: dict[str, int], widths: dict[str, int]) -> list[str]:
    """Rows of which no cell was read, and rows read in part: a row placed by where its
    values stand (a space-aligned or one-value-a-line text) has no cell for a column that
    printed nothing, as for one whose value was not placed — neither is a value."""
    none = [row for row, k in empty.items() if k >= widths[row]]
    part = [row for row, k in empty.items() if k < widths[row]]
    out = []
    if none:
        out.append(f"{table}: no cells read for rows {', '.join(none)}")
    if part:
        out.append(
            f"{table}: empty cells (printed blank, or a value not placed) in rows {', '.join(part)}"
        )
    return out


@lru_cache(maxsize=8)
def _row_widths(fmt: str | None, old_other: bool) -> dict[str, dict[str, int]]:
    """table → row → its cells in the format."""
    widths: dict[str, dict[str, int]] = {}
    for table, empty in _empty_facts(fmt, old_other):
        rows = widths.setdefault(table, {})
        for _, _, fact in empty:
            rows[fact.row] = rows.get(fact.row, 0) + 1
    return widths


@lru_cache(maxsize=8)
def _empty_facts(
    fmt: str | None, old_other: bool
) -> tuple[tuple[str, tuple[tuple[tuple[str, str], tuple[str, str, str], Fact], ...]], ...]:
    """The format's cells grouped by table in reading order, each as ((row, col), its key
    for the checks, its empty fact): facts are immutable, so a report shares them wherever
    it left a cell empty."""
    cells = (
        spec.cells(fmt, old_other=old_other)
        if fmt
        else [("appeals", r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]
    )
    out: list[tuple[str, list]] = []
    for table, row, col in cells:
        if not out or out[-1][0] != table:
            out.append((table, []))
        out[-1][1].append(((row, col), (table, row, col), Fact(table, row, col, None, None, None)))
    return tuple((t, tuple(fs)) for t, fs in out)
