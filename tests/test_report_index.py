"""The build's stored per-report index always equals what its source view computes."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl import load


def _index_matches_source(db_path: Path) -> None:
    with duckdb.connect(str(db_path), read_only=True) as con:
        stored = con.sql("SELECT * FROM report_index ORDER BY id").fetchall()
        fresh = con.sql("SELECT * FROM v_report_index_source ORDER BY id").fetchall()
    assert stored == fresh
    assert len(stored) > 0


def test_report_index_follows_every_kind_of_build(seed_dir: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    db_path = tmp_path / "d.duckdb"
    load.build(reports, db_path, progress=False)
    _index_matches_source(db_path)

    # a second report of 固原市信访局 2019 (changed content): both kept, the newer current
    src = next(reports.glob("004_*.txt"))
    (reports / "004_again.txt").write_text(src.read_text() + "\n补充说明。\n", encoding="utf-8")
    load.build(reports, db_path, progress=False)
    _index_matches_source(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.sql(
            "SELECT source, is_current, n_versions FROM v_reports WHERE agency = '固原市信访局'"
        ).fetchall()
    assert sorted(r[1] for r in rows) == [False, True]
    assert {r[2] for r in rows} == {2}

    (reports / "004_again.txt").unlink()
    load.build(reports, db_path, progress=False)
    _index_matches_source(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM v_reports").fetchall() == [(5,)]
