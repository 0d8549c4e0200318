"""The dashboard's shared views after the split of ui.py (AppTest and queries on the seeds):
year over year on 零报告 and 主动公开, totals from a query, one spelling for city- and
region-level agencies, a click that narrows the filter, a table exported under its name."""

from __future__ import annotations

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, view
from etl import spec
from tests import fixtures_docs as fd
from tests import test_app
from tests.test_app import run, url

seed_db = test_app.seed_db  # the database built from the seeds, shared with test_app


def _expanders(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def _change_tables(at: AppTest) -> list:
    return [t.value for t in at.dataframe if any(c.startswith("变化") for c in t.value.columns)]


def test_zero_filing_says_the_rate_change_on_the_previous_year(seed_db) -> None:
    at = run("pages/zero.py", years="2019-2020", zero_by="区县")
    assert not at.exception
    assert "较上年变化：2020 年对 2019 年（零报告率（%））" in _expanders(at)
    assert _change_tables(at) == []  # closed: not queried
    opened = {"zero_yoy_zero_filing_open": "true"}  # opened, as a copied link says
    at = run("pages/zero.py", years="2019-2020", zero_by="区县", **opened)
    changes = _change_tables(at)
    assert changes, "no change table"
    assert "变化（百分点）" in changes[0].columns  # a rate changes by points
    assert "变化率（%）" not in changes[0].columns  # never a % change of a %


def test_active_says_the_change_on_the_previous_year(seed_db) -> None:
    at = run("pages/active.py")
    assert not at.exception
    labels = _expanders(at)
    assert any(x.startswith("较上年变化：2023 年对 2022 年（主动公开信息条数") for x in labels)
    # table 二 of the 2019 format compares that format's last year, 2020, with 2019
    assert any(x.startswith("较上年变化：2020 年对 2019 年（") for x in labels), labels


@pytest.mark.parametrize(
    "f",
    [
        db.Filters(),
        db.Filters(include_outside=True),
        db.Filters(city="固原市"),
        db.Filters(years=(2019, 2020)),
        db.Filters(search="不存在的机构"),
    ],
)
def test_zero_totals_equal_the_sum_of_every_grouping(seed_db, f: db.Filters) -> None:
    total = db.zero_totals(f)
    for by in ("year", "county", "agency_type", "format"):
        groups = db.zero_rates(f, by)
        for col in ("zero_filing", "zero_filing_n", "zero_application", "reports"):
            assert total[col] == int(groups[col].sum()), (by, col)


def test_the_report_list_spells_city_level_agencies_as_the_groupings(seed_db) -> None:
    at = run(city="固原市")
    listing = next(t.value for t in at.dataframe if "查看" in t.value.columns)
    rows = {r["机构"]: r for r in pl.from_pandas(listing).iter_rows(named=True)}
    row = rows["固原市机关事务管理局"]  # an agency of the city itself: no county
    assert (row["地市"], row["区县"]) == ("固原市", "固原市" + spec.CITY_LEVEL_SUFFIX)
    counties = set(
        db.requests_cells(db.Filters(city="固原市"), ["new"], ["total"], "county")["grp"]
    )
    assert row["区县"] in counties  # the same name as in the by-区县 charts


def _clicker() -> None:
    """A page with the sidebar filter and a button that stands for a click on a bar."""
    import streamlit as st

    from dashboard import filters

    filters.sidebar()
    group, name = st.session_state.get("click", ("", ""))
    if st.button("click", key="click_button"):
        filters.filter_to(group, name)


@pytest.mark.parametrize(
    ("group", "name", "key", "want"),
    [
        ("年度", 2021, "years", ["2021-2021"]),
        ("年度", 2031, "years", []),  # outside the data: the filter stays
        ("区县", "海原县", "county", ["海原县"]),
        ("区县", "固原市（市直）", "city", ["固原市"]),
        ("机构", "固原市信访局", "q", ["固原市信访局"]),
        ("机构类别", "不存在的类别", "type", []),
    ],
)
def test_a_click_narrows_the_filter_to_the_clicked_group(
    seed_db, group: str, name: object, key: str, want: list[str]
) -> None:
    at = AppTest.from_function(_clicker, default_timeout=60).run()
    at.session_state["click"] = (group, name)
    at.button(key="click_button").click().run()
    assert not at.exception
    assert url(at, key) == want


def test_a_click_on_an_agency_type_filters_to_it(seed_db) -> None:
    kind = db.agency_types()[0]
    at = AppTest.from_function(_clicker, default_timeout=60).run()
    at.session_state["click"] = ("机构类别", kind)
    at.button(key="click_button").click().run()
    assert url(at, "type") == [kind]
    assert at.multiselect(key="f_types").value == [kind]


def test_a_tables_exports_carry_the_tables_name(seed_db) -> None:
    page = view.Page("零报告", db.Filters())
    page.table(
        "t", pl.DataFrame({"机构": ["甲"], "年度": [2023], "查看": ["report?report=x"]}), "名单"
    )
    name, chart, data = page.items[-1]
    assert (name, chart, data.columns) == ("名单", None, ["机构", "年度"])


def test_the_import_preview_shows_parser_warnings_in_chinese(seed_db) -> None:
    text = fd.seed_text("003")
    cut = text[: text.find("行政复议")]  # the text stops inside table 三
    at = run("pages/import.py")
    at.file_uploader[0].set_value([("截断.txt", cut.encode(), "text/plain")]).run()
    assert not at.exception
    shown = [t.value for t in at.dataframe if "提示" in t.value.columns]
    assert list(shown[0]["提示"]) == ["未找到表四", "正文在表三中间结束，报告可能不完整"]


def test_an_all_zero_year_chart_says_so(seed_db) -> None:
    at = run("pages/active.py")  # 规章·本年新制作数量 is 0 in both 2019-format reports
    assert "图中各年度全部为 0。" in [i.value for i in at.info]
