"""`pdftotext -layout` puts every value at the character column where it stands on its page,
and lays out each page anew. Where a sparse table prints no row in full, the header words
mark the columns on the header's page (their lines centred apart: `自然` and `人` of one cell
four characters apart), a value sits between two header words when the values beside it
leave it one column, and a later page, without a header, is read off the stacks its values
form and the table's own totals. Any doubt leaves the rows empty, with a warning. The texts
reproduce the layout pdftotext -layout gives of LibreOffice's PDF of the national template."""

from __future__ import annotations

import hashlib

from etl import spec
from etl.parse import parse_source
from tests.report_builder import distinct_values, report_text, table_lines

# page one: the header's words and the columns its values stand at
HEADER = [
    ("                                        申请人情况", ()),
    ("                                       法人或其他组织", ()),
    ("（本列数据的勾稽关系为：第一项加第二项之和，等", ()),
    ("", (("自然", 0), ("商业", 1), ("科研", 2), ("社会", 3), ("法律", 4))),
    ("于第三项加第四项之和）", (("总计", 6),)),
    ("", (("人", None), ("公益", 3), ("服务", 4), ("其他", 5))),
    ("", (("企业", 1), ("机构", 2), ("组织", 3), ("机构", 4))),
]
PAGE_ONE = [
    ("new", ["一、本年新收政府信息公开申请数量"]),
    ("carried_in", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本 （一）予以公开"]),
    ("partial", ["年度办 （二）部分公开（区分处理的，只计这一情", "理结果 形，不计其他情形）"]),
    ("denied_1", ["          1.属于国家秘密"]),
    ("denied_2", ["          2.其他法律行政法规禁止公开"]),
    ("denied_3", ["          3.危及“三安全一稳定”"]),
    ("denied_4", ["   （三）不 4.保护第三方合法权益"]),
    ("denied_5", ["   予公开    5.属于三类内部事务信息"]),
    ("denied_6", ["          6.属于四类过程性信息"]),
    ("denied_7", ["          7.属于行政执法案卷"]),
    ("denied_8", ["          8.属于行政查询事项"]),
    ("unable_1", ["   （四）无 1.本机关不掌握相关政府信息"]),
    ("unable_2", ["          2.没有现成信息需要另行制作", "   法提供"]),
    ("unable_3", ["          3.补正后申请内容仍不明确"]),
    ("not_processed_1", ["   （五）不 1.信访举报投诉类申请"]),
]
PAGE_TWO = [
    ("not_processed_2", ["              2.重复申请"]),
    ("not_processed_3", ["              3.要求提供公开出版物"]),
    ("not_processed_4", ["     予处理      4.无正当理由大量反复申请", ""]),
    ("not_processed_5", ["              5.要求行政机关确认或重新出具已", "              获取信息", ""]),
    (
        "other_1",
        ["              1.申请人无正当理由逾期不补正、", "              行政机关不再处理其政府信息公开",
         "              申请"],
    ),
    ("other_2", ["     （六）其", "              2.申请人逾期未按收费通知要求缴", "     他处理",
                 "              纳费用、行政机关不再处理其政府", "              信息公开申请"]),
    ("other_3", ["              3.其他"]),
    ("total", ["     （七）总计"]),
    ("carried_out", ["四、结转下年度继续办理"]),
]  # fmt: skip
ONE = (29, 37, 42, 47, 52, 57, 62)  # page one's columns; `人` stands at 33, off 自然's
TWO = (41, 50, 56, 62, 71, 80, 89)  # page two, laid out wider
ROWS = [r for r, _ in PAGE_ONE + PAGE_TWO]


def _at(line: str, items: list[tuple[str, int]]) -> str:
    """`line` with each text put at its character column (one column a character)."""
    for text, col in items:
        line = line.ljust(col) + text if len(line) < col else line + "  " + text
    return line


def _row(labels: list[str], cells: list[str], cols: tuple[int, ...]) -> list[str]:
    first = _at(labels[0], [(v, c) for v, c in zip(cells, cols, strict=True) if v])
    return [first, *labels[1:]]


def requests_lines(rows: dict[str, list[str]], one=ONE, two=TWO) -> list[str]:
    """Table 三 as pdftotext -layout prints it over two pages: `rows` gives each row's seven
    cells ('' blank); page two starts after 信访举报投诉类申请, with no header."""
    out = []
    for text, words in HEADER:
        placed = [(w, one[c] if c is not None else one[0] + 4) for w, c in words]
        out.append(_at(text, placed))
    for row, labels in PAGE_ONE:
        out += _row(labels, rows.get(row, [""] * 7), one)
    out += ["", "", "                            —1—", "\f" + ""]
    for row, labels in PAGE_TWO:
        out += _row(labels, rows.get(row, [""] * 7), two)
    return out


def parse(rows: dict[str, list[str]], appeals: list[str] | None = None, **kw) -> dict:
    values = distinct_values("2021")
    tables = table_lines("2021", values)
    tables["requests"] = requests_lines(rows, **kw)
    if appeals is not None:
        tables["appeals"] = appeals
    text = report_text("2021", values, tables=tables, agency="原州区教育局")
    data = text.encode()
    return parse_source("layout.txt", data, hashlib.sha256(data).hexdigest())[1]


def got(r: dict) -> dict[str, list]:
    out: dict[str, dict] = {}
    for f in r["facts"]:
        if f["table"] == "requests":
            out.setdefault(f["row"], {})[f["col"]] = f["raw"]
    return {row: [out[row][c] for c in spec.REQUEST_COLS] for row in out}


def cells(*printed: str) -> list[str]:
    return list(printed)


def expect(rows: dict[str, list[str]], result: dict, only: list[str] | None = None) -> None:
    """Every row (or those in `only`) read as printed: a value where one is, empty elsewhere."""
    read = got(result)
    for row in only or ROWS:
        want = [v or None for v in rows.get(row, [""] * 7)]
        assert read[row] == want, (row, read[row], want)


# a sparse table: blank where the office had nothing; its totals hold, blanks as nothing
SPARSE = {
    "new": cells("17", "", "", "2", "1", "2", "22"),
    "granted": cells("10", "", "", "", "", "2", "12"),
    "denied_2": cells("1", "", "", "", "", "", "1"),
    "unable_1": cells("1", "", "", "2", "", "", "3"),
    "unable_3": cells("", "", "", "", "1", "", "1"),
    "not_processed_2": cells("2", "", "", "", "", "", "2"),
    "total": cells("14", "", "", "2", "1", "2", "19"),
    "carried_out": cells("3", "", "", "", "", "", "3"),
}


def test_header_words_centred_apart_still_mark_the_columns_of_their_page() -> None:
    r = parse(SPARSE)
    expect(SPARSE, r, only=["new", "granted", "denied_2", "unable_1", "unable_3"])


def test_a_later_page_is_read_off_its_stacks_and_the_totals() -> None:
    r = parse(SPARSE)
    expect(SPARSE, r)
    for row in ("not_processed_2", "total", "carried_out"):
        assert any(
            w.startswith(f"requests.{row} ") and "the one placement whose totals hold" in w
            for w in r["warnings"]
        ), row
    assert not any("left empty" in w for w in r["warnings"]), r["warnings"]


def test_a_table_filled_in_its_total_column_only_is_read_on_every_page() -> None:
    rows = {
        row: cells("", "", "", "", "", "", v)
        for row, v in {
            "new": "18", "carried_in": "4", "granted": "7", "partial": "1", "denied_3": "1",
            "denied_6": "1", "denied_8": "1", "unable_1": "5", "not_processed_1": "1",
            "not_processed_2": "2", "other_1": "1", "total": "20", "carried_out": "2",
        }.items()
    }  # fmt: skip
    r = parse(rows)
    expect(rows, r)


def test_a_page_whose_totals_do_not_hold_stays_empty() -> None:
    rows = dict(SPARSE, total=cells("15", "", "", "2", "1", "2", "20"))  # one misprint
    r = parse(rows)
    expect(rows, r, only=["new", "granted"])
    read = got(r)
    for row in ("not_processed_2", "total", "carried_out"):
        assert read[row] == [None] * 7, row
        assert any(w.startswith(f"requests.{row} ") and "left empty" in w for w in r["warnings"])


def test_a_page_the_totals_allow_two_ways_stays_empty() -> None:
    # all zeros in one column: every column would hold them alike
    rows = {
        row: cells("", "", "", "", "", "", "0")
        for row in ("new", "granted", "not_processed_2", "total")
    }
    r = parse(rows)
    read = got(r)
    for row in ("not_processed_2", "total"):
        assert read[row] == [None] * 7, row
        assert any(w.startswith(f"requests.{row} ") and "left empty" in w for w in r["warnings"])


def test_a_later_page_laid_out_as_the_first_is_not_needed_to_be_wider() -> None:
    # page two's columns where page one's are: the same reading
    r = parse(SPARSE, two=ONE)
    expect(SPARSE, r)


APPEALS_HEADER = [
    "          行政复议                                               行政诉讼",
    "                                未经复议直接起诉                                       复议后起诉",
    "结果   结果    其他    尚未",
    "                      总计   结果   结果   其他          尚未               结果       结果"
    "       其他       尚未",
    "维持   纠正    结果    审结                                      总计"
    "                                       总计",
    "                           维持   纠正   结果          审结               维持       纠正"
    "       结果       审结",
    "",
]
# the columns of the values as pdftotext -layout printed them: the last 尚未审结 at 89,
# between the words 结果 (84) and 审结 (93)
APPEAL_COLS = (0, 5, 10, 17, 22, 27, 32, 37, 49, 57, 66, 75, 84, 89, 98)


def appeals_line(values: list[str]) -> list[str]:
    return [
        *APPEALS_HEADER,
        _at("", [(v, c) for v, c in zip(values, APPEAL_COLS, strict=True) if v]),
    ]


def appeals_read(r: dict) -> list:
    at = {(f["row"], f["col"]): f["raw"] for f in r["facts"] if f["table"] == "appeals"}
    return [at[(row, col)] for row in spec.APPEAL_ROWS for col in spec.APPEAL_COLS]


def test_a_value_between_two_header_words_takes_the_one_column_its_neighbours_leave() -> None:
    values = ["1", "2", "0", "", "3", "0", "1", "0", "1", "2", "1", "0", "2", "1", "4"]
    r = parse(SPARSE, appeals=appeals_line(values))
    assert appeals_read(r) == [v or None for v in values]


def test_a_value_between_two_header_words_with_both_free_stays_empty() -> None:
    # 其他结果 blank beside it: the 1 at 89 may be either column
    values = ["1", "2", "0", "", "3", "0", "1", "0", "1", "2", "1", "0", "", "1", "2"]
    r = parse(SPARSE, appeals=appeals_line(values))
    assert appeals_read(r) == [None] * 15
    assert any(w.startswith("appeals (line") and "left empty" in w for w in r["warnings"])
