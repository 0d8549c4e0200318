"""政府采购: projects and amounts of 政府集中采购 (in 万元) by year, area and agency. Only the
2019 format has this row (reports on 2019 and 2020); amounts whose unit the report does not
print are converted by an inferred unit and marked as such."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, filters, formatting, labels, rankings, view

page = view.page(
    "政府采购",
    "政府集中采购只在 2019 版格式（2019、2020 年度报告）的表二中填报，2021 版格式没有这一行。"
    "金额统一折算为万元；报告未注明单位的，按每个项目的平均金额推断（标为“推断单位”）。",
)
f = page.f

rows = db.procurement(f)
if rows.is_empty():
    st.info(
        "所选范围内没有 2019 版格式的报告，因此没有政府集中采购数据。"
        "可在左侧把年度放宽到 2019–2020 年。"
    )
    st.stop()

SOURCE = {"stated": "报告注明单位", "inferred": "推断单位"}
per_report = rows.select(
    **labels.report_columns(),
    **{
        "采购项目数": pl.col("projects"),
        "金额（原文）": pl.col("amount_raw"),
        "单位": pl.col("unit"),
        "单位来源": pl.col("unit_source").replace_strict(SOURCE, default="金额为0或未填"),
        "金额（万元）": pl.col("amount_wan"),
    },
    report_id="report_id",
)
tot = db.procurement_totals(f)
c = st.columns(3)
page.metric(
    c[0],
    "采购项目数",
    formatting.fmt_number(tot["projects"]),
    help=f"{tot['projects_n']}/{tot['reports']} 份报告填写了项目数",
)
page.metric(
    c[1],
    "采购总金额（万元）",
    formatting.fmt_number(tot["amount_wan"]),
    help=f"{tot['amount_n']}/{tot['reports']} 份报告填写了金额",
)
page.metric(
    c[2],
    "推断单位的报告",
    f"{tot['inferred']:,}/{tot['reports']:,}",
    help="报告未注明“元”或“万元”，按金额大小推断",
)

by, group = filters.grouping("proc_by", "year", "county", "agency")
grouped = db.procurement_by(f, by).select(
    pl.col("grp").cast(pl.Int64 if by == "year" else pl.String).alias(group),
    pl.col("projects").alias("采购项目数"),
    pl.col("amount_wan").alias("金额（万元）"),
    formatting.n_of("amount_n", "reports").alias("填写金额 n/N"),
    pl.col("inferred").alias("其中推断单位"),
)
if by == "year":
    YEAR_CHARTS = {"proc_amount": "金额（万元）", "proc_projects": "采购项目数"}
    for column, (key, measure) in zip(st.columns(2), YEAR_CHARTS.items(), strict=True):
        with column:
            page.by_year(
                key,
                grouped,
                measure,
                f"政府集中采购{measure}",
                tooltip=[group, measure, "填写金额 n/N", "其中推断单位"],
            )
else:
    measure = filters.url_choice(
        "指标", {m: m for m in ("金额（万元）", "采购项目数")}, "金额（万元）", "proc_measure"
    )
    rankings.ranking(
        page,
        "proc_rank",
        grouped,
        group,
        measure,
        title=filters.title(f, f"政府集中采购{measure}"),
        tooltip=[group, "金额（万元）", "采购项目数", "填写金额 n/N", "其中推断单位"],
    )

rankings.year_over_year(
    page,
    "proc_yoy",
    f,
    lambda ff: db.procurement_by(ff, by),
    group,
    "采购金额（万元）",
    value="amount_wan",
    last=rows["year"].max(),  # the 2019 format's last year, not the selection's
)

st.subheader("各报告金额及单位")
top = per_report.sort("金额（万元）", descending=True, nulls_last=True).head(rankings.TOP_REPORTS)
st.caption(
    (
        f"共 {per_report.height} 份报告，图中只显示金额最大的 {top.height} 份；"
        "下表列出全部，导出的数据含全部。"
        if per_report.height > top.height
        else ""
    )
    + "点击柱子打开该报告。"
)
page.chart(
    "proc_reports",
    charts.bar_chart(
        top,
        "报告",
        "金额（万元）",
        title=filters.title(f, f"采购金额最大的 {top.height} 份报告（万元，标明单位来源）"),
        color="单位来源",
        horizontal=True,
        sort="descending",
        tooltip=["机构", "年度", "金额（原文）", "单位", "单位来源", "金额（万元）"],
        select=view.PICK,
        select_fields=["report_id"],
    ),
    per_report.drop("report_id"),
    on_select=view.open_report,
)
page.table(
    "proc_table",
    view.report_links(per_report).drop("report_id", "报告"),
    filters.title(f, "政府集中采购明细"),
    column_config={"查看": view.LINK},
)
page.briefing()
