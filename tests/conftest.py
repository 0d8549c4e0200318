"""Shared fixtures: the seed reports and the project root."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from etl import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "reports"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEEDS


@contextmanager
def app_database(reports: Path, path: Path, app_reports: Path | None = None) -> Iterator[Path]:
    """A database built by the real loader from `reports` at `path`, and the app's environment
    (NIANBAO_DB, NIANBAO_REPORTS: `app_reports`, else `reports`) set on it until the block ends:
    module-scoped fixtures have no monkeypatch fixture."""
    build.build(reports, path, progress=False)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NIANBAO_DB", str(path))
        env.setenv("NIANBAO_REPORTS", str(app_reports or reports))
        yield path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked slow run only when asked for (`-m slow`); the marker alone decides."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="large corpus: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _real_database_state() -> tuple[list[str], int | None]:
    data = ROOT / "data"
    real = data / "disclosure.duckdb"
    tmp = sorted(p.name for p in data.glob("disclosure.duckdb.tmp*"))
    return tmp, real.stat().st_mtime_ns if real.exists() else None


@pytest.fixture(autouse=True)
def _real_database_untouched(request: pytest.FixtureRequest) -> Iterator[None]:
    """No test writes the project's own database (data/disclosure.duckdb): each builds its own
    under tmp_path. Checked around every test, so the one that did is named.

    Also puts back the process's `__main__` module: Streamlit's AppTest installs app.py there
    and leaves it, and every worker a later multi-process build starts then runs app.py first
    (multiprocessing re-runs the parent's main script in a new process), whose database check
    saw data/ through the environment the workers inherited and began rebuilding it there."""
    main = sys.modules["__main__"]
    before = _real_database_state()
    yield
    sys.modules["__main__"] = main
    after = _real_database_state()
    assert after == before, f"{request.node.nodeid} wrote data/: {before} → {after}"
