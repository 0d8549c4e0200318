"""The dashboard in a real headless Chromium: filters, a page link and a PNG download.

Runs `streamlit run app.py` on a free 127.0.0.1 port against a database built from the
seeds in a temporary folder. Needs Debian's /usr/bin/chromium (never a downloaded browser).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl import load
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Iterator[str]:
    """The app served from a database built from the seeds; stopped at teardown."""
    tmp = tmp_path_factory.mktemp("browser")
    db_path = tmp / "seeds.duckdb"
    load.build(seed_dir, db_path, progress=False)
    conf = tmp / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=ROOT / "data" / "fonts", cache=tmp / "fc-cache"))
    port = _free_port()
    env = dict(
        os.environ,
        NIANBAO_DB=str(db_path),
        NIANBAO_REPORTS=str(seed_dir),
        FONTCONFIG_FILE=str(conf),
    )
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the Streamlit server did not start; see " + str(tmp / "server.log"))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


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
    page.get_by_role("link", name="查看最新一份报告：固原市机关事务管理局 2020年").wait_for(
        timeout=30_000
    )

    # A page link opens the report's detail page with ?report= in the URL.
    page.get_by_role("link", name="查看最新一份报告").click()
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
