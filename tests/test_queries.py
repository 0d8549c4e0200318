"""dashboard/queries.py: pure query functions on a real database built from the seeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from dashboard import queries as q
from etl import build, settings, spec


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("db") / "seeds.duckdb"
    build.build(seed_dir, path, progress=False)
    return path


@pytest.fixture(scope="module")
def con(db_file: Path) -> Iterator[q.Con]:
    c = q.connect(db_file, "64MB")
    yield c
    c.close()


EVERYTHING = q.Filters(include_outside=True)


def test_each_measure_sums_the_same_over_every_grouping(con: q.Con) -> None:
    by_year = q.yearly_summary(con, EVERYTHING)
    tiles = q.county_tiles(con, EVERYTHING)
    rates = q.zero_rates(con, EVERYTHING, "format")
    cmp = q.compare(con, EVERYTHING, "agency", q.entities(con, EVERYTHING, "agency"))
    for m in ("zero_filing", "zero_filing_n"):
        assert by_year[m].sum() == rates[m].sum() == cmp[m].sum() > 0
    assert by_year["applications"].sum() == cmp["applications"].sum()
    assert by_year["applications_n"].sum() == cmp["applications_n"].sum()
    # the tile map counts only reports placed in one of the 22 counties
    assert tiles["reports"].sum() <= by_year["reports"].sum() == rates["reports"].sum()


def test_table_cells_come_from_the_stored_figures_as_from_the_facts(con: q.Con) -> None:
    from_figures = q.requests_cells(con, EVERYTHING, ["new", "carried_in"], ["total"], "year")
    from_facts = q.run(
        con,
        """SELECT r.year AS grp, f.row_id, f.col_id, CAST(sum(f.value) AS DOUBLE) AS value,
            count(f.value) AS n, count(*) AS reports
        FROM facts f JOIN report_index r ON r.id = f.report_id
        WHERE r.is_current AND f.table_name = 'requests' AND f.row_id IN ('new', 'carried_in')
            AND f.col_id = 'total'
        GROUP BY ALL ORDER BY grp, row_id, col_id""",
    )
    assert from_figures.height > 0
    assert from_figures.equals(from_facts)


def test_coverage_has_english_columns_and_status_codes(con: q.Con) -> None:
    cov = q.coverage(con, EVERYTHING)
    assert cov.columns == ["agency", "year", "status", "report_id", "failed_checks"]
    assert set(cov["status"]) <= set(spec.COVERAGE_STATUS_NAMES)
    assert cov.filter(pl.col("status") == "missing")["report_id"].null_count() == (
        cov.filter(pl.col("status") == "missing").height
    )


def test_an_unknown_grouping_is_refused(con: q.Con) -> None:
    with pytest.raises(ValueError, match="unknown grouping"):
        q.zero_rates(con, EVERYTHING, "agency; DROP TABLE facts")


def test_read_connections_take_the_memory_limit_from_settings(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import db

    monkeypatch.setenv("NIANBAO_DB", str(db_file))
    monkeypatch.setenv(settings.READ_MEMORY_ENV, "48MB")
    reader = db.Reader()
    with reader.lease() as c:
        limit = q.run(c, "SELECT current_setting('memory_limit') AS m").item(0, 0)
    assert limit == "45.7 MiB"  # 48 MB, printed back in DuckDB's unit
    for k in list(reader.versions):
        reader.versions.pop(k).con.close()


@pytest.mark.parametrize("bad", ["lots", "1GB; DROP TABLE facts", "", "-5MB"])
def test_a_bad_read_memory_setting_falls_back_to_the_default(bad: str) -> None:
    env = {settings.READ_MEMORY_ENV: bad}
    assert settings.from_env(env).read_memory == settings.DEFAULT_READ_MEMORY


def test_listed_checks_are_the_same_from_the_findings_as_from_all_checks(con: q.Con) -> None:
    listed = q.checks(con, EVERYTHING)  # from check_findings
    every = q.checks(con, EVERYTHING, ("failed", "not_assessable", "ok"))  # from checks
    assert listed.height > 0 and "ok" in set(every["status"])
    assert listed.equals(every.filter(pl.col("status") != "ok"))


ALL_STATUSES = ("failed", "not_assessable", "ok")


def test_windows_of_a_list_cover_it_once_in_its_order(con: q.Con) -> None:
    args = (EVERYTHING, ALL_STATUSES)
    whole = q.checks(con, *args)
    assert whole.height > 7  # enough rows for several windows of 3
    assert q.row_count(con, "checks", args) == whole.height
    windows = [q.window(con, "checks", args, 3, at) for at in range(0, whole.height + 3, 3)]
    assert windows[-1].is_empty()  # past the end: nothing, no error
    assert pl.concat(windows).equals(whole)


def test_every_list_query_counts_what_it_lists(con: q.Con) -> None:
    for name in q.LISTS:
        args = () if name in ("rejects", "outside_reports", "conflicts") else (EVERYTHING,)
        whole = getattr(q, name)(con, *args)
        assert q.row_count(con, name, args) == whole.height, name
        assert q.window(con, name, args, 2, 0).equals(whole.head(2)), name


def test_window_refuses_a_function_that_is_not_a_list_query(con: q.Con) -> None:
    with pytest.raises(ValueError, match="not a list query"):
        q.row_count(con, "report_text", ("x",))


def test_report_picker_is_capped_and_still_holds_the_linked_report(con: q.Con) -> None:
    every = q.report_choices(con)
    assert every.height >= 3
    first = q.report_picker(con, None, "", None, 2)
    assert first["id"].to_list() == every["id"].head(2).to_list()
    assert set(first["total"]) == {every.height}  # what the note says: 共 N 份
    last = every["id"][-1]
    linked = q.report_picker(con, None, "", last, 2)
    assert linked["id"].to_list() == [*every["id"].head(2), last]


def test_report_picker_search_narrows_by_agency_or_file(con: q.Con) -> None:
    every = q.report_choices(con)
    agency = every["agency"].drop_nulls()[0]
    found = q.report_picker(con, None, agency[:4])
    assert found.height and all(agency[:4] in a for a in found["agency"])
    assert set(found["total"]) == {found.height}
    assert q.report_picker(con, None, "没有这个机构").is_empty()


# --- totals from queries, on reports made with chosen values ------------------------------

# Four 2019-format reports: (file, agency, year, procurement projects and amount, table 三
# outcome totals printed (all others blank), new applications total, narrative).
MADE = [
    ("a2019", "原州区教育局", 2019, ("3", "12"), {"denied_1": "2"}, "10", "信息共35条。"),
    (
        "a2020",
        "原州区教育局",
        2020,
        ("2", "5000000"),  # 2.5M per project: 元, inferred → 500 万元
        {"denied_1": "5", "denied_3": "7", "granted": "4"},
        "",
        "信息共120条。",
    ),
    (
        "b2020",
        "盐池县民政局",
        2020,
        ("0", "0"),
        {"denied_2": "0", "unable_1": "0"},
        "0",
        "信息共0条。",
    ),
    ("c2020", "隆德县财政局", 2020, ("", ""), {}, "3", "本年度收到政府信息公开申请3件。"),
]


def write_made_reports(folder: Path) -> None:
    """The MADE reports as text files in `folder` (made by the builder in the seeds' layout)."""
    from tests.report_builder import distinct_values, report_text

    folder.mkdir(parents=True, exist_ok=True)
    for name, agency, year, (projects, amount), outcomes, new, narrative in MADE:
        v = distinct_values("2019")
        v["active", "procurement", "projects"], v["active", "procurement", "amount"] = (
            projects,
            amount,
        )
        for row in spec.OUTCOME_ROWS["2019"]:
            v["requests", row, "total"] = outcomes.get(row, "")
        v["requests", "new", "total"] = new
        text = report_text(
            "2019", v, agency=agency, year=year, narrative="本年度通过政府网站公开" + narrative
        )
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[q.Con]:
    base = tmp_path_factory.mktemp("made")
    write_made_reports(base / "reports")
    build.build(base / "reports", base / "made.duckdb", progress=False)
    c = q.connect(base / "made.duckdb", "64MB")
    yield c
    c.close()


def test_procurement_totals_sum_printed_figures_with_their_n(made: q.Con) -> None:
    assert q.procurement_totals(made, q.ALL) == {
        "projects": 5.0,
        "projects_n": 3,
        "amount_wan": 512.0,  # 12 万元 + 5,000,000 元 + 0
        "amount_n": 3,
        "inferred": 2,
        "reports": 4,
    }
    blank = q.procurement_totals(made, q.Filters(county="隆德县"))
    zero = q.procurement_totals(made, q.Filters(county="盐池县"))
    assert (blank["projects"], blank["projects_n"], blank["amount_wan"]) == (None, 0, None)
    assert (zero["projects"], zero["projects_n"], zero["amount_wan"]) == (0.0, 1, 0.0)
    none = q.procurement_totals(made, q.Filters(years=(2021, 2022)))
    assert none["reports"] == 0 and none["amount_wan"] is None


def test_procurement_totals_are_the_sum_of_the_groups(made: q.Con) -> None:
    total = q.procurement_totals(made, q.ALL)
    for by in ("year", "county", "agency"):
        groups = q.procurement_by(made, q.ALL, by)
        for m in ("projects", "projects_n", "amount_wan", "amount_n", "inferred", "reports"):
            assert groups[m].sum() == total[m], (by, m)


def test_active_narrative_by_counts_stated_items_apart_from_blank(made: q.Con) -> None:
    by_agency = q.active_narrative_by(made, q.ALL, "agency")
    assert by_agency.rows() == [
        ("原州区教育局", 155.0, 2, 2),
        ("盐池县民政局", 0.0, 1, 1),  # a stated 0
        ("隆德县财政局", None, 0, 1),  # no number stated: blank, not 0
    ]
    assert by_agency.columns == ["grp", "active_items", "active_items_n", "reports"]
    by_year = q.active_narrative_by(made, q.ALL, "year")
    assert by_year.rows() == [(2019, 35.0, 1, 1), (2020, 120.0, 2, 3)]
    assert q.active_narrative_by(made, q.ALL, "city").rows() == [
        ("吴忠市", 0.0, 1, 1),
        ("固原市", 155.0, 2, 3),
    ]


def test_outcome_groups_count_a_report_that_printed_any_cell_of_the_group(made: q.Con) -> None:
    groups = q.outcome_groups(made, q.ALL, "group")
    got = {(g, o): (v, n, r) for g, o, v, n, r in groups.rows()}
    denied, unable, granted = (
        next(g for g, rows in spec.OUTCOME_GROUPS.items() if row in rows)
        for row in ("denied_1", "unable_1", "granted")
    )
    # 2020: 5 + 7 from one report, a printed 0 from another, the third blank
    assert got[2020, denied] == (12.0, 2, 3)
    assert got[2019, denied] == (2.0, 1, 1)
    assert got[2020, unable] == (0.0, 1, 3)  # only a printed 0: 0, not blank
    assert got[2019, unable] == (None, 0, 1)  # nothing printed: blank
    assert got[2020, granted] == (4.0, 1, 3)
    assert set(groups["outcome"]) == set(spec.OUTCOME_GROUPS)


def test_outcome_groups_in_detail_are_the_table_cells(made: q.Con) -> None:
    detail = q.outcome_groups(made, q.ALL, "detail", "agency")
    cells = q.requests_cells(made, q.ALL, list(spec.OUTCOME_ORDER), ["total"], "agency")
    assert detail.equals(cells.drop("col_id").rename({"row_id": "outcome"}))
    got = {(g, o): (v, n) for g, o, v, n, _ in detail.rows()}
    assert got["盐池县民政局", "denied_2"] == (0.0, 1)
    assert got["隆德县财政局", "denied_2"] == (None, 0)
    with pytest.raises(ValueError, match="unknown outcome level"):
        q.outcome_groups(made, q.ALL, "rows")


def test_compare_totals_sum_each_entity_over_its_years(made: q.Con) -> None:
    names = ["原州区教育局", "盐池县民政局", "隆德县财政局"]
    totals = q.compare_totals(made, q.ALL, "agency", names)
    assert totals.select(
        "entity", "reports", "applications", "applications_n", "active_items", "active_items_n"
    ).rows() == [
        ("原州区教育局", 2, 10.0, 1, 155.0, 2),  # 2020 left new applications blank
        ("盐池县民政局", 1, 0.0, 1, 0.0, 1),
        ("隆德县财政局", 1, 3.0, 1, None, 0),
    ]
    per_year = q.compare(made, q.ALL, "agency", names)
    summed = per_year.group_by("entity").agg(pl.exclude("year").sum()).sort("entity")
    assert (
        summed.select(totals.columns)
        .drop("applications", "active_items")
        .equals(totals.drop("applications", "active_items"))
    )
    assert q.compare_totals(made, q.ALL, "county", ["原州区"])["reports"].to_list() == [2]


# --- the forms the 100k benchmark made faster return what the forms before them returned ------


def outcome_groups_per_report_id(con: q.Con, by: str) -> pl.DataFrame:
    """outcome_groups(level "group") as it read before: summed per report by report_id."""
    rows = list(spec.OUTCOME_ORDER)
    outcome_of = {r: g for g, rs in spec.OUTCOME_GROUPS.items() for r in rs}
    return q.run(
        con,
        f"""WITH per_report AS (
            SELECT {q.group(by)} AS grp, list_extract(?, list_position(?, row_id)) AS outcome,
                report_id, sum(value) AS value
            FROM v_figures WHERE is_current AND table_name = 'requests'
                AND list_contains(?, row_id) AND col_id = 'total'
            GROUP BY ALL)
        SELECT grp, outcome, CAST(sum(value) AS DOUBLE) AS value, count(value) AS n,
            count(*) AS reports
        FROM per_report GROUP BY ALL ORDER BY grp, outcome""",
        [[outcome_of[r] for r in rows], rows, rows],
    )


def active_items_through_v_active_narrative(con: q.Con) -> dict[str, pl.DataFrame]:
    """主动公开's narrative queries as they read before, through v_active_narrative (every
    version's items joined to report_index a second time), each with no filter."""
    county, city = q.group("county", "r."), q.group("city", "r.")
    m = q.measures("active_items", "active_items_n", prefix="n.")
    join = (
        "FROM v_reports r LEFT JOIN v_active_narrative n ON n.report_id = r.id WHERE r.is_current"
    )
    return {
        "active_narrative": q.run(
            con,
            f"""SELECT r.id AS report_id, r.agency, r.year, r.format, {county} AS area,
                {city} AS city_name, n.items, n.evidence, n.line, n.approximate
            {join} ORDER BY r.year, r.agency, r.id""",
        ),
        "active_narrative_by": q.run(
            con,
            f"""SELECT {q.group("agency", "r.")} AS grp, {m}, {q.measures("reports")}
            {join} GROUP BY ALL ORDER BY grp NULLS FIRST""",
        ),
        "compare_totals": q.run(
            con,
            f"""SELECT r.agency AS entity,
                {q.measures("reports", "applications", "applications_n", prefix="r.")}, {m}
            {join} AND r.year IS NOT NULL GROUP BY ALL ORDER BY entity""",
        ),
    }


def assert_faster_forms_match_the_old(con: q.Con) -> None:
    """outcome_groups per report_no and 主动公开 through v_active_items return exactly the
    rows the forms before them returned (on a database with figures in every group)."""
    for by in ("year", "agency", "county"):
        new = q.outcome_groups(con, EVERYTHING, "group", by)
        assert new.height > 0 and new.equals(outcome_groups_per_report_id(con, by)), by
    old = active_items_through_v_active_narrative(con)
    assert old["active_narrative"]["items"].count() > 0
    got = q.active_narrative(con, EVERYTHING).sort("year", "agency", "report_id", nulls_last=True)
    assert got.equals(old["active_narrative"])
    assert q.active_narrative_by(con, EVERYTHING, "agency").equals(old["active_narrative_by"])
    names = q.entities(con, EVERYTHING, "agency")
    totals = q.compare_totals(con, EVERYTHING, "agency", names)
    assert totals.drop("zero_filing", "zero_filing_n").equals(old["compare_totals"])


def test_faster_forms_return_the_rows_of_the_old_on_the_seeds(con: q.Con) -> None:
    assert_faster_forms_match_the_old(con)


def test_faster_forms_return_the_rows_of_the_old_on_made_reports(made: q.Con) -> None:
    assert_faster_forms_match_the_old(made)


# --- 数据质量's versions and 报告详情's cells, read from what derived.sql stores for them ------

# Two agency-years printed more than once and one printed once (file, agency, year, new
# applications total), each version with its own figure, oldest file first.
VERSIONS = [
    ("v1", "原州区教育局", 2019, "10"),
    ("v2", "原州区教育局", 2019, "11"),
    ("v3", "盐池县民政局", 2020, "0"),
    ("v4", "盐池县民政局", 2020, "1"),
    ("v5", "盐池县民政局", 2020, "2"),
    ("v6", "隆德县财政局", 2020, "3"),  # one version only: not a conflict
]


def write_versions(folder: Path, rows: list[tuple[str, str, int, str]], first: int = 0) -> None:
    """Rows like VERSIONS as text files, file times a minute apart from minute `first` (the
    later the newer)."""
    import os

    from tests.report_builder import distinct_values, report_text

    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, agency, year, new) in enumerate(rows):
        v = distinct_values("2019")
        v["requests", "new", "total"] = new
        path = folder / f"{name}.txt"
        path.write_text(report_text("2019", v, agency=agency, year=year), encoding="utf-8")
        t = 1_700_000_000 + (first + i) * 60
        os.utime(path, (t, t))


def cells_by_scan(con: q.Con, report_id: str) -> pl.DataFrame:
    """One report's facts picked out of every fact in Python: no index, no pushed filter."""
    every = q.run(
        con, "SELECT report_id, table_name, row_id, col_id, value, raw, line, unit FROM facts"
    )
    return every.filter(pl.col("report_id") == report_id).drop("report_id").sort(pl.all())


def new_total_by_file(con: q.Con) -> dict[str, float | None]:
    """Each report file's table 三 new total, as report_facts returns it."""
    out = {}
    for rid, source in q.run(con, "SELECT id, source FROM reports").iter_rows():
        facts = q.report_facts(con, rid)
        new = facts.filter((pl.col("row_id") == "new") & (pl.col("col_id") == "total"))
        out[Path(source).stem] = new["value"].item()
    return out


def test_conflicts_are_the_versions_of_the_report_index_in_list_order(tmp_path: Path) -> None:
    write_versions(tmp_path / "reports", VERSIONS)
    build.build(tmp_path / "reports", tmp_path / "v.duckdb", progress=False)
    con = q.connect(tmp_path / "v.duckdb", "64MB")
    try:
        before = q.run(  # the list as the page read it before derived.sql stored it
            con,
            """SELECT id AS report_id, agency, year, source, is_current, file_mtime, loaded_at
            FROM report_index WHERE n_versions > 1
            ORDER BY agency, year, is_current DESC, report_id""",
        )
        listed = q.conflicts(con)
        assert listed.equals(before)
        stems = [Path(s).stem for s in listed["source"]]
        assert stems[0] == "v2" and stems[2] == "v5"  # the newest file first in each agency-year
        assert sorted(stems) == ["v1", "v2", "v3", "v4", "v5"]  # v6 has no second version
        rest = listed.filter(~pl.col("is_current") & (pl.col("agency") == "盐池县民政局"))
        assert rest["report_id"].to_list() == sorted(rest["report_id"])  # then by report id
        assert q.row_count(con, "conflicts") == 5
        windows = [q.window(con, "conflicts", (), 2, at) for at in (0, 2, 4)]
        assert pl.concat(windows).equals(listed)
    finally:
        con.close()


def test_report_facts_are_each_versions_own_cells_after_rebuilds_and_compaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl import store

    reports, db_path = tmp_path / "reports", tmp_path / "v.duckdb"
    write_versions(reports, VERSIONS)
    build.build(reports, db_path, progress=False)
    with q.connect(db_path, "64MB") as con:
        assert new_total_by_file(con) == {"v1": 10, "v2": 11, "v3": 0, "v4": 1, "v5": 2, "v6": 3}
        ids = q.run(con, "SELECT id FROM reports ORDER BY id")["id"].to_list()
        for rid in ids:
            assert q.report_facts(con, rid).sort(pl.all()).equals(cells_by_scan(con, rid))
    # an incremental build: one version gone, one added; then compaction copies the file
    monkeypatch.setattr(store, "COMPACT_MIN_BYTES", 0)
    monkeypatch.setattr(store, "COMPACT_FREE_SHARE", 0.0)
    (reports / "v4.txt").unlink()
    write_versions(reports, [("v4", "盐池县民政局", 2020, "7")], first=len(VERSIONS))
    build.build(reports, db_path, progress=False)
    with q.connect(db_path, "64MB") as con:
        assert new_total_by_file(con) == {"v1": 10, "v2": 11, "v3": 0, "v4": 7, "v5": 2, "v6": 3}
        sql = "SELECT free_blocks FROM pragma_database_size() WHERE database_name = 'nb'"
        assert q.run(con, sql).item() == 0  # the file was compacted (copied) by this build
        now = q.run(con, "SELECT id FROM reports ORDER BY id")["id"].to_list()
        for rid in now:
            assert q.report_facts(con, rid).sort(pl.all()).equals(cells_by_scan(con, rid))
        current = q.run(con, "SELECT source FROM report_index WHERE is_current AND year = 2020")
        assert sorted(Path(s).stem for s in current["source"]) == ["v4", "v6"]  # now the newest
        gone = set(ids) - set(now)
        assert len(gone) == 1 and q.report_facts(con, gone.pop()).is_empty()
        plan = q.run(con, "EXPLAIN ANALYZE SELECT * FROM facts WHERE report_id = ?", [now[0]])
        assert "Index Scan" in "".join(plan["explain_value"])  # not a scan of every fact


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[q.Con]:
    """VERSIONS built once: current and replaced versions side by side."""
    base = tmp_path_factory.mktemp("versions")
    write_versions(base / "reports", VERSIONS)
    build.build(base / "reports", base / "v.duckdb", progress=False)
    c = q.connect(base / "v.duckdb", "64MB")
    yield c
    c.close()


def test_faster_forms_return_the_rows_of_the_old_beside_replaced_versions(versions: q.Con) -> None:
    assert_faster_forms_match_the_old(versions)


def test_figures_are_stored_current_first_cells_numbered_column_by_column(
    versions: q.Con,
) -> None:
    # a page reads current versions of a column's rows (table 三's outcomes: column 总计): so
    # the zone maps of figures skip every other version and column (queries.outcome_groups)
    cells = q.run(versions, "SELECT cell_no, table_name, row_id, col_id FROM figure_cells")
    assert cells.height > 100
    by_column = cells.sort("table_name", "col_id", "row_id")["cell_no"]
    assert cells.sort("cell_no")["cell_no"].equals(by_column)
    stored = q.run(versions, "SELECT is_current, cell_no, report_no FROM figures ORDER BY rowid")
    assert stored["is_current"].value_counts().height == 2  # replaced versions stored too
    assert stored.equals(stored.sort(pl.all()))


def test_report_checks_through_the_index_are_each_reports_own(versions: q.Con) -> None:
    every = q.run(versions, "SELECT report_id, check_id, status, detail FROM checks")
    cross = q.run(versions, "SELECT report_id, check_id, status, detail FROM cross_year")
    ids = q.run(versions, "SELECT id FROM reports ORDER BY id")["id"].to_list()
    for rid in ids:
        mine = pl.concat([every, cross]).filter(pl.col("report_id") == rid).drop("report_id")
        got = q.report_checks(versions, rid)
        assert got.height > 0 and got.sort(pl.all()).equals(mine.sort(pl.all()))
    sql = "EXPLAIN ANALYZE SELECT * FROM checks WHERE report_id = ?"
    plan = q.run(versions, sql, [ids[0]])
    assert "Index Scan" in "".join(plan["explain_value"])  # not a scan of every check
