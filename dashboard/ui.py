"""What every page shares: the sidebar filters, titles that state them, export buttons.

Why here: the filters must survive page switches and live in the URL so that a copied link
reopens the same view. Widget state alone is dropped when the page changes, so the chosen
values are kept in one session-state dict (seeded once from the URL) and written back to
st.query_params after every run; other URL keys (e.g. ``report``) are left alone.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, db, export
from etl.spec import CHECK_NAMES, COL_NAMES, ROW_NAMES
from etl.spec import CHECK_STATUS_NAMES as STATUS_NAMES  # noqa: F401  (pages read ui.STATUS_NAMES)

STORE = "_filters"
PARAMS = ("city", "county", "years", "type", "fmt", "q", "outside")
EMPTY = (
    "当前筛选条件下没有数据。请在左侧放宽筛选条件（地市、区县、年度、机构类别、报告格式或关键词）。"
)

ALL_CITIES = "全部地市"
ALL_COUNTIES = "全部区县"


APP_RAN = "_app_ran"  # set by app.py in every session it has run in


def leave_pages_dir_mode(from_page: bool = False) -> None:
    """Switch a session that Streamlit started in its old pages/-folder mode to st.navigation.

    Why: Streamlit decides per server start whether a ``pages/`` folder means the legacy
    multipage mode, and only the first st.navigation call turns that off. The very first
    session after a start would otherwise run a page without app.py (no wide layout, no
    database build, file names as page titles) — also when its first request is a deep
    link such as /import, which runs pages/import.py alone: so every page calls this too
    (`from_page`), and reruns through app.py unless app.py has run in this session.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit without the legacy mode
        return
    if from_page and st.session_state.get(APP_RAN):
        return
    if not from_page:
        st.session_state[APP_RAN] = True
    if getattr(PagesManager, "uses_pages_directory", None):
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- filters -----------------------------------------------------------------------------


def _defaults() -> dict[str, Any]:
    return {
        "city": None,
        "county": None,
        "years": db.year_span(),
        "types": [],
        "fmts": [],
        "q": "",
        "outside": False,
    }


def _from_url() -> dict[str, Any]:
    """The filter as a copied link states it; anything unknown falls back to the default."""
    qp = st.query_params
    out = _defaults()
    if qp.get("city") in db.cities():
        out["city"] = qp["city"]
    if qp.get("county") in db.counties(out["city"]):
        out["county"] = qp["county"]
    span = out["years"]
    if span and "years" in qp:
        try:
            lo, hi = (int(x) for x in qp["years"].split("-", 1))
        except ValueError:
            lo, hi = span
        lo, hi = max(lo, span[0]), min(hi, span[1])
        if lo <= hi:
            out["years"] = (lo, hi)
    out["types"] = [t for t in qp.get_all("type") if t in db.agency_types()]
    out["fmts"] = [x for x in qp.get_all("fmt") if x in db.formats()]
    out["q"] = qp.get("q", "")[:50]
    out["outside"] = qp.get("outside") in ("1", "true")
    return out


def _to_url(state: dict[str, Any]) -> None:
    """Mirror the filter into the URL, leaving keys that are not filters alone."""
    d = _defaults()
    want: dict[str, str | list[str]] = {}
    if state["city"]:
        want["city"] = state["city"]
    if state["county"]:
        want["county"] = state["county"]
    if state["years"] and state["years"] != d["years"]:
        want["years"] = f"{state['years'][0]}-{state['years'][1]}"
    if state["types"]:
        want["type"] = list(state["types"])
    if state["fmts"]:
        want["fmt"] = list(state["fmts"])
    if state["q"]:
        want["q"] = state["q"]
    if state["outside"]:
        want["outside"] = "1"
    qp = st.query_params
    for k in PARAMS:
        have = qp.get_all(k)
        new = want.get(k)
        new_list = [] if new is None else ([new] if isinstance(new, str) else new)
        if have != new_list:
            if new is None:
                del qp[k]
            else:
                qp[k] = new


def _store() -> dict[str, Any]:
    ss = st.session_state
    if STORE not in ss:
        ss[STORE] = _from_url()
    return ss[STORE]


def _changed() -> None:
    """Widget callback: copy the widgets into the store; a city change resets the county."""
    ss = st.session_state
    s = ss[STORE]
    city = None if ss.get("f_city", ALL_CITIES) == ALL_CITIES else ss["f_city"]
    county = None if ss.get("f_county", ALL_COUNTIES) == ALL_COUNTIES else ss["f_county"]
    s["county"] = county if city == s["city"] else None
    s.update(
        city=city,
        years=tuple(ss["f_years"]) if "f_years" in ss else s["years"],
        types=list(ss.get("f_types", [])),
        fmts=list(ss.get("f_fmts", [])),
        q=ss.get("f_q", "").strip(),
        outside=bool(ss.get("f_outside", False)),
    )


def filters() -> db.Filters:
    """Draw the sidebar filters and return the current choice."""
    leave_pages_dir_mode()
    s = _store()
    ss = st.session_state
    span = db.year_span()
    if s["county"] not in db.counties(s["city"]):
        s["county"] = None
    seen = s.get("span")
    if span and s["years"] and not (span[0] <= s["years"][0] <= s["years"][1] <= span[1]):
        s["years"] = span  # the database was rebuilt with other years
    elif span and seen and span != seen and tuple(s["years"] or ()) == tuple(seen):
        s["years"] = span  # "every year" stays every year when reports on a new year arrive
    s["span"] = span
    ss.update(
        f_city=s["city"] or ALL_CITIES,
        f_county=s["county"] or ALL_COUNTIES,
        f_types=list(s["types"]),
        f_fmts=list(s["fmts"]),
        f_q=s["q"],
        f_outside=s["outside"],
    )
    with st.sidebar:
        st.header("筛选")
        st.selectbox("地市", [ALL_CITIES, *db.cities()], key="f_city", on_change=_changed)
        st.selectbox(
            "区县", [ALL_COUNTIES, *db.counties(s["city"])], key="f_county", on_change=_changed
        )
        if span and span[0] < span[1]:
            ss["f_years"] = s["years"] or span
            st.slider("年度", span[0], span[1], key="f_years", on_change=_changed, format="%d年")
        elif span:
            st.caption(f"年度：{span[0]}年（仅此一年）")
        st.multiselect(
            "机构类别", db.agency_types(), key="f_types", on_change=_changed, placeholder="全部"
        )
        st.multiselect(
            "报告格式",
            db.formats(),
            format_func=lambda x: db.FORMAT_NAMES.get(x, x),
            key="f_fmts",
            on_change=_changed,
            placeholder="全部",
        )
        st.text_input("机构名称", key="f_q", on_change=_changed, placeholder="输入关键词，如“信访”")
        st.checkbox(
            "包含宁夏以外的报告",
            key="f_outside",
            on_change=_changed,
            help="默认不计入：宁夏的统计只算宁夏的机构。区外（或地区无法判断）的报告仍可在"
            "“数据质量”和“报告详情”中查看。",
        )
    _to_url(s)
    years = tuple(s["years"]) if s["years"] else None
    return db.Filters(
        city=s["city"],
        county=s["county"],
        years=None if years == span else years,  # full span: keep reports without a year
        agency_types=tuple(s["types"]),
        formats=tuple(s["fmts"]),
        search=s["q"],
        include_outside=s["outside"],
    )


def query_string(**extra: str) -> str:
    """The current filter as a URL query, plus extra keys (for links to other pages)."""
    s = _store()
    pairs: list[tuple[str, str]] = []
    for k, v in (("city", s["city"]), ("county", s["county"]), ("q", s["q"])):
        if v:
            pairs.append((k, v))
    if s["years"] and s["years"] != db.year_span():
        pairs.append(("years", f"{s['years'][0]}-{s['years'][1]}"))
    pairs += [("type", t) for t in s["types"]] + [("fmt", x) for x in s["fmts"]]
    if s["outside"]:
        pairs.append(("outside", "1"))
    pairs += list(extra.items())
    return urlencode(pairs)


def scope(f: db.Filters) -> str:
    """The filter in words, for titles: e.g. '固原市 2019–2023年'."""
    parts = [f.county or f.city or "宁夏全区"]
    if f.include_outside and not (f.county or f.city):
        parts[0] += "（含区外报告）"
    span = f.years or db.year_span()
    if span:
        parts.append(f"{span[0]}年" if span[0] == span[1] else f"{span[0]}–{span[1]}年")
    if f.agency_types:
        parts.append("、".join(f.agency_types) + "类")
    if f.formats:
        parts.append("、".join(db.FORMAT_NAMES.get(x, x) for x in f.formats))
    if f.search:
        parts.append(f"名称含“{f.search}”")
    return " ".join(parts)


def title(f: db.Filters, measure: str) -> str:
    """A chart title that states the filter."""
    return f"{scope(f)} {measure}"


# --- small formatting helpers ------------------------------------------------------------


def rate(n: int | None, total: int | None) -> str:
    """'3/4（75.0%）', or '—' when nothing can be counted."""
    if not total:
        return "—"
    return f"{n or 0}/{total}（{100 * (n or 0) / total:.1f}%）"


def fmt_number(v: float | None) -> str:
    """A figure as printed: blank stays '—', whole numbers without decimals."""
    if v is None:
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def cell_name(row: str, col: str | None = None) -> str:
    """A cell id in Chinese, e.g. 'new · total' → '本年新收申请·总计'."""
    name = ROW_NAMES.get(row, row)
    return name if col is None else f"{name}·{COL_NAMES.get(col, col)}"


def check_name(check_id: str) -> str:
    """A check id in Chinese: its rule, then the row or column it is about."""
    head, _, tail = check_id.rpartition(".")
    label = CHECK_NAMES.get(head, head)
    return f"{label}：{ROW_NAMES.get(tail, COL_NAMES.get(tail, tail))}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x00-\x08\x0b-\x1f\x7f]+")


def plain(text: object) -> str:
    """Text that came from a report (agency, title, file name, warning) or a URL, made inert
    wherever Streamlit reads Markdown (labels, captions, alerts, page links): every Markdown,
    HTML and Streamlit directive character (`:red[…]`, `:material/…:`) is escaped and line
    breaks become spaces, so it shows as typed — never as an image, a link or a heading.
    The one helper every page uses for such text."""
    return _MARKDOWN.sub(r"\\\1", _BREAKS.sub(" ", str(text)))


def report_links(df: pl.DataFrame, id_col: str = "report_id") -> pl.DataFrame:
    """Add a '查看' column with a link to 报告详情 for each row's report."""
    qs = query_string()
    base = "report?" + (qs + "&" if qs else "") + "report="
    return df.with_columns((pl.lit(base) + pl.col(id_col)).alias("查看"))


LINK = st.column_config.LinkColumn("查看", display_text="报告详情")


def banner() -> None:
    """The demo-data banner, when the database says its data is simulated."""
    if db.is_demo():
        st.warning("模拟数据，仅供演示", icon="⚠️")


# --- charts, tables and their exports ----------------------------------------------------


class Page:
    """One page's charts and tables; collects them for the page's 简报包."""

    def __init__(self, name: str, f: db.Filters) -> None:
        self.name = name
        self.f = f
        self.items: list[tuple[str, alt.TopLevelMixin | None, pl.DataFrame]] = []
        self.notes: dict[str, str] = {}
        self.kpis: list[tuple[str, str]] = []
        self.demo = db.is_demo()

    def frame(self, note: str | None = None) -> export.Frame:
        """Subtitle (the filters, n/N), source line and demo mark for an exported chart."""
        reports = int(db.totals(self.f).get("reports") or 0)
        sub = f"筛选：{scope(self.f)}" + (f"\n{note}" if note else "")
        return export.Frame(sub, export.source_line(reports), self.demo)

    def _file(self, name: str) -> str:
        return f"{export.DEMO_MARK}-{name}" if self.demo else name

    def _buttons(
        self, key: str, name: str, df: pl.DataFrame, chart: Any | None, note: str | None = None
    ) -> None:
        """Export buttons in one wrapping row; every file is made only when clicked."""
        row = st.container(horizontal=True, gap="small")
        file = self._file(name)
        data = export.marked(df, self.demo)
        if chart is not None:
            _download(
                row,
                "PNG 图片",
                lambda: export.png_bytes(chart, scale=2, frame=self.frame(note)),
                f"{file}.png",
                "image/png",
                f"{key}_png",
            )
            _download(
                row,
                "SVG 矢量图",
                lambda: export.svg_bytes(chart, self.frame(note)),
                f"{file}.svg",
                "image/svg+xml",
                f"{key}_svg",
            )
            _download(
                row,
                "SVG（可编辑文字）",
                lambda: export.svg_bytes(chart, self.frame(note), outlines=False),
                f"{file}（可编辑文字）.svg",
                "image/svg+xml",
                f"{key}_svgt",
            )
        _download(
            row,
            "CSV 数据",
            lambda: export.csv_bytes(data),
            f"{file}.csv",
            "text/csv",
            f"{key}_csv",
        )
        _download(
            row,
            "Excel 表格",
            lambda: export.xlsx_bytes({name[:31]: data}),
            f"{file}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{key}_xlsx",
        )

    def chart(
        self,
        key: str,
        chart: Any,
        df: pl.DataFrame,
        name: str | None = None,
        *,
        note: str | None = None,
        buttons: bool = True,
        on_select: Callable[[Any], None] | None = None,
    ) -> None:
        """Show a chart with its PNG/SVG/CSV/XLSX buttons; df is what the chart shows.
        `note` (e.g. n/N) goes into the exported chart's subtitle; `on_select` is called
        with the chart's selection when a bar is clicked."""
        name = name or _chart_title(chart) or key
        if on_select is None:
            st.altair_chart(chart, theme=None, key=f"chart_{key}")
        else:
            event = st.altair_chart(chart, theme=None, key=f"chart_{key}", on_select="rerun")
            picked = (getattr(event, "selection", None) or {}).get(PICK) or []
            if picked:
                on_select(picked[0])
        if buttons:
            self._buttons(key, name, df, chart, note)
        if note:
            self.notes[name] = note
        self.items.append((name, chart, df))

    def metric(self, col: Any, label: str, value: Any, *args: Any, **kwargs: Any) -> None:
        """A KPI tile; also a row of the briefing's KPI table."""
        col.metric(label, value, *args, **kwargs)
        self.kpis.append((label, str(value)))

    def table(self, key: str, df: pl.DataFrame, name: str, **kwargs: Any) -> None:
        """Show a table with CSV/XLSX buttons (link columns are not exported)."""
        kwargs.setdefault("placeholder", "")  # a figure no report printed stays blank
        config = dict(kwargs.pop("column_config", None) or {})
        for name, dtype in df.schema.items():  # counts 12,345 as in charts; years as 2023
            if name not in config and dtype.is_numeric() and not charts._is_year(name):
                config[name] = st.column_config.NumberColumn(
                    format="localized" if dtype.is_integer() or whole_col(df, name) else "%.1f"
                )
        st.dataframe(df, hide_index=True, key=f"table_{key}", column_config=config, **kwargs)
        plain = df.drop([c for c in ("查看",) if c in df.columns])
        self._buttons(key, name, plain, None)
        self.items.append((name, None, plain))

    def report_list(
        self, key: str, df: pl.DataFrame, columns: dict[str, str | pl.Expr], name: str, empty: str
    ) -> None:
        """Reports as a table, each row linking to 报告详情; `columns` maps each Chinese
        header to a column name or expression. `empty` is said when there is no row."""
        if df.is_empty():
            st.info(empty)
            return
        picked = [(pl.col(c) if isinstance(c, str) else c).alias(h) for h, c in columns.items()]
        table = report_links(df.select("report_id", *picked)).drop("report_id")
        self.table(key, table, name, column_config={"查看": LINK})

    def briefing_bytes(self) -> bytes:
        """The ZIP of the page's charts with their data (tables stand alone: no chart), and
        one Word document with the charts, the KPI table and the filters."""
        items = [export.BriefingItem(n, c, d) for n, c, d in self.items]
        src = f"政府信息公开工作年度报告数据库（{db.db_path().name}）"
        built = db.meta().get("built_at")
        if built:
            src += f"，生成于 {built}"
        return export.briefing_zip(
            items,
            filters_text=scope(self.f),
            source_text=src,
            frame=self.frame(),
            title=f"{self.name}简报",
            kpis=self.kpis,
        )

    def briefing(self) -> None:
        """The page's 简报包 button; the ZIP is made only when it is clicked."""
        if not any(c is not None for _, c, _ in self.items):
            return
        st.divider()
        st.download_button(
            f"下载“{self.name}”简报包（ZIP：图表 + 数据 + Word 文档）",
            data=self.briefing_bytes,
            file_name=self._file(f"{self.name}-简报包.zip"),
            mime="application/zip",
            on_click="ignore",
            key="briefing_zip",
            type="primary",
        )


def whole_col(df: pl.DataFrame, name: str) -> bool:
    """A float column that holds only whole numbers (sums of counts)."""
    return charts.whole(df, name)


def _download(
    col: Any, label: str, make: Callable[[], bytes], file: str, mime: str, key: str
) -> None:
    col.download_button(
        label, data=make, file_name=file, mime=mime, on_click="ignore", key=key, width="content"
    )


def _chart_title(chart: Any) -> str | None:
    t = getattr(chart, "title", None)
    if isinstance(t, str):
        return t
    return getattr(t, "text", None) if t is not None and t is not alt.Undefined else None


def pct(n: str, total: str) -> pl.Expr:
    """n as a percentage of total; NULL (not 0) when there is nothing to count."""
    return pl.when(pl.col(total) > 0).then(100 * pl.col(n) / pl.col(total))


def n_of(n: str, total: str) -> pl.Expr:
    """'n/N' beside a rate."""
    return pl.format("{}/{}", pl.col(n), pl.col(total))


def number_text(col: str) -> pl.Expr:
    """A numeric column as text the way fmt_number writes it (NULL stays NULL)."""
    return pl.col(col).map_elements(fmt_number, return_dtype=pl.String)


def sum_printed(col: str) -> pl.Expr:
    """Sum of the printed figures; NULL (not 0) when no report printed any."""
    return pl.when(pl.col(col).count() > 0).then(pl.col(col).sum())


def most_troubled(coverage: pl.DataFrame, limit: int) -> pl.DataFrame:
    """The coverage matrix for at most `limit` agencies: those with the most missing years or
    failed checks first. Says so under the chart when agencies were left out (a matrix of
    thousands of rows is unreadable, and too big to draw)."""
    agencies = coverage["机构"].n_unique()
    if agencies <= limit:
        return coverage
    worst = (
        coverage.group_by("机构")
        .agg((pl.col("状态") != "已发布").sum().alias("问题"))
        .sort(["问题", "机构"], descending=[True, False])
        .head(limit)["机构"]
        .to_list()
    )
    st.caption(
        f"共 {agencies} 个机构，图中只显示缺报或校验未通过最多的 {limit} 个；"
        "导出的数据含全部机构，用左侧筛选缩小范围可在图中看全。"
    )
    return coverage.filter(pl.col("机构").is_in(worst))


def largest(df: pl.DataFrame, by: str, limit: int, what: str) -> pl.DataFrame:
    """At most `limit` rows for a chart, the largest `by` first; says so when rows were left out."""
    if df.height <= limit:
        return df
    st.caption(f"共 {df.height} {what}，图中只显示{by}最多的 {limit} 个；导出的数据含全部。")
    return df.sort(by, descending=True, nulls_last=True).head(limit)


# --- Chinese chrome: Streamlit's own English texts ---------------------------------------

_CHROME_CSS = """
<style>
/* chart menus (Show data / Download as PNG / Copy spec): our own buttons export instead */
div:has(> [data-testid="stVegaLiteChart"]) > [data-testid="stElementToolbar"],
[data-testid="stVegaLiteChart"] ~ [data-testid="stElementToolbar"],
[data-testid="stElementToolbar"]:has(+ [data-testid="stVegaLiteChart"]) {display: none;}
/* the uploader's English instructions and button, in Chinese */
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {
  content: "将文件拖放到此处，或点击“选择文件”"; display: block;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after {content: "选择文件";}
</style>
"""


def chrome() -> None:
    """Streamlit's English chart menus hidden and the uploader's texts in Chinese (CSS: the
    texts are not configurable); 'Deploy' is off through client.toolbarMode."""
    st.html(_CHROME_CSS)


# Parser warnings are English in the database, logs and JSON; on screen they are Chinese.
_TABLES = {"active": "表二", "requests": "表三", "appeals": "表四"}
_WARNING_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(\d+) cells for (\d+) columns can be read (\d+) ways; left empty"),
        r"\1 个数字对应 \2 列，有 \3 种读法，无法确定，已留空",
    ),
    (
        re.compile(r"^(\d+) cells for (\d+) columns; left empty"),
        r"\1 个数字对应 \2 列，无法确定位置，已留空",
    ),
    (
        re.compile(r"^(\d+) cells for (\d+) columns; the extra .*"),
        r"\1 个数字对应 \2 列，多出的数字无法确定位置，已舍弃",
    ),
    (
        re.compile(r"^(\d+) values for (\d+) columns, some printed in one cell.*"),
        r"\1 个数字对应 \2 列，部分挤在同一格中，已留空",
    ),
    (
        re.compile(r"^cell '(.*)' \(line (\d+)\) is not a number; left empty"),
        r"第 \2 行的“\1”不是数字，已留空",
    ),
    (
        re.compile(r"^values printed on several lines around the label.*"),
        "数字分散在标签前后多行，顺序无法确定，已留空",
    ),
    (
        re.compile(r"^row (\w+) printed twice \(line (\d+)\); kept the first"),
        r"第 \2 行重复出现同一行，保留第一次出现的数字",
    ),
    (re.compile(r"^no cells read for rows (.*)"), r"以下行未读出数字：\1"),
    (re.compile(r"^numbers after an unknown label.*"), "未知标签后的数字未采用"),
    (re.compile(r"^table (\S+) \((\w+)\) not found"), r"未找到表\1"),
    (
        re.compile(r"^metadata: the title says (\d+), the statistics period (\d+)"),
        r"标题写的是 \1 年，统计期间是 \2 年",
    ),
    (re.compile(r"^metadata: no agency name found in the title"), "标题中没有找到机构名称"),
    (re.compile(r"^metadata: no report year found.*"), "标题和统计期间中都没有找到报告年度"),
    (
        re.compile(r"^metadata: agency taken from the page's publisher.*"),
        "机构名称取自网页的发布机构，而非标题",
    ),
    (re.compile(r"^the text ends inside table 三.*"), "正文在表三中间结束，报告可能不完整"),
    (re.compile(r"^no tables: .*"), "没有统计表：只读出了开头和正文"),
    (re.compile(r"^format: headers of both formats.*"), "表头同时像 2019 版和 2021 版格式"),
    (re.compile(r"^region: .*"), "地区判断存在歧义，见报告详情中的地区"),
    (re.compile(r"^file time .* is in the future.*"), "文件时间晚于当前时间，未用于判断最新版本"),
    (
        re.compile(r"^line (\d+) prints the 2019 row （六）其他处理.*"),
        r"第 \1 行在 2021 版表中印有 2019 版的“（六）其他处理”行",
    ),
]
_PREFIX = re.compile(
    r"^(active|requests|appeals)(?:\.(\w+))?(?: \(line (\d+)\))?: (?:line (\d+): )?"
)


def warning_zh(message: str) -> str:
    """A parser warning in Chinese (the English stays in the database and the logs); one the
    rules do not know is named as such, never shown in English on screen."""
    text = str(message)
    head = ""
    m = _PREFIX.match(text)
    if m:
        head = _TABLES[m.group(1)]
        if m.group(2):
            head += "·" + ROW_NAMES.get(m.group(2), m.group(2))
        line = m.group(3) or m.group(4)
        head += f"（第 {line} 行）" if line else ""
        head += "："
        text = text[m.end() :]
    for pattern, zh in _WARNING_RULES:
        if pattern.search(text):
            return head + pattern.sub(zh, text)
    line = re.search(r"line (\d+)", text)
    where = f"（第 {line.group(1)} 行）" if line else ""
    return f"{head}解析提示{where}：原文为英文，见日志"


# --- rankings ----------------------------------------------------------------------------

SORTS = {"desc": "从高到低", "asc": "从低到高", "name": "按名称"}
TOPS = ("10", "20", "50", "全部")
LEVEL_NOTE = "市直、区直机构（不与区县排名）"


def is_level_row(name: object) -> bool:
    """A city-level (某市（市直）) or region-level (自治区本级) row among counties."""
    text = str(name or "")
    return text.endswith("（市直）") or text == "自治区本级"


def rate_label(value: float | None, n: int | None, total: int | None, scarce: bool) -> str:
    """'36.8%（7/19）', or '样本不足（3 份）' below the minimum N."""
    if scarce:
        return f"{charts.SCARCE_LABEL}（{total or 0} 份）"
    if value is None:
        return charts.MISSING_LABEL
    return f"{value:.1f}%（{n}/{total}）"


PICK = "pick"  # the name of the click selection on ranked bars


def filter_to(group: str, name: object) -> None:
    """Narrow the sidebar filter to a clicked group (地市 / 区县 / 机构) and rerun."""
    s = _store()
    text = str(name or "")
    if group == "地市" and text in db.cities():
        s.update(city=text, county=None)
    elif group == "区县" and is_level_row(text):
        city = text.removesuffix("（市直）")
        if city in db.cities():
            s.update(city=city, county=None)
    elif group == "区县":
        city = next((c for c in db.cities() if text in db.counties(c)), None)
        if city is None:
            return
        s.update(city=city, county=text)
    elif group == "机构" and text:
        s.update(q=text[:50])
    else:
        return
    st.rerun()


def url_choice(label: str, options: dict[str, str], default: str, key: str) -> str:
    """A segmented choice kept in the URL (a copied link reopens it): option id → label."""
    return (
        st.segmented_control(
            label,
            list(options),
            format_func=options.get,
            default=default,
            key=key,
            bind="query-params",
        )
        or default
    )


def ranking(
    page: Page,
    key: str,
    df: pl.DataFrame,
    cat: str,
    value: str,
    *,
    title: str,
    n: str | None = None,
    total: str | None = None,
    tooltip: list[str] | None = None,
    what: str = "个",
    top_default: str = "20",
) -> None:
    """A grouped chart that ranks: sorted by value (order switchable), the top N in the chart
    with the full list in the table below, city- and region-level rows apart from counties.
    With `n`/`total` the value is a rate (%) over `total` reports: below the minimum N it is
    样本不足, not a bar, and every label says n/N."""
    is_rate = n is not None and total is not None
    row = st.container(horizontal=True, gap="medium")
    with row:
        order = url_choice("排序", SORTS, "desc", f"{key}_sort")
        top = st.selectbox(
            "图中显示",
            TOPS,
            index=TOPS.index(top_default),
            key=f"{key}_top",
            format_func=lambda t: t if t == "全部" else f"前 {t} 个",
            bind="query-params",
            width=140,
        )
        min_n = 0
        if is_rate:
            min_n = int(
                st.number_input(
                    "最少报告数",
                    min_value=1,
                    max_value=1000,
                    value=5,
                    step=1,
                    key=f"{key}_minn",
                    bind="query-params",
                    width=140,
                    help="比例所依据的报告少于此数时显示“样本不足”，不画柱子",
                )
            )
        labels = st.checkbox("数值标签", value=True, key=f"{key}_labels", bind="query-params")
    data = df
    if is_rate:
        scarce = pl.col(total).fill_null(0) < min_n
        data = df.with_columns(
            pl.when(scarce).then(None).otherwise(pl.col(value)).alias(value),
            pl.when(scarce)
            .then(pl.format("{}（{} 份）", pl.lit(charts.SCARCE_LABEL), total))
            .alias("_note"),
            pl.struct(value, n, total, scarce.alias("s"))
            .map_elements(
                lambda r: rate_label(r[value], r[n], r[total], r["s"]), return_dtype=pl.String
            )
            .alias("_label"),
        )
    else:
        data = df.with_columns(
            number_text(value).fill_null(charts.MISSING_LABEL).alias("_label"),
            pl.lit(None, pl.String).alias("_note"),
        )
    if order == "name":
        data = data.sort(cat)
    else:
        data = data.sort(value, cat, descending=[order == "desc", False], nulls_last=True)
    level = data.filter(pl.col(cat).map_elements(is_level_row, return_dtype=pl.Boolean))
    main = data.filter(~pl.col(cat).map_elements(is_level_row, return_dtype=pl.Boolean))
    limit = main.height if top == "全部" else int(top)
    shown = main.head(min(limit, 60))
    tips = tooltip or [cat, value]
    if "_label" not in tips:
        tips = [*tips, alt.Tooltip("_label:N", title="数值（n/N）" if is_rate else "数值")]
    if charts.all_zero(shown, value):
        st.info(f"图中的 {shown.height} 个{cat}{charts.ALL_ZERO_NOTE}。")
    clickable = cat in ("地市", "区县", "机构")
    if clickable:
        st.caption(f"点击柱子可把左侧筛选设为该{cat}。")
    if main.height > shown.height:
        st.caption(
            f"共 {main.height} {what}，图中显示{SORTS[order]}前 {shown.height} 个；"
            "下表和导出的数据含全部。"
        )
    parts = [f"依据 {int(df[total].sum()):,} 份报告"] if is_rate else []
    if main.height > shown.height:
        parts.append(f"图中为{SORTS[order]}前 {shown.height} 个，共 {main.height} {what}")
    sub = "；".join(parts) or None

    def bars(frame: pl.DataFrame, chart_title: str, select=None) -> alt.Chart:
        return charts.bar_chart(
            frame,
            cat,
            value,
            title=chart_title,
            horizontal=True,
            sort=frame[cat].to_list(),
            tooltip=tips,
            rate=is_rate,
            labels="_label" if labels else None,
            note="_note",
            select=select,
        )

    page.chart(
        key,
        bars(shown, title, PICK if clickable else None),
        data.drop("_label", "_note"),
        note=sub,
        on_select=(lambda row: filter_to(cat, row.get(cat))) if clickable else None,
    )
    if level.height:
        st.caption(LEVEL_NOTE)
        page.chart(
            f"{key}_level",
            bars(level, f"{title} · 市直、区直机构"),
            level.drop("_label", "_note"),
            buttons=False,
        )
    with st.expander(f"完整列表（{data.height} 行）"):
        full = data.drop("_note").rename({"_label": "数值（n/N）" if is_rate else "数值（文字）"})
        page.table(f"{key}_full", full, f"{title}（完整列表）")


def year_over_year(
    page: Page,
    key: str,
    f: db.Filters,
    fetch: Callable[[db.Filters], pl.DataFrame],
    cat: str,
    measure: str,
    last: int | None = None,
) -> None:
    """Change and % change of the last year of the selection (or `last`) on the year before, per group:
    a table, and a chart on request. `fetch(filters)` gives grp, value, reports. Says so
    when the two years rest on different numbers of reports (a change may be coverage)."""
    span = f.years or db.year_span()
    if not span or span[0] == span[1]:
        return
    year = last if last is not None else span[1]
    prev = year - 1
    now = fetch(dataclasses.replace(f, years=(year, year)))
    old = fetch(dataclasses.replace(f, years=(prev, prev)))
    if cat == "年度":  # by year: the selection as one row, this year against the last
        now, old = (d.with_columns(pl.lit(scope(f)).alias("grp")) for d in (now, old))
    both = now.join(old, on="grp", how="full", coalesce=True, suffix="_prev")
    table = both.select(
        pl.col("grp").alias(cat),
        pl.col("value").alias(f"{year}年"),
        pl.col("value_prev").alias(f"{prev}年"),
        (pl.col("value") - pl.col("value_prev")).alias("变化"),
        pl.when(pl.col("value_prev") > 0)
        .then(100 * (pl.col("value") - pl.col("value_prev")) / pl.col("value_prev"))
        .alias("变化率（%）"),
        pl.col("reports").fill_null(0).alias(f"{year}年报告数"),
        pl.col("reports_prev").fill_null(0).alias(f"{prev}年报告数"),
    ).sort("变化", descending=True, nulls_last=True)
    with st.expander(f"较上年变化：{year} 年对 {prev} 年（{measure}）"):
        n_now, n_old = int(now["reports"].sum()), int(old["reports"].sum())
        if n_now != n_old:
            st.caption(
                f"注意：{year} 年有 {n_now:,} 份报告，{prev} 年有 {n_old:,} 份，"
                "变化中有一部分来自报告份数的不同。"
            )
        page.table(key, table, title(f, f"{measure}较上年变化（{year}对{prev}）"))
        if st.checkbox("显示变化图", key=f"{key}_chart", bind="query-params"):
            shown = table.drop_nulls("变化").head(20)
            page.chart(
                f"{key}_bar",
                charts.bar_chart(
                    shown,
                    cat,
                    "变化",
                    title=title(f, f"{measure}较上年变化（前 20 个）"),
                    horizontal=True,
                    sort=shown[cat].to_list(),
                ),
                table,
            )


TOP_REPORTS = 30  # per-report charts show at most this many bars; the table lists all


def pct_text(n: int | None, total: int | None) -> str:
    """'42.4%' (a KPI value short enough for its tile; n/N goes into the label)."""
    if not total:
        return "—"
    return f"{100 * (n or 0) / total:.1f}%"


def empty_advice(f: db.Filters) -> str:
    """Why the selection is empty, from the data actually there: which single filter, when
    dropped, brings reports back (and how many), instead of a generic hint."""
    relax = [
        ("机构名称关键词", {"search": ""}, bool(f.search)),
        ("年度", {"years": None}, f.years is not None),
        ("机构类别", {"agency_types": ()}, bool(f.agency_types)),
        ("报告格式", {"formats": ()}, bool(f.formats)),
        ("区县", {"county": None}, bool(f.county)),
        ("地市", {"city": None, "county": None}, bool(f.city)),
    ]
    hints = []
    for label, change, active in relax:
        if not active:
            continue
        n = int(db.totals(dataclasses.replace(f, **change)).get("reports") or 0)
        if n:
            hints.append(f"去掉“{label}”筛选后有 {n:,} 份报告")
    if hints:
        return "当前筛选条件下没有报告：" + "；".join(hints) + "。"
    everything = int(db.totals(db.Filters()).get("reports") or 0)
    if not everything:
        return "数据库中还没有宁夏的报告：请在“导入报告”上传，或勾选左侧“包含宁夏以外的报告”。"
    return f"当前筛选条件下没有报告（数据库中共有 {everything:,} 份），请在左侧放宽筛选条件。"
