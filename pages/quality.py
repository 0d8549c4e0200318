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

# (tab, the list query of dashboard/queries.py and its arguments): each list is counted and
# shown a page at a time (at 100k reports they reach ~100k rows), its CSV/XLSX the whole list
SECTIONS: list[tuple[str, str, tuple]] = [
    ("未通过的校验", "checks", (f, ("failed",))),
    ("无法校验", "checks", (f, ("not_assessable",))),
    ("跨年度衔接", "cross_year", (f,)),
    ("解析提示", "warnings", (f,)),
    ("无法识别的文件", "rejects", ()),
    ("宁夏以外的报告", "outside_reports", ()),
    ("推断单位", "inferred_units", (f,)),
    ("同年度多份报告", "conflicts", ()),
]
cols = st.columns(4) + st.columns(4)
for col, (name, query, args) in zip(cols, SECTIONS, strict=True):
    page.metric(col, name, f"{db.row_count(query, args):,}", border=True)


tabs = st.tabs([name for name, _, _ in SECTIONS], key="q_tab", bind="query-params")
CHECK_TABS = [  # (what the tab lists, what the rule is, what no row means)
    ("未通过的校验", "", "所选范围内没有未通过的校验。"),
    (
        "无法校验的项目",
        "无法校验：参与校验的格子有空白，等式两边无法比较。",
        "所选范围内没有无法校验的项目。",
    ),
    (
        "跨年度衔接问题",
        "同一机构相邻两年：上年“结转下年度继续办理”应等于本年“上年结转”；"
        "2021 版现行有效件数应前后衔接。",
        "所选范围内没有跨年度衔接问题（或没有机构有相邻两年的报告）。",
    ),
]
for tab, key, (_, query, args), (name, about, empty) in zip(
    tabs[:3], ("q_failed", "q_unassessable", "q_cross"), SECTIONS[:3], CHECK_TABS, strict=True
):
    with tab:
        if about:
            st.caption(about)
        page.paged_list(
            key,
            query,
            args,
            {"机构": "agency", "年度": "year", **labels.check_columns()},
            filters.title(f, name),
            empty,
        )
with tabs[3]:
    page.paged_list(
        "q_warnings",
        "warnings",
        (f,),
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
    page.paged_list(
        "q_rejects",
        "rejects",
        (),
        {"文件": "path", "原因": "reason", "时间": "rejected_at"},
        "无法识别的文件",
        "没有无法识别的文件。",
        links=False,
    )
with tabs[5]:
    st.caption("这些报告默认不计入宁夏的统计；勾选左侧“包含宁夏以外的报告”可计入。")
    page.paged_list(
        "q_outside",
        "outside_reports",
        (),
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
    page.paged_list(
        "q_inferred",
        "inferred_units",
        (f,),
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
    page.paged_list(
        "q_conflicts",
        "conflicts",
        (),
        {
            "机构": "agency",
            "年度": "year",
            "状态": pl.col("is_current").replace_strict({True: "当前"}, default="已替代"),
            "来源文件": "source",
            "文件时间": "file_mtime",
        },
        "同年度多份报告",
        "没有同一机构同一年度的多份报告。",
    )
page.briefing()
