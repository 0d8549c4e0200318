"""The dashboard in a real headless Chromium: filters, a page link and a PNG download.

Runs `streamlit run app.py` on a free 127.0.0.1 port against a database built from the
seeds in a temporary folder. Needs Debian's /usr/bin/chromium (never a downloaded browser).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl import build
from tests.browser_support import chromium, needs_chromium, serve_app

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Iterator[str]:
    """The app served from a database built from the seeds; stopped at teardown."""
    tmp = tmp_path_factory.mktemp("browser")
    db_path = tmp / "seeds.duckdb"
    build.build(seed_dir, db_path, progress=False)
    with serve_app(tmp, db_path, seed_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with chromium() as b:
        yield b


def _settled(page) -> None:
    """Wait until the app has drawn its charts and no rerun is running."""
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def test_filter_link_and_png_download_in_a_real_browser(app_url: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(app_url)
    _settled(page)
    assert page.get_by_role("heading", name="总览").first.is_visible()

    # A filter narrows the view and goes into the URL.
    page.get_by_role("combobox", name="地市").click()
    page.get_by_role("option", name="固原市", exact=True).click()
    page.wait_for_url("**city=*", timeout=30_000)
    _settled(page)
    # the newest report of 固原市 is 000 (2020); unfiltered it would be 海原县 2023
    latest = page.get_by_role("link", name="查看最新一份报告：固原市机关事务管理局 2020年")
    latest.wait_for(timeout=30_000)

    # A page link opens the report's detail page with ?report= in the URL (the exact name:
    # under load the unfiltered page's link can linger for a moment beside the new one).
    latest.click()
    page.wait_for_url("**/report?*report=*", timeout=30_000)
    page.get_by_role("heading", name="报告详情").wait_for(timeout=30_000)
    page.get_by_role(
        "heading", name="固原市机关事务管理局 2020年政府信息公开工作年度报告"
    ).wait_for(timeout=30_000)
    assert "city=" in page.url  # the filter travels with the link

    # Back on the overview, the PNG export downloads a real PNG.
    page.get_by_role("link", name="总览").click()
    _settled(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PNG 图片").first.click()
    path = info.value.path()
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert info.value.suggested_filename.endswith(".png")
    page.close()
