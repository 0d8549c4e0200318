"""Narrative figures (etl.narrative.extract), one test per phrasing real reports use: the
stated total, not a sub-count; application counts; approximate and unit-lost figures."""

from __future__ import annotations

import pytest

from etl.narrative import extract


def figure(text: str, key: str) -> dict | None:
    return extract([(7, text)]).get(key)


def test_stated_total_not_the_last_sub_count_in_its_brackets() -> None:
    got = figure("共公布政府信息2599条（其中，政策文件120条，工作动态1623条，其他856条）。",
                 "active_disclosure_items")  # fmt: skip
    assert got is not None and got["value"] == 2599
    assert got["evidence"].startswith("共公布政府信息2599条（其中")
    assert got["line"] == 7


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("全年办理政府信息公开申请218件，均在法定期限内答复。", 218),
        ("本年度各类政府信息公开申请共计81件。", 81),
        ("2022年共收到10件政府信息公开申请。", 10),
        ("依申请公开事项共5件。", 5),
        ("本年度收到政府信息公开申请9条。", 9),
        ("受理答复政府信息公开申请28件，其中，行政复议1件、行政诉讼0件。", 28),
        ("收到政府信息公开申请1,064件。", 1064),
    ],
    ids=[
        "全年办理…申请N件",
        "申请共计N件",
        "共收到N件…申请",
        "依申请公开事项共N件",
        "申请N条",
        "受理答复…申请N件，其中行政复议",
        "thousands separator",
    ],
)
def test_application_count_phrasings(text: str, value: int) -> None:
    got = figure(text, "applications_received")
    assert got is not None and got["value"] == value and got["approximate"] is False


@pytest.mark.parametrize(
    "text",
    [
        "本机关未收到政府信息公开申请。",
        "2025年未收到本级依申请公开事项。",
        "全年没有收到公开申请。",
    ],
)
def test_no_application_received_is_zero(text: str) -> None:
    got = figure(text, "applications_received")
    assert got is not None and got["value"] == 0


def test_review_and_hotline_counts_are_not_applications() -> None:
    assert figure("收到行政复议申请2件。", "applications_received") is None
    assert figure("接到12345热线转来工单共6件。", "applications_received") is None
    text = "全年收到因政府信息公开申请引起的复议1件"
    assert figure(text, "applications_received") is None
    assert figure("受理依申请公开咨询15件。", "applications_received") is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("全年主动公开政府信息20余万条。", "active_disclosure_items"),
        ("全年主动公开政府信息近百条。", "active_disclosure_items"),
        ("受理政府信息公开申请约30件。", "applications_received"),
    ],
)
def test_approximate_figure_is_evidence_without_a_value(text: str, key: str) -> None:
    got = figure(text, key)
    assert got is not None and got["value"] is None and got["approximate"] is True


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("全年主动公开政府信息2599，主要包括部门文件。", "active_disclosure_items"),
        ("本年度收到政府信息公开申请12", "applications_received"),
    ],
)
def test_figure_whose_unit_the_page_lost_is_evidence_without_a_value(text: str, key: str) -> None:
    got = figure(text, key)
    assert got is not None and got["value"] is None and got.get("unit_lost") is True


def test_traditional_characters_keep_their_printed_evidence() -> None:
    got = figure("2022年，共受理答覆政府信息公開申請12件。", "applications_received")
    assert got is not None and got["value"] == 12
    assert got["evidence"] == "共受理答覆政府信息公開申請12件"


def test_an_update_count_is_not_a_disclosure_total() -> None:
    assert figure("在视频号更新我单位工作信息共4条。", "active_disclosure_items") is None


def test_a_year_after_the_verb_is_not_a_figure() -> None:
    assert figure("主动公开2022年部门预算", "active_disclosure_items") is None
