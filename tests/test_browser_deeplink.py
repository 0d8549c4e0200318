"""A deep link as the very first request after the server starts (issue 8): /import must
run app.py (its navigation with Chinese titles, the database check), not the bare page."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import build
from tests.browser_support import chromium, needs_chromium, serve_app

pytestmark = needs_chromium


@pytest.mark.parametrize("path", ["import", "quality"])
def test_a_deep_link_first_after_start_runs_the_app(
    tmp_path: Path, seed_dir: Path, path: str
) -> None:
    db_path = tmp_path / "seeds.duckdb"
    build.build(seed_dir, db_path, progress=False)
    with serve_app(tmp_path, db_path, seed_dir) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/{path}")  # the first request this server sees
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_role("link", name="总览").wait_for(timeout=60_000)
        labels = [t.strip().split("\n")[-1] for t in nav.get_by_role("link").all_inner_texts()]
        assert "总览" in labels and "导入报告" in labels
        assert not {"app", "overview", "import", "quality"} & set(labels)
        title = {"import": "导入报告", "quality": "数据质量"}[path]
        page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
        assert page.url.rstrip("/").endswith(f"/{path}") or f"/{path}?" in page.url
        page.close()
