"""Exports: real PNG/SVG renders through vl-convert, CSV/XLSX read back, the briefing ZIP."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

import altair as alt
import docx
import openpyxl
import polars as pl
import pytest

from dashboard import charts, export

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "机关": ["固原市信访局", "盐池县机关事务服务中心", "海原县机关事务服务中心"],
            "件数": [12, None, 0],
            "金额": [Decimal("2088366.00"), None, Decimal("12.50")],
        },
        schema={"机关": pl.String, "件数": pl.Int64, "金额": pl.Decimal(12, 2)},
    )


@pytest.fixture(scope="module")
def chart(frame: pl.DataFrame) -> alt.LayerChart:
    return charts.bar_chart(frame, "机关", "件数", title="本年新收政府信息公开申请数量").properties(
        width=300, height=160
    )


def test_png_bytes_is_a_png_twice_the_chart_size_at_scale_2(chart: alt.LayerChart) -> None:
    one = _png_size(export.png_bytes(chart, scale=1))
    two = _png_size(export.png_bytes(chart, scale=2))
    assert two == (one[0] * 2, one[1] * 2)
    svg = ET.fromstring(export.svg_bytes(chart))
    assert (int(svg.get("width")), int(svg.get("height"))) == one
    assert one[0] > 300  # plot width plus the axis labels


def _uses(group: ET.Element) -> list[str]:
    return [u.get(XLINK) for u in group.iter(f"{SVG}use")]


def test_svg_bytes_draws_all_text_as_glyph_outlines(chart: alt.LayerChart) -> None:
    root = ET.fromstring(export.svg_bytes(chart))
    assert root.findall(f".//{SVG}text") == []
    groups = {g.get("aria-label"): g for g in root.iter(f"{SVG}g") if g.get("aria-label")}
    assert "盐池县机关事务服务中心" in groups
    title = _uses(groups["本年新收政府信息公开申请数量"])
    assert len(title) == 14  # one outline per ideograph
    outlines = {p.get("id"): p.get("d") for p in root.find(f"{SVG}defs")}
    assert all(len(outlines[ref.removeprefix("#")]) > 50 for ref in title)
    every_use = [u.get(XLINK).removeprefix("#") for u in root.iter(f"{SVG}use")]
    assert len(every_use) > len(outlines) == len(set(every_use))  # each glyph defined once


def test_text_to_paths_keeps_text_the_font_cannot_draw_and_drops_hidden_labels() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40">'
        '<text text-anchor="middle" transform="translate(50,20)" font-size="12px" fill="#333">'
        "宁夏</text>"
        '<text font-size="12px">a≟b</text>'
        '<text font-size="12px" opacity="0">隐藏</text></svg>'
    )
    root = ET.fromstring(export.text_to_paths(svg))
    assert [t.text for t in root.findall(f"{SVG}text")] == ["a≟b"]
    (group,) = root.findall(f"{SVG}g")
    assert group.get("transform") == "translate(50,20)"
    assert group.get("fill") == "#333"
    assert group.get("aria-label") == "宁夏"
    assert len(_uses(group)) == 2
    assert [u.get("x") for u in group.iter(f"{SVG}use")] == ["-1000", "0"]  # centred, 2 em
    start = ET.fromstring(export.text_to_paths(svg.replace('text-anchor="middle" ', "")))
    assert [u.get("x") for u in start.iter(f"{SVG}use")] == ["0", "1000"]


def test_export_refuses_charts_over_the_row_limit() -> None:
    big = alt.Chart(pl.DataFrame({"v": list(range(5001))})).mark_tick().encode(x="v:Q")
    with pytest.raises(ValueError, match="5000"):
        export.png_bytes(big)


def test_csv_bytes_has_bom_and_round_trips_chinese_and_nulls(frame: pl.DataFrame) -> None:
    data = export.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(io.BytesIO(data[3:]))
    assert back["机关"].to_list() == frame["机关"].to_list()
    assert back["件数"].to_list() == [12, None, 0]
    assert back["金额"].to_list() == [2088366.0, None, 12.5]


def test_xlsx_bytes_writes_sheets_bold_header_and_empty_cells_for_null(
    frame: pl.DataFrame,
) -> None:
    long_name = "收到和处理政府信息公开申请情况：按机关/按年度[全部]"
    data = export.xlsx_bytes({"申请数": frame, long_name: frame.head(1), "申请数 ": frame})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "申请数"
    assert len(wb.sheetnames) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)
    assert len(set(wb.sheetnames)) == 3
    ws = wb["申请数"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("机关", "件数", "金额")
    assert all(cell.font.bold for cell in ws[1])
    assert rows[1] == ("固原市信访局", 12, 2088366.0)
    assert rows[2] == ("盐池县机关事务服务中心", None, None)
    assert rows[3] == ("海原县机关事务服务中心", 0, 12.5)


def test_sheet_name_makes_unique_excel_legal_names() -> None:
    taken: set[str] = set()
    first = export.sheet_name("a" * 40, taken)
    second = export.sheet_name("a" * 40, taken)
    assert first == "a" * 31
    assert second == "a" * 28 + "(2)"
    assert export.sheet_name("'规章/规范性文件'", taken) == "规章_规范性文件"


def test_briefing_zip_holds_images_workbook_and_notes(
    frame: pl.DataFrame, chart: alt.LayerChart
) -> None:
    trend = charts.line_chart(
        pl.DataFrame({"year": [2019, 2020], "件数": [1, 2]}), "year", "件数", title="趋势"
    )
    items = [
        export.BriefingItem("新收申请", chart, frame),
        export.BriefingItem("趋势/年度", trend, pl.DataFrame({"year": [2019, 2020]})),
    ]
    data = export.briefing_zip(
        items,
        filters_text="固原市 · 2019–2021 年",
        source_text="宁夏各机关年报",
        title="依申请公开简报",
        kpis=[("新收申请", "1,234")],
    )
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted(
            [
                "新收申请.png",
                "新收申请.svg",
                "新收申请（可编辑文字）.svg",
                "趋势_年度.png",
                "趋势_年度.svg",
                "趋势_年度（可编辑文字）.svg",
                "数据.xlsx",
                "依申请公开简报.docx",
                "说明.txt",
            ]
        )
        assert zf.read("新收申请.png")[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<text" not in zf.read("趋势_年度.svg")
        assert "趋势".encode() in zf.read("趋势_年度（可编辑文字）.svg")  # real, editable text
        doc = docx.Document(io.BytesIO(zf.read("依申请公开简报.docx")))
        wb = openpyxl.load_workbook(io.BytesIO(zf.read("数据.xlsx")))
        assert wb.sheetnames == ["新收申请", "趋势_年度"]
        notes = zf.read("说明.txt").decode("utf-8-sig")
    assert "筛选条件：固原市 · 2019–2021 年" in notes
    assert "数据来源：宁夏各机关年报" in notes
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "依申请公开简报" and "筛选条件：固原市 · 2019–2021 年" in text
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["新收申请", "1,234"]
    assert len(doc.inline_shapes) == 2  # one picture per chart


def test_framed_export_has_title_filters_source_and_demo_mark(chart: alt.LayerChart) -> None:
    frame = export.Frame(
        "筛选：固原市 2019–2021年\n依据 12 份报告", export.source_line(12), demo=True
    )
    spec = export.framed(chart, frame)
    assert spec["title"]["text"].startswith("【模拟数据】")
    assert spec["title"]["subtitle"] == ["筛选：固原市 2019–2021年", "依据 12 份报告"]
    footer = spec["vconcat"][0]["title"]["text"]  # at the chart's foot
    assert footer[0].startswith("数据来源：政府信息公开工作年度报告 12 份；生成于 ")
    assert footer[1] == export.DEMO_NOTE
    svg = export.svg_bytes(chart, frame, outlines=False).decode()
    assert "模拟数据" in svg and "数据来源：政府信息公开工作年度报告 12 份" in svg
    assert export.png_bytes(chart, frame=frame)[:8] == b"\x89PNG\r\n\x1a\n"


def test_exported_numbers_are_integers_and_one_decimal_rates() -> None:
    df = pl.DataFrame({"件数": [4.0, None], "零报告率（%）": [36.8421052631579, None]})
    text = export.csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["4,36.8", ","]
    assert export.csv_bytes(export.marked(df, True)).decode("utf-8-sig").splitlines()[0] == (
        "件数,零报告率（%）,数据性质"
    )


def test_briefing_zip_puts_a_table_only_item_in_the_workbook_only(
    frame: pl.DataFrame, chart: alt.LayerChart
) -> None:
    names = pl.DataFrame({"机构": ["固原市信访局"], "年度": [2019]})
    items = [
        export.BriefingItem("新收申请", chart, frame),
        export.BriefingItem("零报告机构", None, names),
    ]
    data = export.briefing_zip(items, filters_text="全区", source_text="年报")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "零报告机构.png" not in zf.namelist()
        wb = openpyxl.load_workbook(io.BytesIO(zf.read("数据.xlsx")))
        assert wb.sheetnames == ["新收申请", "零报告机构"]
        assert wb["零报告机构"]["A2"].value == "固原市信访局"


def test_exported_chart_without_a_width_gets_a_slides_width() -> None:
    df = pl.DataFrame({"年度": [2019, 2020, 2021, 2022], "件数": [3, 4, 5, 6]})
    png = export.png_bytes(charts.bar_chart(df, "年度", "件数", title="t"), scale=1)
    width = int.from_bytes(png[16:20], "big")  # IHDR width
    assert width >= export.EXPORT_WIDTH  # not 4 bars × 20 px


HOSTILE = '=HYPERLINK("//evil.example/x","盐池县")'


def test_csv_bytes_neutralises_text_that_starts_like_a_formula() -> None:
    df = pl.DataFrame({"机构": [HOSTILE, "+1", "@SUM(A1)", "\tx", "-", "盐池县"], "n": [1] * 6})
    rows = list(csv.reader(io.StringIO(export.csv_bytes(df).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'" + HOSTILE, "'+1", "'@SUM(A1)", "'\tx", "-", "盐池县"]


def test_xlsx_bytes_writes_formula_like_text_as_text() -> None:
    df = pl.DataFrame({"机构": [HOSTILE, "=1+1"], "n": [1, 2]})
    ws = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"s": df})))["s"]
    assert [(c.value, c.data_type) for c in ws["A"][1:]] == [(HOSTILE, "s"), ("=1+1", "s")]


def test_briefing_workbook_holds_no_formula(chart: alt.LayerChart) -> None:
    item = export.BriefingItem("清单", None, pl.DataFrame({"机构": [HOSTILE]}))
    data = export.briefing_zip([item], filters_text="全部", source_text="测试")
    book = zipfile.ZipFile(io.BytesIO(data)).read("数据.xlsx")
    sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet
