"""The app with a damaged database, and while another process builds (issue 8)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import autobuild
from etl.build import build, lock_path
from etl.store import TEST_HOOK_ENV
from tests.conftest import ROOT, SEED_FILES

APP = str(ROOT / "app.py")


def _seeds(dst: Path, n: int) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in SEED_FILES[:n]:
        shutil.copyfile(f, dst / f.name)
    return dst


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    reports, db = _seeds(tmp_path / "r", 2), tmp_path / "d.duckdb"
    monkeypatch.setenv("NIANBAO_DB", str(db))
    monkeypatch.setenv("NIANBAO_REPORTS", str(reports))
    return reports, db


@pytest.mark.parametrize("damage", ["random", "truncated", "empty"])
def test_a_damaged_database_is_moved_aside_and_rebuilt_by_the_app(
    app_env: tuple[Path, Path], damage: str
) -> None:
    reports, db = app_env
    build(reports, db, progress=False)
    size = db.stat().st_size
    if damage == "random":
        db.write_bytes(os.urandom(size))
    elif damage == "truncated":
        os.truncate(db, size // 2)
    else:
        db.write_bytes(b"")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    said = [w.value for w in at.warning]
    assert any("数据库文件已损坏，已另存为" in w for w in said), said
    assert len(list(db.parent.glob("d.duckdb.broken-*"))) == 1
    assert at.dataframe, "the pages show data again"


def test_a_visitor_is_served_the_existing_database_while_a_build_runs(
    app_env: tuple[Path, Path],
) -> None:
    reports, db = app_env
    build(reports, db, progress=False)
    _seeds(reports, 3)  # a new report: the database is stale
    env = {**os.environ, "PYTHONPATH": str(ROOT), TEST_HOOK_ENV: "before_commit:sleep=20"}
    cli = subprocess.Popen(
        [sys.executable, "-m", "etl", "build", "--no-progress"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert cli.stderr is not None
        for line in cli.stderr:  # the CLI build holds the lock now
            if "etl-test-hook before_commit" in line:
                break
        started = time.monotonic()
        at = AppTest.from_file(APP, default_timeout=60).run()
        waited = time.monotonic() - started
        assert not at.exception, [e.message for e in at.exception]
        assert waited < 10, f"the visitor waited {waited:.1f} s for another build"
        assert at.dataframe, "the existing database is shown"
        assert autobuild.running(reports, db)
    finally:
        cli.kill()
        cli.wait()
    # The background build waited for the lock, then brought the file up to date.
    deadline = time.monotonic() + 60
    while autobuild.running(reports, db) and time.monotonic() < deadline:
        time.sleep(0.2)
    outcome = autobuild.last[(str(reports), str(db))]
    assert outcome.error is None and outcome.lines[0].startswith("loaded 1,")
    assert lock_path(db).exists()
