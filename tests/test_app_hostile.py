"""Every page with hostile report text and odd metadata (issue 8): agency names written as
Markdown, HTML, Streamlit directives and spreadsheet formulas are shown as typed; a report
without a year, region or format does not break any page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl import build
from tests.conftest import ROOT, SEED_FILES
from tests.report_builder import distinct_values, report_text

APP = str(ROOT / "app.py")
PAGES = [
    "pages/overview.py",
    "pages/active.py",
    "pages/procurement.py",
    "pages/requests.py",
    "pages/zero.py",
    "pages/compare.py",
    "pages/quality.py",
    "pages/report.py",
    "pages/import.py",
]
# Names the parser keeps whole (it stops an agency at a colon, so no "http:" here).
HOSTILE = [  # the last is the newest: 总览 links to it by name
    '=HYPERLINK("//evil.example/x","盐池县")',
    "盐池县*斜体*~~删除~~`代码`<b>粗</b>局",
    "盐池县![图](//evil.example/b.png)局",
]
# What a Markdown renderer would turn into an image, emphasis, strike-through, code, HTML.
LIVE = ["![图](", "*斜体*", "~~删除~~", "`代码`", "<b>"]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("hostile")
    reports = base / "reports"
    reports.mkdir()
    shutil.copyfile(SEED_FILES[1], reports / SEED_FILES[1].name)
    for i, agency in enumerate(HOSTILE):
        text = report_text("2021", distinct_values("2021"), agency=agency, year=2021 + i)
        (reports / f"hostile{i}.txt").write_text(text, encoding="utf-8")
    # No year anywhere (no title year, no statistics period); one of them in Ningxia.
    no_year = report_text("2021", distinct_values("2021"), agency="某某县档案馆")
    no_year = no_year.replace("2022年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    (reports / "no-year.txt").write_text(no_year, encoding="utf-8")
    sender = report_text("2019", distinct_values("2019"), agency="报送单位：盐池县档案馆")
    sender = sender.replace("2020年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    (reports / "no-year-yanchi.txt").write_text(sender, encoding="utf-8")
    db = base / "h.duckdb"
    summary = build.build(reports, db, progress=False)
    assert summary.loaded == 6, summary.lines()
    con = duckdb.connect(str(db), read_only=True)
    years = con.sql(
        "SELECT year, agency, county FROM reports WHERE year IS NULL ORDER BY agency"
    ).fetchall()
    con.close()
    # the first names no real place: no year and no region
    assert years == [(None, "某某县档案馆", None), (None, "盐池县档案馆", "盐池县")]
    old = {k: os.environ.get(k) for k in ("NIANBAO_DB", "NIANBAO_REPORTS")}
    os.environ["NIANBAO_DB"], os.environ["NIANBAO_REPORTS"] = str(db), str(reports)
    yield db
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _markdown_texts(at: AppTest) -> list[str]:
    """Every body and label the page rendered: the strings Streamlit reads as Markdown."""
    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            for field, value in proto.ListFields():
                if field.name in ("body", "label") and isinstance(value, str):
                    out.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_show_as_plain_text_on_every_page(hostile_db: Path, page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    texts = _markdown_texts(at)
    assert texts, "nothing rendered"
    live = [(t, pat) for t in texts for pat in LIVE if pat in t]
    assert live == []


def test_the_report_page_shows_each_hostile_report(hostile_db: Path) -> None:
    con = duckdb.connect(str(hostile_db), read_only=True)
    ids = [i for (i,) in con.sql("SELECT id FROM reports ORDER BY id").fetchall()]
    con.close()
    assert len(ids) == 6
    for rid in ids:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["report"] = rid
        at.run()
        at.switch_page("pages/report.py").run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.selectbox(key="report_pick").value == rid
        live = [(t, pat) for t in _markdown_texts(at) for pat in LIVE if pat in t]
        assert live == []
