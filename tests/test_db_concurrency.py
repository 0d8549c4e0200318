"""Many sessions, one file (issue 8): reader threads query while builds swap the database
file under them, as Streamlit serves each session on its own thread."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from dashboard import db
from etl.build import build
from tests.conftest import SEED_FILES


def _db(tmp: Path, name: str, n: int) -> Path:
    reports = tmp / f"r{name}"
    reports.mkdir()
    for f in SEED_FILES[:n]:
        shutil.copyfile(f, reports / f.name)
    path = tmp / f"{name}.duckdb"
    build(reports, path, progress=False)
    return path


def test_queries_never_fail_while_the_file_is_swapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = [_db(tmp_path, "a", 2), _db(tmp_path, "b", 3)]
    live = tmp_path / "live.duckdb"
    shutil.copyfile(versions[0], live)
    monkeypatch.setenv("NIANBAO_DB", str(live))
    errors: list[str] = []
    counts: set[int] = set()
    queries = [0]
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                df = db.run_query(
                    "SELECT count(*) AS n, sum(length(agency)) AS l FROM reports r "
                    "JOIN facts f ON f.report_id = r.id",
                    (),
                    db.version(),
                )
                counts.add(df.item(0, 0))
                queries[0] += 1
            except Exception as e:  # every failure counts, whatever its kind
                errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    swaps = 0
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        tmp = live.with_name("live.duckdb.tmp")
        shutil.copyfile(versions[swaps % 2 == 0], tmp)
        os.replace(tmp, live)
        swaps += 1
        time.sleep(0.01)
    stop.set()
    for t in threads:
        t.join()
    assert errors[:3] == [] and len(errors) == 0
    assert swaps > 50 and queries[0] > 20
    assert len(counts) == 2  # both versions were read
    assert len(db.READER.versions) <= 2  # replaced versions were closed once no query held them
