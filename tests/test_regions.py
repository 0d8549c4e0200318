"""Region mapping from agency names: every city and county of the gazetteer, region-level
agencies, agencies outside Ningxia, and names that do not tell."""

from __future__ import annotations

import csv

import pytest

from etl.meta import GAZETTEER_CSV, REGIONS_CSV, agency_type, locate, region

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
    ("name", "expected"),
    [
        ("银州区机关事务服务中心", ("辽宁省", "铁岭市", "银州区", "211202")),
        ("辽宁省铁岭市教育局", ("辽宁省", "铁岭市", None, "211200")),
        ("兰州市城关区信访局", ("甘肃省", "兰州市", "城关区", "620102")),
        ("北京市朝阳区教育委员会", ("北京市", "北京市", "朝阳区", "110105")),
        ("黄石市铁山区人民政府", ("湖北省", "黄石市", "铁山区", "420205")),
        ("仙桃市教育局", ("湖北省", None, "仙桃市", "429004")),
        ("广西壮族自治区南宁市生态环境局", ("广西壮族自治区", "南宁市", None, "450100")),
    ],
)
def test_agency_outside_ningxia_from_the_national_gazetteer(
    name: str, expected: tuple[str | None, ...]
) -> None:
    got = region(name)
    assert got["in_ningxia"] is False
    assert (got["province"], got["city"], got["county"], got["code"]) == expected


def test_county_name_of_two_provinces_is_not_chosen_but_is_outside() -> None:
    got, warnings = locate("朝阳区教育委员会")  # 北京市 and 吉林省长春市 both have one
    assert got == {
        "province": None,
        "city": None,
        "county": None,
        "code": None,
        "in_ningxia": False,
    }
    assert any("not decided" in w for w in warnings)


def test_province_prefix_decides_a_repeated_county_name() -> None:
    assert region("吉林省长春市朝阳区教育局")["code"] == "220104"
    assert region("北京市朝阳区教育委员会")["code"] == "110105"


def test_ocr_damaged_place_is_matched_when_unique_with_a_warning() -> None:
    got, warnings = locate("沐阳县教育局")
    assert (got["province"], got["city"], got["county"]) == ("江苏省", "宿迁市", "沭阳县")
    assert any("沐阳县 read as 沭阳县" in w for w in warnings)
    got, warnings = locate("固原市原卅区教育局")
    assert got["county"] == "原州区" and warnings


def test_two_character_county_name_that_names_one_place() -> None:
    got = region("宁县人民政府")
    assert (got["province"], got["county"], got["in_ningxia"]) == ("甘肃省", "宁县", False)


def test_two_character_county_names_are_not_read_from_ordinary_words() -> None:
    assert region("城区管理执法局")["in_ningxia"] is None
    assert region("开发区管委会")["in_ningxia"] is None


def test_place_after_a_leading_organisation_name() -> None:
    assert region("国家税务总局固原市税务局")["city"] == "固原市"
    assert region("中共海原县委办公室")["county"] == "海原县"


def test_short_city_name_at_the_start() -> None:
    assert region("中卫工业园区管理委员会")["city"] == "中卫市"


def test_traditional_characters_are_matched() -> None:
    assert region("賀蘭縣人民政府")["code"] == "640122"


def test_ningxia_table_agrees_with_the_national_gazetteer() -> None:
    with GAZETTEER_CSV.open(encoding="utf-8") as f:
        national = {r["code"]: r for r in csv.DictReader(f) if r["code"].startswith("64")}
    assert {r["code"]: r["name"] for r in ROWS} == {c: r["name"] for c, r in national.items()}
    for row in ROWS:
        if row["level"] == "county":
            assert national[row["code"]]["city"] == row["city"]


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


def test_short_city_name_followed_by_another_places_suffix_is_not_that_city() -> None:
    # 银川镇 is a town of 甘肃省积石山县, not 银川市
    assert region("银川镇人民政府")["in_ningxia"] is None
    assert region("银川经济技术开发区管理委员会")["city"] == "银川市"


@pytest.mark.parametrize(
    ("name", "county"),
    [
        ("西吉教育局", "西吉县"),
        ("固原市西吉教育局", "西吉县"),
        ("灵武财政局", "灵武市"),
        ("原州卫生健康局", "原州区"),
        ("永宁公安局", "永宁县"),
    ],
)
def test_county_short_name_before_an_agency_word(name: str, county: str) -> None:
    got, warnings = locate(name)
    assert (got["county"], got["in_ningxia"], warnings) == (county, True, [])


@pytest.mark.parametrize(
    "name",
    [
        "贺兰山管理局",  # a mountain, on both sides of the region's border
        "同心协力服务中心",
        "西吉镇人民政府",  # a town of that name may lie anywhere
        "公安局",  # 公安县 is in 湖北; its short form is an agency's word
        "沙坡头旅游公司",
    ],
)
def test_county_short_name_before_other_words_names_no_place(name: str) -> None:
    assert region(name)["in_ningxia"] is None


def test_a_county_short_name_that_a_city_shares_is_the_city() -> None:
    # 安阳县 and 安阳市 (河南): 安阳 alone is the city's short form
    got = region("安阳教育局")
    assert (got["city"], got["county"]) == ("安阳市", None)


def test_the_regions_own_zone_is_the_region() -> None:
    got, warnings = locate("宁东能源化工基地管理委员会")
    assert (got["province"], got["city"], got["county"], got["in_ningxia"]) == (
        "宁夏回族自治区",
        None,
        None,
        True,
    )
    assert warnings == []
