"""`python -m bench.demo N`: generated reports in their own database, marked as demo
data, shown with the banner, and never mixed with real reports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from bench import demo
from bench.synth import iter_corpus
from etl.build import build
from tests.conftest import ROOT

N = 50
BANNER = "模拟数据，仅供演示"


def demo_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bench.demo", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def meta(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.sql("SELECT key, value FROM meta").fetchall())


def sources(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(Path(r[0]).name for r in con.sql("SELECT source FROM reports").fetchall())


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """One small demo build through the command line, into temporary paths."""
    base = tmp_path_factory.mktemp("demo")
    reports, db = base / "reports", base / "demo.duckdb"
    r = demo_cli(str(N), "--reports", str(reports), "--db", str(db))
    assert r.returncode == 0, r.stderr
    return reports, db, r.stdout


@pytest.fixture
def app_env(demo_run: tuple[Path, Path, str]) -> Iterator[None]:
    reports, db, _ = demo_run
    old = {k: os.environ.get(k) for k in ("NIANBAO_DB", "NIANBAO_REPORTS")}
    os.environ.update(NIANBAO_DB=str(db), NIANBAO_REPORTS=str(reports))
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_demo_database_is_marked_as_demo(demo_run: tuple[Path, Path, str]) -> None:
    assert meta(demo_run[1])["demo"] == "true"


def test_demo_database_holds_the_generated_reports(demo_run: tuple[Path, Path, str]) -> None:
    reports, db, _ = demo_run
    expected = sorted(name for name, _, _ in iter_corpus(N, demo.DEMO_SEED))
    assert sorted(p.name for p in reports.glob("*.txt")) == expected
    assert sources(db) == expected
    assert not list(reports.glob("*.json"))  # truths kept out of the build's folder


def test_demo_build_prints_how_to_open_it(demo_run: tuple[Path, Path, str]) -> None:
    reports, db, out = demo_run
    assert f"NIANBAO_DB={db} NIANBAO_REPORTS={reports} streamlit run app.py" in out


def test_demo_rebuild_with_same_size_changes_nothing(demo_run: tuple[Path, Path, str]) -> None:
    reports, db, _ = demo_run
    summary = demo.build_demo(N, reports_dir=reports, db_path=db)
    assert (summary.loaded, summary.unchanged, summary.written) == (0, N, False)


def test_demo_refuses_the_real_database() -> None:
    real = ROOT / "data" / "disclosure.duckdb"
    before = real.stat().st_mtime_ns if real.exists() else None
    r = demo_cli("5", "--db", "data/disclosure.duckdb")
    assert r.returncode == 2
    assert "data/disclosure.duckdb" in r.stderr
    assert (real.stat().st_mtime_ns if real.exists() else None) == before


def test_demo_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "真实报告.txt").write_text("x", encoding="utf-8")
    with pytest.raises(demo.UsageError, match=r"真实报告\.txt"):
        demo.build_demo(5, reports_dir=reports, db_path=tmp_path / "d.duckdb")
    assert (reports / "真实报告.txt").exists()


def test_real_build_over_demo_database_keeps_no_demo_report(tmp_path: Path, seed_dir: Path) -> None:
    db = tmp_path / "d.duckdb"
    demo.build_demo(10, reports_dir=tmp_path / "reports", db_path=db)
    build(seed_dir, db, progress=False)
    assert meta(db)["demo"] == "false"
    assert sources(db) == sorted(p.name for p in seed_dir.glob("*.txt"))


def test_app_on_demo_database_shows_the_banner(
    app_env: None, demo_run: tuple[Path, Path, str]
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert BANNER in [w.value for w in at.warning]
    assert meta(demo_run[1])["demo"] == "true"  # the app's auto-build left it a demo
