"""Grouped charts that rank, year-over-year changes, and the caps that keep every chart
bounded.

Why here: no chart may grow with the number of agencies or reports (a 171-bar chart or a
647-report PNG goes into no briefing), rates below a minimum number of reports are 样本不足
rather than a bar, and city- and region-level rows are not ranked among counties — on every
page alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, db, filters, labels, view
from dashboard.formatting import number_text
from dashboard.view import PICK, Page

SORTS = {"desc": "从高到低", "asc": "从低到高", "name": "按名称"}
TOPS = ("10", "20", "50", "全部")
LEVEL_NOTE = "市直、区直机构（不与区县排名）"
TOP_REPORTS = 30  # per-report charts show at most this many bars; the table lists all


def rate_label(value: float | None, n: int | None, total: int | None, scarce: bool) -> str:
    """'36.8%（7/19）', or '样本不足（3 份）' below the minimum N."""
    if scarce:
        return f"{charts.SCARCE_LABEL}（{total or 0} 份）"
    if value is None:
        return charts.MISSING_LABEL
    return f"{value:.1f}%（{n}/{total}）"


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
    what: str | None = None,
    top_default: str = "20",
) -> None:
    """A grouped chart that ranks: sorted by value (order switchable), the top N in the chart
    with the full list in the table below, city- and region-level rows apart from counties.
    With `n`/`total` the value is a rate (%) over `total` reports: below the minimum N it is
    样本不足, not a bar, and every label says n/N."""
    is_rate = n is not None and total is not None
    what = what or f"个{cat}"
    row = st.container(horizontal=True, gap="medium")
    with row:
        order = filters.url_choice("排序", SORTS, "desc", f"{key}_sort")
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
        with_labels = st.checkbox("数值标签", value=True, key=f"{key}_labels", bind="query-params")
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
    level = data.filter(pl.col(cat).map_elements(labels.is_level_row, return_dtype=pl.Boolean))
    main = data.filter(~pl.col(cat).map_elements(labels.is_level_row, return_dtype=pl.Boolean))
    limit = main.height if top == "全部" else int(top)
    shown = main.head(min(limit, 60))
    tips = tooltip or view.tips(df, cat, value)
    if "_label" not in tips:
        tips = [*tips, alt.Tooltip("_label:N", title="数值（n/N）" if is_rate else "数值")]
    if charts.all_zero(shown, value):
        st.info(f"图中的 {shown.height} 个{cat}{charts.ALL_ZERO_NOTE}。")
    clickable = cat in filters.CLICKABLE
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

    def bars(frame: pl.DataFrame, chart_title: str, select: str | None = None) -> alt.LayerChart:
        return charts.bar_chart(
            frame,
            cat,
            value,
            title=chart_title,
            horizontal=True,
            sort=frame[cat].to_list(),
            tooltip=tips,
            rate=is_rate,
            labels="_label" if with_labels else None,
            note="_note",
            select=select,
        )

    page.chart(
        key,
        bars(shown, title, PICK if clickable else None),
        data.drop("_label", "_note"),
        note=sub,
        on_select=filters.on_click(cat) if clickable else None,
    )
    if level.height:
        st.caption(LEVEL_NOTE)
        page.chart(
            f"{key}_level",
            bars(level, f"{title} · 市直、区直机构", PICK if clickable else None),
            level.drop("_label", "_note"),
            buttons=False,
            on_select=filters.on_click(cat) if clickable else None,
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
    *,
    value: str | pl.Expr = "value",
    rate: bool = False,
) -> None:
    """Change and % change of the last year of the selection (or `last`) on the year before,
    per group: a table, and a chart on request, in an expander that queries only when open.
    `fetch(filters)` gives a grouped query's frame (grp, reports and the `value` column or
    expression). A `rate` (a %) changes by percentage points, with no % change of a %. Says so when the
    two years rest on different numbers of reports (a change may be coverage)."""
    span = f.years or db.year_span()
    if not span or span[0] == span[1]:
        return
    year = last if last is not None else span[1]
    prev = year - 1
    if prev < span[0] or year > span[1]:  # both years must lie in the selection
        return
    label = f"较上年变化：{year} 年对 {prev} 年（{measure}）"
    box = st.expander(label, key=f"{key}_open", bind="query-params")  # open state: in the link
    if not box.open:  # lazy: the two years are queried only once it is opened
        return
    now, old = (
        fetch(dataclasses.replace(f, years=(y, y))).select(
            pl.col("grp").cast(pl.String),
            (pl.col(value) if isinstance(value, str) else value).alias("value"),
            "reports",
        )
        for y in (year, prev)
    )
    if cat == "年度":  # by year: the selection as one row, this year against the last
        now, old = (d.with_columns(pl.lit(filters.scope(f)).alias("grp")) for d in (now, old))
    both = now.join(old, on="grp", how="full", coalesce=True, suffix="_prev")
    change = "变化（百分点）" if rate else "变化"
    relative = (
        pl.when(pl.col("value_prev") > 0)
        .then(100 * (pl.col("value") - pl.col("value_prev")) / pl.col("value_prev"))
        .alias("变化率（%）")
    )
    table = both.select(
        pl.col("grp").alias(cat),
        pl.col("value").alias(f"{year}年"),
        pl.col("value_prev").alias(f"{prev}年"),
        (pl.col("value") - pl.col("value_prev")).alias(change),
        *([] if rate else [relative]),
        pl.col("reports").fill_null(0).alias(f"{year}年报告数"),
        pl.col("reports_prev").fill_null(0).alias(f"{prev}年报告数"),
    ).sort(change, descending=True, nulls_last=True)
    with box:
        n_now, n_old = int(now["reports"].sum()), int(old["reports"].sum())
        if n_now != n_old:
            st.caption(
                f"注意：{year} 年有 {n_now:,} 份报告，{prev} 年有 {n_old:,} 份，"
                "变化中有一部分来自报告份数的不同。"
            )
        page.table(key, table, filters.title(f, f"{measure}较上年变化（{year}对{prev}）"))
        if st.checkbox("显示变化图", key=f"{key}_chart", bind="query-params"):
            shown = table.drop_nulls(change).head(20)
            clickable = (
                cat in filters.CLICKABLE and cat != "年度"
            )  # by year the row is the selection
            if clickable:
                st.caption(f"点击柱子可把左侧筛选设为该{cat}。")
            page.chart(
                f"{key}_bar",
                charts.bar_chart(
                    shown,
                    cat,
                    change,
                    title=filters.title(f, f"{measure}较上年变化（前 20 个）"),
                    horizontal=True,
                    sort=shown[cat].to_list(),
                    select=PICK if clickable else None,
                ),
                table,
                on_select=filters.on_click(cat) if clickable else None,
            )


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
