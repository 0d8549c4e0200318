"""Screenshot every page of the dashboard in Debian's headless Chromium (docs/screenshots/).

    python tools/screenshots.py [--db PATH] [--out DIR]

Builds the seeds into a temporary database unless --db is given, serves the app on a free
loopback port and saves one full-page PNG per page, 1400 px wide.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import build  # noqa: E402
from tests.browser_support import chromium, serve_app  # noqa: E402

PAGES = {
    "overview": "",
    "overview-guyuan": "?city=固原市",
    "active": "active",
    "procurement": "procurement",
    "requests": "requests",
    "requests-guyuan": "requests?city=固原市",
    "requests-county": "requests?req_by=区县&req_level=按理由（全部 20 项）",
    "requests-agency-asc": "requests?req_by=机构&req_new_sort=从低到高&req_new_top=前 10 个",
    "procurement-agency": "procurement?proc_by=机构",
    "zero-county": "zero?zero_by=区县",
    "zero": "zero",
    "zero-empty": "zero?q=不存在的机构",
    "compare": "compare",
    "quality": "quality",
    "report": "report",
}  # import.png (a preview under way) is taken by tests/test_browser_upload.py
# with NIANBAO_SCREENSHOT_DIR=docs/screenshots


def _settle(page) -> None:
    """Wait until the rerun is over and no element is still a loading skeleton."""
    for _ in range(60):
        page.wait_for_timeout(500)
        busy = page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')
        if busy.count() == 0:
            page.wait_for_timeout(700)
            if busy.count() == 0:
                return


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        reports = ROOT / "data" / "reports"
        db_path = args.db or tmp / "seeds.duckdb"
        if args.db is None:
            build.build(reports, db_path, progress=False)
        with serve_app(tmp, db_path, reports) as url, chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)  # the first session opens at /, as a user does
            page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
            for name, path in PAGES.items():
                page.goto(f"{url}/{path}")
                page.wait_for_selector('[data-testid="stMain"]', timeout=60_000)
                page.wait_for_timeout(1500)
                page.wait_for_selector(
                    '[data-testid="stStatusWidget"]', state="detached", timeout=60_000
                )
                _settle(page)
                # the app scrolls inside its main pane: grow the window to the content
                height = page.evaluate(
                    "document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
                )
                page.set_viewport_size({"width": 1400, "height": max(1000, int(height))})
                _settle(page)
                page.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
                page.set_viewport_size({"width": 1400, "height": 1000})
                print(args.out / f"{name}.png")


if __name__ == "__main__":
    main()
