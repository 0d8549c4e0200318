"""What every page shows around its content: the preamble (filters, demo banner, title),
charts and tables with their export buttons, links to reports, the page's 简报包, and
Streamlit's own English chrome hidden.

Why here: a page states only its own figures; `page(title)` draws the rest the same way on
every page, and every chart or table it shows through `Page` is exportable and goes into
the briefing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, db, export, filters, nav

PICK = "pick"  # the name of the click selection on bars, tiles and cells
REPORT_PAGE = nav.REPORT_PAGE
LINK = st.column_config.LinkColumn("查看", display_text="报告详情")
N_OF = ("填写 n/N", "n/N")  # the columns that say how many reports a value rests on
PAGE_ROWS = db.PAGE_ROWS


def page(title: str, about: str | None = None) -> Page:
    """The preamble of every page: the sidebar filters, the demo banner, the title and what
    the page counts (`about`); the returned Page holds the filter (`page.f`) and collects
    the page's exports."""
    nav.route_through_app()
    f = filters.sidebar()
    banner()
    st.title(title)
    if about:
        st.caption(about)
    return Page(title, f)


def banner() -> None:
    """The demo-data banner, when the database says its data is simulated."""
    if db.is_demo():
        st.warning("模拟数据，仅供演示", icon="⚠️")


def open_report(row: dict[str, Any]) -> None:
    """A click on a report's bar or cell: open the report in 报告详情 (the filters stay)."""
    if row.get("report_id"):
        st.switch_page(REPORT_PAGE, query_params={"report": str(row["report_id"])})


def tips(df: pl.DataFrame, *cols: str | None) -> list[str]:
    """The default tooltip: the given columns, then the n/N beside the value when df has it."""
    return [c for c in cols if c] + [c for c in N_OF if c in df.columns]


def report_links(df: pl.DataFrame, id_col: str = "report_id") -> pl.DataFrame:
    """Add a '查看' column with a link to 报告详情 for each row's report."""
    qs = filters.query_string()
    base = "report?" + (qs + "&" if qs else "") + "report="
    return df.with_columns((pl.lit(base) + pl.col(id_col)).alias("查看"))


class Page:
    """One page's charts and tables; collects them for the page's 简报包."""

    def __init__(self, name: str, f: db.Filters) -> None:
        self.name = name
        self.f = f
        self.items: list[tuple[str, alt.TopLevelMixin | None, pl.DataFrame]] = []
        self.notes: dict[str, str] = {}
        self.kpis: list[tuple[str, str]] = []
        self.demo = db.is_demo()

    @property
    def span(self) -> tuple[int, int] | None:
        """The years the selection covers (every year of the data when none is chosen)."""
        return self.f.years or db.year_span()

    @property
    def years(self) -> list[int] | None:
        """Every year of the span, for an axis that shows a year without reports."""
        span = self.span
        return list(range(span[0], span[1] + 1)) if span else None

    def title(self, measure: str) -> str:
        """A chart title that states the page's filter."""
        return filters.title(self.f, measure)

    def trend(
        self,
        key: str,
        df: pl.DataFrame,
        value: str,
        measure: str,
        *,
        color: str | None = None,
        tooltip: list[str] | None = None,
        rate: bool = False,
        data: pl.DataFrame | None = None,
    ) -> None:
        """`value` by 年度 as a line over every year of the span (a year without reports is a
        gap); `data` is what its exports hold (default: df)."""
        chart = charts.line_chart(
            df,
            "年度",
            value,
            color=color,
            title=self.title(measure),
            tooltip=tooltip or tips(df, "年度", color, value),
            span=self.span,
            rate=rate,
        )
        self.chart(key, chart, df if data is None else data)

    def by_year(
        self,
        key: str,
        df: pl.DataFrame,
        value: str,
        measure: str,
        *,
        stack: str | None = None,
        tooltip: list[str] | None = None,
        scale: alt.Scale | None = None,
    ) -> None:
        """`value` as one bar per 年度 (stacked by `stack`); a click on a bar narrows the
        filter to that year."""
        tooltip = tooltip or tips(df, "年度", stack, value)
        chart: alt.TopLevelMixin
        if stack is None:
            chart = charts.bar_chart(
                df, "年度", value, title=self.title(measure), tooltip=tooltip, select=PICK
            )
        else:
            chart = charts.stacked_bar(
                df,
                "年度",
                value,
                stack,
                title=self.title(measure),
                tooltip=tooltip,
                scale=scale,
                x_domain=self.years,
                select=PICK,
            )
        if stack is None and charts.all_zero(df, value):  # no bar to see: say why
            st.info(f"图中各年度{charts.ALL_ZERO_NOTE}。")
        st.caption("点击柱子可把左侧筛选设为该年度。")
        self.chart(key, chart, df, on_select=filters.on_click("年度"))

    def frame(self, note: str | None = None) -> export.Frame:
        """Subtitle (the filters, n/N), source line and demo mark for an exported chart."""
        reports = int(db.totals(self.f).get("reports") or 0)
        sub = f"筛选：{filters.scope(self.f)}" + (f"\n{note}" if note else "")
        return export.Frame(sub, export.source_line(reports), self.demo)

    def _file(self, name: str) -> str:
        return f"{export.DEMO_MARK}-{name}" if self.demo else name

    def _buttons(
        self,
        key: str,
        name: str,
        df: pl.DataFrame | Callable[[], pl.DataFrame],
        chart: Any | None,
        note: str | None = None,
    ) -> None:
        """Export buttons in one wrapping row; every file is made only when clicked (and df,
        when it is a function, only then fetched: a long list is not held for its export)."""
        row = st.container(horizontal=True, gap="small")
        file = self._file(name)

        def data() -> pl.DataFrame:
            return export.marked(df() if callable(df) else df, self.demo)

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
            lambda: export.csv_bytes(data()),
            f"{file}.csv",
            "text/csv",
            f"{key}_csv",
        )
        _download(
            row,
            "Excel 表格",
            lambda: export.xlsx_bytes({name[:31]: data()}),
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
        _show(key, df, **kwargs)
        data = df.drop([c for c in ("查看",) if c in df.columns])
        self._buttons(key, name, data, None)
        self.items.append((name, None, data))

    def report_list(
        self, key: str, df: pl.DataFrame, columns: dict[str, str | pl.Expr], name: str, empty: str
    ) -> None:
        """Reports as a table, each row linking to 报告详情; `columns` maps each Chinese
        header to a column name or expression. `empty` is said when there is no row."""
        if df.is_empty():
            st.info(empty)
            return
        self.table(key, _columns(df, columns, links=True), name, column_config={"查看": LINK})

    def paged_list(
        self,
        key: str,
        query: str,
        args: tuple[Any, ...],
        columns: dict[str, str | pl.Expr],
        name: str,
        empty: str,
        *,
        links: bool = True,
    ) -> None:
        """The list query `query` (one of queries.LISTS) PAGE_ROWS rows at a time: only the
        page shown is fetched and held, the whole list only when its CSV/XLSX is clicked (so
        a list that grows with the reports costs no memory). Each row links to 报告详情
        unless `links` is False; `columns` as in report_list. Not part of the 简报包."""
        total = db.row_count(query, args)
        if total == 0:
            st.info(empty)
            return
        pages = -(-total // PAGE_ROWS)
        at = 1
        if pages > 1:  # a new count (another filter) is a new widget: back to page 1
            at = int(
                st.number_input(
                    f"页码（共 {total:,} 条，每页 {PAGE_ROWS} 条，共 {pages:,} 页）",
                    min_value=1,
                    max_value=pages,
                    step=1,
                    key=f"{key}_page",
                )
            )
        rows = db.window(query, args, PAGE_ROWS, (at - 1) * PAGE_ROWS)
        config = {"查看": LINK} if links else None
        _show(key, _columns(rows, columns, links=links), column_config=config)
        if pages > 1:
            st.caption(
                f"第 {(at - 1) * PAGE_ROWS + 1:,}–{min(at * PAGE_ROWS, total):,} 条；"
                "下载的 CSV / Excel 含全部条目。"
            )
        self._buttons(key, name, lambda: _columns(db.full(query, *args), columns), None)

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
            filters_text=filters.scope(self.f),
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


def _columns(
    df: pl.DataFrame, columns: dict[str, str | pl.Expr], *, links: bool = False
) -> pl.DataFrame:
    """df's `columns` (Chinese header → column name or expression), with a '查看' link to
    each row's report when `links`."""
    picked = [(pl.col(c) if isinstance(c, str) else c).alias(h) for h, c in columns.items()]
    if not links:
        return df.select(*picked)
    return report_links(df.select("report_id", *picked)).drop("report_id")


def _show(key: str, df: pl.DataFrame, **kwargs: Any) -> None:
    """A table as every page shows one: blank stays blank, counts as 12,345, years as 2023."""
    kwargs.setdefault("placeholder", "")  # a figure no report printed stays blank
    config = dict(kwargs.pop("column_config", None) or {})
    for col, dtype in df.schema.items():  # counts 12,345 as in charts; years as 2023
        if col not in config and dtype.is_numeric() and not charts._is_year(col):
            config[col] = st.column_config.NumberColumn(
                format="localized" if dtype.is_integer() or charts.whole(df, col) else "%.1f"
            )
    st.dataframe(df, hide_index=True, key=f"table_{key}", column_config=config, **kwargs)


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
