"""数据质量: what a supervisor should look at before trusting a figure — failed and
not-assessable checks, breaks between an agency's consecutive years, parser warnings, files
that could not be read, reports from outside Ningxia, inferred units and agencies with two
reports for one year. Every row links to its report."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import db, filters, labels, view
from etl import spec

page = view.page("数据质量")
f = page.f
st.caption("校验未通过是报告本身的问题（数字照原文保存，不做修改），不是解析错误。")

checks = db.checks(f)
failed = checks.filter(pl.col("status") == "failed")
unassessable = checks.filter(pl.col("status") == "not_assessable")
cross = db.cross_year(f)
warnings = db.warnings(f)
rejects = db.rejects()
outside = db.outside_reports()
inferred = db.inferred_units(f)
conflicts = db.conflicts()

SECTIONS = [
    ("未通过的校验", failed),
    ("无法校验", unassessable),
    ("跨年度衔接", cross),
    ("解析提示", warnings),
    ("无法识别的文件", rejects),
    ("宁夏以外的报告", outside),
    ("推断单位", inferred),
    ("同年度多份报告", conflicts),
]
cols = st.columns(4) + st.columns(4)
for col, (name, df) in zip(cols, SECTIONS, strict=True):
    page.metric(col, name, f"{df.height:,}", border=True)


LINKS = {"查看": view.LINK}
tabs = st.tabs([name for name, _ in SECTIONS], key="q_tab", bind="query-params")
CHECK_TABS = [  # (what the tab lists, its checks, what the rule is, what no row means)
    ("未通过的校验", failed, "", "所选范围内没有未通过的校验。"),
    (
        "无法校验的项目",
        unassessable,
        "无法校验：参与校验的格子有空白，等式两边无法比较。",
        "所选范围内没有无法校验的项目。",
    ),
    (
        "跨年度衔接问题",
        cross,
        "同一机构相邻两年：上年“结转下年度继续办理”应等于本年“上年结转”；"
        "2021 版现行有效件数应前后衔接。",
        "所选范围内没有跨年度衔接问题（或没有机构有相邻两年的报告）。",
    ),
]
for tab, key, (name, df, about, empty) in zip(
    tabs[:3], ("q_failed", "q_unassessable", "q_cross"), CHECK_TABS, strict=True
):
    with tab:
        if about:
            st.caption(about)
        page.report_list(
            key,
            df,
            {"机构": "agency", "年度": "year", **labels.check_columns()},
            filters.title(f, name),
            empty,
        )
with tabs[3]:
    page.report_list(
        "q_warnings",
        warnings,
        {
            "机构": "agency",
            "年度": "year",
            "解析状态": pl.col("status").replace_strict(
                spec.PARSE_STATUS, default=pl.col("status")
            ),
            "提示": pl.col("message").map_elements(labels.warning_zh, return_dtype=pl.String),
        },
        filters.title(f, "解析提示"),
        "所选范围内没有解析提示。",
    )
with tabs[4]:
    if rejects.is_empty():
        st.info("没有无法识别的文件。")
    else:
        page.table(
            "q_rejects",
            rejects.rename({"path": "文件", "reason": "原因", "rejected_at": "时间"}),
            "无法识别的文件",
        )
with tabs[5]:
    st.caption("这些报告默认不计入宁夏的统计；勾选左侧“包含宁夏以外的报告”可计入。")
    page.report_list(
        "q_outside",
        outside,
        {
            "机构": "agency",
            "年度": "year",
            "省份": "province",
            "地市": "city",
            "区县": "county",
            "判断": pl.col("in_ningxia").replace_strict({False: "区外"}, default="无法判断"),
            "来源文件": "source",
        },
        "宁夏以外的报告",
        "没有宁夏以外的报告。",
    )
with tabs[6]:
    st.caption("2019 版“采购总金额”模板没有单位；报告未注明时按每个项目的平均金额推断元或万元。")
    page.report_list(
        "q_inferred",
        inferred,
        {
            "机构": "agency",
            "年度": "year",
            "采购项目数": "projects",
            "金额（原文）": "amount_raw",
            "推断单位": "unit",
            "折算（万元）": "amount_wan",
        },
        filters.title(f, "推断单位的采购金额"),
        "所选范围内没有推断单位的金额。",
    )
with tabs[7]:
    st.caption("同一机构同一年度有多份报告时都保留，以文件较新的一份为准（“当前”）。")
    if conflicts.is_empty():
        st.info("没有同一机构同一年度的多份报告。")
    else:
        table = view.report_links(
            conflicts.select(
                "report_id",
                pl.col("agency").alias("机构"),
                pl.col("year").alias("年度"),
                pl.col("is_current").replace_strict({True: "当前"}, default="已替代").alias("状态"),
                pl.col("source").alias("来源文件"),
                pl.col("file_mtime").alias("文件时间"),
            )
        ).drop("report_id")
        page.table("q_conflicts", table, "同年度多份报告", column_config=LINKS)
page.briefing()
