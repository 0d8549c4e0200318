"""The layering: etl depends on neither the benchmarks nor the dashboard; the app's pages
sit where Streamlit does not treat them as a legacy multipage folder."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_etl_never_imports_bench_dashboard_or_streamlit() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(bad)
        for p in sorted((ROOT / "etl").rglob("*.py"))
        if (bad := _imported_packages(p) & {"bench", "dashboard", "streamlit", "app_pages"})
    }
    assert offenders == {}


def test_no_pages_folder_beside_the_app() -> None:
    """A `pages/` folder beside app.py switches a new server's first session into Streamlit's
    legacy multipage mode (the page runs without app.py); the pages live in app_pages/."""
    assert not (ROOT / "pages").exists()
    assert (ROOT / "app_pages" / "overview.py").is_file()
