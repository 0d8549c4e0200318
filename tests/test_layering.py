"""The layering: etl depends on neither the benchmarks nor the dashboard; the app's pages
sit where the product card puts them."""

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
        if (bad := _imported_packages(p) & {"bench", "dashboard", "streamlit", "pages"})
    }
    assert offenders == {}


def test_top_level_is_the_product_cards() -> None:
    """The product card fixes the top level: app.py, pages/, data/, etl/, tests/,
    requirements.txt; every page file is in dashboard/nav.py's list and the other way round."""
    for name in ("app.py", "pages", "data", "etl", "tests", "requirements.txt"):
        assert (ROOT / name).exists(), name
    from dashboard import nav

    listed = {file for file, _, _ in nav.PAGES}
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert listed == on_disk
