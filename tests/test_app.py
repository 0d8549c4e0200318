"""The dashboard driven through Streamlit's AppTest against a database built from the seeds.

Seeds: 000 固原市机关事务管理局 2020 (procurement, unit inferred), 001 盐池县 2021,
002 银州区 2019 (辽宁省, outside Ningxia), 003 海原县 2023, 004 固原市信访局 2019.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db, filters, view
from etl import build
from tests.conftest import ROOT, app_database

APP = str(ROOT / "app.py")
PAGES = {
    "pages/overview.py": 5,
    "pages/active.py": 3,
    "pages/procurement.py": 3,
    "pages/requests.py": 5,
    "pages/zero.py": 2,
    "pages/compare.py": 2,
    "pages/quality.py": 0,
    "pages/report.py": 0,
}
ID_000 = "b187e68673d21a09"
ID_002 = "cca56d6704896472"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Iterator[Path]:
    """A database built by the real loader from the seeds; the app reads it via NIANBAO_DB."""
    with app_database(seed_dir, tmp_path_factory.mktemp("db") / "seeds.duckdb") as path:
        yield path


def run(page: str = "pages/overview.py", **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    return at


def url(at: AppTest, key: str) -> list[str]:
    """A query parameter as a list (AppTest gives one value as a plain string)."""
    v = at.query_params.get(key, [])
    return [v] if isinstance(v, str) else list(v)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def titles(at: AppTest) -> list[str]:
    out = []
    for s in specs(at):
        t = s.get("title")
        out.append(t if isinstance(t, str) else (t or {}).get("text", ""))
    return out


def chart_values(at: AppTest, field: str) -> set:
    """Every value of `field` in the data of every chart on the page."""
    found: set = set()
    for chart in at.get("vega_lite_chart"):
        for ds in chart.proto.datasets:  # Streamlit ships chart data as Arrow, beside the spec
            table = pa.ipc.open_stream(ds.data.data).read_all()
            if field in table.column_names:
                found |= set(table.column(field).to_pylist())
    return found


def agencies_listed(at: AppTest) -> set[str]:
    """Agencies in the overview's report list (the table with a 机构 column and a link)."""
    for df in at.dataframe:
        frame = df.value
        if "机构" in frame.columns and "查看" in frame.columns:
            return set(frame["机构"])
    raise AssertionError("no report list on the page")


@pytest.mark.parametrize(("page", "n_charts"), PAGES.items())
def test_page_renders_without_exception(seed_db: Path, page: str, n_charts: int) -> None:
    at = run(page)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("vega_lite_chart")) >= n_charts
    assert at.title[0].value  # every page has its Chinese title
    assert not at.error


def test_navigation_lists_the_pages_in_chinese(seed_db: Path) -> None:
    at = run()
    assert "总览" in [t.value for t in at.title]
    at.switch_page("pages/report.py").run()
    assert at.title[0].value == "报告详情"


def test_default_view_is_ningxia_without_the_outside_report(seed_db: Path) -> None:
    at = run()
    assert agencies_listed(at) == {
        "固原市机关事务管理局",
        "固原市信访局",
        "盐池县机关事务服务中心",
        "海原县机关事务服务中心",
    }


def test_choosing_guyuan_leaves_its_two_reports(seed_db: Path) -> None:
    at = run()
    at.selectbox(key="f_city").select("固原市").run()
    assert agencies_listed(at) == {"固原市机关事务管理局", "固原市信访局"}
    assert all(t.startswith("固原市 2019–2023年") for t in titles(at))


def test_choosing_zhongwei_leaves_haiyuan(seed_db: Path) -> None:
    at = run()
    at.selectbox(key="f_city").select("中卫市").run()
    assert agencies_listed(at) == {"海原县机关事务服务中心"}


def test_county_choices_follow_the_city(seed_db: Path) -> None:
    at = run()
    at.selectbox(key="f_city").select("固原市").run()
    assert at.selectbox(key="f_county").options == [
        filters.ALL_COUNTIES,
        "原州区",
        "西吉县",
        "隆德县",
        "泾源县",
        "彭阳县",
    ]
    at.selectbox(key="f_county").select("西吉县").run()
    # no seed from 西吉县: the advice says which filter to drop and what is there then
    assert [i.value.replace("\\", "") for i in at.info] == [
        "当前筛选条件下没有报告：去掉“区县”筛选后有 2 份报告；去掉“地市”筛选后有 4 份报告。"
    ]
    at.selectbox(key="f_city").select("中卫市").run()
    assert at.selectbox(key="f_county").value == filters.ALL_COUNTIES  # reset with the city


def test_filters_are_written_to_the_url(seed_db: Path) -> None:
    at = run()
    at.selectbox(key="f_city").select("固原市").run()
    at.slider(key="f_years").set_range(2019, 2020).run()
    at.multiselect(key="f_types").select("信访").run()
    at.text_input(key="f_q").input("信访").run()
    at.checkbox(key="f_outside").check().run()
    assert url(at, "city") == ["固原市"]
    assert url(at, "years") == ["2019-2020"]
    assert url(at, "type") == ["信访"]
    assert url(at, "q") == ["信访"]
    assert url(at, "outside") == ["1"]
    assert agencies_listed(at) == {"固原市信访局"}


def test_a_copied_link_reopens_the_same_view(seed_db: Path) -> None:
    at = run(city="中卫市", county="海原县", years="2021-2023", fmt="2021", outside="1")
    assert at.selectbox(key="f_city").value == "中卫市"
    assert at.selectbox(key="f_county").value == "海原县"
    assert at.slider(key="f_years").value == (2021, 2023)
    assert at.multiselect(key="f_fmts").value == ["2021"]
    assert at.checkbox(key="f_outside").value is True
    assert agencies_listed(at) == {"海原县机关事务服务中心"}
    assert url(at, "years") == ["2021-2023"]  # and it stays in the URL


def test_bad_url_values_fall_back_to_all(seed_db: Path) -> None:
    at = run(city="北京市", years="abc", type="不存在")
    assert not at.exception
    assert at.selectbox(key="f_city").value == filters.ALL_CITIES
    assert "city" not in at.query_params


def test_filters_survive_a_page_switch(seed_db: Path) -> None:
    at = run()
    at.selectbox(key="f_city").select("固原市").run()
    at.switch_page("pages/zero.py").run()
    assert at.selectbox(key="f_city").value == "固原市"
    assert url(at, "city") == ["固原市"]
    assert all(t.startswith("固原市") for t in titles(at))


def test_empty_filter_shows_a_message_on_every_page(seed_db: Path) -> None:
    at = run(q="没有这个机构")
    for page in PAGES:
        if page in ("pages/report.py", "pages/quality.py"):
            continue  # these list every report / every issue, not the filtered figures
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.info, page
        assert not at.get("vega_lite_chart"), page


def test_zero_filing_rates_show_n_of_n(seed_db: Path) -> None:
    at = run("pages/zero.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["零报告率（3/4）"] == "75.0%"  # n/N in the label: the value is never cut
    assert metrics["零申请率（4/4）"] == "100.0%"
    at.checkbox(key="f_outside").check().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["零报告率（4/5）"] == "80.0%"
    assert "（含区外报告）" in titles(at)[0]


def test_procurement_marks_the_inferred_unit(seed_db: Path) -> None:
    at = run("pages/procurement.py")
    assert "推断单位" in chart_values(at, "单位来源")
    assert 208.8366 in chart_values(at, "金额（万元）")


def test_procurement_outside_2019_format_explains_why_empty(seed_db: Path) -> None:
    at = run("pages/procurement.py", fmt="2021")
    assert not at.get("vega_lite_chart")
    assert "2019 版格式" in at.info[0].value


def test_active_shows_the_two_formats_apart_with_evidence(seed_db: Path) -> None:
    at = run("pages/active.py")
    assert any("2019版" in t for t in titles(at)) and any("2021版" in t for t in titles(at))
    assert "通过政府网站公开信息共26条" in chart_values(at, "原文依据")
    assert "不跨格式比较" in at.warning[0].value


def test_report_detail_from_the_url_keeps_blank_apart_from_zero(seed_db: Path) -> None:
    at = run("pages/report.py")
    at.query_params["report"] = ID_002
    at.run()
    assert at.selectbox(key="report_pick").value == ID_002
    table3 = next(d.value for d in at.dataframe if "自然人" in d.value.columns)
    new = table3[table3["项目"] == "本年新收申请"].iloc[0]
    assert new["自然人"] == ""  # 002 leaves the applicant columns blank
    assert new["总计"] == "0"  # and prints 0 in 总计
    source = next(d.value for d in at.dataframe if "原文" in d.value.columns)
    assert source["取数"].str.contains("表三").any()


def test_report_picker_writes_the_report_to_the_url(seed_db: Path) -> None:
    at = run("pages/report.py")
    at.selectbox(key="report_pick").select(ID_000).run()
    assert url(at, "report") == [ID_000]
    assert "固原市机关事务管理局" in at.subheader[0].value


def test_quality_lists_the_outside_report_with_a_link(seed_db: Path) -> None:
    at = run("pages/quality.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["宁夏以外的报告"] == "1"
    assert metrics["推断单位"] == "1"
    outside = next(d.value for d in at.dataframe if "省份" in d.value.columns)
    assert outside["查看"].iloc[0].endswith(f"report={ID_002}")


def test_compare_needs_two_choices(seed_db: Path) -> None:
    at = run("pages/compare.py")
    assert len(at.multiselect(key="cmp_names_agency").value) == 2
    at.multiselect(key="cmp_names_agency").set_value(["固原市信访局"]).run()
    assert at.info[0].value == "请至少选择 2 个机构。"


@contextmanager
def demo_copy(seed_db: Path, tmp_path: Path) -> Iterator[Path]:
    """The app reading a copy of the seed database marked as demo data, for the `with` body."""
    demo = tmp_path / "demo.duckdb"
    shutil.copy(seed_db, demo)
    with duckdb.connect(str(demo)) as con:
        con.execute("UPDATE meta SET value = 'true' WHERE key = 'demo'")
    os.environ["NIANBAO_DB"] = str(demo)
    try:
        yield demo
    finally:
        os.environ["NIANBAO_DB"] = str(seed_db)


def test_demo_database_shows_the_banner(seed_db: Path, tmp_path: Path) -> None:
    with demo_copy(seed_db, tmp_path):
        at = run()
        assert "模拟数据，仅供演示" in [w.value for w in at.warning]
    assert "模拟数据，仅供演示" not in [w.value for w in run().warning]


def test_a_replaced_database_file_is_reopened(seed_db: Path, tmp_path: Path) -> None:
    live = tmp_path / "live.duckdb"
    shutil.copy(seed_db, live)
    os.environ["NIANBAO_DB"] = str(live)
    try:
        assert db.totals(db.ALL)["reports"] == 4
        newer = tmp_path / "newer.duckdb"
        shutil.copy(seed_db, newer)
        with duckdb.connect(str(newer)) as con:
            con.execute("UPDATE reports SET in_ningxia = true")
            con.execute("UPDATE report_index SET in_ningxia = true")  # the build's index
        os.replace(newer, live)  # what the build does
        assert db.totals(db.ALL)["reports"] == 5
    finally:
        os.environ["NIANBAO_DB"] = str(seed_db)


def test_sums_keep_blank_apart_from_zero(seed_db: Path) -> None:
    with_002 = db.Filters(include_outside=True, years=(2019, 2019))
    cells = db.requests_cells(with_002, ["new"], ["natural", "total"], "year")
    natural = cells.filter(cells["col_id"] == "natural").row(0, named=True)
    assert (natural["value"], natural["n"], natural["reports"]) == (0.0, 1, 2)  # 002 blank
    only_002 = db.Filters(include_outside=True, search="银州区")
    cells = db.requests_cells(only_002, ["new"], ["natural"], "year")
    assert cells["value"].to_list() == [None]  # nothing printed: NULL, not 0


def test_briefing_zip_holds_each_chart_and_its_data(seed_db: Path) -> None:
    from dashboard import charts

    f = db.Filters(city="固原市")
    page = view.Page("零报告", f)
    rates = db.zero_rates(f, "year").select(
        pl.col("grp").cast(pl.String).alias("年度"), pl.col("zero_filing").alias("零报告数")
    )
    chart = charts.bar_chart(rates, "年度", "零报告数", title=filters.title(f, "零报告数"))
    page.items.append(("零报告数", chart, rates))
    page.items.append(("名单", None, rates))  # a table: not in the ZIP
    with zipfile.ZipFile(io.BytesIO(page.briefing_bytes())) as zf:
        names = set(zf.namelist())
        assert {"零报告数.png", "零报告数.svg", "数据.xlsx", "说明.txt"} <= names
        assert not any(n.startswith("名单") for n in names)
        assert zf.read("零报告数.png")[:8] == b"\x89PNG\r\n\x1a\n"
        assert "固原市 2019–2023年" in zf.read("说明.txt").decode("utf-8-sig")


@pytest.mark.parametrize(
    ("page", "radio", "options"),
    [
        ("pages/active.py", "active_by", ["year", "city", "county", "agency"]),
        ("pages/procurement.py", "proc_by", ["year", "county", "agency"]),
        ("pages/requests.py", "req_by", ["year", "city", "county", "agency"]),
        ("pages/zero.py", "zero_by", ["year", "county", "agency_type", "city"]),
        ("pages/compare.py", "cmp_kind", ["agency", "county"]),
    ],
)
def test_every_grouping_renders(seed_db: Path, page: str, radio: str, options: list[str]) -> None:
    at = run(page)
    assert len(at.radio(key=radio).options) == len(options)
    for option in options:
        at.radio(key=radio).set_value(option).run()
        assert not at.exception, (option, [e.value for e in at.exception])
        assert at.get("vega_lite_chart"), option


def test_every_measure_of_the_overview_map_and_compare_renders(seed_db: Path) -> None:
    at = run()
    for option in at.selectbox(key="ov_map_measure").options:
        at.selectbox(key="ov_map_measure").select(option).run()
        assert not at.exception, option
    at.switch_page("pages/compare.py").run()
    for option in at.selectbox(key="cmp_measure").options:
        at.selectbox(key="cmp_measure").select(option).run()
        assert not at.exception, option
        assert len(at.get("vega_lite_chart")) == 2


def test_the_app_builds_a_missing_database_first(seed_db: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.duckdb"
    os.environ["NIANBAO_DB"] = str(fresh)
    try:
        at = run()
        assert fresh.exists()
        assert not at.exception
        assert len(agencies_listed(at)) == 4  # the four Ningxia seeds
        assert not build.needs_build(Path(os.environ["NIANBAO_REPORTS"]), fresh)
    finally:
        os.environ["NIANBAO_DB"] = str(seed_db)


def test_quality_names_a_narrative_only_report_in_chinese(
    seed_db: Path, seed_dir: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    shutil.copy(ROOT / "tests" / "openings" / "opening_compiled_by_without_title.txt", reports)
    path = tmp_path / "narrative.duckdb"
    build.build(reports, path, progress=False)
    os.environ["NIANBAO_DB"], os.environ["NIANBAO_REPORTS"] = str(path), str(reports)
    try:
        at = run("pages/quality.py")
        table = next(d.value for d in at.dataframe if "解析状态" in d.value.columns)
        rows = table[table["机构"] == "固原市城乡供水服务中心"]
        assert set(rows["解析状态"]) == {"只有正文（无统计表）"}
    finally:
        os.environ["NIANBAO_DB"], os.environ["NIANBAO_REPORTS"] = str(seed_db), str(seed_dir)


def test_quality_shows_a_long_list_one_page_at_a_time(
    seed_db: Path, seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(seed_dir, reports)
    first = sorted(reports.glob("000_*.txt"))[0]
    for n in (1, 2):  # two more versions of one agency's year: three rows in 同年度多份报告
        (reports / f"again{n}.txt").write_text(first.read_text() + "\n" * n, encoding="utf-8")
    path = tmp_path / "versions.duckdb"
    build.build(reports, path, progress=False)
    monkeypatch.setattr(view, "PAGE_ROWS", 2)
    monkeypatch.setenv("NIANBAO_DB", str(path))
    monkeypatch.setenv("NIANBAO_REPORTS", str(reports))
    at = run("pages/quality.py")
    assert {m.label: m.value for m in at.metric}["同年度多份报告"] == "3"
    pager = at.number_input(key="q_conflicts_page")
    assert pager.value == 1 and "共 3 条" in pager.label and "共 2 页" in pager.label

    def shown() -> pl.DataFrame:
        return pl.from_pandas(next(d.value for d in at.dataframe if "状态" in d.value.columns))

    page1 = shown()
    assert page1.height == 2
    pager.set_value(2).run()
    page2 = shown()
    assert page2.height == 1
    both = pl.concat([page1, page2])
    assert sorted(both["状态"]) == ["已替代", "已替代", "当前"]
    assert both["查看"].n_unique() == 3  # each version once, each with its link
    monkeypatch.setattr(view, "PAGE_ROWS", 1)
    at.number_input(key="q_conflicts_page").set_value(3).run()
    monkeypatch.setattr(view, "PAGE_ROWS", 2)  # fewer pages now, as after a narrower filter
    at.run()
    assert not at.exception
    assert at.number_input(key="q_conflicts_page").value == 1  # other pages: from the first
    assert shown().height == 2


def test_report_picker_is_capped_with_a_note_and_a_link_still_opens(
    seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "PICKER_MAX", 1)
    at = run("pages/report.py")
    assert len(at.selectbox(key="report_pick").options) == 1
    note = next(c.value for c in at.caption if "请用筛选或搜索缩小范围" in c.value)
    assert note.startswith("共 4 份")  # the four Ningxia seeds
    first = at.selectbox(key="report_pick").value
    other = next(i for i in (ID_000, ID_002) if i != first)
    at = run("pages/report.py", report=other)
    assert at.selectbox(key="report_pick").value == other  # beyond the cap, by its link
    assert not at.warning


def test_report_search_narrows_the_picker(seed_db: Path) -> None:
    at = run("pages/report.py")
    at.text_input(key="report_search").input("信访").run()
    options = at.selectbox(key="report_pick").options
    assert sum("信访" in o for o in options) >= 1
    assert sum("信访" not in o for o in options) <= 1  # only the report on screen stays
    at.text_input(key="report_search").input("没有这个机构").run()
    assert "没有机构名称或来源文件名含“没有这个机构”的报告" in at.info[0].value
