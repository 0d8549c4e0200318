"""Issue 9 in a real headless Chromium: every view is a link. The grouping, the sort order,
the top-N and the tab chosen on screen go into the URL; the copied URL opened in a fresh
browser context (no cookies, no session) shows the same view."""

from __future__ import annotations

from pathlib import Path

from etl import build
from tests.browser_support import chromium, needs_chromium, serve_app

pytestmark = needs_chromium


def _settled(page) -> None:
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(800)


def test_a_copied_link_reopens_the_same_view_in_a_fresh_context(
    tmp_path: Path, seed_dir: Path
) -> None:
    db_path = tmp_path / "seeds.duckdb"
    build.build(seed_dir, db_path, progress=False)
    with serve_app(tmp_path, db_path, seed_dir) as url, chromium() as browser:
        first = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = first.new_page()
        page.goto(f"{url}/requests")
        _settled(page)
        assert page.get_by_text("Deploy").count() == 0  # client.toolbarMode
        page.get_by_role("radio", name="机构").check(force=True)
        page.wait_for_url("**req_by=*", timeout=30_000)
        _settled(page)
        page.get_by_role("radio", name="从低到高").first.click()
        page.wait_for_url("**sort=*", timeout=30_000)
        _settled(page)
        link = page.url
        first.close()

        fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
        again = fresh.new_page()
        again.goto(link)
        _settled(again)
        assert again.get_by_role("radio", name="机构").is_checked()
        pressed = again.get_by_role("radio", name="从低到高").first
        assert pressed.get_attribute("aria-checked") == "true"
        assert "sort=" in again.url and "req_by=" in again.url
        # the chart menus are ours (download buttons), not Streamlit's English ones
        assert again.get_by_text("Download as PNG").count() == 0
        fresh.close()


def test_clicking_a_county_bar_filters_to_that_county(tmp_path: Path, seed_dir: Path) -> None:
    db_path = tmp_path / "seeds.duckdb"
    build.build(seed_dir, db_path, progress=False)
    with serve_app(tmp_path, db_path, seed_dir) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/zero?zero_by=区县&zero_rank_minn=1")
        _settled(page)
        bars = page.locator('[data-testid="stVegaLiteChart"] path[aria-roledescription="bar"]')
        bar = bars.filter(visible=True).first  # a bar of 0 has no area to click
        bar.wait_for(timeout=30_000)
        bar.click(force=True)
        page.wait_for_url("**county=*", timeout=30_000)
        _settled(page)
        assert "city=" in page.url
        # the page now shows that county only: its ranking has one bar
        page.get_by_text("全部区县").wait_for(state="detached", timeout=30_000)


def test_streamlits_english_chrome_is_hidden_or_chinese(tmp_path: Path, seed_dir: Path) -> None:
    db_path = tmp_path / "seeds.duckdb"
    build.build(seed_dir, db_path, progress=False)
    with serve_app(tmp_path, db_path, seed_dir) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/import")
        zone = page.locator('[data-testid="stFileUploaderDropzone"]')
        zone.wait_for(timeout=60_000)
        assert not page.get_by_text("Upload", exact=True).is_visible()
        assert not page.get_by_text("per file").is_visible()
        assert "将文件拖放到此处" in zone.evaluate(
            "e => getComputedStyle(e.querySelector("
            "'[data-testid=stFileUploaderDropzoneInstructions] > div'), '::before').content"
        )
        page.goto(f"{url}/zero")
        _settled(page)
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        chart.hover()
        page.wait_for_timeout(500)
        toolbar = chart.locator("xpath=..").locator('[data-testid="stElementToolbar"]')
        assert toolbar.count() == 0 or not toolbar.first.is_visible()  # no English chart menu
