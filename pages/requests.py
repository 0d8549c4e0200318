"""依申请公开: new applications by year, area and agency; who applied; how applications were
answered (予以公开, 部分公开, 不予公开 by reason, …); what was carried over; the agencies that
received most. Sums count printed figures only; n/N says how many reports printed them."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, ui
from etl import spec

ui.leave_pages_dir_mode(from_page=True)  # a deep link run without app.py (see ui)

f = ui.filters()
ui.banner()
st.title("依申请公开")
page = ui.Page("依申请公开", f)

if db.reports(f).is_empty():
    st.info(ui.EMPTY)
    st.stop()

BY = {"year": "年度", "city": "地市", "county": "区县", "agency": "机构"}
by = st.radio("汇总方式", list(BY), format_func=BY.get, horizontal=True, key="req_by")

new = db.requests_cells(f, ["new"], ["total"], by).select(
    pl.col("grp").cast(pl.String).alias(BY[by]),
    pl.col("value").alias("新收申请数"),
    ui.n_of("n", "reports").alias("填写 n/N"),
)
page.chart(
    "req_new",
    charts.bar_chart(
        new,
        BY[by],
        "新收申请数",
        title=ui.title(f, "依申请公开申请数（本年新收）"),
        horizontal=by != "year",
        tooltip=[BY[by], "新收申请数", "填写 n/N"],
    ),
    new,
)

left, right = st.columns(2)
with left:
    st.subheader("申请人类型")
    who = db.requests_cells(f, ["new"], list(spec.APPLICANT_COLS), "year").select(
        pl.col("grp").alias("年度"),
        pl.col("col_id").replace_strict(spec.COL_NAMES).alias("申请人"),
        pl.col("value").alias("申请数"),
        ui.n_of("n", "reports").alias("填写 n/N"),
    )
    if who["申请数"].drop_nulls().sum() == 0:
        st.info("所选报告的新收申请按申请人分列均为 0 或空白，无构成可看。")
    page.chart(
        "req_who",
        charts.stacked_bar(
            who,
            "年度",
            "申请数",
            "申请人",
            title=ui.title(f, "新收申请的申请人构成"),
            tooltip=["年度", "申请人", "申请数", "填写 n/N"],
        ),
        who,
    )
with right:
    st.subheader("结转情况")
    carry = db.requests_cells(f, ["carried_in", "carried_out"], ["total"], "year").select(
        pl.col("grp").alias("年度"),
        pl.col("row_id").replace_strict(spec.ROW_NAMES).alias("项目"),
        pl.col("value").alias("件数"),
        ui.n_of("n", "reports").alias("填写 n/N"),
    )
    page.chart(
        "req_carry",
        charts.line_chart(
            carry,
            "年度",
            "件数",
            color="项目",
            title=ui.title(f, "上年结转与结转下年度申请"),
            tooltip=["年度", "项目", "件数", "填写 n/N"],
        ),
        carry,
    )

st.subheader("办理结果")
outcome_rows = list(dict.fromkeys(spec.OUTCOME_ROWS["2019"] + spec.OUTCOME_ROWS["2021"]))
GROUP = {
    "granted": "予以公开",
    "partial": "部分公开",
    **{r: spec.ROW_NAMES[r] for r in outcome_rows if r.startswith("denied_")},
    **{r: "无法提供" for r in outcome_rows if r.startswith("unable_")},
    **{r: "不予处理" for r in outcome_rows if r.startswith("not_processed_")},
    **{r: "其他处理" for r in outcome_rows if r.startswith("other")},
}
outcomes = db.requests_cells(f, outcome_rows, ["total"], "year")
mix = (
    outcomes.with_columns(pl.col("row_id").replace_strict(GROUP).alias("办理结果"))
    .group_by("grp", "办理结果", maintain_order=True)
    .agg(ui.sum_printed("value"), pl.col("n").max(), pl.col("reports").max())
    .select(
        pl.col("grp").alias("年度"),
        "办理结果",
        pl.col("value").alias("件数"),
        ui.n_of("n", "reports").alias("填写 n/N"),
    )
)
if mix["件数"].drop_nulls().sum() == 0:
    st.info("所选报告的办理结果均为 0 或空白：这些机构没有办理依申请公开。")
page.chart(
    "req_outcomes",
    charts.stacked_bar(
        mix,
        "年度",
        "件数",
        "办理结果",
        title=ui.title(f, "依申请公开办理结果构成"),
        tooltip=["年度", "办理结果", "件数", "填写 n/N"],
    ),
    mix,
)
detail = outcomes.select(
    pl.col("grp").alias("年度"),
    pl.col("row_id").replace_strict(spec.ROW_NAMES).alias("办理结果"),
    pl.col("value").alias("件数"),
    ui.n_of("n", "reports").alias("填写 n/N"),
)
with st.expander("办理结果明细（含不予公开、无法提供、不予处理的各项理由）"):
    page.table("req_outcome_detail", detail, ui.title(f, "办理结果明细"))

st.subheader("收到申请最多的机构")
top = db.top_agencies(f, 10).select(
    pl.col("agency").alias("机构"),
    pl.col("value").alias("新收申请数"),
    ui.n_of("n", "reports").alias("填写年度 n/N"),
)
if top.is_empty():
    st.info("所选机构的报告都没有填写新收申请数。")
else:
    page.chart(
        "req_top",
        charts.bar_chart(
            top,
            "机构",
            "新收申请数",
            title=ui.title(f, "新收申请数前 10 位机构"),
            horizontal=True,
            sort="descending",
            tooltip=["机构", "新收申请数", "填写年度 n/N"],
        ),
        top,
    )
page.briefing()
