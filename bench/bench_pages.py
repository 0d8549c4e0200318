"""Dashboard latency at scale: every page's queries (p50/p95) and the page's render in AppTest.

    python -m bench.bench_pages --db bench/out/db-100000-s1.duckdb [--reps 20] [--renders 3]
                                [--reports bench/out/corpus-100000-s1/reports]

Queries: for each page, the dashboard/db.py functions that page calls, with the arguments its
widgets start with (first radio option, first two compare choices, the newest report),
under three typical filters: none, one city, one county with a year range. The Streamlit
cache is bypassed, so each call is what a first visit (or the first after a rebuild) costs.
The page figure is the sum of its queries in one repetition, filter widgets included.

Render: a fresh AppTest session on the page's URL with the filter in the query string,
cold (Streamlit's cache cleared) and warm (a rerun). NIANBAO_REPORTS points at a folder
that does not exist, so the app does not check for new report files; with --reports, the
cost of that check (etl.build.needs_build over the corpus, made on every script run) is
timed separately. Prints tables, asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_QUERY_MS = 150.0
TARGET_RENDER_S = 1.5

FILTER_ARGS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    # name: (db.Filters kwargs, the same filter as the page's query string)
    "无筛选": ({}, {}),
    "一个地市": ({"city": "固原市"}, {"city": "固原市"}),
    "区县+年度": (
        {"city": "固原市", "county": "原州区", "years": (2021, 2023)},
        {"city": "固原市", "county": "原州区", "years": "2021-2023"},
    ),
}

Calls = list[tuple[str, Callable[[], Any]]]


def widget_calls(f: Any) -> Calls:
    """What every page runs before its own queries: the sidebar filter and the banner."""
    from dashboard import db

    return [
        ("year_span", db.year_span),
        ("cities", db.cities),
        ("counties", lambda: db.counties(f.city)),
        ("agency_types", db.agency_types),
        ("formats", db.formats),
        ("is_demo", db.is_demo),
    ]


def page_calls(page: str, f: Any) -> Calls:
    """The db calls of one page, as the page makes them with its default widget values."""
    from dashboard import db
    from etl import spec

    if page == "overview":
        return [
            ("yearly_summary", lambda: db.yearly_summary(f)),
            ("totals", lambda: db.totals(f)),
            ("coverage", lambda: db.coverage(f)),
            ("county_tiles", lambda: db.county_tiles(f)),
            ("reports", lambda: db.reports(f)),
        ]
    if page == "active":
        return [("active_narrative", lambda: db.active_narrative(f))] + [
            (f"active_cells {x}", lambda x=x: db.active_cells(f, x, "year")) for x in spec.FORMATS
        ]
    if page == "procurement":
        return [
            ("procurement", lambda: db.procurement(f)),
            ("procurement_by", lambda: db.procurement_by(f, "year")),
        ]
    if page == "requests":
        outcome = list(dict.fromkeys(spec.OUTCOME_ROWS["2019"] + spec.OUTCOME_ROWS["2021"]))
        apps = list(spec.APPLICANT_COLS)
        return [
            ("reports", lambda: db.reports(f)),
            ("requests_cells new", lambda: db.requests_cells(f, ["new"], ["total"], "year")),
            ("requests_cells who", lambda: db.requests_cells(f, ["new"], apps, "year")),
            (
                "requests_cells carry",
                lambda: db.requests_cells(f, ["carried_in", "carried_out"], ["total"], "year"),
            ),
            ("requests_cells outcome", lambda: db.requests_cells(f, outcome, ["total"], "year")),
            ("top_agencies", lambda: db.top_agencies(f, 10)),
        ]
    if page == "zero":
        return [
            ("zero_rates format", lambda: db.zero_rates(f, "format")),
            ("zero_rates year", lambda: db.zero_rates(f, "year")),
            ("zero_agencies", lambda: db.zero_agencies(f)),
        ]
    if page == "compare":
        names = db.entities(f, "agency")[:2]
        return [
            ("entities", lambda: db.entities(f, "agency")),
            ("compare", lambda: db.compare(f, "agency", names)),
        ]
    if page == "quality":
        return [
            ("checks", lambda: db.checks(f)),
            ("cross_year", lambda: db.cross_year(f)),
            ("warnings", lambda: db.warnings(f)),
            ("rejects", db.rejects),
            ("outside_reports", db.outside_reports),
            ("inferred_units", lambda: db.inferred_units(f)),
            ("conflicts", db.conflicts),
        ]
    if page == "report":
        rid = db.report_choices()["id"][0]
        return [
            ("report_choices", db.report_choices),
            ("report", lambda: db.report(rid)),
            ("report_facts", lambda: db.report_facts(rid)),
            ("report_narrative", lambda: db.report_narrative(rid)),
            ("report_checks", lambda: db.report_checks(rid)),
            ("report_warnings", lambda: db.report_warnings(rid)),
            ("report_text", lambda: db.report_text(rid)),
        ]
    if page == "import":
        return []  # the upload page reads only year_span, among the widget calls
    raise ValueError(page)


PAGES = ["overview", "active", "procurement", "requests", "zero", "compare", "quality", "report"]
PAGES += ["import"]


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def uncached() -> None:
    """Send every db query straight to DuckDB (the Streamlit cache would hide its cost)."""
    from dashboard import db

    db._cached = db.run_query  # type: ignore[assignment]


def bench_queries(reps: int) -> list[tuple[str, str, str, float, float]]:
    """(filter, page, query, p50 ms, p95 ms); query '= page' is the page's total."""
    from dashboard import db

    rows = []
    for fname, (kwargs, _) in FILTER_ARGS.items():
        f = db.Filters(**kwargs)
        for page in PAGES:
            calls = widget_calls(f) + page_calls(page, f)
            times: dict[str, list[float]] = {name: [] for name, _ in calls}
            totals = []
            for _, fn in calls:  # warm-up, untimed: opens the connection once per process
                fn()
            for _ in range(reps):
                total = 0.0
                for name, fn in calls:
                    t0 = time.perf_counter()
                    fn()
                    dt = (time.perf_counter() - t0) * 1000
                    times[name].append(dt)
                    total += dt
                totals.append(total)
            for name, ts in times.items():
                rows.append((fname, page, name, pct(ts, 50), pct(ts, 95)))
            rows.append((fname, page, "= page", pct(totals, 50), pct(totals, 95)))
            print(f"  queries {fname} {page}: p95 {pct(totals, 95):.0f} ms", flush=True)
    return rows


def bench_renders(renders: int) -> list[tuple[str, str, float, float, int]]:
    """(filter, page, cold s (median), warm s (median), exceptions)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = str(ROOT / "app.py")
    rows = []
    for fname, (_, qp) in FILTER_ARGS.items():
        for page in PAGES:
            cold, warm, errors = [], [], 0
            for _ in range(renders):
                st.cache_data.clear()
                at = AppTest.from_file(app, default_timeout=300)
                for k, v in qp.items():
                    at.query_params[k] = v
                t0 = time.perf_counter()
                at.run()
                if page != "overview":
                    st.cache_data.clear()
                    t0 = time.perf_counter()
                    at.switch_page(f"pages/{page}.py").run()
                cold.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - t0)
                errors += len(at.exception)
            rows.append((fname, page, pct(cold, 50), pct(warm, 50), errors))
            print(f"  render {fname} {page}: cold {pct(cold, 50):.2f} s", flush=True)
    return rows


def needs_build_seconds(reports: Path, db_path: Path, reps: int = 3) -> tuple[float, bool]:
    """What the app's check for new report files costs on every script run."""
    from etl.build import needs_build

    times, stale = [], False
    for _ in range(reps):
        t0 = time.perf_counter()
        stale = needs_build(reports, db_path)
        times.append(time.perf_counter() - t0)
    return pct(times, 50), stale


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--reps", type=int, default=20, help="repetitions per query")
    ap.add_argument("--renders", type=int, default=3, help="AppTest sessions per page")
    ap.add_argument("--reports", type=Path, help="corpus folder, to time needs_build")
    a = ap.parse_args(argv)
    os.environ["NIANBAO_DB"] = str(a.db.absolute())
    from streamlit import logger

    logger.set_log_level("error")  # AppTest outside a server warns on every run
    os.environ["NIANBAO_REPORTS"] = str(ROOT / "bench" / "out" / "no-such-folder")
    import duckdb

    with duckdb.connect(str(a.db), read_only=True) as con:
        n = con.sql("SELECT count(*) FROM reports").fetchall()[0][0]
    print(f"{a.db}: {n:,} reports, {a.db.stat().st_size / 1e6:.0f} MB", flush=True)

    from dashboard import db

    original = db._cached
    uncached()
    q = bench_queries(a.reps)
    db._cached = original
    r = bench_renders(a.renders) if a.renders > 0 else []

    print(f"\nQueries, uncached, {a.reps} runs each (ms)")
    print(f"{'filter':<8}{'page':<13}{'query':<24}{'p50':>8}{'p95':>8}  target p95 ≤ 150")
    for fname, page, name, p50, p95 in q:
        mark = "" if name == "= page" or p95 <= TARGET_QUERY_MS else "  MISSED"
        if mark:
            mark += f" by {p95 - TARGET_QUERY_MS:.0f} ms ({p95 / TARGET_QUERY_MS:.1f}×)"
        print(f"{fname:<8}{page:<13}{name:<24}{p50:>8.1f}{p95:>8.1f}{mark}")
    worst = max((row for row in q if row[2] != "= page"), key=lambda row: row[4])
    print(f"slowest query p95: {worst[4]:.0f} ms ({worst[1]} {worst[2]}, {worst[0]})")

    if r:
        print(f"\nRender in AppTest, median of {a.renders} sessions (s), target ≤ 1.5 s")
        print(f"{'filter':<8}{'page':<13}{'cold':>8}{'warm':>8}  errors")
        for fname, page, cold, warm, errors in r:
            mark = "" if cold <= TARGET_RENDER_S else f"  MISSED by {cold - TARGET_RENDER_S:.2f} s"
            print(f"{fname:<8}{page:<13}{cold:>8.2f}{warm:>8.2f}  {errors}{mark}")
    if a.reports:
        sec, stale = needs_build_seconds(a.reports, a.db)
        print(
            f"\napp's needs_build over {a.reports}: {sec:.2f} s per script run "
            f"(stale={stale}); add it to every render above when the app watches that folder"
        )
    print(
        f"(os.cpu_count() = {os.cpu_count()}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})"
    )


if __name__ == "__main__":
    main()
