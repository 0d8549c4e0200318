"""Each seed report parsed to its exact expected values: every cell, nulls included.

The expectations are written from reading the seed texts (see report-format.md's notes
on each), not copied from the parser's output.
"""

from __future__ import annotations

import pytest

from etl import spec
from etl.parse import parse_file
from tests.conftest import SEEDS


def parsed(name: str) -> dict:
    (path,) = SEEDS.glob(f"{name}_*.txt")
    return parse_file(path)


def values(result: dict) -> dict[tuple[str, str, str], object]:
    return {(f["table"], f["row"], f["col"]): f["value"] for f in result["facts"]}


def all_zero_except(fmt: str, exceptions: dict) -> dict:
    expected = {cell: 0 for cell in spec.cells(fmt)}
    expected.update(exceptions)
    return expected


SEED_META = {
    "000": ("固原市机关事务管理局", 2020, "2019", "固原市", None, "640400", True, "机关事务"),
    "001": ("盐池县机关事务服务中心", 2021, "2021", "吴忠市", "盐池县", "640323", True, "机关事务"),
    "002": (
        "银州区机关事务服务中心",
        2019,
        "2019",
        "铁岭市",
        "银州区",
        "211202",
        False,
        "机关事务",
    ),
    "003": ("海原县机关事务服务中心", 2023, "2021", "中卫市", "海原县", "640522", True, "机关事务"),
    "004": ("固原市信访局", 2019, "2019", "固原市", None, "640400", True, "信访"),
}


@pytest.mark.parametrize("seed", sorted(SEED_META))
def test_seed_metadata(seed: str) -> None:
    agency, year, fmt, city, county, code, in_nx, kind = SEED_META[seed]
    r = parsed(seed)
    assert (r["agency"], r["year"], r["format"]) == (agency, year, fmt)
    assert r["region"]["city"] == city
    assert r["region"]["county"] == county
    assert r["region"]["code"] == code
    assert r["region"]["in_ningxia"] is in_nx
    assert r["region"]["province"] == ("宁夏回族自治区" if in_nx else "辽宁省")
    assert r["agency_type"] == kind
    assert r["status"] == "ok"
    assert len(r["sha256"]) == 64


@pytest.mark.parametrize("seed", sorted(SEED_META))
def test_seed_has_every_cell_of_its_format_once(seed: str) -> None:
    r = parsed(seed)
    keys = [(f["table"], f["row"], f["col"]) for f in r["facts"]]
    assert keys == spec.cells(r["format"])


def test_seed_000_procurement_and_zeros() -> None:
    expected = all_zero_except(
        "2019",
        {("active", "procurement", "projects"): 4, ("active", "procurement", "amount"): 2088366},
    )
    r = parsed("000")
    assert values(r) == expected
    assert r["warnings"] == []
    facts = {(f["table"], f["row"], f["col"]): f for f in r["facts"]}
    assert facts[("active", "procurement", "amount")]["line"] == 51
    assert facts[("active", "procurement", "amount")]["raw"] == "2088366"
    assert "unit" not in facts[("active", "procurement", "amount")]  # not printed: inferred later
    # 6.属于四类过程 … 性信息: the numbers stand after the first half of the label (line 68)
    assert facts[("requests", "denied_6", "natural")]["line"] == 68
    assert facts[("requests", "carried_out", "total")]["line"] == 83


def test_seed_000_narrative() -> None:
    n = parsed("000")["narrative"]
    assert n["active_disclosure_items"]["value"] == 26
    assert n["active_disclosure_items"]["evidence"] == "通过政府网站公开信息共26条"
    assert n["active_disclosure_items"]["line"] == 15
    assert n["applications_received"]["value"] == 0
    assert n["applications_received"]["evidence"] == "我局未收到政府信息公开申请"


def test_seed_001_one_cell_per_line_2021() -> None:
    r = parsed("001")
    assert values(r) == all_zero_except("2021", {})
    assert r["warnings"] == []
    n = r["narrative"]
    assert n["active_disclosure_items"]["value"] == 6
    assert n["active_disclosure_items"]["evidence"] == "主动公开6个"
    assert n["applications_received"]["value"] == 0


def test_seed_002_only_totals_filled() -> None:
    """002 fills only the 总计 column of table 三; 行政诉讼 results blank but totals 0."""
    exceptions: dict = {}
    for row in spec.REQUEST_ROWS["2019"]:
        for col in spec.APPLICANT_COLS:
            exceptions[("requests", row, col)] = None
    for row in ("litigation_direct", "litigation_after_review"):
        for col in ("upheld", "corrected", "other", "pending"):
            exceptions[("appeals", row, col)] = None
    r = parsed("002")
    assert values(r) == all_zero_except("2019", exceptions)
    facts = {(f["table"], f["row"], f["col"]): f for f in r["facts"]}
    assert facts[("requests", "new", "natural")]["raw"] == ""
    assert facts[("requests", "new", "total")]["line"] == 110
    assert r["narrative"] == {}


def test_seed_003_review_cells_blank() -> None:
    exceptions = {("appeals", "review", col): None for col in spec.APPEAL_COLS}
    r = parsed("003")
    assert values(r) == all_zero_except("2021", exceptions)
    assert r["warnings"] == []
    n = r["narrative"]
    assert "active_disclosure_items" not in n  # 更新…工作信息共4条 is not a disclosure total
    assert n["applications_received"]["value"] == 0


def test_seed_004_extra_appeals_cell_dropped_with_warning() -> None:
    r = parsed("004")
    assert values(r) == all_zero_except("2019", {})
    assert r["warnings"] == [
        "appeals (line 78): 16 cells for 15 columns; the extra cell was dropped"
    ]
    assert r["narrative"] == {}
    facts = {(f["table"], f["row"], f["col"]): f for f in r["facts"]}
    assert facts[("requests", "denied_7", "total")]["line"] == 57  # 7.属于行政执法 … 案卷


@pytest.mark.parametrize("seed", sorted(SEED_META))
def test_seed_checks(seed: str) -> None:
    r = parsed(seed)
    statuses = {c["id"]: c["status"] for c in r["checks"]}
    n_rows = len(spec.REQUEST_ROWS[r["format"]])
    assert len(statuses) == 7 + 7 + n_rows + 3
    assert "failed" not in statuses.values()
    if seed == "002":
        assert statuses["requests.balance.total"] == "ok"
        assert statuses["requests.balance.natural"] == "not_assessable"
        assert statuses["appeals.total.review"] == "ok"
        assert statuses["appeals.total.litigation_direct"] == "not_assessable"
    elif seed == "003":
        assert statuses["appeals.total.review"] == "not_assessable"
        assert statuses["appeals.total.litigation_direct"] == "ok"
    else:
        assert set(statuses.values()) == {"ok"}


def test_check_detail_shows_the_printed_figures() -> None:
    checks = {c["id"]: c for c in parsed("000")["checks"]}
    assert checks["requests.balance.natural"]["detail"] == "0+0 = 0+0"
