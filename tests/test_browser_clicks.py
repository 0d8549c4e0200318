"""Issue 9 in a real headless Chromium, on a generated corpus with enough agencies to rank:
the top-N choice caps the bars and goes into the link, a click on a year's bar narrows the
filter to that year, a click on a report's bar or a coverage cell opens that report, and an
exported CSV, workbook and PNG hold what the chart shows."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from tests.browser_support import chromium, needs_chromium, serve_built, synth_reports

pytestmark = needs_chromium
CHART = '[data-testid="stVegaLiteChart"]'


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on 120 generated reports (agencies over runs of years); stopped at teardown."""
    tmp = tmp_path_factory.mktemp("clicks")
    with serve_built(tmp, synth_reports(tmp / "reports", 120, 7)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield context.new_page()
    context.close()


def _settled(page) -> None:
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(800)


def _bars(chart) -> int:
    return chart.locator('path[aria-roledescription="bar"]').count()


def test_top_n_caps_the_ranked_bars_and_goes_into_the_link(app_url: str, page) -> None:
    page.goto(f"{app_url}/requests?req_by=机构")
    _settled(page)
    ranked = page.locator(CHART).first
    assert 10 < _bars(ranked) <= 20  # the default: the top 20 of more agencies
    page.get_by_role("combobox", name="图中显示").first.click()
    page.get_by_role("option", name="前 10 个", exact=True).click()
    page.wait_for_url("**req_new_top=*", timeout=30_000)
    _settled(page)
    assert _bars(page.locator(CHART).first) == 10
    page.get_by_text("图中显示从高到低前 10 个").first.wait_for(timeout=30_000)


def test_clicking_a_years_bar_narrows_the_filter_to_that_year(app_url: str, page) -> None:
    page.goto(f"{app_url}/procurement")
    _settled(page)
    bar = page.locator(CHART).first.locator('path[aria-roledescription="bar"]').first
    bar.click(force=True)
    page.wait_for_url("**years=*", timeout=30_000)
    _settled(page)
    years = page.url.split("years=", 1)[1].split("&", 1)[0]
    first, last = years.split("-")
    assert first == last and first in ("2019", "2020")


def test_clicking_a_reports_bar_opens_that_report(app_url: str, page) -> None:
    page.goto(f"{app_url}/procurement")
    _settled(page)
    chart = page.locator(CHART).filter(has_text="采购金额最大的")
    chart.locator('path[aria-roledescription="bar"]').first.click(force=True)
    page.wait_for_url("**/report?*report=*", timeout=30_000)
    page.get_by_role("heading", name="报告详情").wait_for(timeout=30_000)


def test_clicking_a_coverage_cell_opens_that_report(app_url: str, page) -> None:
    page.goto(app_url)
    _settled(page)
    matrix = page.locator(CHART).filter(has_text="各机构年度报告发布情况")
    found = 'path[aria-roledescription="rect mark"]:not([fill="#e8e8e8"])'  # not 未找到
    matrix.locator(found).first.click(force=True)
    page.wait_for_url("**/report?*report=*", timeout=30_000)
    page.get_by_role("heading", name="报告详情").wait_for(timeout=30_000)


def _download(page, button: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button).first.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_the_exports_of_a_chart_hold_what_it_shows(app_url: str, page) -> None:
    page.goto(f"{app_url}/requests")
    _settled(page)
    name, csv = _download(page, "CSV 数据")
    assert name.endswith(".csv") and "依申请公开申请数" in name
    assert csv.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "年度,新收申请数,填写 n/N"
    years = [int(line.split(",")[0]) for line in lines[1:]]  # one row per year, in order
    assert years == list(range(2019, 2019 + len(years))) and len(years) >= 5

    name, xlsx = _download(page, "Excel 表格")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("年度", "新收申请数", "填写 n/N") and len(rows) == len(lines)

    name, png = _download(page, "PNG 图片")
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.width >= 1000  # drawn at 2× for a slide
    assert sum(image.histogram()[:128]) > 2000  # a drawn chart with title and axes, not blank
    keep = os.environ.get("NIANBAO_EXPORT_DIR")  # to look at it: set this to a folder
    if keep:
        (Path(keep) / name).write_bytes(png)
