"""What every page shares: the sidebar filters, titles that state them, export buttons.

Why here: the filters must survive page switches and live in the URL so that a copied link
reopens the same view. Widget state alone is dropped when the page changes, so the chosen
values are kept in one session-state dict (seeded once from the URL) and written back to
st.query_params after every run; other URL keys (e.g. ``report``) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, db, export  # noqa: F401  (charts: importing enables the theme)
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

    def _buttons(self, key: str, name: str, df: pl.DataFrame, chart: Any | None) -> None:
        """Export buttons in one wrapping row; every file is made only when clicked."""
        row = st.container(horizontal=True, gap="small")
        if chart is not None:
            _download(
                row,
                "PNG 图片",
                lambda: export.png_bytes(chart, scale=2),
                f"{name}.png",
                "image/png",
                f"{key}_png",
            )
            _download(
                row,
                "SVG 矢量图",
                lambda: export.svg_bytes(chart),
                f"{name}.svg",
                "image/svg+xml",
                f"{key}_svg",
            )
        _download(
            row, "CSV 数据", lambda: export.csv_bytes(df), f"{name}.csv", "text/csv", f"{key}_csv"
        )
        _download(
            row,
            "Excel 表格",
            lambda: export.xlsx_bytes({name[:31]: df}),
            f"{name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{key}_xlsx",
        )

    def chart(self, key: str, chart: Any, df: pl.DataFrame, name: str | None = None) -> None:
        """Show a chart with its PNG/SVG/CSV/XLSX buttons; df is what the chart shows."""
        name = name or _chart_title(chart) or key
        st.altair_chart(chart, theme=None, key=f"chart_{key}")
        self._buttons(key, name, df, chart)
        self.items.append((name, chart, df))

    def table(self, key: str, df: pl.DataFrame, name: str, **kwargs: Any) -> None:
        """Show a table with CSV/XLSX buttons (link columns are not exported)."""
        kwargs.setdefault("placeholder", "")  # a figure no report printed stays blank
        st.dataframe(df, hide_index=True, key=f"table_{key}", **kwargs)
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
        """The ZIP of the page's charts with their data (tables stand alone: no chart)."""
        items = [export.BriefingItem(n, c, d) for n, c, d in self.items]
        src = f"政府信息公开工作年度报告数据库（{db.db_path().name}）"
        built = db.meta().get("built_at")
        if built:
            src += f"，生成于 {built}"
        return export.briefing_zip(items, filters_text=scope(self.f), source_text=src)

    def briefing(self) -> None:
        """The page's 简报包 button; the ZIP is made only when it is clicked."""
        if not any(c is not None for _, c, _ in self.items):
            return
        st.divider()
        st.download_button(
            f"下载“{self.name}”简报包（ZIP：图表 + 数据）",
            data=self.briefing_bytes,
            file_name=f"{self.name}-简报包.zip",
            mime="application/zip",
            on_click="ignore",
            key="briefing_zip",
            type="primary",
        )


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
