"""A rebuild over untouched files reads none of them, and still reports the rejected ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import build


def test_unchanged_rebuild_reads_no_file_and_keeps_the_verdicts(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    (reports / "empty.txt").write_bytes(b"")
    db_path = tmp_path / "d.duckdb"
    first = build.build(reports, db_path, progress=False)
    assert (first.loaded, len(first.rejected)) == (5, 1)
    before = db_path.stat().st_mtime_ns

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged rebuild must not read report files")

    monkeypatch.setattr(build, "file_sources", no_reading)
    again = build.build(reports, db_path, progress=False)
    assert (again.loaded, again.unchanged) == (0, 5)
    assert [(r.path.rsplit("/", 1)[-1], r.reason) for r in again.rejected] == [
        ("empty.txt", "empty file")
    ]
    assert db_path.stat().st_mtime_ns == before

    # touching one file ends the shortcut: it is read again (and found unchanged by hash)
    monkeypatch.undo()
    seed = next(reports.glob("000_*.txt"))
    seed.write_bytes(seed.read_bytes())
    third = build.build(reports, db_path, progress=False)
    assert (third.loaded, third.unchanged) == (0, 5)


def test_incremental_rebuild_reads_only_files_whose_size_or_mtime_changed(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    db_path = tmp_path / "d.duckdb"
    assert build.build(reports, db_path, progress=False).loaded == 5
    touched = next(reports.glob("001_*.txt"))
    touched.write_bytes(touched.read_bytes())  # same bytes, new mtime: read and hashed again
    added = reports / "copy_of_002.txt"
    shutil.copyfile(next(reports.glob("002_*.txt")), added)  # a duplicate, found by its hash
    read: list[str] = []
    real = build.file_sources

    def counting(entry, base, **kwargs):
        read.append(entry.rel)
        return real(entry, base, **kwargs)

    monkeypatch.setattr(build, "file_sources", counting)
    again = build.build(reports, db_path, progress=False)
    assert sorted(read) == sorted([touched.name, added.name])
    assert (again.loaded, again.unchanged) == (0, 5)
    assert [Path(r.path).name for r in again.rejected] == [added.name]


def _free_share(db_path: Path) -> float:
    with duckdb.connect(str(db_path), read_only=True) as con:
        total, free = con.sql(
            "SELECT total_blocks, free_blocks FROM pragma_database_size()"
        ).fetchall()[0]
    return free / total


@pytest.mark.parametrize("compact", [True, False])
def test_incremental_rebuilds_give_back_the_space_of_replaced_rows(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compact: bool
) -> None:
    from etl import store

    monkeypatch.setattr(store, "COMPACT_MIN_BYTES", 0)  # the seeds make a small file
    monkeypatch.setattr(store, "COMPACT_FREE_SHARE", 0.2 if compact else 1.0)
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    db_path = tmp_path / "d.duckdb"
    build.build(reports, db_path, progress=False)
    worst = 0.0
    for name in sorted(p.name for p in reports.iterdir())[:4]:  # remove, then restore, each
        moved = tmp_path / name
        (reports / name).rename(moved)
        build.build(reports, db_path, progress=False)
        moved.rename(reports / name)
        build.build(reports, db_path, progress=False)
        worst = max(worst, _free_share(db_path))
    assert (worst <= 0.2) is compact
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM v_reports").fetchall() == [(5,)]
