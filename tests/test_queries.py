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
