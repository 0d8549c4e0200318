"""With many agencies the pages still draw (Altair's 5,000-row limit) and say what they left out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import build
from tests.browser_support import synth_reports
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def many_agencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("scale")
    reports = synth_reports(tmp / "reports", 400, 5)
    db_path = tmp / "d.duckdb"
    build.build(reports, db_path, progress=False)
    return db_path


def test_overview_caps_the_coverage_matrix_and_says_so(many_agencies: Path) -> None:
    env = {
        "NIANBAO_DB": str(many_agencies),
        "NIANBAO_REPORTS": str(many_agencies.parent / "reports"),
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        notes = [str(c.value) for c in at.caption]
        assert any("图中只显示缺报或校验未通过最多的 60 个" in n for n in notes), notes
        at.switch_page("pages/active.py").run()
        assert not at.exception
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
