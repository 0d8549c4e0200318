"""Every query the dashboard makes, over one read-only DuckDB connection.

Why one module: pages never write SQL or parse anything, so what a figure means is decided
here once. Sums ignore NULL (blank and not-applicable cells are NULL, only a printed 0 is 0)
and every aggregate comes with the number of reports that printed the figure (n) and the
number of reports in the set (N). Results are cached on the database file's identity
(inode, mtime, size): a rebuild swaps a new file in with os.replace and the next query
reopens the connection and misses the cache.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from etl import settings
from etl.store import DB_HEADER_BYTES, unpack_text

ROOT = Path(__file__).resolve().parent.parent

# A grouping the pages may ask for, as a SQL expression over the report columns.
GROUPS: dict[str, str] = {
    "year": "{p}year",
    "city": "coalesce({p}city, '自治区本级')",
    "county": "coalesce({p}county, {p}city || '（市直）', '自治区本级')",
    "agency": "{p}agency",
    "agency_type": "coalesce({p}agency_type, '未分类')",
    "format": "{p}format",
}
GROUP_NAMES = {
    "year": "年度",
    "city": "地市",
    "county": "区县",
    "agency": "机构",
    "agency_type": "机构类别",
    "format": "报告格式",
}
FORMAT_NAMES = {"2019": "2019版（试行格式）", "2021": "2021版"}


def db_path() -> Path:
    """The database file (etl.settings: NIANBAO_DB, else data/disclosure.duckdb)."""
    return settings.current().db


def reports_dir() -> Path:
    """The folder the database is built from (etl.settings: NIANBAO_REPORTS)."""
    return settings.current().reports


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

# --- connection --------------------------------------------------------------------------
# Each version of the database file (a build swaps a new one in with os.replace) gets its
# own DuckDB instance, opened by ATTACH on an in-memory database: `duckdb.connect(path)`
# would hand back the cached instance of the old file. A version is closed only when it has
# been replaced and no query holds it, so a session's query never loses its connection to
# another session's reopen (Streamlit runs each session on its own thread).

_lock = threading.Lock()
_local = threading.local()


# The app's reading connections may hold this much (DuckDB's buffers; its default is 80% of
# RAM): at 100k reports, visiting every page grew the app to ~830 MB without a limit.
READ_MEMORY_LIMIT = os.environ.get("NIANBAO_READ_MEMORY", "300MB")


class _Version:
    """One database file version, attached read-only, and how many queries hold it."""

    def __init__(self, key: tuple[int, int, int], path: Path) -> None:
        self.key = key
        self.users = 0
        self.con = duckdb.connect(":memory:", config={"memory_limit": READ_MEMORY_LIMIT})
        try:
            quoted = str(path).replace("'", "''")
            self.con.execute(f"ATTACH '{quoted}' AS nb (READ_ONLY)")
            self.con.execute("USE nb")
        except BaseException:
            self.con.close()
            raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on this version (made once per thread and version)."""
        held = getattr(_local, "held", None)
        if held is not None and held[0] is self:
            return held[1]
        cur = self.con.cursor()
        cur.execute("USE nb")
        _local.held = (self, cur)
        return cur


_versions: dict[tuple[int, int, int], _Version] = {}


def version() -> tuple[int, int, int]:
    """Identity of the database file now: changes when the build swaps a new file in."""
    s = db_path().stat()
    return (s.st_ino, s.st_mtime_ns, s.st_size)


def _current() -> tuple[int, int, int] | None:
    try:
        return version()
    except OSError:
        return None


def _close_idle(current: tuple[int, int, int] | None) -> None:
    """Close every version no query holds that is not the file now (under _lock): the
    replaced file's disk space is freed once its last query is done."""
    for k, v in list(_versions.items()):
        if k != current and v.users == 0:
            del _versions[k]
            v.con.close()


@contextmanager
def _lease(key: tuple[int, int, int]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the file version `key`, held open for the duration of one query."""
    with _lock:
        v = _versions.get(key)
        if v is None:
            v = _Version(key, db_path())
            _versions[key] = v
        v.users += 1
    try:
        yield v.cursor()
    finally:
        current = _current()
        with _lock:
            v.users -= 1
            _close_idle(current)


def run_query(sql: str, params: tuple[Any, ...], key: tuple[int, int, int]) -> pl.DataFrame:
    """One query on the file version `key`, uncached."""
    with _lease(key) as cur:
        return cur.sql(sql, params=list(params)).pl()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(sql: str, params: tuple[Any, ...], key: tuple[int, int, int]) -> pl.DataFrame:
    return run_query(sql, params, key)


def _q(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> pl.DataFrame:
    return _cached(sql, tuple(params), version())


def healthy() -> bool:
    """Whether the database file can be queried: it opens, has its meta table and is as
    long as its blocks say (a truncated file opens and fails later). app.py rebuilds it."""
    try:
        key = version()
        run_query("SELECT count(*) FROM meta", (), key)
        sizes = run_query(
            "SELECT used_blocks, block_size FROM pragma_database_size() WHERE database_name = 'nb'",
            (),
            key,
        )
    except (duckdb.Error, OSError):
        return False
    blocks, block_size = sizes.row(0)
    return key[2] >= DB_HEADER_BYTES + blocks * block_size


def _where(f: Filters, prefix: str = "") -> tuple[str, list[Any]]:
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
        conds.append(f"list_contains(?, coalesce({p}agency_type, '未分类'))")
        params.append(list(f.agency_types))
    if f.formats:
        conds.append(f"list_contains(?, {p}format)")
        params.append(list(f.formats))
    if f.search.strip():
        conds.append(f"contains(replace({p}agency, ' ', ''), ?)")
        params.append(f.search.replace(" ", "").replace("\u3000", "").strip())
    return " AND ".join(conds), params


def _group(by: str, prefix: str = "") -> str:
    """The SQL expression of a grouping; only the names in GROUPS are accepted."""
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    return GROUPS[by].format(p=prefix)


# --- meta and options --------------------------------------------------------------------


def is_demo() -> bool:
    """Whether the meta table marks the data as simulated (False when it cannot be read)."""
    try:
        df = _q("SELECT value FROM meta WHERE key = 'demo'")
    except (duckdb.Error, OSError):
        return False
    return df.height > 0 and str(df.item(0, 0)).lower() == "true"


def meta() -> dict[str, str]:
    """The build's meta table as a dict (built_at, parser_version, …)."""
    df = _q("SELECT key, value FROM meta")
    return dict(zip(df["key"].to_list(), df["value"].to_list(), strict=True))


def cities() -> list[str]:
    """Ningxia's cities in code order."""
    return _q("SELECT name FROM regions WHERE level = 'city' ORDER BY code")["name"].to_list()


def counties(city: str | None = None) -> list[str]:
    """Ningxia's counties in code order, those of one city when given."""
    sql = "SELECT name FROM regions WHERE level = 'county'"
    params: list[Any] = []
    if city:
        sql += " AND city = ?"
        params.append(city)
    return _q(sql + " ORDER BY code", params)["name"].to_list()


def year_span() -> tuple[int, int] | None:
    """The first and last year any report covers."""
    df = _q("SELECT min(year) AS lo, max(year) AS hi FROM reports")
    lo, hi = df.row(0)
    return None if lo is None else (int(lo), int(hi))


def agency_types() -> list[str]:
    """Agency categories present in the data."""
    sql = "SELECT DISTINCT coalesce(agency_type, '未分类') AS t FROM reports ORDER BY t"
    return _q(sql)["t"].to_list()


def formats() -> list[str]:
    """Report formats present in the data."""
    sql = "SELECT DISTINCT format FROM reports WHERE format IS NOT NULL ORDER BY format"
    return _q(sql)["format"].to_list()


# --- reports -----------------------------------------------------------------------------


def reports(f: Filters) -> pl.DataFrame:
    """The current reports in the filter, one row each, newest year first."""
    w, p = _where(f)
    return _q(
        f"""SELECT id, agency, year, format, city, county, agency_type, in_ningxia, status,
            source, failed_checks, unassessable_checks, n_warnings
        FROM v_reports WHERE {w} ORDER BY year DESC NULLS LAST, agency""",
        p,
    )


def yearly_summary(f: Filters) -> pl.DataFrame:
    """Per year: reports, agencies, counties, applications (n/N), zero filing (n/N)."""
    w, p = _where(f, "r.")
    return _q(
        f"""SELECT r.year,
            count(*) AS reports,
            count(DISTINCT coalesce(r.agency_key, r.id)) AS agencies,
            count(DISTINCT r.county) FILTER (WHERE r.county IN
                (SELECT name FROM regions WHERE level = 'county')) AS counties,
            CAST(sum(z.new_total) AS DOUBLE) AS applications,
            count(z.new_total) AS applications_n,
            count(*) FILTER (WHERE z.zero_filing) AS zero_filing,
            count(z.zero_filing) AS zero_filing_n,
            count(*) FILTER (WHERE z.zero_application) AS zero_application,
            count(z.zero_application) AS zero_application_n
        FROM v_reports r JOIN v_zero_filing z ON z.report_id = r.id
        WHERE {w} AND r.year IS NOT NULL GROUP BY r.year ORDER BY r.year""",
        p,
    )


def totals(f: Filters) -> dict[str, Any]:
    """Whole-selection figures: reports, agencies, counties, years."""
    w, p = _where(f)
    df = _q(
        f"""SELECT count(*) AS reports,
            count(DISTINCT coalesce(agency_key, id)) AS agencies,
            count(DISTINCT county) FILTER (WHERE county IN
                (SELECT name FROM regions WHERE level = 'county')) AS counties,
            count(DISTINCT year) AS years
        FROM v_reports WHERE {w}""",
        p,
    )
    return df.row(0, named=True)


def coverage(f: Filters) -> pl.DataFrame:
    """Agency × year: 已发布 / 校验未通过 / 未找到, over the years the selection spans."""
    w, p = _where(f)
    return _q(
        f"""WITH r AS (SELECT * FROM v_reports WHERE {w} AND year IS NOT NULL),
        span AS (SELECT range AS year FROM range(
            (SELECT min(year) FROM r), (SELECT max(year) FROM r) + 1)),
        ag AS (SELECT DISTINCT agency_key, first(agency ORDER BY year DESC) OVER
            (PARTITION BY agency_key) AS agency FROM r)
        SELECT DISTINCT ag.agency AS 机构, CAST(span.year AS INTEGER) AS 年度,
            CASE WHEN r.id IS NULL THEN '未找到'
                WHEN r.failed_checks > 0 THEN '校验未通过'
                ELSE '已发布' END AS 状态,
            r.id AS report_id, coalesce(r.failed_checks, 0) AS 未通过校验数
        FROM ag CROSS JOIN span
        LEFT JOIN r ON r.agency_key = ag.agency_key AND r.year = span.year
        ORDER BY 机构, 年度""",
        p,
    )


def county_tiles(f: Filters) -> pl.DataFrame:
    """The 22 counties on the tile map with reports, applications and zero filing (n/N)."""
    w, p = _where(f, "r.")
    return _q(
        f"""WITH m AS (
            SELECT r.county, count(*) AS reports,
                CAST(sum(z.new_total) AS DOUBLE) AS applications,
                count(z.new_total) AS applications_n,
                count(*) FILTER (WHERE z.zero_filing) AS zero_filing,
                count(z.zero_filing) AS zero_filing_n
            FROM v_reports r JOIN v_zero_filing z ON z.report_id = r.id
            WHERE {w} GROUP BY r.county)
        SELECT g.name AS county, g.city, g.tile_row, g.tile_col,
            coalesce(m.reports, 0) AS reports, m.applications, m.applications_n,
            m.zero_filing, m.zero_filing_n,
            CAST(m.zero_filing AS DOUBLE) / nullif(m.zero_filing_n, 0) AS zero_filing_rate
        FROM regions g LEFT JOIN m ON m.county = g.name
        WHERE g.level = 'county' ORDER BY g.code""",
        p,
    )


# --- 主动公开 ----------------------------------------------------------------------------


def active_cells(f: Filters, fmt: str, by: str = "year") -> pl.DataFrame:
    """Table 二 of one format summed per group, row and column, with n/N."""
    g = _group(by)
    w, p = _where(f)
    return _q(
        f"""SELECT {g} AS grp, row_id, col_id, CAST(sum(value) AS DOUBLE) AS value,
            count(value) AS n, count(*) AS reports
        FROM v_active WHERE {w} AND format = ? GROUP BY ALL ORDER BY grp, row_id, col_id""",
        [*p, fmt],
    )


def active_narrative(f: Filters) -> pl.DataFrame:
    """The narrative total of items published, per report, with its evidence sentence."""
    w, p = _where(f, "r.")
    return _q(
        f"""SELECT r.id AS report_id, r.agency, r.year, r.format,
            {_group("county", "r.")} AS area, {_group("city", "r.")} AS city_name,
            n.items, n.evidence, n.line, n.approximate
        FROM v_reports r LEFT JOIN v_active_narrative n ON n.report_id = r.id
        WHERE {w} ORDER BY r.year, r.agency""",
        p,
    )


# --- 政府采购 ----------------------------------------------------------------------------


def procurement(f: Filters) -> pl.DataFrame:
    """Per 2019-format report: projects, amount as printed, unit and 万元."""
    w, p = _where(f)
    return _q(
        f"""SELECT report_id, agency, year, {_group("county")} AS area, projects,
            amount_raw, unit, unit_source, amount_wan
        FROM v_procurement WHERE {w} AND format = '2019' ORDER BY year, agency""",
        p,
    )


def procurement_by(f: Filters, by: str) -> pl.DataFrame:
    """Procurement summed per group; n counts reports that printed an amount."""
    g = _group(by)
    w, p = _where(f)
    return _q(
        f"""SELECT {g} AS grp, CAST(sum(projects) AS DOUBLE) AS projects,
            CAST(sum(amount_wan) AS DOUBLE) AS amount_wan,
            count(amount_wan) AS n, count(*) AS reports,
            count(*) FILTER (WHERE unit_source = 'inferred') AS inferred
        FROM v_procurement WHERE {w} AND format = '2019' GROUP BY ALL ORDER BY grp""",
        p,
    )


# --- 依申请公开 --------------------------------------------------------------------------


def requests_cells(f: Filters, rows: list[str], cols: list[str], by: str) -> pl.DataFrame:
    """Table 三 cells summed per group, row and column, with n/N."""
    g = _group(by)
    w, p = _where(f)
    return _q(
        f"""SELECT {g} AS grp, row_id, col_id, CAST(sum(value) AS DOUBLE) AS value,
            count(value) AS n, count(*) AS reports
        FROM v_requests WHERE {w} AND list_contains(?, row_id) AND list_contains(?, col_id)
        GROUP BY ALL ORDER BY grp, row_id, col_id""",
        [*p, rows, cols],
    )


def top_agencies(f: Filters, limit: int = 10) -> pl.DataFrame:
    """Agencies with most new applications over the selection (printed figures only)."""
    w, p = _where(f)
    return _q(
        f"""SELECT agency, CAST(sum(value) AS DOUBLE) AS value, count(value) AS n,
            count(*) AS reports
        FROM v_requests WHERE {w} AND row_id = 'new' AND col_id = 'total'
        GROUP BY agency HAVING count(value) > 0 ORDER BY value DESC, agency LIMIT ?""",
        [*p, limit],
    )


# --- 零报告 ------------------------------------------------------------------------------


def zero_rates(f: Filters, by: str) -> pl.DataFrame:
    """Zero-filing and zero-application counts per group, n/N for each rate."""
    g = _group(by)
    w, p = _where(f)
    return _q(
        f"""SELECT {g} AS grp,
            count(*) FILTER (WHERE zero_filing) AS zero_filing,
            count(zero_filing) AS zero_filing_n,
            count(*) FILTER (WHERE zero_application) AS zero_application,
            count(zero_application) AS zero_application_n,
            count(*) AS reports
        FROM v_zero_filing WHERE {w} GROUP BY ALL ORDER BY grp""",
        p,
    )


def zero_agencies(f: Filters) -> pl.DataFrame:
    """Reports that are zero filing, with their agency and year."""
    w, p = _where(f)
    return _q(
        f"""SELECT report_id, agency, year, {_group("county")} AS area,
            coalesce(agency_type, '未分类') AS agency_type, format, zero_application
        FROM v_zero_filing WHERE {w} AND zero_filing ORDER BY year DESC, agency""",
        p,
    )


# --- 对比 --------------------------------------------------------------------------------


def entities(f: Filters, by: str) -> list[str]:
    """Names of the agencies or counties in the selection."""
    g = _group(by)
    w, p = _where(f)
    sql = f"SELECT DISTINCT {g} AS e FROM v_reports WHERE {w} AND {g} IS NOT NULL ORDER BY e"
    return _q(sql, p)["e"].to_list()


def compare(f: Filters, by: str, names: list[str]) -> pl.DataFrame:
    """Per chosen agency or county and year: the measures side by side, with n/N."""
    g = _group(by, "r.")
    w, p = _where(f, "r.")
    return _q(
        f"""SELECT {g} AS entity, r.year, count(*) AS reports,
            CAST(sum(z.new_total) AS DOUBLE) AS applications,
            count(z.new_total) AS applications_n,
            CAST(sum(n.items) AS DOUBLE) AS active_items, count(n.items) AS active_items_n,
            count(*) FILTER (WHERE z.zero_filing) AS zero_filing,
            count(z.zero_filing) AS zero_filing_n
        FROM v_reports r JOIN v_zero_filing z ON z.report_id = r.id
        LEFT JOIN v_active_narrative n ON n.report_id = r.id
        WHERE {w} AND r.year IS NOT NULL AND list_contains(?, {g})
        GROUP BY ALL ORDER BY entity, r.year""",
        [*p, names],
    )


# --- 数据质量 ----------------------------------------------------------------------------


def checks(f: Filters, statuses: tuple[str, ...] = ("failed", "not_assessable")) -> pl.DataFrame:
    """Checks of the reports in the selection with the given statuses."""
    w, p = _where(f, "r.")
    return _q(
        f"""SELECT r.id AS report_id, r.agency, r.year, c.check_id, c.status, c.detail
        FROM checks c JOIN v_reports r ON r.id = c.report_id
        WHERE {w} AND list_contains(?, c.status) ORDER BY c.status, r.year, r.agency, c.check_id""",
        [*p, list(statuses)],
    )


def cross_year(f: Filters) -> pl.DataFrame:
    """Cross-year breaks (carry-over, stock in force) that failed or cannot be assessed."""
    w, p = _where(f, "r.")
    return _q(
        f"""SELECT x.report_id, x.prev_report_id, x.agency, x.year, x.check_id, x.status,
            x.detail
        FROM v_cross_year x JOIN v_reports r ON r.id = x.report_id
        WHERE {w} AND x.status <> 'ok' ORDER BY x.year, x.agency, x.check_id""",
        p,
    )


def warnings(f: Filters) -> pl.DataFrame:
    """Parser warnings of the reports in the selection."""
    w, p = _where(f, "r.")
    return _q(
        f"""SELECT r.id AS report_id, r.agency, r.year, r.status, m.message
        FROM warnings m JOIN v_reports r ON r.id = m.report_id
        WHERE {w} ORDER BY r.year, r.agency""",
        p,
    )


def rejects() -> pl.DataFrame:
    """Files the build could not read as a report."""
    return _q(
        """SELECT path, coalesce(reason_zh, reason) AS reason, rejected_at
        FROM rejects ORDER BY rejected_at DESC, path"""
    )


def outside_reports() -> pl.DataFrame:
    """Reports whose agency is not in Ningxia, or whose region the name does not tell."""
    return _q(
        """SELECT id AS report_id, agency, year, province, city, county, in_ningxia, source
        FROM v_reports WHERE in_ningxia IS NOT TRUE ORDER BY year, agency"""
    )


def inferred_units(f: Filters) -> pl.DataFrame:
    """Procurement amounts whose unit was inferred, not printed."""
    w, p = _where(f)
    return _q(
        f"""SELECT report_id, agency, year, projects, amount_raw, unit, amount_wan
        FROM v_procurement WHERE {w} AND unit_source = 'inferred' ORDER BY year, agency""",
        p,
    )


def conflicts() -> pl.DataFrame:
    """Agencies with more than one report for one year: which file is current."""
    return _q(
        """SELECT report_id, agency, year, source, is_current, file_mtime, loaded_at
        FROM v_conflicts ORDER BY agency, year, is_current DESC"""
    )


# --- one report --------------------------------------------------------------------------


def report_choices(f: Filters | None = None, also: str | None = None) -> pl.DataFrame:
    """The detail page's picker: every version (current or replaced) of the reports the
    filter selects (all reports without one), plus the report `also` (the one a link names)."""
    if f is None:
        w, p = "TRUE", []
    else:
        w, p = _where(f)
        w = "TRUE" if w == "is_current" else w.removeprefix("is_current AND ")
    return _q(
        f"""SELECT id, agency, year, is_current, in_ningxia, ({w}) AS in_filter FROM v_reports
        WHERE ({w}) OR id = ?
        ORDER BY year DESC NULLS LAST, agency, is_current DESC, id""",
        [*p, *p, also],
    )


def report(report_id: str) -> dict[str, Any] | None:
    """One report's metadata, or None."""
    df = _q("SELECT * EXCLUDE (sha256) FROM v_reports WHERE id = ?", [report_id])
    return df.row(0, named=True) if df.height else None


def report_facts(report_id: str) -> pl.DataFrame:
    """All cells of one report as printed: value, raw mark, line, unit."""
    return _q(
        """SELECT table_name, row_id, col_id, value, raw, line, unit FROM facts
        WHERE report_id = ?""",
        [report_id],
    )


def report_narrative(report_id: str) -> pl.DataFrame:
    """The narrative figures of one report with their evidence."""
    return _q(
        "SELECT key, value, evidence, line, approximate FROM narrative WHERE report_id = ?",
        [report_id],
    )


def report_text(report_id: str) -> str | None:
    """The text the line numbers of one report's facts refer to."""
    df = _q("SELECT text_zlib FROM report_text WHERE report_id = ?", [report_id])
    return unpack_text(df.item(0, 0)) if df.height else None


def report_checks(report_id: str) -> pl.DataFrame:
    """One report's own checks and its cross-year checks."""
    return _q(
        """SELECT check_id, status, detail FROM checks WHERE report_id = ?
        UNION ALL
        SELECT check_id, status, detail FROM v_cross_year WHERE report_id = ?
        ORDER BY status, check_id""",
        [report_id, report_id],
    )


def report_warnings(report_id: str) -> pl.DataFrame:
    """One report's parser warnings."""
    return _q("SELECT message FROM warnings WHERE report_id = ?", [report_id])


def zero_totals(f: Filters) -> dict[str, Any]:
    """Zero filing and zero application over the whole selection, each with its n/N (what
    zero_rates gives per group; a page must not sum groups to get it)."""
    w, p = _where(f)
    return _q(
        f"""SELECT count(*) FILTER (WHERE zero_filing) AS zero_filing,
            count(zero_filing) AS zero_filing_n,
            count(*) FILTER (WHERE zero_application) AS zero_application,
            count(zero_application) AS zero_application_n,
            count(*) AS reports
        FROM v_zero_filing WHERE {w}""",
        p,
    ).row(0, named=True)
