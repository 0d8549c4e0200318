"""bench/bench_pages.py measures what the pages really ask for, with no Streamlit runtime."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import bench_pages
from dashboard import queries
from tests.conftest import ROOT, app_database


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("db") / "seeds.duckdb"
    with app_database(seed_dir, path, path.parent / "no-reports"):
        yield path


def test_bench_times_every_page_cold_and_warm_without_streamlit(seed_db: Path) -> None:
    code = (
        "import sys; from bench import bench_pages as b; "
        "b.FILTER_ARGS = {'一个地市': b.FILTER_ARGS['一个地市']}; "
        f"b.main(['--db', {str(seed_db)!r}, '--reps', '2']); "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "False"  # the queries ran with no Streamlit imported
    for page in set(bench_pages.PAGES) - {"import"}:  # the upload page makes no query
        assert f"一个地市    {page}" in out
    assert "slowest query cold p95" in out


def _recorded_calls(page: str) -> set[str]:
    """The names of the queries a page makes in AppTest, seen through the app's cache."""
    from streamlit.testing.v1 import AppTest

    from dashboard import db

    seen: set[str] = set()
    passed_through = db._cached

    def spy(name: str, *rest: Any) -> Any:
        seen.add(name)
        return passed_through(name, *rest)

    db._cached = spy  # type: ignore[assignment]
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["city"] = "固原市"
        at.run()
        if page != "overview":
            seen.clear()
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    finally:
        db._cached = passed_through  # type: ignore[assignment]
    return seen


@pytest.mark.parametrize("page", bench_pages.PAGES)
def test_bench_makes_the_calls_the_page_makes(seed_db: Path, page: str) -> None:
    f = queries.Filters(city="固原市")
    con = queries.connect(seed_db, "64MB")
    try:
        calls = bench_pages.calls_of(page, f, con)
    finally:
        con.close()
    benched = {name.split()[0] for name, _ in calls}
    assert _recorded_calls(page) - {"meta"} == benched  # meta: the briefing's source line
