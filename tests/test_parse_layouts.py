"""Layout variants of the seeds with distinct non-zero values.

The seeds are nearly all zeros, so a value read from the wrong row or column would pass
on them; here every cell has its own value and each quirk of report-format.md is applied.
"""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from dashboard.labels import warning_zh
from etl import spec
from etl.parse import parse_document
from etl.read import read_document
from tests.report_builder import (
    balanced_requests,
    distinct_values,
    expected,
    one_cell_per_line,
    report_text,
    table_lines,
)


def parse_text(text: str, name: str = "variant.txt", encoding: str = "utf-8") -> dict:
    data = text.encode(encoding)
    doc = read_document(name, data)
    return parse_document(doc, source=name, sha256=hashlib.sha256(data).hexdigest())


def got(result: dict) -> dict:
    return {(f["table"], f["row"], f["col"]): f["value"] for f in result["facts"]}


def raws(result: dict) -> dict:
    return {(f["table"], f["row"], f["col"]): f["raw"] for f in result["facts"]}


@pytest.mark.parametrize("fmt", spec.FORMATS)
def test_tab_rows_distinct_values(fmt: str) -> None:
    values = distinct_values(fmt)
    r = parse_text(report_text(fmt, values))
    assert r["format"] == fmt
    assert got(r) == expected(fmt, values)
    assert r["warnings"] == []


@pytest.mark.parametrize("fmt", spec.FORMATS)
@pytest.mark.parametrize("gaps", [True, False], ids=["blank-line-between-rows", "no-gaps"])
def test_one_cell_per_line_distinct_values(fmt: str, gaps: bool) -> None:
    values = distinct_values(fmt, start=7)
    tables = {k: one_cell_per_line(v, gaps=gaps) for k, v in table_lines(fmt, values).items()}
    r = parse_text(report_text(fmt, values, tables=tables))
    assert got(r) == expected(fmt, values)
    assert r["warnings"] == []


def test_line_numbers_point_at_the_printed_cell() -> None:
    values = distinct_values("2019")
    text = report_text("2019", values)
    lines = text.split("\n")
    r = parse_text(text)
    for f in r["facts"]:
        cells = lines[f["line"] - 1].split("\t")
        assert f["raw"] in cells, f


def test_balanced_table_passes_every_check_and_a_broken_cell_fails_one() -> None:
    values = distinct_values("2021") | balanced_requests("2021")
    r = parse_text(report_text("2021", values))
    statuses = {c["id"]: c["status"] for c in r["checks"]}
    requests_checks = {k: v for k, v in statuses.items() if k.startswith("requests.")}
    assert set(requests_checks.values()) == {"ok"}
    # appeals totals are distinct numbers here, so they cannot add up
    assert statuses["appeals.total.review"] == "failed"

    broken = dict(values)
    broken[("requests", "granted", "natural")] = str(
        int(values[("requests", "granted", "natural")]) + 1
    )
    r = parse_text(report_text("2021", broken))
    statuses = {c["id"]: c["status"] for c in r["checks"]}
    failed = {k for k, v in statuses.items() if v == "failed" and k.startswith("requests.")}
    assert failed == {"requests.outcomes.natural", "requests.applicants.granted"}
    # stored as printed, never repaired
    assert got(r)[("requests", "granted", "natural")] == int(
        broken[("requests", "granted", "natural")]
    )


@pytest.mark.parametrize("blank", ["", " ", "\u3000"], ids=["empty", "space", "ideographic-space"])
def test_blank_cells_are_null_not_zero(blank: str) -> None:
    values = distinct_values("2019")
    for col in ("natural", "commercial", "research"):
        values[("requests", "granted", col)] = blank
    values[("requests", "new", "natural")] = blank
    values[("active", "rules", "published")] = blank
    r = parse_text(report_text("2019", values))
    assert got(r) == expected("2019", values)
    assert got(r)[("requests", "granted", "natural")] is None
    assert r["warnings"] == []


@pytest.mark.parametrize("mark", ["/", "—", "-", "无", "／"])
def test_not_applicable_marks_are_null_with_the_mark_kept(mark: str) -> None:
    values = distinct_values("2019")
    values[("requests", "denied_3", "legal")] = mark
    values[("active", "fees", "change")] = mark
    values[("appeals", "review", "pending")] = mark
    r = parse_text(report_text("2019", values))
    assert got(r) == expected("2019", values)
    assert raws(r)[("requests", "denied_3", "legal")] == mark
    assert raws(r)[("active", "fees", "change")] == mark


def test_numbers_after_the_first_half_of_a_split_label() -> None:
    """000: `6.属于四类过程⇥⇥0…` then `⇥⇥性信息⇥⇥⇥…` on the next line."""
    values = distinct_values("2019")
    t = table_lines("2019", values)
    i = next(k for k, ln in enumerate(t["requests"]) if "6.属于四类过程性信息" in ln)
    nums = "\t".join(values[("requests", "denied_6", c)] for c in spec.REQUEST_COLS)
    t["requests"][i : i + 1] = [f"6.属于四类过程\t\t{nums}\t", "", "\t\t性信息\t\t\t\t\t\t\t"]
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)
    assert r["warnings"] == []


def test_numbers_after_the_second_half_of_a_split_label() -> None:
    values = distinct_values("2019")
    t = table_lines("2019", values)
    i = next(k for k, ln in enumerate(t["requests"]) if "7.属于行政执法案卷" in ln)
    nums = "\t".join(values[("requests", "denied_7", c)] for c in spec.REQUEST_COLS)
    t["requests"][i : i + 1] = ["\t\t7.属于行政执法\t\t\t\t\t\t\t", f"\t\t案卷\t{nums}"]
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)


def test_appeals_row_with_one_cell_too_many_of_equal_values() -> None:
    values = {cell: "0" for cell in spec.cells("2019")}
    t = table_lines("2019", values)
    t["appeals"][-1] += "\t0"
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)
    assert any("16 cells for 15 columns; the extra cell was dropped" in w for w in r["warnings"])


def test_row_with_one_cell_too_many_of_different_values_stays_empty() -> None:
    values = distinct_values("2019")
    t = table_lines("2019", values)
    t["appeals"][-1] += "\t999"
    r = parse_text(report_text("2019", values, tables=t))
    for (table, _, _), v in got(r).items():
        if table == "appeals":
            assert v is None
    assert any("16 cells for 15 columns; left empty" in w for w in r["warnings"])
    assert r["status"] == "partial"


def test_row_with_one_cell_too_few_stays_empty_and_others_are_kept() -> None:
    values = distinct_values("2019")
    t = table_lines("2019", values)
    i = next(k for k, ln in enumerate(t["requests"]) if "2.重复申请" in ln)
    t["requests"][i] = t["requests"][i].rsplit("\t", 1)[0]  # drop the 总计 cell
    r = parse_text(report_text("2019", values, tables=t))
    want = expected("2019", values)
    for col in spec.REQUEST_COLS:
        want[("requests", "not_processed_2", col)] = None
    assert got(r) == want
    assert any("not_processed_2" in w and "6 cells for 7 columns" in w for w in r["warnings"])


def test_trailing_blanks_that_cannot_be_placed_are_left_empty_with_a_warning() -> None:
    """`label⇥⇥⇥…⇥5⇥` could be 其他=5 or 总计=5: no header grid decides, so nothing is guessed."""
    values = distinct_values("2019")
    t = table_lines("2019", values)
    i = next(k for k, ln in enumerate(t["requests"]) if "2.重复申请" in ln)
    t["requests"][i] = "\t".join(["", "", "2.重复申请", "", "", "", "", "", "", "5", ""])
    r = parse_text(report_text("2019", values, tables=t))
    for col in spec.REQUEST_COLS:
        assert got(r)[("requests", "not_processed_2", col)] is None
    assert any("not_processed_2" in w and "ways; left empty" in w for w in r["warnings"])


def test_ragged_label_columns_never_shift_values_by_the_header_grid() -> None:
    """`一、…⇥⇥⇥…⇥5⇥` is as wide as the 总计 header row, yet rows of that width hold their
    values at different places (seed 000: 一、… at 2..8, 四、… at 3..9): left empty."""
    values = distinct_values("2019")
    t = table_lines("2019", values)
    i = next(k for k, ln in enumerate(t["requests"]) if "一、本年新收" in ln)
    t["requests"][i] = "\t".join(
        ["一、本年新收政府信息公开申请数量", "", "", "", "", "", "", "", "5", ""]
    )
    r = parse_text(report_text("2019", values, tables=t))
    assert {got(r)[("requests", "new", c)] for c in spec.REQUEST_COLS} == {None}
    assert any("requests.new" in w and "ways; left empty" in w for w in r["warnings"])


def test_blank_at_both_ends_of_a_row_after_merged_label_cells_is_not_shifted() -> None:
    values = distinct_values("2019")
    values[("requests", "carried_out", "total")] = ""
    t = {k: one_cell_per_line(v) for k, v in table_lines("2019", values).items()}
    r = parse_text(report_text("2019", values, tables=t))
    assert {got(r)[("requests", "carried_out", c)] for c in spec.REQUEST_COLS} == {None}
    assert any("requests.carried_out" in w and "left empty" in w for w in r["warnings"])


def test_separators_signs_units_and_full_width_digits() -> None:
    values = distinct_values("2019")
    values[("active", "licensing", "change")] = "+12"
    values[("active", "penalty", "change")] = "-3"
    values[("active", "coercion", "change")] = "－4"
    values[("active", "procurement", "amount")] = "251000元"
    values[("active", "procurement", "projects")] = "１２"
    values[("requests", "new", "total")] = "1,234"
    values[("requests", "granted", "total")] = "２，０４８"
    r = parse_text(report_text("2019", values))
    g = got(r)
    assert g[("active", "licensing", "change")] == 12
    assert g[("active", "penalty", "change")] == -3
    assert g[("active", "coercion", "change")] == -4
    assert g[("active", "procurement", "amount")] == 251000
    assert g[("active", "procurement", "projects")] == 12
    assert g[("requests", "new", "total")] == 1234
    assert g[("requests", "granted", "total")] == 2048
    facts = {(f["table"], f["row"], f["col"]): f for f in r["facts"]}
    assert facts[("active", "procurement", "amount")]["unit"] == "元"
    assert facts[("active", "procurement", "amount")]["raw"] == "251000元"


def test_fee_amount_unit_comes_from_the_2021_header() -> None:
    values = distinct_values("2021")
    r = parse_text(report_text("2021", values))
    facts = {(f["table"], f["row"], f["col"]): f for f in r["facts"]}
    assert facts[("active", "fees", "amount")]["unit"] == "万元"


@pytest.mark.parametrize("footer", ["— 5 —", "- 12 -", "第 3 页 共 8 页"])
def test_page_footer_inside_a_table_is_ignored(footer: str) -> None:
    values = distinct_values("2019")
    t = table_lines("2019", values)
    t["requests"].insert(10, footer)
    t["requests"].insert(11, "")
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)


def test_section_numbers_written_2_3_4() -> None:
    values = distinct_values("2021")
    text = report_text(
        "2021",
        values,
        headings=(
            "2、主动公开政府信息情况",
            "3、收到和处理政府信息公开申请情况",
            "4、政府信息公开行政复议、行政诉讼情况",
        ),
    )
    assert got(parse_text(text)) == expected("2021", values)


def test_stray_spaces_and_mixed_brackets_in_labels_and_headers() -> None:
    values = distinct_values("2019")
    t = table_lines("2019", values)
    t["requests"] = [
        ln.replace("属于国家秘密", "属于国家 秘密").replace("（一）予以公开", "(一) 予以 公开")
        for ln in t["requests"]
    ]
    t["appeals"] = [
        ln.replace("结果维持", "结 果 维 持").replace("总计", "总 计") for ln in t["appeals"]
    ]
    t["active"] = [ln.replace("本年新制作数量", "本年新 制作数量") for ln in t["active"]]
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)


def test_headers_split_mid_word_in_one_cell_per_line() -> None:
    """002: `⇥本年新` / `制作数量` on the next line without a tab."""
    values = distinct_values("2019")
    t = table_lines("2019", values)
    cells = one_cell_per_line(t["active"])
    cells = [c.replace("\t本年新制作数量", "\t本年新\n制作数量") for c in cells]
    t["active"] = "\n".join(cells).split("\n")
    t["requests"] = one_cell_per_line(t["requests"])
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)


def test_noise_lines_are_ignored() -> None:
    values = distinct_values("2019")
    t = table_lines("2019", values)
    t["requests"].insert(5, "[bookmark: _GoBack]")
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_encodings_give_the_same_result(encoding: str) -> None:
    values = distinct_values("2021")
    r = parse_text(report_text("2021", values), encoding=encoding)
    assert got(r) == expected("2021", values)
    assert r["agency"] == "原州区教育局"


def test_format_comes_from_the_headers_not_the_year() -> None:
    values = distinct_values("2021")
    text = report_text("2021", values, year=2020, narrative="本单位政府集中采购项目均已公开。")
    r = parse_text(text)
    assert (r["year"], r["format"]) == (2020, "2021")
    assert got(r) == expected("2021", values)


def test_title_split_over_lines_and_with_spaces() -> None:
    values = distinct_values("2019")
    text = report_text("2019", values, agency="附件：\n银川市兴庆区 人民政府办公室2020年度政府")
    text = text.replace("\n\n2020年政府信息公开工作年度报告", "\n信息公开工作年度报告", 1)
    r = parse_text(text)
    assert r["agency"] == "银川市兴庆区人民政府办公室"
    assert r["year"] == 2020
    assert r["region"]["county"] == "兴庆区"
    assert r["agency_type"] == "政府办公室"


def test_narrative_counts_and_approximate_figures() -> None:
    values = distinct_values("2019")
    r = parse_text(report_text("2019", values))
    n = r["narrative"]
    assert n["active_disclosure_items"]["value"] == 35
    assert n["applications_received"]["value"] == 12
    text = report_text("2019", values, narrative="全年主动公开政府信息20余万条，受理申请约30件。")
    n = parse_text(text)["narrative"]
    assert n["active_disclosure_items"]["value"] is None
    assert n["active_disclosure_items"]["approximate"] is True
    assert n["active_disclosure_items"]["evidence"] == "全年主动公开政府信息20余万条"
    assert n["applications_received"]["value"] is None


def test_a_table_whose_cells_ran_together_reads_nothing_and_says_why() -> None:
    """A crawler's text of a page joins every cell (`本年新收政府信息公开申请数量640020470`):
    no value can be told apart, and each table's warning says so."""
    values = distinct_values("2021")
    t = {k: [ln.replace("\t", "") for ln in v] for k, v in table_lines("2021", values).items()}
    r = parse_text(report_text("2021", values, tables=t))
    assert all(f["value"] is None for f in r["facts"])
    for table in ("active", "requests"):
        told = [w for w in r["warnings"] if w.startswith(f"{table}: line ") and "run into" in w]
        assert told and "原文为英文" not in warning_zh(told[0])  # 数据质量 says it in Chinese


def test_a_label_with_its_values_in_cells_is_never_called_glued() -> None:
    r = parse_text(report_text("2021", distinct_values("2021")))
    assert not [w for w in r["warnings"] if "run into" in w]


def test_truncated_in_table_three_keeps_what_was_read() -> None:
    values = distinct_values("2019")
    text = report_text("2019", values)
    cut = text[: text.index("5.属于三类内部事务信息")]
    r = parse_text(cut)
    g = got(r)
    assert g[("requests", "denied_4", "total")] == int(values[("requests", "denied_4", "total")])
    assert g[("requests", "denied_5", "total")] is None
    assert g[("appeals", "review", "total")] is None
    assert r["status"] == "partial"
    assert any("truncated" in w for w in r["warnings"])


def test_text_without_tables_or_title_is_rejected() -> None:
    from etl.errors import RejectedInput

    with pytest.raises(RejectedInput, match="not a government information disclosure"):
        parse_text("会议通知\n\n定于下周一召开全体会议。\n")


def test_title_only_report_is_kept_as_narrative_only() -> None:
    r = parse_text("固原市民政局\n2021年政府信息公开工作年度报告\n\n一、总体情况\n略。\n")
    assert (r["agency"], r["year"], r["status"]) == ("固原市民政局", 2021, "narrative_only")
    assert r["format"] is None
    assert any("neither format" in w for w in r["warnings"])


def test_narrative_figures_with_thousands_separators() -> None:
    values = distinct_values("2019")
    text = report_text(
        "2019", values, narrative="全年通过门户网站公开信息共1,836条，收到政府信息公开申请1,064件。"
    )
    n = parse_text(text)["narrative"]
    assert n["active_disclosure_items"]["value"] == 1836
    assert n["applications_received"]["value"] == 1064


def test_note_under_a_table_in_one_cell_per_line_keeps_the_trailing_blank() -> None:
    """A note line (注：…) after the last row must not swallow its trailing blank cell."""
    values = distinct_values("2019")
    values[("requests", "carried_out", "total")] = "/"
    values[("appeals", "litigation_after_review", "total")] = ""
    t = {k: one_cell_per_line(v) for k, v in table_lines("2019", values).items()}
    t["requests"] += ["注：本表数据统计截至2020年12月31日。"]
    t["appeals"] += ["", "说明：行政诉讼为本机关作为被告的案件。"]
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)
    assert r["warnings"] == []


def test_item_number_tells_apart_labels_broken_after_a_short_first_half() -> None:
    """`8.属于行政` starts both item 7 and item 8; `2.重复申` is too short without its number."""
    values = distinct_values("2019")
    t = table_lines("2019", values)
    for label, head, tail in (
        ("8.属于行政查询事项", "8.属于行政", "查询事项"),
        ("2.重复申请", "2.重复申", "请"),
    ):
        i = next(k for k, ln in enumerate(t["requests"]) if label in ln)
        t["requests"][i] = t["requests"][i].replace(label, head)
        t["requests"].insert(i + 1, f"\t\t{tail}\t\t\t\t\t\t\t")
    r = parse_text(report_text("2019", values, tables=t))
    assert got(r) == expected("2019", values)
    assert r["warnings"] == []


def _display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def padded_as_an_editor_draws(lines: list[str]) -> list[str]:
    """Tab rows as columns padded with spaces, Chinese two columns wide (as a word processor
    or a web page copied as text lines them up; pdftotext prints one column a character)."""
    rows = [ln.split("\t") for ln in lines]
    widths = [
        max((_display_width(r[i]) for r in rows if i < len(r)), default=0)
        for i in range(max(map(len, rows)))
    ]
    return [
        "   ".join(c + " " * (widths[i] - _display_width(c)) for i, c in enumerate(r)).rstrip()
        for r in rows
    ]


def test_blank_cells_of_table_four_are_placed_by_its_header_words_as_an_editor_draws_them():
    # the five leaf headers of 行政复议 stand after Chinese text on their line, those of the
    # two 行政诉讼 groups on the line below after spaces: only Chinese counted two wide puts
    # each value under its own header word
    values = distinct_values("2021") | balanced_requests("2021")
    blank = [("appeals", "review", "upheld"), ("appeals", "review", "total")]
    blank.append(("appeals", "litigation_after_review", "other"))
    printed = {k: ("" if k in blank else v) for k, v in values.items()}
    t = {k: padded_as_an_editor_draws(lines) for k, lines in table_lines("2021", printed).items()}
    r = got(parse_text(report_text("2021", printed, tables=t)))
    want = expected("2021", printed)
    assert [r[k] for k in want if k[0] == "appeals"] == [
        v for k, v in want.items() if k[0] == "appeals"
    ]
    assert all(r[k] is None for k in blank)
    assert r == want  # table 三 and 二 too, by their full rows


def test_a_row_far_from_every_full_row_is_placed_by_the_columns_of_the_nearest_one():
    # every row from 不予公开 1. to 其他处理 3. leaves one cell blank, so the nearest row printed
    # in full on its line (部分公开 above, 总计 below) stands up to a dozen rows away; a table
    # keeps its columns down the page
    values = distinct_values("2021") | balanced_requests("2021")
    rows = spec.REQUEST_ROWS["2021"]
    sparse = rows[rows.index("denied_1") : rows.index("other_3") + 1]
    printed = {
        k: ("" if k[0] == "requests" and k[1] in sparse and k[2] == "legal" else v)
        for k, v in values.items()
    }
    t = table_lines("2021", printed)
    lines = [ln.split("\t") for ln in t["requests"]]
    t["requests"] = [  # the labels in one cell, the values in columns a fixed width apart
        "".join(c for c in cells[:-7]).ljust(80 - sum(_display_width(c) - len(c) for c in cells))
        + "".join(c.ljust(8) for c in cells[-7:])
        for cells in lines[4:]
    ]
    r = got(parse_text(report_text("2021", printed, tables=t)))
    want = expected("2021", printed)
    assert [r[k] for k in want if k[0] == "requests"] == [
        v for k, v in want.items() if k[0] == "requests"
    ]
