"""Region mapping from agency names: every city and county of the gazetteer, region-level
agencies, agencies outside Ningxia, and names that do not tell."""

from __future__ import annotations

import csv

import pytest

from etl.meta import REGIONS_CSV, agency_type, region

with REGIONS_CSV.open(encoding="utf-8") as f:
    ROWS = list(csv.DictReader(f))
COUNTIES = [r for r in ROWS if r["level"] == "county"]
CITIES = [r for r in ROWS if r["level"] == "city"]


def test_gazetteer_has_5_cities_and_22_counties() -> None:
    assert len(CITIES) == 5
    assert len(COUNTIES) == 22
    assert {r["city"] for r in COUNTIES} == {r["name"] for r in CITIES}


@pytest.mark.parametrize("row", COUNTIES, ids=[r["name"] for r in COUNTIES])
def test_every_county_agency(row: dict) -> None:
    got = region(f"{row['name']}机关事务服务中心")
    assert got == {
        "province": "宁夏回族自治区",
        "city": row["city"],
        "county": row["name"],
        "code": row["code"],
        "in_ningxia": True,
    }
    # the county wins over its city when both are named
    assert region(f"{row['city']}{row['name']}教育局")["county"] == row["name"]


@pytest.mark.parametrize("row", CITIES, ids=[r["name"] for r in CITIES])
def test_every_city_agency(row: dict) -> None:
    assert region(f"{row['name']}信访局") == {
        "province": "宁夏回族自治区",
        "city": row["name"],
        "county": None,
        "code": row["code"],
        "in_ningxia": True,
    }


@pytest.mark.parametrize(
    "name", ["宁夏回族自治区教育厅", "自治区机关事务管理局", "宁夏回族自治区人民政府办公厅"]
)
def test_region_level_agency_has_no_city(name: str) -> None:
    got = region(name)
    assert got["province"] == "宁夏回族自治区"
    assert (got["city"], got["county"], got["code"], got["in_ningxia"]) == (
        None,
        None,
        "640000",
        True,
    )


@pytest.mark.parametrize(
    ("name", "province"),
    [
        ("银州区机关事务服务中心", None),
        ("辽宁省铁岭市教育局", "辽宁省"),
        ("兰州市城关区信访局", None),
    ],
)
def test_agency_outside_ningxia_is_marked(name: str, province: str | None) -> None:
    got = region(name)
    assert got["in_ningxia"] is False
    assert got["province"] == province
    assert got["city"] is None and got["county"] is None


def test_name_without_a_place_is_unknown_not_outside() -> None:
    assert region("机关事务管理局")["in_ningxia"] is None
    assert region(None)["in_ningxia"] is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("固原市信访局", "信访"),
        ("原州区三营镇人民政府", "乡镇"),
        ("彭阳县人民政府", "人民政府"),
        ("彭阳县人民政府办公室", "政府办公室"),
        ("西吉县教育体育局", "教育"),
        ("盐池县机关事务服务中心", "机关事务"),
        ("中卫市气象台", "其他"),
    ],
)
def test_agency_type_from_name(name: str, kind: str) -> None:
    assert agency_type(name) == kind
