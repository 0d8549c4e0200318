"""Every query the dashboard makes: pure functions, a read connection and filters in, a frame out.

Why pure: the app calls them through a cache (dashboard/db.py), while the benchmarks and
scripts call them on a connection of their own, with no Streamlit runtime. What a figure
means is decided here once: sums ignore NULL (blank and not-applicable cells are NULL, only a
printed 0 is 0) and every aggregate comes with the number of reports that printed the figure
(`<measure>_n` or `n`) and the number of reports in the set (`reports`). Column names are
English; pages put the Chinese labels on at display. Pages never hold SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl import spec
from etl.store import unpack_text

Con = duckdb.DuckDBPyConnection


def _lit(text: str) -> str:
    """A SQL string literal (for the project's own constants and paths, never user input)."""
    return "'" + text.replace("'", "''") + "'"


def connect(path: Path, memory_limit: str) -> Con:
    """A read-only connection to the database file `path`, its buffers capped at
    `memory_limit` (settings.read_memory). Opened through ATTACH on a fresh in-memory
    database: `duckdb.connect(path)` would hand back the cached instance of a file a build
    has since replaced. A window of a list (PAGE_ROWS rows) is materialised late: its top-N
    reads the sort keys of every row and the other columns of its own rows only (DuckDB
    does this up to 50 rows by default; conflicts' first window at 100k: 29 → 12 ms)."""
    config = {"memory_limit": memory_limit, "late_materialization_max_rows": str(PAGE_ROWS)}
    con = duckdb.connect(":memory:", config=config)
    try:
        con.execute(f"ATTACH {_lit(str(path))} AS nb (READ_ONLY)")
        con.execute("USE nb")
    except BaseException:
        con.close()
        raise
    return con


def run(con: Con, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> pl.DataFrame:
    """One statement as a Polars frame."""
    return con.sql(sql, params=list(params)).pl()


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices; None or empty means 'all'."""

    city: str | None = None
    county: str | None = None
    years: tuple[int, int] | None = None
    agency_types: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    search: str = ""
    include_outside: bool = False


ALL = Filters()

# A grouping the pages may ask for, as a SQL expression over the report columns ({p}: prefix).
GROUPS: dict[str, str] = {
    "year": "{p}year",
    "city": f"coalesce({{p}}city, {_lit(spec.REGION_LEVEL)})",
    "county": (
        f"coalesce({{p}}county, {{p}}city || {_lit(spec.CITY_LEVEL_SUFFIX)}, "
        f"{_lit(spec.REGION_LEVEL)})"
    ),
    "agency": "{p}agency",
    "agency_type": f"coalesce({{p}}agency_type, {_lit(spec.UNCLASSIFIED)})",
    "format": "{p}format",
}

# The measures over reports (report_index columns; {p}: prefix), defined once. A name with
# `_n` counts the reports that printed the measure before it: the n of its n/N.
MEASURES: dict[str, str] = {
    "reports": "count(*)",
    "agencies": "count(DISTINCT coalesce({p}agency_key, {p}id))",
    "counties": (
        "count(DISTINCT {p}county) FILTER (WHERE {p}county IN "
        "(SELECT name FROM regions WHERE level = 'county'))"
    ),
    "applications": "CAST(sum({p}new_total) AS DOUBLE)",
    "applications_n": "count({p}new_total)",
    "zero_filing": "count(*) FILTER (WHERE {p}zero_filing)",
    "zero_filing_n": "count({p}zero_filing)",
    "zero_application": "count(*) FILTER (WHERE {p}zero_application)",
    "zero_application_n": "count({p}zero_application)",
    # over v_active_items (v_active_narrative without the report columns)
    "active_items": "CAST(sum({p}items) AS DOUBLE)",
    "active_items_n": "count({p}items)",
    # over v_procurement (one row per 2019-format report that has the row)
    "projects": "CAST(sum({p}projects) AS DOUBLE)",
    "projects_n": "count({p}projects)",
    "amount_wan": "CAST(sum({p}amount_wan) AS DOUBLE)",
    "amount_n": "count({p}amount_wan)",
    "inferred": "count(*) FILTER (WHERE {p}unit_source = 'inferred')",
}


def measures(*names: str, prefix: str = "") -> str:
    """The select list of the named measures, each `AS` its name."""
    return ", ".join(f"{MEASURES[m].format(p=prefix)} AS {m}" for m in names)


def where(f: Filters, prefix: str = "") -> tuple[str, list[Any]]:
    """The filter as a WHERE clause over the report columns every view carries."""
    p = prefix
    conds = [f"{p}is_current"]
    params: list[Any] = []
    if not f.include_outside:
        conds.append(f"{p}in_ningxia IS TRUE")
    if f.city:
        conds.append(f"{p}city = ?")
        params.append(f.city)
    if f.county:
        conds.append(f"{p}county = ?")
        params.append(f.county)
    if f.years:
        conds.append(f"{p}year BETWEEN ? AND ?")
        params += [f.years[0], f.years[1]]
    if f.agency_types:
        conds.append(f"list_contains(?, {group('agency_type', p)})")
        params.append(list(f.agency_types))
    if f.formats:
        conds.append(f"list_contains(?, {p}format)")
        params.append(list(f.formats))
    if f.search.strip():
        conds.append(f"contains(replace({p}agency, ' ', ''), ?)")
        params.append(f.search.replace(" ", "").replace("\u3000", "").strip())
    return " AND ".join(conds), params


def group(by: str, prefix: str = "") -> str:
    """The SQL expression of a grouping; only the names in GROUPS are accepted."""
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    return GROUPS[by].format(p=prefix)


# --- meta and options --------------------------------------------------------------------


def used_bytes(con: Con) -> int:
    """How long the file must be for the blocks in use (a truncated file opens, then fails
    later); raises when the file has no meta table."""
    run(con, "SELECT count(*) FROM meta")
    sql = "SELECT used_blocks, block_size FROM pragma_database_size() WHERE database_name = 'nb'"
    blocks, block_size = run(con, sql).row(0)
    return int(blocks) * int(block_size)


def is_demo(con: Con) -> bool:
    """Whether the meta table marks the data as simulated."""
    df = run(con, "SELECT value FROM meta WHERE key = 'demo'")
    return df.height > 0 and str(df.item(0, 0)).lower() == "true"


def meta(con: Con) -> dict[str, str]:
    """The build's meta table as a dict (built_at, parser_version, …)."""
    df = run(con, "SELECT key, value FROM meta")
    return dict(zip(df["key"].to_list(), df["value"].to_list(), strict=True))


def cities(con: Con) -> list[str]:
    """Ningxia's cities in code order."""
    return run(con, "SELECT name FROM regions WHERE level = 'city' ORDER BY code")["name"].to_list()


def counties(con: Con, city: str | None = None) -> list[str]:
    """Ningxia's counties in code order, those of one city when given."""
    sql = "SELECT name FROM regions WHERE level = 'county'"
    params: list[Any] = []
    if city:
        sql += " AND city = ?"
        params.append(city)
    return run(con, sql + " ORDER BY code", params)["name"].to_list()


def year_span(con: Con) -> tuple[int, int] | None:
    """The first and last year any report covers."""
    lo, hi = run(con, "SELECT min(year) AS lo, max(year) AS hi FROM reports").row(0)
    return None if lo is None else (int(lo), int(hi))


def agency_types(con: Con) -> list[str]:
    """Agency categories present in the data."""
    sql = f"SELECT DISTINCT {group('agency_type')} AS t FROM reports ORDER BY t"
    return run(con, sql)["t"].to_list()


def formats(con: Con) -> list[str]:
    """Report formats present in the data."""
    sql = "SELECT DISTINCT format FROM reports WHERE format IS NOT NULL ORDER BY format"
    return run(con, sql)["format"].to_list()


# --- reports -----------------------------------------------------------------------------


def reports(con: Con, f: Filters) -> pl.DataFrame:
    """The current reports in the filter, one row each, newest year first."""
    w, p = where(f)
    return run(
        con,
        f"""SELECT id, agency, year, format, city, county, agency_type, in_ningxia, status,
            source, failed_checks, unassessable_checks, n_warnings
        FROM v_reports WHERE {w} ORDER BY year DESC NULLS LAST, agency""",
        p,
    )


def yearly_summary(con: Con, f: Filters) -> pl.DataFrame:
    """Per year: reports, agencies, counties, applications (n/N), zero filing (n/N)."""
    w, p = where(f)
    m = measures(
        "reports", "agencies", "counties", "applications", "applications_n",
        "zero_filing", "zero_filing_n", "zero_application", "zero_application_n",
    )  # fmt: skip
    return run(
        con,
        f"""SELECT year, {m} FROM v_reports WHERE {w} AND year IS NOT NULL
        GROUP BY year ORDER BY year""",
        p,
    )


def totals(con: Con, f: Filters) -> dict[str, Any]:
    """Whole-selection figures: reports, agencies, counties, years."""
    w, p = where(f)
    m = measures("reports", "agencies", "counties")
    df = run(con, f"SELECT {m}, count(DISTINCT year) AS years FROM v_reports WHERE {w}", p)
    return df.row(0, named=True)


def coverage(con: Con, f: Filters) -> pl.DataFrame:
    """Agency × year over the years the selection spans: status `published`, `failed`
    (a check failed) or `missing` (no report in the database), with failed_checks."""
    w, p = where(f)
    return run(
        con,
        f"""WITH r AS (SELECT * FROM v_reports WHERE {w} AND year IS NOT NULL),
        span AS (SELECT range AS year FROM range(
            (SELECT min(year) FROM r), (SELECT max(year) FROM r) + 1)),
        ag AS (SELECT DISTINCT agency_key, first(agency ORDER BY year DESC) OVER
            (PARTITION BY agency_key) AS agency FROM r)
        SELECT DISTINCT ag.agency, CAST(span.year AS INTEGER) AS year,
            CASE WHEN r.id IS NULL THEN 'missing'
                WHEN r.failed_checks > 0 THEN 'failed'
                ELSE 'published' END AS status,
            r.id AS report_id, coalesce(r.failed_checks, 0) AS failed_checks
        FROM ag CROSS JOIN span
        LEFT JOIN r ON r.agency_key = ag.agency_key AND r.year = span.year
        ORDER BY ag.agency, year""",
        p,
    )


def county_tiles(con: Con, f: Filters) -> pl.DataFrame:
    """The 22 counties on the tile map with reports, applications and zero filing (n/N)."""
    w, p = where(f)
    m = measures("reports", "applications", "applications_n", "zero_filing", "zero_filing_n")
    return run(
        con,
        f"""WITH m AS (SELECT county, {m} FROM v_reports WHERE {w} GROUP BY county)
        SELECT g.name AS county, g.city, g.tile_row, g.tile_col,
            coalesce(m.reports, 0) AS reports, m.applications, m.applications_n,
            m.zero_filing, m.zero_filing_n,
            CAST(m.zero_filing AS DOUBLE) / nullif(m.zero_filing_n, 0) AS zero_filing_rate
        FROM regions g LEFT JOIN m ON m.county = g.name
        WHERE g.level = 'county' ORDER BY g.code""",
        p,
    )


# --- tables 二, 三, 四: v_figures, over the stored and sorted `figures` --------------------------------


def cells(
    con: Con,
    f: Filters,
    table: str,
    by: str,
    rows: list[str] | None = None,
    cols: list[str] | None = None,
    fmt: str | None = None,
) -> pl.DataFrame:
    """Cells of one table summed per group, row and column: value (NULL when no report
    printed a number), n (reports that printed one), reports (reports with the cell)."""
    w, p = where(f)
    conds, params = [w, "table_name = ?"], [*p, table]
    for column, values in (("row_id", rows), ("col_id", cols)):
        if values is not None:  # pruned by the zone maps as an IN list would be
            conds.append(f"list_contains(?, {column})")
            params.append(list(values))
    if fmt is not None:
        conds.append("format = ?")
        params.append(fmt)
    return run(
        con,
        f"""SELECT {group(by)} AS grp, row_id, col_id, CAST(sum(value) AS DOUBLE) AS value,
            count(value) AS n, count(*) AS reports
        FROM v_figures WHERE {" AND ".join(conds)} GROUP BY ALL ORDER BY grp, row_id, col_id""",
        params,
    )


def active_cells(con: Con, f: Filters, fmt: str, by: str = "year") -> pl.DataFrame:
    """Table 二 of one format summed per group, row and column, with n/N."""
    return cells(con, f, "active", by, fmt=fmt)


def requests_cells(con: Con, f: Filters, rows: list[str], cols: list[str], by: str) -> pl.DataFrame:
    """Table 三 cells summed per group, row and column, with n/N."""
    return cells(con, f, "requests", by, rows, cols)


OUTCOME_LEVELS = ("group", "detail")


def outcome_groups(con: Con, f: Filters, level: str, by: str = "year") -> pl.DataFrame:
    """Table 三's outcomes (column 总计) per group of `by`: at level `detail` one row per
    outcome row id, at level `group` one per spec.OUTCOME_GROUPS key. value sums the printed
    figures (NULL when none), n counts the reports that printed any cell of the outcome,
    reports the reports that have one."""
    if level not in OUTCOME_LEVELS:
        raise ValueError(f"unknown outcome level {level!r}")
    rows = list(spec.OUTCOME_ORDER)
    if level == "detail":
        return cells(con, f, "requests", by, rows, ["total"]).select(
            "grp", pl.col("row_id").alias("outcome"), "value", "n", "reports"
        )
    outcome_of = {r: g for g, rs in spec.OUTCOME_GROUPS.items() for r in rs}
    w, p = where(f)
    return run(  # per report by report_no: hashing the text report_id cost ~60 ms at 100k
        con,
        f"""WITH per_report AS (
            SELECT {group(by)} AS grp, list_extract(?, list_position(?, row_id)) AS outcome,
                report_no, sum(value) AS value
            FROM v_figures WHERE {w} AND table_name = 'requests' AND list_contains(?, row_id)
                AND col_id = 'total'
            GROUP BY ALL)
        SELECT grp, outcome, CAST(sum(value) AS DOUBLE) AS value, count(value) AS n,
            count(*) AS reports
        FROM per_report GROUP BY ALL ORDER BY grp, outcome""",
        [[outcome_of[r] for r in rows], rows, *p, rows],
    )


def top_agencies(con: Con, f: Filters, limit: int = 10) -> pl.DataFrame:
    """Agencies with most new applications over the selection (printed figures only)."""
    w, p = where(f)
    return run(
        con,
        f"""SELECT agency, CAST(sum(value) AS DOUBLE) AS value, count(value) AS n,
            count(*) AS reports
        FROM v_figures WHERE {w} AND table_name = 'requests' AND row_id = 'new'
            AND col_id = 'total'
        GROUP BY agency HAVING count(value) > 0 ORDER BY value DESC, agency LIMIT ?""",
        [*p, limit],
    )


# --- 主动公开 ----------------------------------------------------------------------------


# The narrative's items joined to the reports a page filtered: v_active_items, not
# v_active_narrative (which joins every version's items to report_index a second time).


def active_narrative(con: Con, f: Filters) -> pl.DataFrame:
    """The narrative total of items published, per report, with its evidence sentence."""
    w, p = where(f, "r.")
    return run(
        con,
        f"""SELECT r.id AS report_id, r.agency, r.year, r.format,
            {group("county", "r.")} AS area, {group("city", "r.")} AS city_name,
            n.items, n.evidence, n.line, n.approximate
        FROM v_reports r LEFT JOIN v_active_items n ON n.report_id = r.id
        WHERE {w} ORDER BY r.year, r.agency""",
        p,
    )


def active_narrative_by(con: Con, f: Filters, by: str) -> pl.DataFrame:
    """The narrative's items per group: active_items (NULL when no report states the number),
    active_items_n (reports that state it) and reports (all reports in the group)."""
    w, p = where(f, "r.")
    m = measures("active_items", "active_items_n", prefix="n.")
    return run(
        con,
        f"""SELECT {group(by, "r.")} AS grp, {m}, {measures("reports")}
        FROM v_reports r LEFT JOIN v_active_items n ON n.report_id = r.id
        WHERE {w} GROUP BY ALL ORDER BY grp NULLS FIRST""",
        p,
    )


# --- 政府采购 ----------------------------------------------------------------------------


def procurement(con: Con, f: Filters) -> pl.DataFrame:
    """Per 2019-format report: projects, amount as printed, unit and 万元."""
    w, p = where(f)
    return run(
        con,
        f"""SELECT report_id, agency, year, {group("county")} AS area, projects,
            amount_raw, unit, unit_source, amount_wan
        FROM v_procurement WHERE {w} AND format = '2019' ORDER BY year, agency""",
        p,
    )


PROCUREMENT = ("projects", "projects_n", "amount_wan", "amount_n", "inferred", "reports")


def procurement_by(con: Con, f: Filters, by: str) -> pl.DataFrame:
    """Procurement summed per group: projects and amount_wan, each with its `_n`, the reports
    whose unit was inferred, and reports."""
    w, p = where(f)
    return run(
        con,
        f"""SELECT {group(by)} AS grp, {measures(*PROCUREMENT)}
        FROM v_procurement WHERE {w} AND format = '2019' GROUP BY ALL ORDER BY grp""",
        p,
    )


def procurement_totals(con: Con, f: Filters) -> dict[str, Any]:
    """What procurement_by gives per group, over the whole selection (a page must not sum
    the rows of `procurement` to get it)."""
    w, p = where(f)
    sql = f"SELECT {measures(*PROCUREMENT)} FROM v_procurement WHERE {w} AND format = '2019'"
    return run(con, sql, p).row(0, named=True)


def inferred_units(con: Con, f: Filters) -> pl.DataFrame:
    """Procurement amounts whose unit was inferred, not printed."""
    w, p = where(f)
    return run(
        con,
        f"""SELECT report_id, agency, year, projects, amount_raw, unit, amount_wan
        FROM v_procurement WHERE {w} AND unit_source = 'inferred'
        ORDER BY year, agency, report_id""",
        p,
    )


# --- 零报告 ------------------------------------------------------------------------------


def zero_rates(con: Con, f: Filters, by: str) -> pl.DataFrame:
    """Zero-filing and zero-application counts per group, n/N for each rate."""
    w, p = where(f)
    m = measures(
        "zero_filing", "zero_filing_n", "zero_application", "zero_application_n", "reports"
    )
    return run(
        con,
        f"SELECT {group(by)} AS grp, {m} FROM v_reports WHERE {w} GROUP BY ALL ORDER BY grp",
        p,
    )


def zero_totals(con: Con, f: Filters) -> dict[str, Any]:
    """Zero filing and zero application over the whole selection, each with its n/N (what
    zero_rates gives per group; a page must not sum groups to get it)."""
    w, p = where(f)
    m = measures(
        "zero_filing", "zero_filing_n", "zero_application", "zero_application_n", "reports"
    )
    return run(con, f"SELECT {m} FROM v_reports WHERE {w}", p).row(0, named=True)


def zero_agencies(con: Con, f: Filters) -> pl.DataFrame:
    """Reports that are zero filing, with their agency and year."""
    w, p = where(f)
    return run(
        con,
        f"""SELECT id AS report_id, agency, year, {group("county")} AS area,
            {group("agency_type")} AS agency_type, format, zero_application
        FROM v_reports WHERE {w} AND zero_filing ORDER BY year DESC, agency""",
        p,
    )


# --- 对比 --------------------------------------------------------------------------------


def entities(con: Con, f: Filters, by: str) -> list[str]:
    """Names of the agencies or counties in the selection."""
    g = group(by)
    w, p = where(f)
    sql = f"SELECT DISTINCT {g} AS e FROM v_reports WHERE {w} AND {g} IS NOT NULL ORDER BY e"
    return run(con, sql, p)["e"].to_list()


def _compare(con: Con, f: Filters, by: str, names: list[str], keys: str) -> pl.DataFrame:
    """The compare measures per chosen entity and the `keys` after it (", r.year" or "")."""
    g = group(by, "r.")
    w, p = where(f, "r.")
    m = measures(
        "reports", "applications", "applications_n", "zero_filing", "zero_filing_n", prefix="r."
    )
    return run(
        con,
        f"""SELECT {g} AS entity{keys}, {m},
            {measures("active_items", "active_items_n", prefix="n.")}
        FROM v_reports r LEFT JOIN v_active_items n ON n.report_id = r.id
        WHERE {w} AND r.year IS NOT NULL AND list_contains(?, {g})
        GROUP BY ALL ORDER BY entity{keys}""",
        [*p, names],
    )


def compare(con: Con, f: Filters, by: str, names: list[str]) -> pl.DataFrame:
    """Per chosen agency or county and year: the measures side by side, with n/N."""
    return _compare(con, f, by, names, ", r.year")


def compare_totals(con: Con, f: Filters, by: str, names: list[str]) -> pl.DataFrame:
    """Per chosen agency or county: compare's measures over all its years, with n/N (what
    the ranking shows; a page must not sum compare's years)."""
    return _compare(con, f, by, names, "")


# --- 数据质量 ----------------------------------------------------------------------------


def checks(
    con: Con, f: Filters, statuses: tuple[str, ...] = ("failed", "not_assessable")
) -> pl.DataFrame:
    """Checks of the reports in the selection with the given statuses."""
    w, p = where(f, "r.")
    table = "checks" if "ok" in statuses else "check_findings"  # the latter: the 6% not ok
    return run(
        con,
        f"""SELECT r.id AS report_id, r.agency, r.year, c.check_id, c.status, c.detail
        FROM {table} c JOIN v_reports r ON r.id = c.report_id
        WHERE {w} AND list_contains(?, c.status) ORDER BY c.status, r.year, r.agency, c.check_id,
            r.id""",
        [*p, list(statuses)],
    )


def cross_year(con: Con, f: Filters) -> pl.DataFrame:
    """Cross-year breaks (carry-over, stock in force) that failed or cannot be assessed."""
    w, p = where(f, "r.")
    return run(
        con,
        f"""SELECT x.report_id, x.prev_report_id, x.agency, x.year, x.check_id, x.status,
            x.detail
        FROM v_cross_year x JOIN v_reports r ON r.id = x.report_id
        WHERE {w} AND x.status <> 'ok' ORDER BY x.year, x.agency, x.check_id, x.report_id""",
        p,
    )


def warnings(con: Con, f: Filters) -> pl.DataFrame:
    """Parser warnings of the reports in the selection."""
    w, p = where(f, "r.")
    return run(
        con,
        f"""SELECT r.id AS report_id, r.agency, r.year, r.status, m.message
        FROM warnings m JOIN v_reports r ON r.id = m.report_id
        WHERE {w} ORDER BY r.year, r.agency, r.id, m.message""",
        p,
    )


def rejects(con: Con) -> pl.DataFrame:
    """Files the build could not read as a report."""
    return run(
        con,
        """SELECT path, coalesce(reason_zh, reason) AS reason, rejected_at
        FROM rejects ORDER BY rejected_at DESC, path""",
    )


def outside_reports(con: Con) -> pl.DataFrame:
    """Reports whose agency is not in Ningxia, or whose region the name does not tell."""
    return run(
        con,
        """SELECT id AS report_id, agency, year, province, city, county, in_ningxia, source
        FROM v_reports WHERE in_ningxia IS NOT TRUE ORDER BY year, agency, id""",
    )


def conflicts(con: Con) -> pl.DataFrame:
    """Agencies with more than one report for one year: which file is current. Read from
    the table derived.sql stores in this order (agency, year, current first, report id) as
    list_no: counting and paging it then sorts one integer column, not every version."""
    return run(
        con,
        """SELECT report_id, agency, year, source, is_current, file_mtime, loaded_at
        FROM conflicts ORDER BY list_no""",
    )


# --- one report --------------------------------------------------------------------------


def report_choices(con: Con, f: Filters | None = None, also: str | None = None) -> pl.DataFrame:
    """The detail page's picker: every version (current or replaced) of the reports the
    filter selects (all reports without one), plus the report `also` (the one a link names)."""
    if f is None:
        w, p = "TRUE", []
    else:
        w, p = where(f)
        w = "TRUE" if w == "is_current" else w.removeprefix("is_current AND ")
    return run(
        con,
        f"""SELECT id, agency, year, is_current, in_ningxia, ({w}) AS in_filter FROM v_reports
        WHERE ({w}) OR id = ?
        ORDER BY year DESC NULLS LAST, agency, is_current DESC, id""",
        [*p, *p, also],
    )


def report(con: Con, report_id: str) -> dict[str, Any] | None:
    """One report's metadata, or None."""
    df = run(con, "SELECT * EXCLUDE (sha256) FROM v_reports WHERE id = ?", [report_id])
    return df.row(0, named=True) if df.height else None


def report_facts(con: Con, report_id: str) -> pl.DataFrame:
    """All cells of one report as printed: value, raw mark, line, unit (found through the
    index derived.sql puts on facts.report_id, not by a scan of every fact)."""
    return run(
        con,
        """SELECT table_name, row_id, col_id, value, raw, line, unit FROM facts
        WHERE report_id = ?""",
        [report_id],
    )


def report_narrative(con: Con, report_id: str) -> pl.DataFrame:
    """The narrative figures of one report with their evidence."""
    sql = "SELECT key, value, evidence, line, approximate FROM narrative WHERE report_id = ?"
    return run(con, sql, [report_id])


def report_text(con: Con, report_id: str) -> str | None:
    """The text the line numbers of one report's facts refer to."""
    df = run(con, "SELECT text_zlib FROM report_text WHERE report_id = ?", [report_id])
    return unpack_text(df.item(0, 0)) if df.height else None


def report_checks(con: Con, report_id: str) -> pl.DataFrame:
    """One report's own checks (through the index derived.sql puts on checks.report_id)
    and its cross-year checks."""
    return run(
        con,
        """SELECT check_id, status, detail FROM checks WHERE report_id = ?
        UNION ALL
        SELECT check_id, status, detail FROM v_cross_year WHERE report_id = ?
        ORDER BY status, check_id""",
        [report_id, report_id],
    )


def report_warnings(con: Con, report_id: str) -> pl.DataFrame:
    """One report's parser warnings."""
    return run(con, "SELECT message FROM warnings WHERE report_id = ?", [report_id])


# --- long lists a page at a time (数据质量, 报告详情) ---------------------------------------
# A page holds one page of a list that grows with the number of reports, never the list: at
# 100k reports 数据质量's lists reach 98,265 rows and the report picker 96,957 versions.

PAGE_ROWS = 100  # rows of a long list a page shows at once
PICKER_MAX = 500  # choices the report picker holds at most
LISTS = ("checks", "cross_year", "warnings", "rejects", "outside_reports")
LISTS += ("inferred_units", "conflicts")  # the list queries `window` and `row_count` page


class _Rewrite:
    """A connection whose every statement is rewritten by `edit` (sql, params) → (sql, params):
    runs a list query of this module as its window or its count, its SQL kept in one place."""

    def __init__(self, con: Con, edit: Any) -> None:
        self.con, self.edit = con, edit

    def sql(self, sql: str, params: list[Any]) -> duckdb.DuckDBPyRelation:
        sql, params = self.edit(sql, params)
        return self.con.sql(sql, params=params)


def _list_query(name: str) -> Any:
    if name not in LISTS:
        raise ValueError(f"not a list query: {name!r}")
    return globals()[name]


def window(con: Con, name: str, args: tuple[Any, ...], limit: int, offset: int) -> pl.DataFrame:
    """Rows offset+1 … offset+limit of the list query `name` (one of LISTS) called with
    `args`, in its own order (every list query ends in an ORDER BY that leaves no ties
    between different rows, so consecutive windows neither repeat nor skip a row)."""
    return _list_query(name)(
        _Rewrite(con, lambda s, p: (f"{s}\nLIMIT ? OFFSET ?", [*p, limit, offset])), *args
    )


def row_count(con: Con, name: str, args: tuple[Any, ...] = ()) -> int:
    """How many rows the list query `name` (one of LISTS) returns for `args`."""
    df = _list_query(name)(
        _Rewrite(con, lambda s, p: (f"SELECT count(*) AS n FROM ({s})", p)), *args
    )
    return int(df.item(0, 0))


def _versions_where(f: Filters | None, search: str) -> tuple[str, list[Any]]:
    """Every version (current or replaced) of the reports the filter selects (every report
    without one) whose agency or source file contains `search`."""
    if f is None:
        w, p = "TRUE", []
    else:
        w, p = where(f)
        w = "TRUE" if w == "is_current" else w.removeprefix("is_current AND ")
    s = search.replace(" ", "").replace("\u3000", "").strip()
    if s:
        w = f"({w}) AND (contains(replace(agency, ' ', ''), ?) OR contains(source, ?))"
        p = [*p, s, s]
    return w, p


def report_picker(
    con: Con,
    f: Filters | None = None,
    search: str = "",
    also: str | None = None,
    limit: int = PICKER_MAX,
) -> pl.DataFrame:
    """The detail page's picker: the first `limit` versions of the reports the filter and the
    search select (newest year first), plus the report `also` (the one a link names) wherever
    it falls; `total` is how many the filter and search select in all."""
    w, p = _versions_where(f, search)
    order = "year DESC NULLS LAST, agency, is_current DESC, id"
    cols = "id, agency, year, is_current, in_ningxia"
    return run(  # a top-N and a count: a window function over every version sorts them all
        con,
        f"""WITH picked AS (
            SELECT {cols}, TRUE AS in_filter FROM v_reports WHERE {w} ORDER BY {order} LIMIT ?)
        SELECT *, (SELECT count(*) FROM v_reports WHERE {w}) AS total FROM (
            FROM picked
            UNION ALL
            SELECT {cols}, ({w}) AS in_filter FROM v_reports
            WHERE id = ? AND id NOT IN (SELECT id FROM picked))
        ORDER BY {order}""",
        [*p, limit, *p, *p, also],
    )
