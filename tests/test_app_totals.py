"""The pages show the totals their queries give, on reports made with chosen values
(tests/test_queries.py MADE: blank, printed 0 and numbers side by side)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_database
from tests.test_app import run
from tests.test_queries import write_made_reports


@pytest.fixture(scope="module")
def made_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("made_app")
    write_made_reports(base / "reports")
    with app_database(base / "reports", base / "made.duckdb") as path:
        yield path


def chart_rows(at: AppTest, title: str) -> list[dict]:
    """The data rows of the one chart whose title contains `title`."""
    found = []
    for chart in at.get("vega_lite_chart"):
        if title in str(json.loads(chart.proto.spec).get("title")):
            for ds in chart.proto.datasets:
                found += pa.ipc.open_stream(ds.data.data).read_all().to_pylist()
    return found


def test_procurement_kpis_count_blank_apart_from_zero(made_db: Path) -> None:
    at = run("pages/procurement.py")
    assert not at.exception
    metrics = {m.label: (m.value, m.help) for m in at.metric}
    assert metrics["采购项目数"] == ("5", "3/4 份报告填写了项目数")
    assert metrics["采购总金额（万元）"] == ("512", "3/4 份报告填写了金额")
    assert metrics["推断单位的报告"][0] == "2/4"


def test_outcome_group_counts_a_report_that_printed_any_of_its_reasons(made_db: Path) -> None:
    at = run("pages/requests.py")
    assert not at.exception
    rows = {(r["年度"], r["办理结果"]): r for r in chart_rows(at, "办理结果构成")}
    assert rows[2020, "不予公开"]["件数"] == 12  # 5 + 7 in one report, a printed 0 in another
    assert rows[2020, "不予公开"]["填写 n/N"] == "2/3"
    assert (rows[2020, "无法提供"]["件数"], rows[2020, "无法提供"]["填写 n/N"]) == (0, "1/3")
    assert (2019, "无法提供") not in rows  # nothing printed: blank, no bar (not a bar of 0)


def test_active_narrative_per_year_from_the_query(made_db: Path) -> None:
    at = run("pages/active.py")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "条数合计" in d.value.columns)
    assert table.to_dict("records") == [
        {"年度": 2019, "条数合计": 35.0, "写明条数的报告": 1, "报告数": 1},
        {"年度": 2020, "条数合计": 120.0, "写明条数的报告": 2, "报告数": 3},
    ]


def test_compare_ranking_rests_on_the_reports_of_every_year(made_db: Path) -> None:
    at = run("pages/compare.py")
    assert not at.exception
    rank = sorted(chart_rows(at, "排名"), key=lambda r: r["名次"])
    assert [(r["名次"], r["机构"], r["新收申请数"], r["依据"]) for r in rank] == [
        (1, "原州区教育局", 10, "依据 2 份报告（1 份填写）"),  # 2020 left it blank
        (2, "盐池县民政局", 0, "依据 1 份报告（1 份填写）"),  # a printed 0
    ]
