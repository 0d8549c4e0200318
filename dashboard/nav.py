"""The app's pages in navigation order: one list for app.py and for a page run on its own.

Why a page needs it: the product keeps its pages in a folder named `pages/` beside app.py,
and Streamlit runs a new server's first session in its legacy multipage mode for such a
folder: a deep link such as /import then runs pages/import.py alone (no wide layout, no
database check, file names as titles). The first `st.navigation` call of a server ends that
mode for good (public behaviour: "disregard v1 behavior of Multipage Apps"). So a session's
first run, wherever it starts, calls it (hidden) and reruns through app.py.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent

# (file relative to app.py, title, icon); the first is the default page
PAGES = (
    ("pages/overview.py", "总览", ":material/dashboard:"),
    ("pages/active.py", "主动公开", ":material/campaign:"),
    ("pages/procurement.py", "政府采购", ":material/receipt_long:"),
    ("pages/requests.py", "依申请公开", ":material/mail:"),
    ("pages/zero.py", "零报告", ":material/exposure_zero:"),
    ("pages/compare.py", "对比", ":material/compare_arrows:"),
    ("pages/quality.py", "数据质量", ":material/fact_check:"),
    ("pages/report.py", "报告详情", ":material/description:"),
    ("pages/import.py", "导入报告", ":material/upload_file:"),
)
REPORT_PAGE = "pages/report.py"  # 报告详情: opened with ?report=<id>
_ROUTED = "_routed"  # set in a session once its runs go through app.py's navigation


def navigation(position: str = "sidebar"):  # -> StreamlitPage (not exported by Streamlit)
    """The app's st.navigation over PAGES."""
    return st.navigation(
        [
            st.Page(file, title=name, icon=icon, default=i == 0)
            for i, (file, name, icon) in enumerate(PAGES)
            if (ROOT / file).exists()
        ],
        position=position,  # type: ignore[arg-type]
    )


def route_through_app() -> None:
    """At the top of app.py and of every page: a session's first run ends the legacy mode
    (see the module's docstring) and reruns, so that every page runs under app.py."""
    if st.session_state.get(_ROUTED):
        return
    st.session_state[_ROUTED] = True
    navigation(position="hidden")
    st.rerun()
