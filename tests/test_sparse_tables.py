"""Table 三 as small offices print it (every zero left empty, the outcome rows without their
总计, so no row prints all seven values): the texts our renderings of such reports gave, each
of which had the parser store a value in the wrong column. Every row here must come out as
printed or empty with a warning naming it, never shifted."""

from __future__ import annotations

import hashlib

import pytest

from etl import spec
from etl.parse import parse_source
from tests.report_builder import REQUEST_HEADER, distinct_values, report_text, table_lines


def parse_requests_region(fmt: str, lines: list[str], name: str = "sparse.txt") -> dict:
    """A report whose table 三 prints as `lines`; tables 二 and 四 as tab rows."""
    return parse_region(fmt, "requests", lines, name)


def parse_region(fmt: str, table: str, lines: list[str], name: str) -> dict:
    """A report whose `table` prints as `lines`; the other tables as tab rows."""
    values = distinct_values(fmt)
    t = table_lines(fmt, values)
    t[table] = lines
    data = report_text(fmt, values, tables=t).encode()
    return parse_source(name, data, hashlib.sha256(data).hexdigest())[1]


def row(r: dict, name: str) -> list:
    got = {
        f["col"]: f["value"] for f in r["facts"] if f["table"] == "requests" and f["row"] == name
    }
    return [got[c] for c in spec.REQUEST_COLS]


def warned(r: dict, name: str, reason: str = "") -> bool:
    """Does a warning name the row (and give `reason`)?"""
    return any(w.startswith(f"requests.{name} ") and reason in w for w in r["warnings"])


# pdftotext -layout's table-三 header of our generated PDFs (both formats print it alike)
LAYOUT_HEADER = [
    "                                            申请人情况",
    "                                           法人或其他组织",
    "（本列数据的勾稽关系为：第一项加第二项之和，等",
    "                                 自然   商业   科研   社会   法律",
    "于第三项加第四项之和）                                                    总计",
    "                                 人              公益   服务   其他",
    "                                      企业   机构   组织   机构",
]

# pdftotext -layout, a 2021 report: the header's words are centred in wide cells, and 1 under
# 自然人 stands four columns left of `自然` (29 against 33). Read the way editors count columns
# (Chinese two wide) it landed under 商业企业; nothing in the table (no row prints all seven
# values) says which way this text counts, so it stays empty.
LAYOUT_HEADER_ONLY = [
    *LAYOUT_HEADER,
    "一、本年新收政府信息公开申请数量             １２       ２         １    2         １７",
    "二、上年结转政府信息公开申请数量",
    "三、本 （一）予以公开                  6        ２              １",
    "年度办 （二）部分公开（区分处理的，只计这一情",
    "                             ２",
    "理结果 形，不计其他情形）",
    "          1.属于国家秘密                              １    1",
    "          2.其他法律行政法规禁止公开",
    "          3.危及“三安全一稳定”",
    "   （三）不 4.保护第三方合法权益          1",
    "   予公开    5.属于三类内部事务信息       １",
    "          6.属于四类过程性信息",
    "          7.属于行政执法案卷",
    "          8.属于行政查询事项",
    "          1.本机关不掌握相关政府信息     １",
    "   （四）无",
    "          2.没有现成信息需要另行制作",
    "   法提供",
    "          3.补正后申请内容仍不明确",
]


def test_header_words_alone_never_place_a_value_by_the_editors_column_count() -> None:
    r = parse_requests_region("2021", LAYOUT_HEADER_ONLY, "layout.txt")
    for name in ("denied_4", "denied_5", "unable_1"):  # 1 under 自然人 in the report
        assert row(r, name)[1:] == [None] * 6, name
        assert row(r, name)[0] is None
        assert warned(r, name), name


# pdftotext -layout, a 2019 report over two pages: page 2 (after the form feed) is laid out
# anew, its 自然人 column at 41 instead of 29. Page 1's header put 1 of 1.本机关不掌握… under
# 科研机构; the values on page 2 do not stand under page 1's columns (14 at 87), so page 1's
# columns say nothing there.
LAYOUT_TWO_PAGES = [
    *LAYOUT_HEADER,
    "一、本年新收政府信息公开申请数量             /        2         1              15",
    "三、本 （一）予以公开                  5        1         1",
    "   （三）不 1.属于国家秘密",
    "   予公开    2.其他法律行政法规禁止公开     1",
    "",
    "                           —2—",
    "\f              1.本机关不掌握相关政府信息             1",
    "     （四）无",
    "              2.没有现成信息需要另行制作                      1",
    "     法提供",
    "              3.补正后申请内容仍不明确",
    "     （六）其他处理                             1",
    "     （七）总计                               11       2        /        1                  14",
    "四、结转下年度继续办理                              1                                             1",
]


def test_a_page_laid_out_anew_takes_no_columns_from_the_page_before() -> None:
    r = parse_requests_region("2019", LAYOUT_TWO_PAGES, "pages.txt")
    for name in ("unable_1", "unable_2"):  # 1 under 自然人 in the report
        assert row(r, name) == [None] * 7, name
        assert warned(r, name), name


def test_a_page_in_the_same_columns_keeps_the_columns_of_the_page_before() -> None:
    # page 2 holding only a 1 right under page 1's `自然` (column 33): read by page 1's columns
    same = [*LAYOUT_TWO_PAGES[:13], "\f" + " " * 10 + "1.本机关不掌握相关政府信息" + " " * 8 + "1"]
    assert same[-1].index("1", 20) == LAYOUT_TWO_PAGES[3].index("自然")
    r = parse_requests_region("2019", same, "pages.txt")
    assert row(r, "unable_1") == [1, None, None, None, None, None, None]


# markitdown: pdfminer text with a few rows cut out as pipe tables of their own, the other
# row labels as plain lines. `| | （七）总计 | | | １２ | ２ | 1 | ２ | １７ |` has seven cells
# after its label, but markitdown packed the values to the right: 自然人 is 12, not blank.
MARKITDOWN_FRAGMENTS = [
    *REQUEST_HEADER,
    "| 一、本年新收政府信息公开申请数量 | １２ ２  | １ 2   | １７  |",
    "二、上年结转政府信息公开申请数量",
    "| 三、本 （一）予以公开 | 6 ２ | １   |     |",
    "| ----------- | --- | --- | --- |",
    "年度办 （二）部分公开（区分处理的，只计这一情",
    "２",
    "理结果 形，不计其他情形）",
    "1.属于国家秘密 １ 1",
    "|     | （七）总计 |     |     | １２  | ２   | 1   | ２   | １７  |",
    "| --- | ----- | --- | --- | --- | --- | --- | --- | --- |",
    "四、结转下年度继续办理",
]


def test_a_pipe_table_cut_from_plain_text_rows_places_nothing_by_its_empty_cells() -> None:
    r = parse_requests_region("2021", MARKITDOWN_FRAGMENTS, "page.md")
    assert row(r, "total") == [None] * 7
    assert warned(r, "total")


def test_a_whole_pipe_table_places_a_row_by_its_empty_cells() -> None:
    lines = ["|" + "|".join(ln.split("\t")) + "|" for ln in REQUEST_HEADER]
    lines.insert(1, "|---|---|---|---|---|---|---|---|---|---|")
    for cells in (
        ["一、本年新收政府信息公开申请数量", "", "", "12", "2", "", "1", "2", "", "17"],
        ["", "（七）总计", "", "12", "2", "", "1", "2", "", "17"],
    ):
        lines.append("|" + "|".join(cells) + "|")
    r = parse_requests_region("2021", lines, "page.md")
    assert row(r, "total") == [12, 2, None, 1, 2, None, 17]


# raw pdftotext: every cell a block of its own, an empty line before each. The 总计 row's
# cells came out after the next row's label, interleaved with that row's own three:
# 四、结转… then claims seven values whose total does not hold (2 for 24).
RAW_MOVED = [
    *REQUEST_HEADER,
    "- 2 -",  # page footers printed: a bare last number is a value, not a page number
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "",
    "（七）总计",
    "",
    "１４",
    "",
    "四、结转下年度继续办理",
    "",
    "２",
    "",
    "1",
    "",
    "１",
    "",
    "1",
    "",
    "１８",
    "",
    "１",
    "",
    "2",
]


def _two_in_a_block() -> list[str]:
    # raw pdftotext printed 总计's 18 and 结转's own 1 as one block: no empty line between
    return [*RAW_MOVED[:-4], "１", "", "2"]


def _short_row_further_up() -> list[str]:
    # 总计 printed nothing, the row above it one value: the seven values after 结转 may hold
    # values raw pdftotext moved from either
    total = RAW_MOVED.index("（七）总计")
    return [*RAW_MOVED[: total - 1], "", "3", "", "（七）总计", *RAW_MOVED[total + 3 :]]


@pytest.mark.parametrize(
    "lines",
    [RAW_MOVED, _two_in_a_block(), _short_row_further_up()],
    ids=["after_the_short_row", "two_in_one_block", "short_row_further_up"],
)
def test_raw_text_values_that_may_be_moved_in_are_not_taken_when_their_total_fails(lines) -> None:
    r = parse_requests_region("2021", lines, "raw.txt")
    assert row(r, "carried_out") == [None] * 7
    assert warned(r, "carried_out", "total does not hold")


def test_raw_text_values_after_a_short_row_whose_total_holds_are_read() -> None:
    held = RAW_MOVED[:-14] + ["", "1", "", "0", "", "0", "", "0", "", "0", "", "1", "", "2"]
    r = parse_requests_region("2021", held, "raw.txt")
    assert row(r, "carried_out") == [1, 0, 0, 0, 0, 1, 2]


# PyMuPDF: one cell a line, an empty cell printed as nothing (here a full-width space). In
# a narrow cell 271 wrapped a digit a line: `２` / `７` / `１`. With 予以公开's 总计 left empty
# the row's seven lines read as seven values (2, 7, 1, 81, 16, 57, 39) just as well.
PYMUPDF_WRAPPED = [
    *REQUEST_HEADER,
    "三、本",
    "年度办",
    "理结果",
    "（一）予以公开",
    "２",
    "７",
    "１",
    "８１",
    "\u3000",
    "１６",
    "５７",
    "３９",
    "（二）部分公开（区分处理的，只计这一情",
    "形，不计其他情形）",
]


def test_wide_digits_a_line_that_may_be_one_wrapped_number_leave_the_row_empty() -> None:
    r = parse_requests_region("2021", PYMUPDF_WRAPPED, "pymupdf.txt")
    assert row(r, "granted") == [None] * 7
    assert warned(r, "granted", "wrapped in its cell")


def test_wide_digits_a_line_whose_total_holds_are_read_as_printed() -> None:
    # the same pieces with a 总计 that is their sum: seven values, read as printed
    lines = [*PYMUPDF_WRAPPED[:-10], "２", "７", "１", "８", "１", "２", "２１"]
    r = parse_requests_region("2021", lines, "pymupdf.txt")
    assert row(r, "granted") == [2, 7, 1, 8, 1, 2, 21]


# pdftotext -layout over two pages, each laid out anew: the one full row of page 1 (一、…)
# and the one of page 2 (（七）总计) stand in other columns. Compared with each other they
# seemed to say the text counts Chinese two columns wide; that reading put page 1's lone 1s
# (under 自然人) under 商业企业. Rows are compared on their own page only, and a text with
# form feeds comes from a PDF extractor, which prints one character a column.
LAYOUT_TWO_FULL_ROWS = [
    "                                               法人或其他组织",
    "（本列数据的勾稽关系为：第一项加第二项之和，等",
    "                                 自然   商业   科研    社会   法律",
    "于第三项加第四项之和）                                                     总计",
    "                                 人               公益   服务   其他",
    "                                      企业   机构    组织   机构",
    "一、本年新收政府信息公开申请数量             152      25   2     2    5    11   197",
    "二、上年结转政府信息公开申请数量             8                                  8",
    "          1.属于国家秘密           1        1",
    "          2.其他法律行政法规禁止公开     1",
    "          3.危及“三安全一稳定”       1",
    "   （三）不 4.保护第三方合法权益          2",
    "   予公开    5.属于三类内部事务信息       2                             1",
    "",
    "                           -2-",
    "\f              3.补正后申请内容仍不明确              2       2                           1",
    "              3.其他                       2       1",
    "     （七）总计                               152     23        2        2        5"
    "        11       195",
    "四、结转下年度继续办理                              8       2                          "
    "                   10",
]


def test_full_rows_of_two_pages_never_decide_how_the_text_counts_columns() -> None:
    r = parse_requests_region("2021", LAYOUT_TWO_FULL_ROWS, "layout.txt")
    for name in ("denied_2", "denied_3", "denied_4"):  # a 1 or 2 under 自然人 in the report
        assert row(r, name)[1:] == [None] * 6, name
    assert row(r, "new") == [152, 25, 2, 2, 5, 11, 197]


# raw pdftotext put page 1's right-hand columns at the top of page 2, their header words
# included: `其他` / `11` / `总计` / `197` / `8` / `7` …, a bare 总计 among the rows. Read as the
# row （七）总计 it took seven values of other rows; the real （七）总计 comes later.
RAW_HEADER_AMONG_ROWS = [
    *REQUEST_HEADER,
    "8.属于行政查询事项", "", "1", "",
    "（四）无 1.本机关不掌握相关政府信息", "", "21", "", "法提供", "", "7", "",
    "2.没有现成信息需要另行制作", "", "-2-", "",
    "其他", "11", "", "总计", "", "197", "8", "", "7", "1", "", "1", "", "3", "", "1", "", "1", "",
    "\f3.补正后申请内容仍不明确", "", "2", "", "2", "", "1", "",
    "（七）总计",
    "四、结转下年度继续办理", "", "2", "", "1", "", "152", "", "23",
]  # fmt: skip


def test_a_row_label_printed_twice_leaves_the_row_empty_unless_its_total_holds() -> None:
    r = parse_requests_region("2021", RAW_HEADER_AMONG_ROWS, "raw.txt")
    assert row(r, "total") == [None] * 7
    assert warned(r, "total", "printed again")


# pdftotext -layout of a busy sparse report: 一、's 总计 1,188 wrapped in its narrow cell, `1,18`
# above the label's line and `8` below, and no row of the table prints all seven values to give
# the columns. The row's own values give them: the pieces stand in one column of their own,
# seven columns in all, and joined they make the row's total (869+94+6+55+58+106 = 1,188).
LAYOUT_WRAPPED_TOTAL_NO_FULL_ROW = [
    "                                              法人或其他组织",
    "（本列数据的勾稽关系为：第一项加第二项之和，等",
    "                             自然      商业   科研    社会   法律",
    "于第三项加第四项之和）                                                     总计",
    "                                 人              公益   服务   其他",
    "                                     企业   机构    组织   机构",
    "                                                                1,18",
    "一、本年新收政府信息公开申请数量             869     94   6     55   58   106",
    "                                                                8",
    "二、上年结转政府信息公开申请数量             12                                 12",
    "三、本 （一）予以公开                  432     44   3     33   31   67",
]


def test_a_total_wrapped_in_its_cell_is_read_by_the_rows_own_columns_when_it_adds_up() -> None:
    r = parse_requests_region("2021", LAYOUT_WRAPPED_TOTAL_NO_FULL_ROW, "layout.txt")
    assert row(r, "new") == [869, 94, 6, 55, 58, 106, 1188]


def test_a_wrapped_total_that_does_not_add_up_stays_empty() -> None:
    lines = [ln.replace("  106", "  107") for ln in LAYOUT_WRAPPED_TOTAL_NO_FULL_ROW]
    r = parse_requests_region("2021", lines, "layout.txt")
    assert row(r, "new") == [None] * 7
    assert warned(r, "new")


# pdftotext -layout, a sparse 2021 table 三 on one page: no row prints all seven values, but
# every column holds a value somewhere on the page (columns at 29 自然人, 38, 43, 48, 53, 58,
# 63 总计, as our PDFs print them: the header's `自然` stands right of its column's values)
_PAGE_GRID = (29, 38, 43, 48, 53, 58, 63)


def _cells_at(label: str, cells: dict[int, str]) -> str:
    line = label
    for col in sorted(cells):
        line = line.ljust(col) + cells[col]
    return line


def layout_page(denied_1: dict[int, str], new_total: tuple[int, str] = (63, "17")) -> list[str]:
    return [
        *LAYOUT_HEADER,
        _cells_at(
            "一、本年新收政府信息公开申请数量",
            {29: "10", 38: "3", 48: "1", 53: "2", 58: "1", new_total[0]: new_total[1]},
        ),
        "二、上年结转政府信息公开申请数量",
        _cells_at("三、本 （一）予以公开", {29: "5", 38: "2", 53: "1", 63: "8"}),
        "年度办 （二）部分公开（区分处理的，只计这一情",
        "理结果 形，不计其他情形）",
        _cells_at("          1.属于国家秘密", denied_1),
        "          2.其他法律行政法规禁止公开",
    ]


def test_rows_of_a_page_whose_values_fill_every_column_are_read_by_those_columns() -> None:
    r = parse_requests_region("2021", layout_page({43: "1", 63: "1"}), "layout.txt")
    assert row(r, "new") == [10, 3, None, 1, 2, 1, 17]
    assert row(r, "granted") == [5, 2, None, None, 1, None, 8]
    assert row(r, "denied_1") == [None, None, 1, None, None, None, 1]


def test_rows_of_a_page_where_a_column_holds_no_value_stay_empty() -> None:
    # without the 科研机构 value, six columns of values: which one is empty is not printed
    r = parse_requests_region("2021", layout_page({63: "1"}), "layout.txt")
    for name in ("new", "granted"):
        assert row(r, name) == [None] * 7, name
        assert warned(r, name), name
    assert row(r, "denied_1") == [None] * 6 + [1]  # right under the header's 总计


def test_a_column_without_values_beside_one_whose_values_fell_apart_places_nothing() -> None:
    # 科研机构 empty, and one 总计 printed three columns right of the others: seven groups of
    # values, but one gap twice the others: the groups are not the columns
    r = parse_requests_region("2021", layout_page({63: "1"}, (66, "17")), "layout.txt")
    for name in ("new", "granted"):
        assert row(r, name) == [None] * 7, name
        assert warned(r, name), name


# A Word table as python-docx reads it (merged cells expanded, every row as wide), from a
# sparse report whose applicants were all legal persons: no row prints a 自然人 value, so no
# row has values in both the first and the last column. 一、 and （七）总计 print theirs in
# the row's last cell, the columns are the grid's last seven cells: that pins them.
WORD_NO_NATURAL = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t",
    "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
    "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    "一、本年新收政府信息公开申请数量\t\t\t\t\t3\t\t\t\t3",
    "二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t\t\t",
    "三、本年度办理结果\t（一）予以公开\t\t\t\t2\t\t\t\t",
    "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t\t\t\t\t\t1\t",
    "\t（七）总计\t\t\t\t2\t\t\t1\t3",
    "四、结转下年度继续办理\t\t\t\t\t\t\t\t\t",
]


def test_a_word_grid_without_a_first_column_value_is_pinned_by_the_last_cell() -> None:
    r = parse_requests_region("2021", WORD_NO_NATURAL, "sparse.docx.txt")
    assert row(r, "granted") == [None, None, 2, None, None, None, None]
    assert row(r, "partial") == [None, None, None, None, None, 1, None]
    assert row(r, "total") == [None, None, 2, None, None, 1, 3]


def test_a_word_grid_whose_header_ends_before_the_rows_last_cell_pins_nothing() -> None:
    # one empty cell more at the end of every line: the names no longer end the grid
    wider = [ln + "\t" for ln in WORD_NO_NATURAL]
    r = parse_requests_region("2021", wider, "sparse.docx.txt")
    assert row(r, "granted") == [None] * 7
    assert warned(r, "granted")


# markitdown, table 二 of a 2019 report: its layout model cut each block into more columns
# than the header names, so the values stand a cell left of the names (`14 | -2 | | 16`
# under `上一年项目数量 | | 本年增/减 | | 处理决定数量`). The full row reads in order; a row with an
# empty cell must not be read under the names (11 there, +1 dropped, 本年增/减 "blank").
MARKITDOWN_ACTIVE_OFF_ITS_HEADER = [
    "第二十条第（一）项",
    "|     | 信息内容  | 本年新制作数量 |     | 本年新公开数量 |     | 对外公开总数量 |",
    "| --- | ----- | ------- | --- | ------- | --- | ------- |",
    "|     | 规章    | 1       | 2   |         | 3   |         |",
    "|     | 规范性文件 | 4       | 5   |         | 6   |         |",
    "第二十条第（五）项",
    "|            | 信息内容 | 上一年项目数量 |     | 本年增/减 |     | 处理决定数量 |",
    "| ---------- | ---- | ------- | --- | ----- | --- | ------ |",
    "|            | 行政许可 | 14      | -2  |       | 16  |        |",
    "| 其他对外管理服务事项 |      | 11      | +1  |       |     |        |",
]


def test_a_table_two_row_whose_values_stand_off_the_header_names_is_never_read_under_them():
    r = parse_region("2019", "active", MARKITDOWN_ACTIVE_OFF_ITS_HEADER, "page.md")
    got = {(f["row"], f["col"]): f["value"] for f in r["facts"] if f["table"] == "active"}
    assert [got["licensing", c] for c in ("prev_items", "change", "decisions")] == [14, -2, 16]
    assert [got["other_services", c] for c in ("prev_items", "change", "decisions")] == [None] * 3
    assert any(w.startswith("active.other_services ") for w in r["warnings"])


def _under_total(prefix: str, value: str) -> str:
    """`prefix`, then `value` in the header's 总计 column."""
    col = next(ln.index("总计") for ln in LAYOUT_HEADER if "总计" in ln)
    return prefix.ljust(col) + value  # pdftotext -layout: one column a character


# pdftotext -layout of a table that prints only its 总计 column, wide digits wrapped a digit or
# two a line in the narrow cell: 予以公开's 218 as `２ １` above its label and `８` below it.
# The walk gives `２ １` to the row above; the `８` alone must not be read as the total.
LAYOUT_TOTALS_WRAPPED = [
    *LAYOUT_HEADER,
    _under_total("", "４ ８"),
    "一、本年新收政府信息公开申请数量",
    _under_total("", "９"),
    _under_total("二、上年结转政府信息公开申请数量", "１４"),
    _under_total("三、本", "２ １"),
    "      （一）予以公开",
    _under_total("年度办", "８"),
    _under_total("理结果 （二）部分公开（区分处理的，只计这一情", "６２"),
    "      形，不计其他情形）",
]


def test_a_wide_digit_below_its_label_under_pieces_above_it_is_never_read_alone() -> None:
    r = parse_requests_region("2021", LAYOUT_TOTALS_WRAPPED, "layout.txt")
    assert row(r, "granted") == [None] * 7  # never 8 for 218
    assert warned(r, "granted", "piece of one number")


# markitdown's Markdown of a PDF's table 三 (pdfminer text, columns guessed from the page): two
# columns' names in one header cell (`科研 社会`, `服务 其他`), while a row still prints seven
# cells after its label; read by those cells, the 无 under 商业 would be 社会公益组织's
MERGED_HEADER = [
    "|   |   |   | 自然 | 商业 | 科研 社会 | 法律 |   |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    "| （本列数据的勾稽关系为） |   |   |   |   |   |   | 总计 |",
    "|   |   |   | 人 |   | 公益 | 服务 其他 |   |",
    "| 一、本年新收政府信息公开申请数量 |   |   |   | 无 |   |   | 23 |",
    "| 二、上年结转政府信息公开申请数量 |   |   |   |   |   |   | 0 |",
    "| 三、本年度办理结果 | （一）予以公开 |   | 3 | 5 | 2 | 1 | 11 |",
]


def test_a_header_cell_naming_two_columns_places_nothing_by_the_rows_empty_cells() -> None:
    r = parse_requests_region("2021", MERGED_HEADER, "merged.md")
    for name in ("new", "carried_in"):
        assert row(r, name) == [None] * 7
        assert warned(r, name, "two columns' names in one cell")
    assert row(r, "granted") == [None] * 7  # five values for seven columns
    assert warned(r, "granted")


def test_header_cells_naming_one_column_each_still_place_a_rows_empty_cells() -> None:
    # the same rows under a header whose cells name one column each: read by their cells
    header = [
        "|   |   | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = [
        "| 一、本年新收政府信息公开申请数量 |   |   | 无 |   |   |   |   | 23 |",
        "| 二、上年结转政府信息公开申请数量 |   |   |   |   |   |   |   | 0 |",
    ]
    r = parse_requests_region("2021", header + rows, "one_a_cell.md")
    assert row(r, "new") == [None, None, None, None, None, None, 23]
    assert row(r, "carried_in") == [None] * 6 + [0]
