"""The tables the build stores from views always equal what the views compute."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl import build
from etl.store import DERIVED_SQL

DERIVED = (
    "report_index",
    "check_findings",
    "procurement",
    "cross_year",
    "figure_cells",
    "figures",
)  # the tables derived.sql stores


def _index_matches_source(db_path: Path) -> None:
    """Run derived.sql again on a copy: every stored table comes out the same."""
    copy = db_path.with_name("recomputed.duckdb")
    shutil.copyfile(db_path, copy)
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            stored = {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DERIVED}
            assert con.sql("SELECT count(*) FROM report_index").fetchall() != [(0,)]
        with duckdb.connect(str(copy)) as con:
            con.execute(DERIVED_SQL.read_text(encoding="utf-8"))
            for table in DERIVED:
                fresh = con.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
                assert stored[table] == fresh, table
    finally:
        copy.unlink()


def test_report_index_follows_every_kind_of_build(seed_dir: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    db_path = tmp_path / "d.duckdb"
    build.build(reports, db_path, progress=False)
    _index_matches_source(db_path)

    # a second report of 固原市信访局 2019 (changed content): both kept, the newer current
    src = next(reports.glob("004_*.txt"))
    (reports / "004_again.txt").write_text(src.read_text() + "\n补充说明。\n", encoding="utf-8")
    build.build(reports, db_path, progress=False)
    _index_matches_source(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.sql(
            "SELECT source, is_current, n_versions FROM v_reports WHERE agency = '固原市信访局'"
        ).fetchall()
    assert sorted(r[1] for r in rows) == [False, True]
    assert {r[2] for r in rows} == {2}

    (reports / "004_again.txt").unlink()
    build.build(reports, db_path, progress=False)
    _index_matches_source(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM v_reports").fetchall() == [(5,)]


def test_stored_cross_year_checks_follow_a_new_year(tmp_path: Path) -> None:
    from tests.report_builder import distinct_values, report_text

    reports = tmp_path / "reports"
    reports.mkdir()
    first = distinct_values("2021")
    (reports / "a2021.txt").write_text(report_text("2021", first, year=2021), encoding="utf-8")
    db_path = tmp_path / "d.duckdb"
    build.build(reports, db_path, progress=False)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM v_cross_year").fetchall() == [(0,)]

    second = distinct_values("2021", start=500)
    second[("requests", "carried_in", "total")] = first[("requests", "carried_out", "total")]
    (reports / "a2022.txt").write_text(report_text("2021", second, year=2022), encoding="utf-8")
    build.build(reports, db_path, progress=False)
    _index_matches_source(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        got = dict(
            con.sql("SELECT check_id, status FROM v_cross_year WHERE year = 2022").fetchall()
        )
    assert got["carryover.total"] == "ok"
    assert got["carryover.natural"] == "failed"
    assert got["in_force.rules"] == "failed"
