"""导入报告: a supervisor adds report files (or ZIPs of them). Each is read and shown as the
database will hold it — metadata, the three tables, checks, warnings — or with the reason it
cannot be used, before anything is stored. 确认导入 saves the originals and runs the same
build as the command line; everyone else keeps reading the old data until the new file is
swapped in. The logic lives in dashboard/upload.py; report text is only ever shown as text."""

from __future__ import annotations

import math

import polars as pl
import streamlit as st

from dashboard import formatting, labels, nav, upload, view
from etl import spec

ROUND = "import_round"  # bumped after an import: a new key empties the uploader
STAGED = "import_staged"
RESULT = "import_result"

nav.route_through_app()
st.title("导入报告")
st.caption(
    "上传后先预览读出的内容，确认后才保存并更新数据库。原文件按内容编号保存在报告文件夹中；"
    "同一机构同一年度的多份报告都会保留，以较新的一份为当前版本。"
)


def show_result(result: upload.ImportResult) -> None:
    """The last import's build summary, its refusals and links to the new reports."""
    st.success(f"导入完成：{result.headline()}。")
    own = result.own_rejects()
    if own:
        st.dataframe(
            pl.DataFrame(
                {
                    "文件": [r.path for r in own],
                    "拒收原因": [r.reason_zh or r.reason for r in own],
                }
            ),
            hide_index=True,
        )
    if result.other_rejects():
        st.caption(
            f"报告文件夹中另有 {result.other_rejects()} 个以前就无法识别的文件，见“数据质量”页。"
        )
    for s in result.imported:
        r = s.report or {}
        st.page_link(
            view.REPORT_PAGE,
            label=formatting.plain(
                f"查看报告详情：{r.get('agency') or '（未识别机构）'} {r.get('year') or ''}年"
            ),
            icon=":material/description:",
            query_params={"report": (s.sha256 or "")[:16]},
        )


def preview(item: upload.Staged, expanded: bool) -> None:
    """What was read from one file, laid out as the report prints it."""
    r = item.report or {}
    label = f"{item.name} → {r.get('agency') or '（未识别机构）'} {r.get('year') or '年度不详'}年"
    with st.expander(formatting.plain(label), expanded=expanded, icon=":material/description:"):
        notice = item.replace_notice()
        if notice:
            st.warning(formatting.plain(notice), icon=":material/swap_horiz:")
        st.dataframe(upload.metadata(r), hide_index=True)
        for table in spec.TABLES:
            grids = upload.table_grids(r, table)
            st.markdown(f"**{spec.TABLE_NUMBERS[table]}、{spec.TABLE_NAMES[table]}**")
            if not grids:
                st.info("这张表未能读出。")
            for grid in grids:  # tall enough to show every row without scrolling
                st.dataframe(
                    grid, hide_index=True, placeholder="", height=35 * (grid.height + 1) + 3
                )
        st.caption("空白表示报告未填写，“/”等符号照原文显示，均不等于 0。")
        show_checks(upload.checks(r))
        warnings = r.get("warnings") or []
        if warnings:
            st.markdown("**解析提示**")
            shown = [labels.warning_zh(w) for w in warnings]  # the English stays in the logs
            st.dataframe(pl.DataFrame({"提示": shown}), hide_index=True)


def show_checks(checks: pl.DataFrame) -> None:
    """The checks, failed ones first and highlighted."""
    failed = checks.filter(pl.col("status") == "failed").height
    st.markdown("**校验**")
    if checks.is_empty():
        st.info("这份报告没有可做的校验。")
        return
    if failed:
        st.warning(f"{failed} 项校验未通过：数字照原文保存，不做修改。")
    else:
        st.caption(f"共 {checks.height} 项校验，没有未通过的。")
    table = checks.select(**labels.check_columns())
    red = "background-color: #fde2e1; color: #8a1c1c"
    styled = table.to_pandas().style.apply(
        lambda row: [red if row["结果"] == "未通过" else ""] * len(row), axis=1
    )
    st.dataframe(styled, hide_index=True, height=min(400, 35 * (table.height + 1) + 3))


def staged_for(files: list) -> list[upload.Staged]:
    """Stage the chosen files once per selection (reruns reuse the preview)."""
    signature = tuple((f.file_id, f.name, f.size) for f in files)
    cached = st.session_state.get(STAGED)
    if cached and cached[0] == signature:
        return cached[1]
    with st.spinner("正在读取文件……"):
        staged = upload.stage((f.name, f.getvalue()) for f in files)
    st.session_state[STAGED] = (signature, staged)
    st.session_state.pop(RESULT, None)
    return staged


def run_import(good: list[upload.Staged]) -> None:
    """Save, build, then start over with an empty uploader and the summary on top."""
    with st.status(f"正在导入 {len(good)} 份报告……", expanded=True) as status:
        try:
            result = upload.confirm(good, on_step=lambda m: st.write(formatting.plain(m)))
        except Exception as e:  # the build keeps the old database whole; say what failed
            status.update(label="导入失败，数据库保持原样。", state="error")
            st.error("导入失败，报告文件已保存，数据库未更新。原因如下：")
            st.text(f"{type(e).__name__}: {e}"[:500])
            return
        status.update(label=result.headline(), state="complete")
    st.cache_data.clear()
    st.session_state[RESULT] = result
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.session_state.pop(STAGED, None)
    st.rerun()


if RESULT in st.session_state:
    show_result(st.session_state[RESULT])

mb = upload.max_mb()
files = st.file_uploader(
    "选择报告文件（可多选，也可上传 ZIP 压缩包）",
    type=list(upload.UPLOAD_TYPES),
    accept_multiple_files=True,
    max_upload_size=max(1, math.ceil(mb)),
    key=f"import_files_{st.session_state.get(ROUND, 0)}",
)
st.caption(f"支持 .txt .docx .doc .pdf .html .htm .zip，单个文件不超过 {mb:g} MB。")
if not files:
    st.info("还没有选择文件。选择后会先显示读出的内容，确认后才导入。")
    st.stop()

staged = staged_for(files)
good = [s for s in staged if s.ok]
bad = [s for s in staged if not s.ok]
left, right = st.columns(2)
left.metric("可以导入", f"{len(good)} 份", border=True)
right.metric("无法导入", f"{len(bad)} 个", border=True)

if bad:
    st.markdown("#### 无法导入的文件")
    st.dataframe(
        pl.DataFrame({"文件": [s.name for s in bad], "原因": [s.reason or "" for s in bad]}),
        hide_index=True,
    )
if good:
    st.markdown("#### 预览")
    for item in good:
        preview(item, expanded=len(good) <= 2)
    replacing = sum(s.replaces is not None for s in good)
    if replacing:
        st.warning(f"其中 {replacing} 份将替换数据库中同机构同年度的报告（旧的一份保留）。")
    if st.button(f"确认导入（{len(good)} 份）", type="primary", key="import_confirm"):
        run_import(good)
else:
    st.info("没有可以导入的报告。")
