"""依申请公开: new applications by year, area and agency; who applied; how applications were
answered (予以公开, 部分公开, 不予公开 by reason, …); what was carried over; the agencies that
received most. Sums count printed figures only; n/N says how many reports printed them."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import charts, db, filters, formatting, rankings, view
from etl import spec

page = view.page("依申请公开")
f = page.f

if not db.totals(f)["reports"]:
    st.info(formatting.plain(filters.empty_advice(f)))
    st.stop()

by, group = filters.grouping("req_by", "year", "city", "county", "agency")

new = db.requests_cells(f, ["new"], ["total"], by).select(
    pl.col("grp").cast(pl.String if by != "year" else pl.Int64).alias(group),
    pl.col("value").alias("新收申请数"),
    formatting.n_of("n", "reports").alias("填写 n/N"),
)
title_new = "依申请公开申请数（本年新收）"
if by == "year":
    page.trend("req_new", new, "新收申请数", title_new)
else:
    rankings.ranking(
        page,
        "req_new",
        new,
        group,
        "新收申请数",
        title=page.title(title_new),
    )
rankings.year_over_year(
    page,
    "req_yoy",
    f,
    lambda ff: db.requests_cells(ff, ["new"], ["total"], by),
    group,
    "新收申请数",
)


def by_year(cells: pl.DataFrame, part: str, name: str, value: str) -> pl.DataFrame:
    """Table 三 cells per year (from requests_cells or outcome_groups by year): 年度, the
    column `part` (a row id, or col_id) in Chinese as `name`, the sum as `value`, 填写 n/N."""
    names = spec.COL_NAMES if part == "col_id" else spec.ROW_NAMES
    return cells.select(
        pl.col("grp").alias("年度"),
        pl.col(part).replace_strict(names).alias(name),
        pl.col("value").alias(value),
        formatting.n_of("n", "reports").alias("填写 n/N"),
    )


left, right = st.columns(2)
with left:
    st.subheader("申请人类型")
    who = by_year(
        db.requests_cells(f, ["new"], list(spec.APPLICANT_COLS), "year"),
        "col_id",
        "申请人",
        "申请数",
    )
    if who["申请数"].drop_nulls().sum() == 0:
        st.info("所选报告的新收申请按申请人分列均为 0 或空白，无构成可看。")
    page.by_year(
        "req_who",
        who,
        "申请数",
        "新收申请的申请人构成",
        stack="申请人",
        scale=alt.Scale(  # the template's column order, one colour each
            domain=[spec.COL_NAMES[c] for c in spec.APPLICANT_COLS],
            range=list(charts.PALETTE),
        ),
    )
with right:
    st.subheader("结转情况")
    carry = by_year(
        db.requests_cells(f, ["carried_in", "carried_out"], ["total"], "year"),
        "row_id",
        "项目",
        "件数",
    )
    page.trend(
        "req_carry",
        carry,
        "件数",
        "上年结转与结转下年度申请",
        color="项目",
    )

st.subheader("办理结果")
LEVELS = {"group": "按大类（6 类）", "detail": "按理由（全部 20 项）"}
level = filters.url_choice("办理结果细分", LEVELS, "group", "req_level")
if level == "group":
    label_of = {g: g for g in spec.OUTCOME_GROUPS}
    legend = {g: [g] for g in spec.OUTCOME_GROUPS}
else:
    label_of = {r: spec.ROW_NAMES[r] for r in spec.OUTCOME_ORDER}
    legend = {g: [spec.ROW_NAMES[r] for r in rows] for g, rows in spec.OUTCOME_GROUPS.items()}
mix = db.outcome_groups(f, level).select(
    pl.col("grp").alias("年度"),
    pl.col("outcome").replace_strict(label_of).alias("办理结果"),
    pl.col("value").alias("件数"),
    formatting.n_of("n", "reports").alias("填写 n/N"),
)
scale = charts.outcome_scale(mix["办理结果"].unique().to_list(), legend)
mix = mix.sort(
    "年度",
    pl.col("办理结果").replace_strict(
        {v: i for i, v in enumerate(scale.domain)}, default=99, return_dtype=pl.Int32
    ),
)
if mix["件数"].drop_nulls().sum() == 0:
    st.info("所选报告的办理结果全部为 0 或空白：这些机构没有办理依申请公开。")
page.by_year(
    "req_outcomes",
    mix,
    "件数",
    "依申请公开办理结果构成",
    stack="办理结果",
    scale=scale,
)
detail = by_year(db.outcome_groups(f, "detail"), "outcome", "办理结果", "件数")
with st.expander("办理结果明细（含不予公开、无法提供、不予处理的各项理由）"):
    page.table("req_outcome_detail", detail, filters.title(f, "办理结果明细"))

st.subheader("收到申请最多的机构")
top = db.top_agencies(f, 100_000).select(
    pl.col("agency").alias("机构"),
    pl.col("value").alias("新收申请数"),
    formatting.n_of("n", "reports").alias("填写年度 n/N"),
)
if top.is_empty():
    st.info("所选机构的报告都没有填写新收申请数。")
else:
    rankings.ranking(
        page,
        "req_top",
        top,
        "机构",
        "新收申请数",
        title=filters.title(f, "新收申请数最多的机构"),
        tooltip=["机构", "新收申请数", "填写年度 n/N"],
        top_default="10",
    )
page.briefing()
