"""Issue 9: rankings that rank, outcome colours in the template's order, number formats,
time axes with every year, warnings in Chinese, every view a link (AppTest on the seeds)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

from dashboard import charts, labels, rankings, view
from etl import spec
from tests import test_app
from tests.test_app import ID_000, chart_values, run, specs, titles, url

seed_db = test_app.seed_db  # the database built from the seeds, shared with test_app


def _layer_data(spec_: dict, layer: dict) -> list[dict]:
    return spec_["datasets"][layer["data"]["name"]]


# --- charts ------------------------------------------------------------------------------


def test_outcome_scale_follows_the_template_with_one_hue_per_group() -> None:
    labels = [spec.ROW_NAMES[r] for r in spec.OUTCOME_ORDER]
    legend = {g: [spec.ROW_NAMES[r] for r in rows] for g, rows in spec.OUTCOME_GROUPS.items()}
    scale = charts.outcome_scale(sorted(labels), legend)  # code-point order in, template out
    assert scale.domain == labels
    colours = dict(zip(scale.domain, scale.range, strict=True))
    assert len(set(scale.range)) == len(labels)  # every outcome its own colour
    assert colours["予以公开"] != colours["不予公开·危及三安全一稳定"]
    denied = [colours[spec.ROW_NAMES[r]] for r in spec.OUTCOME_GROUPS["不予公开"]]
    assert denied == list(charts.OUTCOME_HUES["不予公开"])  # shades of one hue


def test_a_year_without_reports_is_a_gap_on_the_axis() -> None:
    df = pl.DataFrame({"年度": [2021, 2023], "件数": [3.0, 5.0]})
    chart = charts.line_chart(df, "年度", "件数", title="t", span=(2020, 2023)).to_dict()
    line = chart["layer"][0]
    assert line["encoding"]["x"]["scale"]["domain"] == [2020, 2021, 2022, 2023]
    rows = {r["年度"]: r["件数"] for r in _layer_data(chart, chart) if "年度" in r} or {
        r["年度"]: r["件数"] for r in chart["datasets"][chart["data"]["name"]]
    }
    assert rows == {2020: None, 2021: 3.0, 2022: None, 2023: 5.0}
    assert line["mark"]["invalid"] == "break-paths-filter-domains"


def test_float_counts_get_integer_ticks_and_rates_a_percent_axis() -> None:
    df = pl.DataFrame({"区县": ["a", "b"], "件数": [4.0, 1.0], "率（%）": [36.8, 5.0]})
    counts = charts.bar_chart(df, "区县", "件数", title="t").to_dict()["layer"][0]
    axis = counts["encoding"]["y"]["axis"]
    assert axis["format"] == ",d" and axis["tickMinStep"] == 1
    rates = charts.bar_chart(df, "区县", "率（%）", title="t", rate=True).to_dict()["layer"][0]
    assert rates["encoding"]["y"]["axis"]["labelExpr"].endswith("+ '%'")


def test_rate_labels_say_n_of_n_and_scarce_samples_say_so() -> None:
    assert rankings.rate_label(36.84210526, 7, 19, False) == "36.8%（7/19）"
    assert rankings.rate_label(None, 1, 3, True) == "样本不足（3 份）"
    assert labels.is_level_row("中卫市（市直）") and labels.is_level_row("自治区本级")
    assert not labels.is_level_row("平罗县")


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (
            "appeals (line 78): 16 cells for 15 columns; left empty",
            "表四（第 78 行）：16 个数字对应 15 列",
        ),
        ("metadata: no agency name found in the title", "标题中没有找到机构名称"),
        ("table 四 (appeals) not found", "未找到表四"),
        ("requests: something new (line 9)", "表三：解析提示（第 9 行）"),
        (
            "requests.partial (line 205): 6 values for 7 columns; 1, printed after the page's "
            "footer (line 352), is the total cell in the one reading whose total holds",
            "表三·部分公开（第 205 行）：印出 6 个数字对应 7 列；页脚之后（第 352 行）的 1",
        ),
        (
            "requests.not_processed_1 (line 369): its label printed after its values; the 7 "
            "values on lines 352-364, after unable_3's, placed here",
            "表三·不予处理·信访举报投诉（第 369 行）：行标签印在数字之后：第 352–364 行",
        ),
        (
            "requests.denied_1 (line 220): one value a line in a table where a row printed "
            "fewer values than columns, and its total holds, but a 0 moved in from a row whose "
            "label runs over lines would keep it: the extractor may have printed another row's "
            "values after this label; left empty",
            "表三·不予公开·国家秘密（第 220 行）：每格一行、空格不印的表中有行缺数",
        ),
        (
            "requests.total (line 92): 2 values for 7 columns; placed in the columns their "
            "page's values stand in, the one placement whose totals hold",
            "表三·总计（第 92 行）：印出 2 个数字对应 7 列；按本页各列数字的位置和表内合计关系",
        ),
        (
            "requests.not_processed_4 (line 120): 8 numbers for 7 columns; the last, 2 (line "
            "128), is the next page's number (table 二 ended with page number 1): without it "
            "the row's total holds, and without any other it does not",
            "表三·不予处理·大量反复申请（第 120 行）：印出 8 个数字对应 7 列；最后的 2",
        ),
        (
            "requests.new (line 58): the header row prints two columns' names in one cell: the "
            "row's cells do not stand one a column; left empty",
            "表三·本年新收申请（第 58 行）：表头把两列的名称印在同一格里",
        ),
        (
            "requests.denied_8 (line 185): 7 values and an empty cell between them, one cell more "
            "than columns, and with these values the row's own total does not hold: one of them "
            "may not be its own (a page number); left empty",
            "表三·不予公开·行政查询事项（第 185 行）：印出 7 个数字，中间还有一个空格",
        ),
        (
            "requests: no cells read for rows partial, denied_1",
            "表三：以下行未读出数字：部分公开、",
        ),
        (
            "requests: empty cells (printed blank, or a value not placed) in rows partial, total",
            "表三：以下行部分格子为空（原文未填，或无法确定数字位置）：部分公开、总计",
        ),
    ],
)
def test_parser_warnings_are_shown_in_chinese(english: str, chinese: str) -> None:
    shown = labels.warning_zh(english)
    assert shown.startswith(chinese)
    assert not any("a" <= ch.lower() <= "z" for ch in shown)


# --- pages -------------------------------------------------------------------------------


def _bars(at, title_part: str) -> list[str]:
    """The categories of the first chart whose title contains `title_part`, in axis order."""
    for s in specs(at):
        t = s.get("title")
        text = t if isinstance(t, str) else (t or {}).get("text", "")
        if title_part in text:
            enc = s["layer"][0]["encoding"]
            return enc["y"]["sort"]
    raise AssertionError(f"no chart titled …{title_part}…")


def test_requests_by_county_ranks_by_value_and_sets_city_rows_apart(seed_db: Path) -> None:
    at = run("pages/requests.py", req_by="区县")
    assert at.radio(key="req_by").value == "county"
    order = _bars(at, "依申请公开申请数")
    assert not any(labels.is_level_row(x) for x in order)
    level = [t for t in titles(at) if "市直、区直机构" in t]
    assert level, "city-level rows have their own chart"
    assert url(at, "req_by") == ["区县"]  # the link says what the screen says


def test_sort_switch_and_top_n_come_from_the_link(seed_db: Path) -> None:
    at = run("pages/requests.py", req_by="机构", req_top_sort="从低到高")
    ranked = _bars(at, "新收申请数最多的机构")
    values = {r["机构"]: r["新收申请数"] for r in _ranked_rows(at, "新收申请数最多的机构")}
    assert [values[a] for a in ranked] == sorted(values[a] for a in ranked)


def _ranked_rows(at, title_part: str) -> list[dict]:
    """The rows of the first chart titled …title_part… (Streamlit ships them as Arrow)."""
    for chart in at.get("vega_lite_chart"):
        s = json.loads(chart.proto.spec)
        t = s.get("title")
        text = t if isinstance(t, str) else (t or {}).get("text", "")
        if title_part in text:
            name = s["layer"][0]["data"]["name"]
            for ds in chart.proto.datasets:
                if ds.name == name:
                    return pa.ipc.open_stream(ds.data.data).read_all().to_pylist()
    raise AssertionError(title_part)


def test_a_rate_below_the_minimum_n_is_scarce_not_a_bar(seed_db: Path) -> None:
    at = run("pages/zero.py", zero_by="区县")
    notes = chart_values(at, "_note")
    assert any(str(n).startswith("样本不足") for n in notes if n)
    at = run("pages/zero.py", zero_by="区县", zero_rank_minn="1")
    assert not any(str(n).startswith("样本不足") for n in chart_values(at, "_note") if n)


def test_outcome_legend_is_in_template_order(seed_db: Path) -> None:
    at = run("pages/requests.py", req_level="按理由（全部 20 项）")
    mix = next(
        s for s in specs(at) if "办理结果构成" in json.dumps(s.get("title"), ensure_ascii=False)
    )
    domain = mix["encoding"]["color"]["scale"]["domain"]
    template = [spec.ROW_NAMES[r] for r in spec.OUTCOME_ORDER]
    assert domain == [x for x in template if x in domain]


def test_compare_opens_on_new_applications(seed_db: Path) -> None:
    at = run("pages/compare.py")
    assert at.selectbox(key="cmp_measure").value == "applications"
    at = run("pages/compare.py", cmp_measure="报告数")
    assert at.selectbox(key="cmp_measure").value == "reports"


def test_overview_key_year_and_map_measure_are_in_the_link(seed_db: Path) -> None:
    at = run(ov_year="2019年", ov_map_measure="新收申请数")
    assert at.selectbox(key="ov_year").value == 2019
    assert at.selectbox(key="ov_map_measure").value == "新收申请数"
    at.selectbox(key="ov_map_measure").set_value("报告数").run()
    assert any("各区县报告数" in t for t in titles(at))


def test_report_detail_lists_failed_checks_first(seed_db: Path) -> None:

    at = run("pages/report.py", report=ID_000)
    table = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    order = {"未通过": 0, "无法校验": 1, "通过": 2}
    ranks = [order[x] for x in table["结果"]]
    assert ranks == sorted(ranks)


def test_report_picker_follows_the_sidebar_filter(seed_db: Path) -> None:
    at = run("pages/report.py", city="固原市")
    options = at.selectbox(key="report_pick").options
    assert options and all("固原市" in o for o in options)
    assert all("当前版本" in o or "已被替代" in o for o in options)


def test_a_demo_databases_briefing_is_marked_in_every_file(seed_db: Path, tmp_path: Path) -> None:
    import io
    import zipfile

    import docx
    import openpyxl

    from dashboard import db

    with test_app.demo_copy(seed_db, tmp_path):
        f = db.Filters()
        page = view.Page("零报告", f)
        rates = pl.DataFrame({"年度": [2019, 2020], "零报告数": [1, 2]})
        page.items.append(
            ("零报告数", charts.bar_chart(rates, "年度", "零报告数", title="零报告数"), rates)
        )
        page.kpis.append(("零报告率（3/4）", "75.0%"))
        data = page.briefing_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        assert "模拟数据-零报告简报.docx" in names
        svg = zf.read("零报告数（可编辑文字）.svg").decode()
        assert "【模拟数据】" in svg and "并非真实报告中的数字" in svg
        sheet = openpyxl.load_workbook(io.BytesIO(zf.read("数据.xlsx"))).active
        assert [c.value for c in sheet[1]][-1] == "数据性质"
        assert sheet.cell(2, sheet.max_column).value == "模拟数据"
        doc = docx.Document(io.BytesIO(zf.read("模拟数据-零报告简报.docx")))
        assert doc.paragraphs[0].text.startswith("【模拟数据】")
        assert [c.text for c in doc.tables[0].rows[1].cells] == ["零报告率（3/4）", "75.0%"]


def test_a_county_outside_the_filter_is_not_no_data() -> None:
    df = pl.DataFrame(
        {
            "区县": ["原州区", "盐池县", "西吉县"],
            "tile_row": [1, 2, 3],
            "tile_col": [1, 1, 1],
            "报告数": [3, None, None],
            "说明": [None, charts.OUTSIDE_LABEL, None],
        }
    )
    spec_ = charts.tile_map(df, value="报告数", title="t", label="区县", reason="说明").to_dict()
    empty = spec_["layer"][1]
    assert empty["encoding"]["fill"]["scale"]["domain"] == [
        charts.MISSING_LABEL,
        charts.OUTSIDE_LABEL,
    ]
    notes = {r["区县"]: r["_missing"] for r in _layer_data(spec_, spec_["layer"][4])}
    assert notes == {"盐池县": "不在筛选范围", "西吉县": "无数据"}


def test_all_zero_is_said_as_such() -> None:
    assert charts.all_zero(pl.DataFrame({"v": [0, 0, None]}), "v")
    assert not charts.all_zero(pl.DataFrame({"v": [None, None]}, schema={"v": pl.Int64}), "v")
    assert not charts.all_zero(pl.DataFrame({"v": [0, 1]}), "v")


def test_compared_agencies_come_from_the_link(seed_db: Path) -> None:
    at = run("pages/compare.py")
    options = at.multiselect(key="cmp_names_agency").options
    assert len(options) >= 3
    picked = [options[2], options[0]]
    at = run("pages/compare.py", cmp_names_agency=picked)
    assert sorted(at.multiselect(key="cmp_names_agency").value) == sorted(picked)
