"""Report openings as real sites and extractors print them, each fixture in tests/openings/
reproducing one shape with an invented agency: metadata (agency, year), region, status and
the narrative figures. A page that is only a report's opening loads as `narrative_only`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dashboard.labels import warning_zh
from etl.meta import agency_from_opening, title_and_year
from etl.parse import parse_document
from etl.read import read_document

OPENINGS = Path(__file__).parent / "openings"

NX = "宁夏回族自治区"
# file → (agency, year, (province, city, county, in_ningxia), active items, applications)
EXPECTED: dict[str, tuple] = {
    "web_page_breadcrumb_and_site_line": (
        "银川市城市照明服务中心", 2022, (NX, "银川市", None, True), None, 28),
    "opening_compiled_by_without_title": (
        "固原市城乡供水服务中心", 2021, (NX, "固原市", None, True), 135, 3),
    "compiled_by_after_its_basis": (
        "同心县人民政府信息公开办公室", 2020, (NX, "吴忠市", "同心县", True), "absent", 81),
    "keyword_line_and_markdown_heading": (
        "西吉县乡村振兴服务中心", 2020, (NX, "固原市", "西吉县", True), 2599, 0),
    "traditional_characters": (
        "贺兰县市政管理服务中心", 2022, (NX, "银川市", "贺兰县", True), None, 12),
    "year_before_the_agency_in_the_title": (
        "宁夏回族自治区地质资料馆", 2021, (NX, None, None, True), 58, 5),
    "year_in_brackets_after_the_title": (
        "中卫市城市园林服务中心", 2021, (NX, "中卫市", None, True), 76, 10),
    "period_that_lost_its_characters": (
        "彭阳县城乡规划服务中心", 2023, (NX, "固原市", "彭阳县", True), 46, 9),
    "html_title_tag_with_site_suffix": (
        "隆德县文物保护服务中心", 2022, (NX, "固原市", "隆德县", True), 31, 0),
    "sender_line_above_a_title_without_agency": (
        "盐池县草原工作站", 2020, (NX, "吴忠市", "盐池县", True), None, None),
    "full_width_brackets_in_the_name": (
        "中卫市审批服务管理局（中卫市政务服务中心）", 2022, (NX, "中卫市", None, True), 302,
        "absent"),
    "ocr_damaged_place_name": (
        "沐阳县档案服务中心", 2021, ("江苏省", "宿迁市", "沭阳县", False), 17, "absent"),
    "title_quoted_in_the_opening_only": (
        "石嘴山高新技术产业开发区管理委员会", 2025, (NX, "石嘴山市", None, True), 146, 0),
    "title_split_over_three_lines": (
        "吴忠市利通区农村经营管理站", 2019, (NX, "吴忠市", "利通区", True), 9, "absent"),
    "chrome_block_with_bare_title_and_quoted_agency": (
        "石嘴山市平罗县防沙治沙服务中心", 2025, (NX, "石嘴山市", "平罗县", True), 140, 4),
    "title_announced_without_quotes": (
        "泾源县人民政府", 2021, (NX, "固原市", "泾源县", True), 3120, "absent"),
    "publisher_field_only": (
        "盐池县审计局", 2022, (NX, "吴忠市", "盐池县", True), 22, 0),
    "town_named_like_a_city_announced_in_traditional": (
        "银川镇", 2022, (None, None, None, None), 5, 0),
    "report_announced_as_work_report": (
        "大战场镇", 2022, (None, None, None, None), 566, 0),
    "self_reference_and_period_without_title": (
        None, 2020, (None, None, None, None), 412, "absent"),
    "announced_as_disclosure_situation": (
        "青铜峡市统计局", 2024, (NX, "吴忠市", "青铜峡市", True), 276, 9),
    "annual_report_called_nianbao": (
        "灵武市供热服务中心", 2022, (NX, "银川市", "灵武市", True), None, 218),
    "title_repeated_in_tab_joined_text": (  # BeautifulSoup get_text("\t") of a report page
        "惠农区市场监督管理局", 2023, (NX, "石嘴山市", "惠农区", True), 45, 6),
}  # fmt: skip


def parse_opening(name: str) -> dict:
    path = OPENINGS / f"{name}.txt"
    data = path.read_bytes()
    doc = read_document(path.name, data)
    return parse_document(doc, source=path.name, sha256=hashlib.sha256(data).hexdigest())


def test_every_fixture_has_its_expectation() -> None:
    assert {p.stem for p in OPENINGS.glob("*.txt")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_opening_metadata_region_and_status(name: str) -> None:
    agency, year, place, _, _ = EXPECTED[name]
    r = parse_opening(name)
    assert (r["agency"], r["year"]) == (agency, year)
    reg = r["region"]
    assert (reg["province"], reg["city"], reg["county"], reg["in_ningxia"]) == place
    assert r["status"] == "narrative_only"
    assert r["format"] is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_opening_narrative_figures(name: str) -> None:
    *_, active, apps = EXPECTED[name]
    n = parse_opening(name)["narrative"]
    for key, want in (("active_disclosure_items", active), ("applications_received", apps)):
        if want == "absent":
            assert key not in n
        else:
            assert key in n and n[key]["value"] == want, (key, n.get(key))


def test_approximate_figure_on_a_web_page_is_evidence_only() -> None:
    n = parse_opening("web_page_breadcrumb_and_site_line")["narrative"]
    item = n["active_disclosure_items"]
    assert item["approximate"] is True and "20余万条" in item["evidence"]


def test_traditional_report_keeps_its_printed_evidence() -> None:
    n = parse_opening("traditional_characters")["narrative"]
    assert n["applications_received"]["evidence"] == "共受理答覆政府信息公開申請12件"


def test_lost_units_are_evidence_without_a_value() -> None:
    n = parse_opening("sender_line_above_a_title_without_agency")["narrative"]
    assert n["active_disclosure_items"]["evidence"] == "我站主动公开政府信息2599"
    assert n["applications_received"]["unit_lost"] is True


def test_ocr_damaged_place_is_warned_about() -> None:
    r = parse_opening("ocr_damaged_place_name")
    assert any("沐阳县 read as 沭阳县" in w for w in r["warnings"])


def test_year_never_from_a_document_number_budget_or_publication_date() -> None:
    # the page prints 〔2021〕30号, 发布时间：2024-01-20 and 2024年预算; it covers 2023
    assert parse_opening("period_that_lost_its_characters")["year"] == 2023


def test_narrative_only_report_warns_that_it_has_no_tables() -> None:
    r = parse_opening("opening_compiled_by_without_title")
    assert any(w.startswith("no tables") for w in r["warnings"])


def test_web_page_whose_title_is_only_in_its_title_element() -> None:
    page = (
        "<html><head><meta charset='utf-8'>"
        "<title>泾源县林业技术推广服务中心2021年政府信息公开工作年度报告_泾源县人民政府</title>"
        "</head><body><div class='nav'><a href='/'>首页</a></div><div class='content'>"
        "<p>本报告统计数据从2021年1月1日至12月31日。</p><p>一、总体情况</p>"
        "<p>本年度主动公开政府信息64条，未收到政府信息公开申请。</p></div></body></html>"
    ).encode()
    doc = read_document("page.html", page)
    r = parse_document(doc, source="page.html", sha256=hashlib.sha256(page).hexdigest())
    assert (r["agency"], r["year"], r["status"]) == (
        "泾源县林业技术推广服务中心",
        2021,
        "narrative_only",
    )
    assert r["region"]["county"] == "泾源县"
    assert r["narrative"]["active_disclosure_items"]["value"] == 64


def test_the_notice_issuing_the_report_format_is_not_a_report() -> None:
    from etl.errors import RejectedInput

    text = (
        "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知\n"
        "发布时间：2021-09-29 来源：中国政府网\n国办公开办函〔2021〕30号\n"
        "各省、自治区、直辖市人民政府办公厅：现将修订后的《中华人民共和国政府信息公开工作年度报告格式》"
        "印发给你们，请认真贯彻执行。\n"
    ).encode()
    doc = read_document("notice.txt", text)
    with pytest.raises(RejectedInput, match="not a government information disclosure"):
        parse_document(doc, source="notice.txt", sha256=hashlib.sha256(text).hexdigest())


def test_the_format_notice_with_its_blank_tables_attached_is_not_a_report() -> None:
    from etl.errors import RejectedInput

    template = [
        "附件：中华人民共和国政府信息公开工作年度报告格式",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t\t\t",
        "行政规范性文件\t\t\t",
        "三、收到和处理政府信息公开申请情况",
        "\t\t\t申请人情况",
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        "一、本年新收政府信息公开申请数量\t\t\t\t\t\t\t\t\t",
        "二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t\t\t",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
        "五、存在的主要问题及改进情况",
    ]
    text = (
        "关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知\n"
        "发布机构：某市某局 发文日期：2021-10-08\n"
        "政府信息公开工作年度报告（以下简称年度报告），是条例确立的法定制度安排。\n"
        + "\n".join(template)
        + "\n"
    ).encode()
    doc = read_document("notice.txt", text)
    with pytest.raises(RejectedInput, match="not a government information disclosure"):
        parse_document(doc, source="notice.txt", sha256=hashlib.sha256(text).hexdigest())


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("固原市人民政府关于2022年度政府信息公开工作的年度报告", "固原市人民政府", 2022),
        ("宿迁市 2025 年政府信息公开工作年度报告", "宿迁市", 2025),
        ("原州区审计局2019年政府信息公开工作年度报告（图片版）", "原州区审计局", 2019),
        ("附件1：原州区审计局2022年政府信息公开工作年度报告", "原州区审计局", 2022),
        ("原州区审计局\n关于2021年政府信息公开工作年度报告", "原州区审计局", 2021),
        ("原州区审计局2021年度信息公开工作年度报告", "原州区审计局", 2021),
        ("索引号：640400/2022-00012\n发布机构：原州区审计局\n原州区审计局2022年政府信息公开工作年度报告",
         "原州区审计局", 2022),
        ("原州区审计局2022年政府信息公开工作年度报告 字号：[大 中 小] 打印本页", "原州区审计局", 2022),
        ("【字体：大 中 小】\n西吉县民政局2023年政府信息公开工作年度报告", "西吉县民政局", 2023),
        ("西吉县民政局 2023年度 政府信息 公开工作 年度报告", "西吉县民政局", 2023),
        ("西吉县人民政府信息公开工作年度报告", "西吉县人民政府", None),
        ("2022年西吉县人民政府信息公开工作年度报告", "西吉县人民政府", 2022),
        ("2022年度政府信息公开工作年度报告", None, 2022),
        ("政府信息公开工作年度报告\n西吉县民政局\n2023年1月20日", None, None),
        ("关于印发原州区审计局2022年政府信息公开工作年度报告的通知", None, None),
        ("我局按要求发布2021年政府信息公开工作年度报告，接受社会监督", None, None),
        ("隆德县审计局2022年政府信息公开工作年度报告_隆德县人民政府", "隆德县审计局", 2022),
    ],
)  # fmt: skip
def test_title_shapes(head: str, agency: str | None, year: int | None) -> None:
    got_agency, got_year, _ = title_and_year(head.split("\n"))
    assert (got_agency, got_year) == (agency, year)


def test_agency_from_the_publisher_field_is_warned_about() -> None:
    r = parse_opening("publisher_field_only")
    assert any("publisher" in w for w in r["warnings"])


@pytest.mark.parametrize("gap", [" ", "\u3000", "\t"])
def test_a_publisher_field_ends_where_the_next_field_starts_on_its_line(gap: str) -> None:
    text = (
        f"发布机构：盐池县审计局{gap}发文日期：2022-03-01{gap}来源：盐池县人民政府\n"
        "本报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。\n一、总体情况\n略。\n"
    )
    assert agency_from_opening(text) == ("盐池县审计局", "publisher")


def test_title_year_and_period_year_that_disagree_are_flagged() -> None:
    text = (
        "原州区审计局2022年政府信息公开工作年度报告\n"
        "本报告统计期限为2021年1月1日至2021年12月31日。\n一、总体情况\n略。\n"
    ).encode()
    doc = read_document("t.txt", text)
    r = parse_document(doc, source="t.txt", sha256=hashlib.sha256(text).hexdigest())
    assert r["year"] == 2022
    assert "metadata: the title says 2022, the statistics period 2021" in r["warnings"]


def test_an_opening_that_names_the_agency_only_as_this_office_gives_no_agency() -> None:
    assert agency_from_opening("本报告由本机关根据《条例》要求编制。") == (None, None)
    assert agency_from_opening("本报告由盐池县审计局根据《条例》要求编制。") == (
        "盐池县审计局",
        "opening",
    )


def test_every_warning_of_an_opening_has_its_chinese_wording() -> None:
    # the 数据质量 page shows each warning in Chinese; one without a rule says only "解析提示"
    untold = {
        w
        for name in EXPECTED
        for w in parse_opening(name)["warnings"]
        if "原文为英文" in warning_zh(w)
    }
    assert not untold
