"""Chart builders and the app theme, tested on their Vega-Lite specs (and one SVG render)."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import altair as alt
import polars as pl
import pytest
import vl_convert

from dashboard import charts
from dashboard.fonts import FONT_STACK, register_fonts


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _relative_luminance(hex_color: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.fixture
def agencies() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "机关": ["固原市信访局", "盐池县机关事务服务中心", "海原县机关事务服务中心"],
            "件数": [12, None, 0],
        }
    )


def test_importing_charts_enables_the_theme() -> None:
    assert alt.theme.active == charts.THEME_NAME


def test_theme_sets_cjk_font_sizes_and_white_background(agencies: pl.DataFrame) -> None:
    config = charts.bar_chart(agencies, "机关", "件数", title="标题").to_dict()["config"]
    assert config["font"] == FONT_STACK
    assert config["title"]["fontSize"] == 16
    assert config["axis"]["labelFontSize"] == 12
    assert config["legend"]["labelFontSize"] == 12
    assert config["axis"]["labelFont"].endswith("sans-serif")
    assert config["background"] == "white"
    assert config["range"]["category"] == list(charts.PALETTE)


def test_palette_has_distinct_grey_levels() -> None:
    levels = sorted(_relative_luminance(c) for c in charts.PALETTE)
    assert min(b - a for a, b in pairwise(levels)) >= 0.07


def test_bar_chart_spec_has_title_bars_and_exact_tooltips(agencies: pl.DataFrame) -> None:
    spec = charts.bar_chart(agencies, "机关", "件数", title="本年新收申请").to_dict()
    bars, notes = spec["layer"]
    assert spec["title"] == "本年新收申请"
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "机关"
    assert bars["encoding"]["y"] | {"axis": None} == {
        "field": "件数",
        "type": "quantitative",
        "title": None,
        "axis": None,
    }
    tips = {t["field"]: t for t in bars["encoding"]["tooltip"]}
    assert set(tips) == {"机关", "件数"}
    assert tips["件数"]["format"] == charts.EXACT_FORMAT
    assert notes["mark"]["type"] == "text"


def test_bar_chart_never_draws_null_as_a_bar(agencies: pl.DataFrame) -> None:
    spec = charts.bar_chart(agencies, "机关", "件数", title="t").to_dict()
    bars, notes = spec["layer"]
    assert [r["件数"] for r in _rows(spec, bars)] == [12, 0]  # a printed 0 is kept
    assert _rows(spec, notes) == [
        {"机关": "盐池县机关事务服务中心", "件数": None, "_note": charts.MISSING_LABEL}
    ]
    assert bars["encoding"]["x"]["sort"] == notes["encoding"]["x"]["sort"]


def test_bar_chart_horizontal_descending_puts_nulls_last(agencies: pl.DataFrame) -> None:
    spec = charts.bar_chart(
        agencies, "机关", "件数", title="t", horizontal=True, sort="descending", color="机关"
    ).to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["field"] == "机关"
    assert bars["x"]["field"] == "件数"
    assert bars["color"]["field"] == "机关"
    assert bars["y"]["sort"] == ["固原市信访局", "海原县机关事务服务中心", "盐池县机关事务服务中心"]


def test_bar_chart_casts_decimal_to_float() -> None:
    df = pl.DataFrame(
        {"k": ["甲"], "v": [Decimal("1.50")]}, schema={"k": pl.String, "v": pl.Decimal(10, 2)}
    )
    spec = charts.bar_chart(df, "k", "v", title="t").to_dict()
    assert _rows(spec, spec["layer"][0]) == [{"k": "甲", "v": 1.5}]


def test_builders_refuse_more_rows_than_altair_allows() -> None:
    df = pl.DataFrame({"k": [str(i) for i in range(5001)], "v": list(range(5001))})
    with pytest.raises(ValueError, match="5000"):
        charts.bar_chart(df, "k", "v", title="t")


def test_stacked_bar_drops_null_segments_and_can_normalize() -> None:
    df = pl.DataFrame(
        {
            "年度": [2020, 2020, 2021],
            "结果": ["予以公开", "部分公开", "予以公开"],
            "件数": [3, None, 5],
        }
    )
    spec = charts.stacked_bar(
        df, "年度", "件数", "结果", title="办理结果", normalize=True
    ).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["title"] == "办理结果"
    assert spec["encoding"]["y"]["stack"] == "normalize"
    assert spec["encoding"]["color"]["field"] == "结果"
    assert [r["件数"] for r in _rows(spec, spec)] == [3, 5]
    tips = {t["field"]: t for t in spec["encoding"]["tooltip"]}
    assert tips["年度"]["type"] == "ordinal"
    assert tips["件数"]["format"] == charts.EXACT_FORMAT


def test_line_chart_years_are_ordinal_and_nulls_break_the_line() -> None:
    df = pl.DataFrame({"year": [2019, 2020, 2021], "件数": [4, None, 7]})
    spec = charts.line_chart(df, "year", "件数", title="趋势").to_dict()
    line, points = spec["layer"]
    assert spec["title"] == "趋势"
    assert line["mark"]["type"] == "line"
    assert line["mark"]["invalid"] == "break-paths-filter-domains"
    assert points["mark"]["invalid"] == "filter"
    assert line["encoding"]["x"]["type"] == "ordinal"
    assert {t["field"]: t["type"] for t in line["encoding"]["tooltip"]} == {
        "year": "ordinal",
        "件数": "quantitative",
    }


def test_line_chart_renders_years_without_thousands_separator() -> None:
    register_fonts()
    df = pl.DataFrame({"year": [2019, 2020, 2021], "件数": [4000, 5200, 7000]})
    svg = vl_convert.vegalite_to_svg(charts.line_chart(df, "year", "件数", title="t").to_dict())
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert {"2019", "2020", "2021"} <= set(labels)
    assert "2,019" not in labels
    assert "4,000" in labels


def test_matrix_chart_fixes_one_colour_per_category() -> None:
    df = pl.DataFrame(
        {
            "机关": ["甲", "甲", "乙", "乙"],
            "year": [2020, 2021, 2020, 2021],
            "状态": ["已发布", "未找到", "校验未通过", "另类"],
        }
    )
    spec = charts.matrix_chart(df, "year", "机关", "状态", title="报告覆盖").to_dict()
    assert spec["mark"]["type"] == "rect"
    scale = spec["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    for status, colour in charts.COVERAGE_COLORS.items():
        assert colours[status] == colour
    assert colours["另类"] == charts.PALETTE[0]
    assert spec["encoding"]["x"]["type"] == "ordinal"


def test_tile_map_places_counties_and_keeps_null_apart_from_zero() -> None:
    regions = pl.read_csv(Path(__file__).resolve().parents[1] / "data" / "regions.csv")
    counties = regions.filter(pl.col("level") == "county").select("name", "tile_row", "tile_col")
    values = [
        None if n == "海原县" else (0 if n == "泾源县" else i + 1)
        for i, n in enumerate(counties["name"])
    ]
    df = counties.with_columns(pl.Series("申请数", values, dtype=pl.Int64))
    spec = charts.tile_map(df, value="申请数", title="各县申请数").to_dict()
    filled, empty, names, gap_names, notes = spec["layer"]
    assert spec["title"] == "各县申请数"
    assert filled["encoding"]["x"]["field"] == "tile_col"
    assert filled["encoding"]["y"]["field"] == "tile_row"
    assert filled["encoding"]["color"]["field"] == "申请数"
    assert len(_rows(spec, filled)) == 21
    assert {r["name"] for r in _rows(spec, filled) if r["申请数"] == 0} == {"泾源县"}
    assert [r["name"] for r in _rows(spec, empty)] == ["海原县"]
    assert empty["encoding"]["fill"]["scale"]["domain"] == [charts.MISSING_LABEL]
    assert len(_rows(spec, names)) + len(_rows(spec, gap_names)) == 22
    assert names["encoding"]["text"]["field"] == gap_names["encoding"]["text"]["field"] == "name"
    assert {t["field"] for t in names["encoding"]["tooltip"]} == {"name", "申请数"}
    assert [r["_missing"] for r in _rows(spec, notes)] == [charts.MISSING_LABEL]


def test_tile_map_missing_tiles_keep_the_callers_tooltip_fields() -> None:
    df = pl.DataFrame(
        {"区县": ["海原县", "盐池县"], "tile_row": [5, 4], "tile_col": [1, 4], "报告数": [0, 3]}
    ).with_columns(pl.Series("申请数", [None, 7], dtype=pl.Int64))
    spec = charts.tile_map(
        df, value="申请数", title="t", label="区县", tooltip=["区县", "报告数", "申请数"]
    ).to_dict()
    empty = spec["layer"][1]
    assert [t["field"] for t in empty["encoding"]["tooltip"]] == ["区县", "报告数", "_missing"]
    assert _rows(spec, empty)[0]["报告数"] == 0


def test_bar_chart_by_year_keeps_year_labels_level() -> None:
    df = pl.DataFrame({"年度": [2020, 2021], "件数": [3, 4]})
    spec = charts.bar_chart(df, "年度", "件数", title="t").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert spec["layer"][0]["encoding"]["y"]["axis"]["tickMinStep"] == 1  # counts: no 0.5 ticks


def test_a_count_axis_never_labels_a_tick_between_two_whole_numbers() -> None:
    # a top value of 1: the axis runs to 1.3 for the value labels, and Vega puts a tick at 0.5
    df = pl.DataFrame({"机构": ["甲", "乙"], "件数": [1, 0], "标注": ["1", "0"]})
    chart = charts.bar_chart(df, "机构", "件数", title="t", horizontal=True, labels="标注")
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    axis = re.findall(r"role-axis-label.*?</g>", svg, re.S)
    labels = re.findall(r">([^<>]+)</text>", axis[0])
    assert labels == ["0", "1"]


def test_bar_chart_slants_long_names_instead_of_standing_them_on_end() -> None:
    df = pl.DataFrame({"机构": ["固原市机关事务管理局", "固原市信访局"], "件数": [3, 4]})
    spec = charts.bar_chart(df, "机构", "件数", title="t").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["axis"]["labelAngle"] == -35
