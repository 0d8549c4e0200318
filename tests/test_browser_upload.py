"""导入报告 in a real headless Chromium: upload a .docx and a .txt, preview, confirm, see them.

The app is served on 127.0.0.1 against a copy of the seeds in a temporary folder, so the
import writes there and never into data/. Needs Debian's /usr/bin/chromium. Set
NIANBAO_SCREENSHOT_DIR to keep the screenshot of the preview (docs/screenshots/import.png).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import fixtures_docs as fd
from tests.browser_support import chromium, needs_chromium, serve_built

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def import_app(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Iterator[str]:
    """The app served over a writable copy of the seeds; stopped at teardown."""
    tmp = tmp_path_factory.mktemp("browser_upload")
    reports = tmp / "reports"
    shutil.copytree(seed_dir, reports)
    with serve_built(tmp, reports) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with chromium() as b:
        yield b


def _idle(page) -> None:
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def test_upload_preview_confirm_and_open_the_new_report(
    import_app: str,
    browser,
    tmp_path: Path,
) -> None:
    docx = fd.build_docx(fd.seed_blocks(fd.seed_text("001")))  # 盐池县 2021: replaces the seed
    txt = fd.seed_text("003").replace("2023", "2024").encode()  # 海原县 2024: a new year
    scanned = fd.build_scanned_pdf()  # refused: no text layer
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(import_app)  # the app's entry first, as a user arrives
    page.get_by_role("link", name="导入报告").click()
    page.get_by_role("heading", name="导入报告").wait_for(timeout=60_000)
    _idle(page)

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [
            {"name": "盐池县2021.docx", "mimeType": "application/octet-stream", "buffer": docx},
            {"name": "海原县2024.txt", "mimeType": "text/plain", "buffer": txt},
            {"name": "扫描件.pdf", "mimeType": "application/pdf", "buffer": scanned},
        ]
    )
    confirm = page.get_by_role("button", name="确认导入（2 份）")
    confirm.wait_for(timeout=60_000)
    _idle(page)
    page.get_by_text("将替换 盐池县机关事务服务中心 2021 年的同年度报告").first.wait_for()
    page.get_by_text("海原县2024.txt → 海原县机关事务服务中心 2024年").wait_for()
    page.get_by_text("扫描件，无文字层").wait_for(state="attached")  # a canvas grid
    assert page.get_by_text("Traceback").count() == 0

    shots = Path(os.environ.get("NIANBAO_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "import.png"), full_page=True)

    confirm.click()
    page.get_by_text("导入完成：导入 2 份，未变 5 份，拒收 0 份。").wait_for(timeout=120_000)
    _idle(page)
    page.get_by_role("link", name="查看报告详情：海原县机关事务服务中心 2024年").click()
    page.wait_for_url("**/report?*report=*", timeout=30_000)
    page.get_by_role(
        "heading", name="海原县机关事务服务中心 2024年政府信息公开工作年度报告"
    ).wait_for(timeout=60_000)
    page.close()
