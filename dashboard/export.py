"""Exports: PNG, SVG (text as glyph outlines), CSV for Excel, XLSX and the briefing ZIP.

Why: supervisors paste charts into documents on machines without a CJK font and open data in
Excel; a NULL (blank or not-applicable cell) must stay empty there, never become 0.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from functools import cache
from typing import NamedTuple
from xml.etree import ElementTree as ET

import altair as alt
import polars as pl
import vl_convert
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard import charts  # importing it enables the app theme; MAX_ROWS
from dashboard.fonts import FONT_FILE, register_fonts

BOM = b"\xef\xbb\xbf"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_VL = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
VL_VERSION = _VL if _VL in vl_convert.get_vegalite_versions() else None


class BriefingItem(NamedTuple):
    """One item of a briefing: its file name (no extension), its chart (None: a table only)
    and its data."""

    name: str
    chart: alt.TopLevelMixin | None
    data: pl.DataFrame


EXPORT_WIDTH = 640  # px: a slide's chart; on screen the chart takes the page's width
_COMPOUND = ("hconcat", "vconcat", "concat", "facet", "repeat")


def _spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec; one without a width of its own gets a slide's width, so
    that its labels do not crowd as on the bare 20-px-per-bar default."""
    try:
        spec = chart.to_dict()
    except alt.MaxRowsError as exc:
        raise ValueError(
            f"图表数据超过 {charts.MAX_ROWS} 行：请先汇总再导出 (aggregate before exporting)"
        ) from exc
    if "width" not in spec and not any(k in spec for k in _COMPOUND):
        spec["width"] = EXPORT_WIDTH
    stepped = isinstance(spec.get("width"), dict) and "step" in spec["width"]
    if stepped and not isinstance(spec.get("height"), dict):
        spec["width"] = EXPORT_WIDTH  # a few year columns: a slide's width, not a strip
    return spec


DEMO_MARK = "模拟数据"
DEMO_NOTE = "模拟数据，仅供演示，并非真实报告中的数字"


class Frame(NamedTuple):
    """What makes an exported chart stand alone on a slide: the filters (subtitle), n/N,
    the source line, and whether the data are simulated (marked in title and footer)."""

    subtitle: str = ""
    source: str = ""
    demo: bool = False


def source_line(reports: int, when: datetime | None = None) -> str:
    """'数据来源：政府信息公开工作年度报告 N 份；生成于 YYYY年M月D日'."""
    d = when or datetime.now()
    return (
        f"数据来源：政府信息公开工作年度报告 {reports:,} 份；生成于 {d.year}年{d.month}月{d.day}日"
    )


def framed(chart: alt.TopLevelMixin, frame: Frame | None) -> dict:
    """The chart's spec with title, subtitle lines and a source footer (and the 模拟数据
    mark for demo data), so that it can be pasted into a briefing without editing."""
    spec = _spec(chart)
    if frame is None:
        return spec
    title = spec.pop("title", None)
    text = title if isinstance(title, str) else (title or {}).get("text", "")
    if frame.demo:
        text = f"【{DEMO_MARK}】{text}"
    top = {k: spec.pop(k) for k in ("$schema", "config", "datasets", "usermeta") if k in spec}
    top.pop("usermeta", None)
    lines = [frame.source] if frame.source else []
    if frame.demo:
        lines.append(DEMO_NOTE)
    subtitle = [x for x in frame.subtitle.split("\n") if x]
    head: dict = {"text": text, "anchor": "start", "fontSize": 16}
    if subtitle:
        head.update(subtitle=subtitle, subtitleFontSize=12, subtitleColor="#444444")
    if lines:  # the source as the chart's own title at its foot: no extra width, no gap
        spec["title"] = {
            "text": lines,
            "orient": "bottom",
            "anchor": "start",
            "fontSize": 11,
            "color": "#444444",
            "offset": 12,
            "lineHeight": 16,
        }
    return {**top, "title": head, "vconcat": [spec], "spacing": 10}


def png_bytes(chart: alt.TopLevelMixin, scale: float = 2, frame: Frame | None = None) -> bytes:
    """PNG at `scale` × the chart's CSS size, drawn with the project's font."""
    register_fonts()
    return bytes(
        vl_convert.vegalite_to_png(framed(chart, frame), vl_version=VL_VERSION, scale=scale)
    )


def svg_bytes(
    chart: alt.TopLevelMixin, frame: Frame | None = None, *, outlines: bool = True
) -> bytes:
    """SVG of the chart. `outlines`: text as glyph outlines, so it shows Chinese on machines
    without a CJK font; otherwise real <text> that stays editable in PowerPoint/Inkscape."""
    register_fonts()
    svg = vl_convert.vegalite_to_svg(framed(chart, frame), vl_version=VL_VERSION)
    return (text_to_paths(svg) if outlines else svg).encode("utf-8")


# --- SVG text to outlines (vl-convert 1.9 has no option for it) ----------------------------
# Each glyph is defined once in <defs> (font units, id from its glyph index) and placed with
# <use>: a 200-label chart stays small, and viewers need no font at all.


@cache
def _font() -> tuple[TTFont, dict[int, str], float]:
    font = TTFont(str(FONT_FILE))
    return font, font.getBestCmap(), float(font["head"].unitsPerEm)


@cache
def _glyph_path(name: str) -> str:
    """Outline of one glyph in font units (y up), as SVG path data; '' for blank glyphs."""
    font = _font()[0]
    pen = SVGPathPen(font.getGlyphSet(), ntos=lambda v: f"{v:g}")
    font.getGlyphSet()[name].draw(pen)
    return pen.getCommands()


def _num(value: str | None, size: float) -> float:
    if not value:
        return 0.0
    value = value.strip()
    if value.endswith("em"):
        return float(value[:-2]) * size
    return float(value.removesuffix("px"))


def _line(text: str, size: float, anchor: str, defs: dict[str, str]) -> ET.Element | None:
    """<g> placing the glyphs of one line on a baseline at y=0; None if a glyph is missing."""
    font, cmap, upm = _font()
    if any(ord(ch) not in cmap for ch in text):
        return None
    hmtx = font["hmtx"]
    names = [cmap[ord(ch)] for ch in text]
    x = {"middle": -0.5, "end": -1.0}.get(anchor, 0.0) * sum(hmtx[n][0] for n in names)
    scale = size / upm
    line = ET.Element(f"{{{SVG_NS}}}g", transform=f"scale({scale:g},{-scale:g})")
    for name in names:
        if _glyph_path(name):
            ref = defs.setdefault(name, f"nb-glyph-{font.getGlyphID(name)}")
            ET.SubElement(line, f"{{{SVG_NS}}}use", {XLINK_HREF: f"#{ref}", "x": f"{x:g}"})
        x += hmtx[name][0]
    return line


def _text_group(el: ET.Element, defs: dict[str, str]) -> ET.Element | None:
    """A <g> of glyphs standing in for one <text>, or None to keep the text as it is."""
    size = _num(el.get("font-size"), 12) or 12.0
    anchor = el.get("text-anchor", "start")
    if any(child.tag != f"{{{SVG_NS}}}tspan" for child in el):
        return None
    lines = [(el.text or "", 0.0, 0.0)] if len(el) == 0 else []
    y = 0.0
    for span in el:
        y += _num(span.get("dy"), size)
        lines.append((span.text or "", _num(span.get("x"), size), y))
    group = ET.Element(f"{{{SVG_NS}}}g")
    for attr in ("transform", "fill", "opacity", "fill-opacity", "aria-label", "role"):
        if el.get(attr) is not None:
            group.set(attr, el.get(attr))
    group.attrib.setdefault("fill", "#000")
    group.attrib.setdefault("aria-label", " ".join(t for t, _, _ in lines))
    dx = _num(el.get("x"), size) + _num(el.get("dx"), size)
    dy = _num(el.get("y"), size) + _num(el.get("dy"), size)
    for text, x, line_y in lines:
        line = _line(text, size, anchor, defs)
        if line is None:
            return None
        if dx + x or dy + line_y:
            line.set("transform", f"translate({dx + x:g},{dy + line_y:g}) {line.get('transform')}")
        group.append(line)
    return group


def text_to_paths(svg: str) -> str:
    """Replace every <text> whose glyphs the project font has by glyph outlines."""
    root = ET.fromstring(svg)
    tag = f"{{{SVG_NS}}}text"
    defs: dict[str, str] = {}
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == tag and child.get("opacity") == "0":
                parent.remove(child)  # labels Vega hid to avoid overlap
            elif child.tag == tag and (group := _text_group(child, defs)) is not None:
                index = list(parent).index(child)
                parent.remove(child)
                parent.insert(index, group)
    if defs:
        block = ET.Element(f"{{{SVG_NS}}}defs")
        for name, ref in defs.items():
            ET.SubElement(block, f"{{{SVG_NS}}}path", id=ref, d=_glyph_path(name))
        root.insert(0, block)
    return ET.tostring(root, encoding="unicode")


# --- Data files ------------------------------------------------------------------------------


def _is_rate(name: str) -> bool:
    return "率" in name or "%" in name or "％" in name


def _plain(df: pl.DataFrame) -> pl.DataFrame:
    """Numbers as a reader expects them: Decimal to float; a float column of whole numbers
    (a sum of counts) as integers, never `4.0`; rates to one decimal, never
    36.8421052631579; other fractions to four decimals."""
    decimals = [n for n, t in df.schema.items() if isinstance(t, pl.Decimal)]
    if decimals:
        df = df.with_columns(pl.col(decimals).cast(pl.Float64))
    fixes = []
    for name, dtype in df.schema.items():
        if not dtype.is_float():
            continue
        vals = df.get_column(name).drop_nulls()
        if _is_rate(name):
            fixes.append(pl.col(name).round(1))
        elif vals.len() and bool((vals == vals.round(0)).all()) and vals.abs().max() < 2**53:
            fixes.append(pl.col(name).cast(pl.Int64))
        else:
            fixes.append(pl.col(name).round(4))
    return df.with_columns(fixes) if fixes else df


def marked(df: pl.DataFrame, demo: bool) -> pl.DataFrame:
    """A demo database's data carry a 数据性质 = 模拟数据 column in every file."""
    return df.with_columns(pl.lit(DEMO_MARK).alias("数据性质")) if demo else df


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_FORMULA = r"^[=+\-@\t\r]."  # a lone "-" (a not-applicable mark) is no formula


def defuse(value: str) -> str:
    """Text that a spreadsheet would run as a formula (`=HYPERLINK(…)` as an agency name)
    gets a leading apostrophe, the mark spreadsheets read as "this is text"."""
    return "'" + value if len(value) > 1 and value.startswith(FORMULA_START) else value


def csv_bytes(df: pl.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens Chinese correctly; NULL is an empty field; no text
    field starts like a formula (see `defuse`)."""
    df = _plain(df)
    texts = [n for n, t in df.schema.items() if t == pl.String]
    if texts:
        df = df.with_columns(
            pl.when(pl.col(n).str.contains(_FORMULA))
            .then(pl.lit("'") + pl.col(n))
            .otherwise(pl.col(n))
            .alias(n)
            for n in texts
        )
    header = [defuse(c) for c in df.columns]
    return BOM + df.rename(dict(zip(df.columns, header, strict=True))).write_csv(
        null_value=""
    ).encode("utf-8")


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-legal, unique sheet name: no []:*?/\\, no edge apostrophes, ≤31 chars."""
    base = _SHEET_BAD.sub("_", name).strip("'").strip() or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _cell(value: object) -> object:
    """A value openpyxl accepts: nested values as text, datetimes without a time zone."""
    if isinstance(value, list | dict | tuple):
        return str(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def xlsx_bytes(sheets: dict[str, pl.DataFrame]) -> bytes:
    """One sheet per frame, bold header, frozen first row; NULL stays an empty cell."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for name, frame in sheets.items():
        df = _plain(frame)
        ws = wb.create_sheet(sheet_name(name, taken))
        ws.append(df.columns)
        for cell in ws[1]:
            cell.font = bold
        for row in df.iter_rows():
            ws.append([_cell(v) for v in row])
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # text that starts with "=": text, never a formula
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, start=1):
            width = max([_width(col)] + [_width(v) for v in df[col].head(200).to_list()])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(width + 2, 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _file_name(name: str, taken: set[str]) -> str:
    base = _FILE_BAD.sub("_", name).strip(" .") or "图表"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}({n})", n + 1
    taken.add(candidate)
    return candidate


def docx_bytes(
    title: str,
    *,
    filters_text: str,
    source_text: str,
    kpis: list[tuple[str, str]],
    charts_png: list[tuple[str, bytes]],
    demo: bool = False,
) -> bytes:
    """One Word document for a briefing: title, filters, a KPI table, each chart as a
    picture with its caption, the source line; plain text throughout, ready to edit."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.add_heading(f"【{DEMO_MARK}】{title}" if demo else title, level=1)
    if demo:
        doc.add_paragraph(DEMO_NOTE)
    doc.add_paragraph(f"筛选条件：{filters_text}")
    if kpis:
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "指标", "数值"
        for label, value in kpis:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    for name, png in charts_png:
        doc.add_paragraph(name)
        doc.add_picture(io.BytesIO(png), width=Cm(16))
    doc.add_paragraph(source_text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def briefing_zip(
    items: list[BriefingItem],
    *,
    filters_text: str,
    source_text: str,
    frame: Frame | None = None,
    title: str = "简报",
    kpis: list[tuple[str, str]] | None = None,
) -> bytes:
    """ZIP for a briefing: per chart a PNG, an SVG with outlines (shows everywhere) and an
    SVG with editable text; 数据.xlsx (a sheet each); <title>.docx (charts, KPI table and
    filters in one Word document); 说明.txt.

    An item without a chart (a list such as the zero-filing agencies) is a sheet only.
    """
    demo = bool(frame and frame.demo)
    taken: set[str] = set()
    names = [_file_name(item.name, taken) for item in items]
    buf = io.BytesIO()
    pictures: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, item in zip(names, items, strict=True):
            if item.chart is None:  # a table only: it goes to 数据.xlsx
                continue
            png = png_bytes(item.chart, frame=frame)
            pictures.append((item.name, png))
            zf.writestr(f"{name}.png", png)
            zf.writestr(f"{name}.svg", svg_bytes(item.chart, frame))
            zf.writestr(f"{name}（可编辑文字）.svg", svg_bytes(item.chart, frame, outlines=False))
        sheets = {n: marked(i.data, demo) for n, i in zip(names, items, strict=True)}
        zf.writestr("数据.xlsx", xlsx_bytes(sheets))
        zf.writestr(
            f"{_file_name((f'{DEMO_MARK}-' if demo else '') + title, set())}.docx",
            docx_bytes(
                title,
                filters_text=filters_text,
                source_text=frame.source if frame and frame.source else source_text,
                kpis=kpis or [],
                charts_png=pictures,
                demo=demo,
            ),
        )
        lines = [
            "年报看板 导出简报" + (f"（{DEMO_NOTE}）" if demo else ""),
            "",
            f"筛选条件：{filters_text}",
            f"数据来源：{source_text}",
            "",
            "图表与数据表：",
            *[f"  {n}（{i.data.height} 行）" for n, i in zip(names, items, strict=True)],
            "",
            "说明：数据表中的空白单元格表示报告未填写或不适用（“/”“—”），不等于 0。",
        ]
        zf.writestr("说明.txt", BOM + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    return buf.getvalue()
