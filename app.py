"""年报看板: the Streamlit entry point. Builds the database when it is missing or stale,
then only reads it; the pages live in pages/.

Run: streamlit run app.py  (NIANBAO_DB / NIANBAO_REPORTS override the file locations)
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import db, ui

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="年报看板", page_icon="📊", layout="wide")


def ensure_database() -> None:
    """Build the database from the report files first if it is missing or older than them.

    Checked once per session (over 100k files the check takes a second or more), and never
    for a demo database: that one is built from generated reports by `etl build --demo`.
    """
    try:
        from etl import load
    except ImportError:  # the loader is not installed: read whatever file is there
        load = None
    path, reports = db.db_path(), db.reports_dir()
    checked = st.session_state.get("_db_checked") == (str(path), str(reports))
    st.session_state["_db_checked"] = (str(path), str(reports))
    skip = checked or load is None or not reports.is_dir()
    if not skip and not (path.exists() and db.is_demo()) and load.needs_build(reports, path):
        with st.status("正在根据报告文件建立数据库，请稍候……", expanded=True) as status:
            st.write(ui.plain(f"报告文件夹：{reports}"))
            try:
                summary = load.build(reports, path, progress=False)
            except Exception as exc:  # keep showing the last good database, say why
                status.update(label="数据库更新失败，仍显示上一次的数据。", state="error")
                st.exception(exc)
            else:
                note = f"已载入 {summary.loaded} 份报告"
                if summary.rejected:
                    note += f"，{len(summary.rejected)} 个文件无法识别（见“数据质量”）"
                status.update(label=f"数据库已更新：{note}。", state="complete", expanded=False)
    if not path.exists():
        st.error(
            "还没有数据库，也无法自动建立。请先运行 `python -m etl build`，"
            "或把报告文件放进 data/reports/ 后刷新页面。"
        )
        st.stop()


ui.leave_pages_dir_mode()
ensure_database()

PAGES = [
    ("pages/overview.py", "总览", ":material/dashboard:"),
    ("pages/active.py", "主动公开", ":material/campaign:"),
    ("pages/procurement.py", "政府采购", ":material/receipt_long:"),
    ("pages/requests.py", "依申请公开", ":material/mail:"),
    ("pages/zero.py", "零报告", ":material/exposure_zero:"),
    ("pages/compare.py", "对比", ":material/compare_arrows:"),
    ("pages/quality.py", "数据质量", ":material/fact_check:"),
    ("pages/report.py", "报告详情", ":material/description:"),
    ("pages/import.py", "导入报告", ":material/upload_file:"),  # added by its own helper
]

nav = st.navigation(
    [
        st.Page(file, title=name, icon=icon, default=i == 0)
        for i, (file, name, icon) in enumerate(PAGES)
        if (HERE / file).exists()
    ]
)
nav.run()
