"""报告详情: one report as it was printed — its metadata, its three tables laid out as in
the original (blank stays empty, '/' stays '/', 0 is 0), the source text with the lines that
gave each figure marked, and its checks and warnings. Chosen by picker or ?report=<id>."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import db, filters, formatting, labels, layout, view
from etl import spec

page = view.page("报告详情")
f = page.f

PICKER_MAX = db.PICKER_MAX  # the versions grow with every report: the picker is capped

wanted = st.query_params.get("report")
search = st.text_input(
    "搜索报告",
    key="report_search",
    placeholder="机构名称或来源文件名的一部分",
    help="在左侧筛选范围内按机构名称或来源文件名查找（含已被替代的版本）。",
)
choices = db.report_picker(f, search, wanted, PICKER_MAX)
total = int(choices["total"][0]) if choices.height else 0
if search.strip() and total == 0:  # the report on screen stays in the picker
    st.info(formatting.plain(f"筛选范围内没有机构名称或来源文件名含“{search.strip()}”的报告。"))
if choices.is_empty():
    if not search.strip():
        st.info(
            filters.EMPTY if db.report_picker(None, "", None, 1).height else "数据库中还没有报告。"
        )
    st.stop()
ids = choices["id"].to_list()
choice_names = {
    r["id"]: f"{r['agency'] or '（未识别机构）'} · "
    + (f"{r['year']}年" if r["year"] is not None else "年度不详")
    + (" · 当前版本" if r["is_current"] else " · 已被替代")
    + ("" if r["in_ningxia"] else "（宁夏以外）")
    + ("" if r["in_filter"] else "（不在筛选或搜索范围）" if search.strip() else "（不在筛选范围）")
    for r in choices.iter_rows(named=True)
}
scope = "左侧筛选范围内" + ("、搜索到" if search.strip() else "")
if total > PICKER_MAX:
    st.caption(
        f"共 {total:,} 份，请用筛选或搜索缩小范围（选择框列出{scope}按年度从新到旧的前 "
        f"{PICKER_MAX} 份，含已被替代的版本）。"
    )
else:
    st.caption(f"选择框列出{scope}的 {total:,} 份报告（含已被替代的版本）。")


def picked() -> None:
    st.query_params["report"] = st.session_state["report_pick"]


if wanted in ids:
    st.session_state["report_pick"] = wanted
elif st.session_state.get("report_pick") not in ids:
    if wanted:
        st.warning("链接中的报告编号在数据库中不存在，已显示最新的一份报告。")
    st.session_state["report_pick"] = ids[0]
rid = st.selectbox(
    "选择报告", ids, format_func=choice_names.get, key="report_pick", on_change=picked
)
if st.query_params.get("report") != rid:
    st.query_params["report"] = rid

meta = db.report(rid)
if meta is None:  # the database was rebuilt between the picker and this line
    st.info("这份报告已不在数据库中，请重新选择。")
    st.stop()

st.subheader(
    formatting.plain(
        f"{meta['agency'] or '（未识别机构）'} "
        + (f"{meta['year']}年" if meta["year"] is not None else "")
        + "政府信息公开工作年度报告"
    )
)
info = layout.summary(
    meta,
    ("来源文件", f"{meta['source']}（{meta['file_type'] or '未知类型'}）"),
    (
        "版本",
        ("当前版本" if meta["is_current"] else "已被同年度较新的文件替代")
        + (f"（同年度共 {meta['n_versions']} 份）" if meta["n_versions"] > 1 else ""),
    ),
    (
        "校验",
        f"未通过 {meta['failed_checks']} 项，无法校验 {meta['unassessable_checks']} 项，"
        f"解析提示 {meta['n_warnings']} 条",
    ),
    ("报告编号", meta["id"]),
)
st.dataframe(info, hide_index=True, width="stretch")

facts = db.report_facts(rid)
fmt = meta["format"]


def table_heading(table: str) -> str:
    """'#### 二、主动公开政府信息情况': the table's number and name as the template prints them."""
    return f"#### {spec.TABLE_NUMBERS[table]}、{spec.TABLE_NAMES[table]}"


cells = {
    (r["table_name"], r["row_id"], r["col_id"]): layout.shown(r["value"], r["raw"])
    for r in facts.iter_rows(named=True)
}

if fmt not in spec.FORMATS:
    st.info("这份报告的统计表未能读出（只读出了标题），下面只显示原文。")
else:
    st.markdown(table_heading("active"))
    for section, grid in layout.grids(cells, fmt, "active"):
        st.caption(section)
        st.dataframe(grid, hide_index=True, placeholder="")
    amount = facts.filter((pl.col("row_id") == "procurement") & (pl.col("col_id") == "amount"))
    if amount.height and amount["unit"][0]:
        st.caption(formatting.plain(f"采购总金额单位（原文注明）：{amount['unit'][0]}"))

    st.markdown(table_heading("requests"))
    ((_, requests),) = layout.grids(cells, fmt, "requests")
    page.table(
        "requests",
        requests,
        f"{meta['agency']}{meta['year']}年 表三",
        height=35 * (requests.height + 1) + 3,
    )

    st.markdown(table_heading("appeals"))
    ((_, appeals),) = layout.grids(cells, fmt, "appeals")
    st.dataframe(appeals, hide_index=True, placeholder="")
    st.caption("空白表示报告未填写，“/”等符号照原文显示，均不等于 0。")

narr = db.report_narrative(rid)
if narr.height:
    st.markdown("#### 正文中的数字")
    st.dataframe(
        narr.select(
            pl.col("key").replace_strict(spec.NARRATIVE_NAMES, default=pl.col("key")).alias("项目"),
            pl.col("value").alias("数字"),
            pl.col("evidence").alias("原文依据"),
            pl.col("line").alias("行号"),
            pl.col("approximate").replace_strict({True: "约数"}, default="").alias("说明"),
        ),
        hide_index=True,
        placeholder="",
    )

st.markdown("#### 校验结果")
chk = db.report_checks(rid)
if chk.is_empty():
    st.info("这份报告没有可做的校验。")
else:
    rank = {"failed": 0, "not_assessable": 1, "ok": 2}  # what needs a look comes first
    chk = chk.sort(pl.col("status").replace_strict(rank, default=3, return_dtype=pl.Int32))
    bad = chk.filter(pl.col("status") != "ok")
    st.caption(f"共 {chk.height} 项校验，{bad.height} 项未通过或无法校验。")
    st.dataframe(
        chk.select(**labels.check_columns()),
        hide_index=True,
        placeholder="",
    )
warn = db.report_warnings(rid)
if warn.height:
    st.markdown("#### 解析提示")
    shown = warn.select(
        pl.col("message").map_elements(labels.warning_zh, return_dtype=pl.String).alias("提示")
    ).unique(maintain_order=True)
    st.dataframe(shown, hide_index=True, placeholder="")
    st.caption("解析程序的英文原文保存在数据库和日志中。")

st.markdown("#### 报告原文")
text = db.report_text(rid)
if text is None:
    st.info("数据库中没有这份报告的原文。")
else:
    marks: dict[int, set[str]] = {}
    for r in facts.filter(pl.col("line").is_not_null()).iter_rows(named=True):
        table = f"表{spec.TABLE_NUMBERS[r['table_name']]}"
        marks.setdefault(r["line"], set()).add(
            f"{table}·{spec.ROW_NAMES.get(r['row_id'], r['row_id'])}"
        )
    for r in narr.filter(pl.col("line").is_not_null()).iter_rows(named=True):
        marks.setdefault(r["line"], set()).add("正文数字")
    lines = text.splitlines()
    src = pl.DataFrame(
        {
            "行号": list(range(1, len(lines) + 1)),
            "取数": ["、".join(sorted(marks.get(i, ()))) for i in range(1, len(lines) + 1)],
            "原文": lines,
        }
    )
    only = st.checkbox("只看取了数字的行", key="report_only_marked")
    if only:
        src = src.filter(pl.col("取数") != "")
    wrap = st.checkbox(
        "长行换行显示", value=True, key="report_wrap", help="关闭后每行一格高，可一屏看更多行"
    )
    st.dataframe(
        src,
        hide_index=True,
        height=700,
        row_height=68 if wrap else None,  # Streamlit wraps text in rows taller than 4rem
        column_config={
            "行号": st.column_config.NumberColumn(width="small"),
            "取数": st.column_config.TextColumn(width="medium"),
            "原文": st.column_config.TextColumn(width="large"),
        },
    )
page.briefing()
