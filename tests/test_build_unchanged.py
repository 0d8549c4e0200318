"""A rebuild over untouched files reads none of them, and still reports the rejected ones."""

from __future__ import annotations

import shutil
from pathlib import Path

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
