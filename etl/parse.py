"""Parse one report's text into the JSON object of report-format.md's parse contract.

The stages are pure functions: normalize → segment → rows → tables → metadata →
narrative → checks. This module only strings them together.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from etl import PARSER_VERSION, spec
from etl.checks import run_checks
from etl.errors import RejectedInput
from etl.meta import agency_type, is_report, region, title_and_year, year_from_period
from etl.narrative import extract
from etl.normalize import squash
from etl.read import Document, read_document
from etl.rows import Row, region_rows
from etl.sanity import distrust_future_year
from etl.segment import segment
from etl.tables import TableResult, detect_format, parse_active, parse_appeals, parse_requests

TABLE_CN = {"active": "二", "requests": "三", "appeals": "四"}
_SENDER = re.compile(r"(?:报送单位|发布单位|编制单位)[：:]\s*(\S{4,40})")
_QUOTED_TITLE = re.compile(r"《([^《》]{2,40}?)\s*(20\d{2})\s*年度?政府信息公开(?:工作)?年度报告》")


def parse_file(path: str | Path) -> dict:
    """Read and parse one file (the `python -m etl parse` command)."""
    data = Path(path).read_bytes()
    return parse_source(str(path), data, hashlib.sha256(data).hexdigest())[1]


def parse_source(path: str, data: bytes, sha256: str) -> tuple[Document, dict]:
    """Read and parse one source: a file, or a ZIP member named `a.zip!inner/x.pdf`.
    Returns the text read (the facts' line numbers refer to it) and the parse contract.

    Anything that cannot give a report raises RejectedInput with its one-line reasons —
    a parser bug too, so that one odd file never stops a build or an upload.
    """
    try:
        doc = read_document(path.rsplit("!", 1)[-1], data)
        return doc, distrust_future_year(parse_document(doc, source=path, sha256=sha256))
    except RejectedInput:
        raise
    except Exception as e:
        msg = f"{type(e).__name__}: {e}".splitlines()[0][:200]
        raise RejectedInput(f"parser error: {msg}", f"解析出错：{msg}") from e


def parse_document(doc: Document, *, source: str, sha256: str) -> dict:
    """The parse contract for one document; raises RejectedInput if it is not a report."""
    lines = doc.text.split("\n")
    warnings: list[str] = []
    agency, year, _ = title_and_year(lines)
    if agency is None:
        agency = _agency_fallback(doc.text)
    if year is None:
        year = year_from_period(doc.text) or _quoted_year(doc.text)
    sections = segment(lines)
    rows: dict[str, list[Row]] = {
        kind: region_rows(lines[start:end], start + 1)
        for kind, (start, end) in sections.tables.items()
    }
    if not any(rows.values()) and not is_report(doc.text):
        raise RejectedInput(
            "not a government information disclosure annual report",
            "不是政府信息公开工作年度报告",
        )
    if agency is None:
        warnings.append("metadata: no agency name found in the title")
    if year is None:
        warnings.append("metadata: no report year found in the title or statistics period")

    fmt, format_warnings = detect_format(rows.get("active", []), rows.get("requests", []))
    warnings += format_warnings
    results: dict[str, TableResult] = {}
    if fmt is not None:
        results["active"] = parse_active(rows.get("active", []), fmt)
        results["requests"] = parse_requests(rows.get("requests", []), fmt)
    results["appeals"] = parse_appeals(rows.get("appeals", []))
    for res in results.values():
        warnings += res.warnings

    facts, values = _facts(results, fmt, warnings)
    if "requests" in sections.tables and "appeals" not in sections.tables:
        end = sections.tables["requests"][1]
        if end >= len(lines) - 1 or not any(ln.strip() for ln in lines[end:]):
            warnings.append("the text ends inside table 三: the report looks truncated")
    found = {t for t, r in results.items() if r.cells}
    status = "ok" if fmt is not None and found == {"active", "requests", "appeals"} else "partial"

    narrative_lines = [(i + 1, lines[i]) for i in sections.narrative_lines()]
    return {
        "source": source,
        "sha256": sha256,
        "agency": agency,
        "year": year,
        "format": fmt,
        "region": region(agency),
        "agency_type": agency_type(agency),
        "file_type": doc.file_type,
        "status": status,
        "parser_version": PARSER_VERSION,
        "facts": facts,
        "narrative": extract(narrative_lines),
        "checks": run_checks(values, fmt),
        "warnings": warnings,
    }


def _facts(
    results: dict[str, TableResult], fmt: str | None, warnings: list[str]
) -> tuple[list[dict], dict]:
    """Every cell of the format, NULL where the report left it empty or it was not found."""
    cells = (
        spec.cells(fmt)
        if fmt
        else [("appeals", r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]
    )
    facts, values = [], {}
    missing: dict[str, list[str]] = {}
    for table, row, col in cells:
        res = results.get(table)
        cell = res.cells.get((row, col)) if res else None
        if cell is None:
            fact = {
                "table": table,
                "row": row,
                "col": col,
                "value": None,
                "raw": None,
                "line": None,
            }
            if res is not None and res.found and row not in missing.setdefault(table, []):
                missing[table].append(row)
        else:
            fact = {
                "table": table,
                "row": row,
                "col": col,
                "value": cell.value,
                "raw": cell.raw,
                "line": cell.line,
            }
            if res.units and (unit := res.units.get((row, col))):
                fact["unit"] = unit
        facts.append(fact)
        values[(table, row, col)] = fact["value"]
    for table in ("active", "requests", "appeals"):
        res = results.get(table)
        if fmt is not None and (res is None or not res.found):
            warnings.append(f"table {TABLE_CN[table]} ({table}) not found")
        elif missing.get(table):
            warnings.append(f"{table}: no cells read for rows {', '.join(missing[table])}")
    return facts, values


def _agency_fallback(text: str) -> str | None:
    m = _SENDER.search(text)
    if m:
        return squash(m.group(1))
    m = _QUOTED_TITLE.search(text)
    return squash(m.group(1)) if m else None


def _quoted_year(text: str) -> int | None:
    m = _QUOTED_TITLE.search(text)
    return int(m.group(2)) if m else None
