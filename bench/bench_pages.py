"""Dashboard speed at scale: every page's queries cold and warm (p50/p95), and the app's memory.

    python -m bench.bench_pages --db /work/bench100k/after.duckdb [--reps 10] [--rss]
                                [--renders 0] [--reports DIR]

Queries: for each page × filter (none, one city, one county with a year range), the calls
the page makes through dashboard/db.py with its widgets' first values — the sidebar and
banner included — made here on dashboard/queries.py directly, with no Streamlit runtime and
no cache. Cold: every call on a fresh read connection (opened untimed; its cost is printed
apart), as the first visit after a start or a rebuild. Warm: the same calls again on one
connection. The page figure sums one repetition of its calls. The OS keeps the file in its
page cache in both cases: "cold" is DuckDB's cold, not the disk's.

--rss serves the app (`streamlit run app.py`, headless, loopback) and visits every page
under every filter in Debian's Chromium (never a downloaded browser); prints the server's
resident memory after each visit, at the end and at its peak.

--renders N: each page in N fresh AppTest sessions, cold (cache cleared) and warm (a rerun).
--reports: what the app's once-per-session check for new report files costs over DIR.
Prints tables, asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TARGET_QUERY_MS = 150.0
TARGET_RENDER_S = 1.5
TARGET_RSS_MB = 500.0

FILTER_ARGS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    # name: (Filters kwargs, the same filter as the page's query string)
    "无筛选": ({}, {}),
    "一个地市": ({"city": "固原市"}, {"city": "固原市"}),
    "区县+年度": (
        {"city": "固原市", "county": "原州区", "years": (2021, 2023)},
        {"city": "固原市", "county": "原州区", "years": "2021-2023"},
    ),
}
PAGES = ["overview", "active", "procurement", "requests", "zero", "compare", "quality", "report"]
PAGES += ["import"]

Call = tuple[str, Callable[[Any], Any]]  # (name, fn(connection))


def preamble_calls(f: Any) -> list[Call]:
    """What every page runs before its own queries: the sidebar filter and the banner."""
    from dashboard import queries as q

    return [
        ("year_span", q.year_span),
        ("cities", q.cities),
        ("counties", lambda c: q.counties(c, f.city)),
        ("agency_types", q.agency_types),
        ("formats", q.formats),
        ("is_demo", q.is_demo),
    ]


def page_calls(page: str, f: Any, con: Any) -> list[Call]:
    """The query calls of one page, as the page makes them with its first widget values and
    its expanders closed (`con` answers what those values are: the compared agencies, the
    report shown)."""
    from dashboard import queries as q
    from etl import spec

    if page == "overview":
        return [
            ("yearly_summary", lambda c: q.yearly_summary(c, f)),
            ("totals", lambda c: q.totals(c, f)),
            ("coverage", lambda c: q.coverage(c, f)),
            ("county_tiles", lambda c: q.county_tiles(c, f)),
            ("reports", lambda c: q.reports(c, f)),
        ]
    if page == "active":
        return [
            ("active_narrative", lambda c: q.active_narrative(c, f)),
            ("active_narrative_by year", lambda c: q.active_narrative_by(c, f, "year")),
        ] + [
            (f"active_cells {x}", lambda c, x=x: q.active_cells(c, f, x, "year"))
            for x in spec.FORMATS
        ]
    if page == "procurement":
        return [
            ("procurement", lambda c: q.procurement(c, f)),
            ("procurement_totals", lambda c: q.procurement_totals(c, f)),
            ("procurement_by", lambda c: q.procurement_by(c, f, "year")),
        ]
    if page == "requests":
        apps = list(spec.APPLICANT_COLS)
        new = ["new"], ["total"]
        return [
            ("totals", lambda c: q.totals(c, f)),
            ("requests_cells new", lambda c: q.requests_cells(c, f, *new, "year")),
            ("requests_cells who", lambda c: q.requests_cells(c, f, ["new"], apps, "year")),
            (
                "requests_cells carry",
                lambda c: q.requests_cells(c, f, ["carried_in", "carried_out"], ["total"], "year"),
            ),
            ("outcome_groups group", lambda c: q.outcome_groups(c, f, "group")),
            ("outcome_groups detail", lambda c: q.outcome_groups(c, f, "detail")),
            ("top_agencies", lambda c: q.top_agencies(c, f, 100_000)),
        ]
    if page == "zero":
        return [
            ("zero_totals", lambda c: q.zero_totals(c, f)),
            ("zero_rates year", lambda c: q.zero_rates(c, f, "year")),
            ("zero_agencies", lambda c: q.zero_agencies(c, f)),
        ]
    if page == "compare":
        names = q.entities(con, f, "agency")[:2]
        return [
            ("entities", lambda c: q.entities(c, f, "agency")),
            ("compare", lambda c: q.compare(c, f, "agency", names)),
            ("compare_totals", lambda c: q.compare_totals(c, f, "agency", names)),
        ]
    if page == "quality":
        lists = [
            ("checks", (f, ("failed",)), "checks failed"),
            ("checks", (f, ("not_assessable",)), "checks not_assessable"),
            ("cross_year", (f,), "cross_year"),
            ("warnings", (f,), "warnings"),
            ("rejects", (), "rejects"),
            ("outside_reports", (), "outside_reports"),
            ("inferred_units", (f,), "inferred_units"),
            ("conflicts", (), "conflicts"),
        ]
        return [
            (f"row_count {x}", lambda c, n=n, a=a: q.row_count(c, n, a)) for n, a, x in lists
        ] + [
            (f"window {x}", lambda c, n=n, a=a: q.window(c, n, a, q.PAGE_ROWS, 0))
            for n, a, x in lists
        ]
    if page == "report":
        ids = q.report_picker(con, f, "", None, q.PICKER_MAX)["id"]
        rid = ids[0] if len(ids) else ""
        return [
            ("report_picker", lambda c: q.report_picker(c, f, "", None, q.PICKER_MAX)),
            ("report", lambda c: q.report(c, rid)),
            ("report_facts", lambda c: q.report_facts(c, rid)),
            ("report_narrative", lambda c: q.report_narrative(c, rid)),
            ("report_checks", lambda c: q.report_checks(c, rid)),
            ("report_warnings", lambda c: q.report_warnings(c, rid)),
            ("report_text", lambda c: q.report_text(c, rid)),
        ]
    raise ValueError(page)


def calls_of(page: str, f: Any, con: Any) -> list[Call]:
    """Every query call of one page view; the upload page has no sidebar and makes none."""
    return [] if page == "import" else preamble_calls(f) + page_calls(page, f, con)


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


@dataclasses.dataclass
class Timing:
    """One query (or a page's sum, query '= page') under one filter, in ms."""

    filter: str
    page: str
    query: str
    cold: list[float]
    warm: list[float]


def bench_queries(db_path: Path, memory: str, reps: int) -> tuple[list[Timing], list[float]]:
    """Timings per filter, page and query (cold and warm), and the connection opening times."""
    from dashboard import queries as q

    out: list[Timing] = []
    opens: list[float] = []

    def fresh() -> Any:
        t0 = time.perf_counter()
        con = q.connect(db_path, memory)
        opens.append((time.perf_counter() - t0) * 1000)
        return con

    setup = q.connect(db_path, memory)
    try:
        for fname, (kwargs, _) in FILTER_ARGS.items():
            f = q.Filters(**kwargs)
            for page in PAGES:
                calls = calls_of(page, f, setup)
                if not calls:
                    continue
                rows = {name: Timing(fname, page, name, [], []) for name, _ in calls}
                total = Timing(fname, page, "= page", [], [])
                for _ in range(reps):  # cold: a fresh connection for every call
                    s = 0.0
                    for name, fn in calls:
                        con = fresh()
                        try:
                            t0 = time.perf_counter()
                            fn(con)
                            dt = (time.perf_counter() - t0) * 1000
                        finally:
                            con.close()
                        rows[name].cold.append(dt)
                        s += dt
                    total.cold.append(s)
                con = fresh()
                try:
                    for _, fn in calls:  # warm-up, untimed
                        fn(con)
                    for _ in range(reps):
                        s = 0.0
                        for name, fn in calls:
                            t0 = time.perf_counter()
                            fn(con)
                            dt = (time.perf_counter() - t0) * 1000
                            rows[name].warm.append(dt)
                            s += dt
                        total.warm.append(s)
                finally:
                    con.close()
                out += [*rows.values(), total]
                print(
                    f"  queries {fname} {page}: cold p95 {pct(total.cold, 95):.0f} ms, "
                    f"warm p95 {pct(total.warm, 95):.0f} ms",
                    flush=True,
                )
    finally:
        setup.close()
    return out, opens


def print_queries(rows: list[Timing], opens: list[float], reps: int) -> None:
    """The page table, then every query that misses the target cold."""
    print(
        f"\nPages: sum of the page's queries, {reps} runs (ms); target: each query p95 ≤ 150 cold"
    )
    head = f"{'filter':<8}{'page':<13}{'cold p50':>9}{'cold p95':>9}{'warm p50':>9}{'warm p95':>9}"
    print(f"{head}  slowest query cold p95")
    for t in rows:
        if t.query != "= page":
            continue
        mine = [r for r in rows if (r.filter, r.page) == (t.filter, t.page) and r.query != t.query]
        worst = max(mine, key=lambda r: pct(r.cold, 95))
        over = sum(pct(r.cold, 95) > TARGET_QUERY_MS for r in mine)
        print(
            f"{t.filter:<8}{t.page:<13}{pct(t.cold, 50):>9.1f}{pct(t.cold, 95):>9.1f}"
            f"{pct(t.warm, 50):>9.1f}{pct(t.warm, 95):>9.1f}  {worst.query} "
            f"{pct(worst.cold, 95):.0f} ({over}/{len(mine)} over 150)"
        )
    print(f"\nQueries, {reps} runs each (ms)")
    print(f"{'filter':<8}{'page':<13}{'query':<28}{'cold p50':>9}{'cold p95':>9}{'warm p50':>9}")
    for t in rows:
        if t.query == "= page":
            continue
        p95 = pct(t.cold, 95)
        mark = "" if p95 <= TARGET_QUERY_MS else f"  MISSED by {p95 - TARGET_QUERY_MS:.0f} ms"
        print(
            f"{t.filter:<8}{t.page:<13}{t.query:<28}{pct(t.cold, 50):>9.1f}{p95:>9.1f}"
            f"{pct(t.warm, 50):>9.1f}{mark}"
        )
    queries = [t for t in rows if t.query != "= page"]
    worst = max(queries, key=lambda r: pct(r.cold, 95))
    print(
        f"slowest query cold p95: {pct(worst.cold, 95):.0f} ms ({worst.page} {worst.query}, "
        f"{worst.filter}); opening a read connection: p50 {pct(opens, 50):.1f} ms, "
        f"p95 {pct(opens, 95):.1f} ms"
    )


# --- the app's memory in a real browser ------------------------------------------------------


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process (MB), from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@contextmanager
def served(
    db_path: Path,
    reports: Path,
    port: int,
    *,
    env: dict[str, str] | None = None,
    output: IO[str] | int = subprocess.DEVNULL,
) -> Iterator[subprocess.Popen[bytes]]:
    """`streamlit run app.py` on 127.0.0.1:port, reading db_path, once its health check
    answers (RuntimeError if it never does); stopped on leaving. Also the browser tests'
    server (tests/browser_support.py), with their font configuration in `env`."""
    env = dict(os.environ, NIANBAO_DB=str(db_path), NIANBAO_REPORTS=str(reports), **(env or {}))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true"]
    cmd += ["--server.address=127.0.0.1", f"--server.port={port}"]
    cmd += ["--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the Streamlit server on port {port} did not start")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def bench_rss(db_path: Path, reports: Path, port: int) -> list[tuple[str, str, float, float]]:
    """(filter, page, seconds until the page settled, server RSS MB after it); the last row
    ('= peak') holds the server's peak RSS."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
    rows: list[tuple[str, str, float, float]] = []
    with served(db_path, reports, port) as proc, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        rows.append(("", "(started)", 0.0, rss_mb(proc.pid)[0]))
        for fname, (_, qp) in FILTER_ARGS.items():
            for name in PAGES:
                path = "" if name == "overview" else name
                url = f"http://127.0.0.1:{port}/{path}" + (f"?{urlencode(qp)}" if qp else "")
                t0 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("h1", timeout=300_000)
                page.wait_for_timeout(500)
                page.wait_for_selector(
                    '[data-testid="stStatusWidget"]', state="detached", timeout=300_000
                )
                dt = time.perf_counter() - t0
                rows.append((fname, name, dt, rss_mb(proc.pid)[0]))
                print(f"  rss {fname} {name}: {rows[-1][3]:.0f} MB ({dt:.1f} s)", flush=True)
        rows.append(("", "= peak", 0.0, rss_mb(proc.pid)[1]))
        browser.close()
    return rows


# --- pages rendered in AppTest ----------------------------------------------------------------


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
    """What the app's check for new report files costs once per session."""
    from etl.build import needs_build

    times, stale = [], False
    for _ in range(reps):
        t0 = time.perf_counter()
        stale = needs_build(reports, db_path)
        times.append(time.perf_counter() - t0)
    return pct(times, 50), stale


def main(argv: list[str] | None = None) -> None:
    from etl import settings

    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--reps", type=int, default=10, help="repetitions per query")
    ap.add_argument(
        "--memory", default=settings.current().read_memory, help="read connections' memory limit"
    )
    ap.add_argument("--rss", action="store_true", help="the app's memory over every page")
    ap.add_argument("--port", type=int, default=8599, help="the app's port for --rss")
    ap.add_argument("--renders", type=int, default=0, help="AppTest sessions per page")
    ap.add_argument("--reports", type=Path, help="corpus folder, to time needs_build")
    a = ap.parse_args(argv)
    db_path = a.db.absolute()
    # the app must not look for new report files (a demo or benchmark database)
    no_reports = ROOT / "bench" / "out" / "no-such-folder"
    os.environ.update(NIANBAO_DB=str(db_path), NIANBAO_REPORTS=str(no_reports))
    os.environ["NIANBAO_READ_MEMORY"] = a.memory
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        n = con.sql("SELECT count(*) FROM reports").fetchall()[0][0]
    size = db_path.stat().st_size / 1e6
    print(f"{db_path}: {n:,} reports, {size:.0f} MB; read memory limit {a.memory}", flush=True)
    load0 = os.getloadavg()[0]

    rows, opens = bench_queries(db_path, a.memory, a.reps) if a.reps > 0 else ([], [])
    if rows:
        print_queries(rows, opens, a.reps)

    if a.rss:
        rss = bench_rss(db_path, no_reports, a.port)
        print(f"\nApp's resident memory (MB) after each page, target ≤ {TARGET_RSS_MB:.0f}")
        for fname, page, dt, mb in rss:
            print(f"{fname:<8}{page:<13}{mb:>8.0f}{dt:>8.1f} s")

    if a.renders > 0:
        from streamlit import logger

        logger.set_log_level("error")  # AppTest outside a server warns on every run
        r = bench_renders(a.renders)
        print(f"\nRender in AppTest, median of {a.renders} sessions (s), target ≤ 1.5 s")
        print(f"{'filter':<8}{'page':<13}{'cold':>8}{'warm':>8}  errors")
        for fname, page, cold, warm, errors in r:
            mark = "" if cold <= TARGET_RENDER_S else f"  MISSED by {cold - TARGET_RENDER_S:.2f} s"
            print(f"{fname:<8}{page:<13}{cold:>8.2f}{warm:>8.2f}  {errors}{mark}")
    if a.reports:
        sec, stale = needs_build_seconds(a.reports, db_path)
        print(f"\napp's needs_build over {a.reports}: {sec:.2f} s once per session (stale={stale})")
    print(
        f"(os.cpu_count() = {os.cpu_count()}, load average at start {load0:.2f}, at the end "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})"
    )


if __name__ == "__main__":
    main()
