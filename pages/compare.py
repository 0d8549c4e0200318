"""对比: two to six agencies or counties side by side — one measure across the years, its
change on the previous year, and a ranking that says how many reports each rests on."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, filters, formatting, view
from etl import spec

page = view.page("对比")
f = page.f

KIND = {"agency": "机构", "county": "区县"}
kind = st.radio(
    "对比对象",
    list(KIND),
    format_func=KIND.get,
    horizontal=True,
    key="cmp_kind",
    bind="query-params",
)
options = db.entities(f, kind)
if len(options) < 2:
    st.info(f"所选范围内不足两个{KIND[kind]}，无法对比。请在左侧放宽筛选条件。")
    st.stop()
key = f"cmp_names_{kind}"
names = st.multiselect(
    f"选择 2–6 个{KIND[kind]}",
    options,
    default=options[:2],
    max_selections=6,
    key=key,
    bind="query-params",
)
if len(names) < 2:
    st.info(f"请至少选择 2 个{KIND[kind]}。")
    st.stop()

MEASURES = {  # the first is the default: a measure worth comparing, not the report count
    "applications": ("新收申请数", "applications_n"),
    "reports": ("报告数", None),
    "active_items": (spec.NARRATIVE_NAMES[spec.ACTIVE_ITEMS], "active_items_n"),
    "zero_filing": ("零报告数", "zero_filing_n"),
}
m = st.selectbox(
    "指标",
    list(MEASURES),
    format_func=lambda k: MEASURES[k][0],
    key="cmp_measure",
    bind="query-params",
)
label, n_col = MEASURES[m]
data = db.compare(f, kind, names)
long = data.select(
    pl.col("entity").alias(KIND[kind]),
    pl.col("year").alias("年度"),
    pl.col(m).cast(pl.Float64).alias(label),
    (formatting.n_of(n_col, "reports") if n_col else pl.format("{}", "reports")).alias("填写 n/N"),
)
page.trend(
    "cmp_trend",
    long,
    label,
    f"{label}对比",
    color=KIND[kind],
)

st.subheader("逐年并列")
wide = long.with_columns(formatting.number_text(label).alias("v")).pivot(
    on="年度", index=KIND[kind], values="v", sort_columns=True
)
page.table("cmp_wide", wide, filters.title(f, f"{label}逐年并列"))

st.subheader("较上年变化")
yoy = (
    long.sort(KIND[kind], "年度")
    .with_columns(
        pl.col("年度").shift(1).over(KIND[kind]).alias("上一年度"),
        pl.col(label).shift(1).over(KIND[kind]).alias("上年数值"),
    )
    .filter(pl.col("上一年度") == pl.col("年度") - 1)
    .with_columns((pl.col(label) - pl.col("上年数值")).alias("变化"))
    .select(KIND[kind], "年度", label, "上年数值", "变化")
)
if yoy.is_empty():
    st.info("所选对象没有相邻两个年度都有报告的情况，无法计算较上年变化。")
else:
    page.table("cmp_yoy", yoy, filters.title(f, f"{label}较上年变化"))

st.subheader("排名")
rank = (
    db.compare_totals(f, kind, names)
    .select(
        "entity",
        pl.col(m).alias(label),
        pl.col("reports").alias("报告数合计"),
        pl.col(n_col or "reports").alias("填写报告数"),
    )
    .sort(label, descending=True, nulls_last=True, maintain_order=True)
    .with_columns(
        pl.col(label).rank("min", descending=True).cast(pl.Int32).alias("名次"),
        pl.format("依据 {} 份报告（{} 份填写）", "报告数合计", "填写报告数").alias("依据"),
    )
    .rename({"entity": KIND[kind]})
    .select("名次", KIND[kind], label, "依据")
)
page.chart(
    "cmp_rank",
    charts.bar_chart(
        rank,
        KIND[kind],
        label,
        title=filters.title(f, f"{label}排名（所选年度合计）"),
        horizontal=True,
        sort="descending",
        tooltip=["名次", KIND[kind], label, "依据"],
    ),
    rank,
)
page.briefing()
