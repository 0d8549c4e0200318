"""年报看板: the Streamlit entry point. Builds the database when it is missing or stale,
then only reads it; the pages live in pages/, listed in dashboard/nav.py.

Run: streamlit run app.py  (NIANBAO_DB / NIANBAO_REPORTS override the file locations)
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import db, formatting, nav, view
from etl import settings

st.set_page_config(page_title="年报看板", page_icon="📊", layout="wide")
nav.route_through_app()


def ensure_database() -> None:
    """Build the database from the report files if it is missing, damaged or older than them.

    Checked once per session (over 100k files the check takes a second or more), and never
    for a demo database: that one is built from generated reports by `python -m bench.demo`.
    A working database is served as it is while the update runs behind (dashboard.autobuild);
    only a missing or damaged one makes the visitor wait, with a progress bar.
    """
    try:
        from dashboard import autobuild
        from etl import build as load
    except ImportError:  # the loader is not installed: read whatever file is there
        load = None
    conf = settings.current()
    path, reports = conf.db, conf.reports
    checked = st.session_state.get("_db_checked") == (str(path), str(reports))
    st.session_state["_db_checked"] = (str(path), str(reports))
    can_build = not checked and load is not None and reports.is_dir()
    usable = can_build and path.is_file() and db.healthy()
    if can_build and not (usable and db.is_demo()) and load.needs_build(reports, path):
        if usable:
            autobuild.in_background(reports, path, conf.max_bytes)
            st.toast("报告文件有变化，正在后台更新数据库；更新完成前显示上一次的数据。")
        else:
            build_in_front(reports, path, conf.max_bytes)
    if not path.exists():
        st.error(
            "还没有数据库，也无法自动建立。请先运行 `python -m etl build`，"
            "或把报告文件放进 data/reports/ 后刷新页面。"
        )
        st.stop()


def build_in_front(reports: Path, path: Path, max_bytes: int) -> None:
    """The first build (or the rebuild of a damaged file), with a progress bar."""
    from dashboard import autobuild

    bar = st.progress(0.0, text="正在根据报告文件建立数据库，请稍候……")

    def step(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"正在读取报告文件：{done}/{total}")

    try:
        summary = autobuild.in_front(reports, path, max_bytes, step)
    except Exception as exc:  # one line, never a traceback: the reason and what to do
        bar.empty()
        st.error(
            formatting.plain(f"数据库无法建立：{str(exc).splitlines()[0] if str(exc) else exc!r}")
        )
        return
    bar.empty()
    if summary.moved_aside is not None:
        st.warning(
            formatting.plain(
                f"数据库文件已损坏，已另存为 {summary.moved_aside.name}，并根据报告文件重新建立。"
            )
        )
    note = f"数据库已建立：已载入 {summary.loaded + summary.unchanged} 份报告"
    if summary.rejected:
        note += f"，{len(summary.rejected)} 个文件无法识别（见“数据质量”）"
    st.toast(note + "。")


view.chrome()
ensure_database()

nav.navigation().run()
