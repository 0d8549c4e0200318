"""Raw pdftotext (no -layout) prints each table cell as a block of its own and moves some of
them: a cell drawn above its row's other cells (（二）部分公开's 总计, its label over two lines)
comes out at the end of the page, after the page's footer; a row label taller than its values
comes out after them. Such a value goes back to its row only when nothing else can explain
it; else the row stays empty, with a warning."""

from __future__ import annotations

import hashlib

from etl import spec
from etl.parse import parse_source
from etl.tokens import with_page_footers
from tests.report_builder import balanced_requests, distinct_values, report_text, table_lines

PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def _blocks(lines: list[str]) -> list[str]:
    """Each tab cell a block of its own with an empty line after it, blank cells gone."""
    return [x for ln in lines for cell in ln.split("\t") if cell.strip() for x in (cell, "")]


def _values() -> dict:
    values = distinct_values("2021") | balanced_requests("2021")
    for col in spec.REQUEST_COLS:  # a row of zeros after 部分公开: a moved 0 would keep it
        values[("requests", "denied_1", col)] = "0"
    return values


def parse_moved_total(
    values: dict, footer: str, *, page_one: bool = False, stray: str | None = None
) -> dict:
    """The report as raw pdftotext prints it when 部分公开's 总计 moved after the footer of
    its page, which ends after 2.其他法律行政法规禁止公开's cells. `page_one`: an earlier page
    ends with its own bare page number 1. `stray`: print this instead of the moved total."""
    t = {k: _blocks(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    at = req.index(PARTIAL)
    req[at : at + 1] = ["（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）"]
    total = req[at + 15]
    assert total == values[("requests", "partial", "total")]
    del req[at + 15 : at + 17]
    end = req.index("3.危及“三安全一稳定”")
    req[end] = "\f" + req[end]
    req[end:end] = [footer, "", stray if stray is not None else total, ""]
    narrative = "本年度通过政府网站公开信息共35条。本年度收到政府信息公开申请12件。"
    if page_one:
        narrative += "\n\n1\n\n\f本年度政府信息公开工作平稳有序。"
    data = report_text("2021", values, tables=t, narrative=narrative).encode()
    return parse_source("raw.txt", data, hashlib.sha256(data).hexdigest())[1]


def rows(r: dict) -> dict[str, list]:
    out: dict[str, dict] = {}
    for f in r["facts"]:
        if f["table"] == "requests":
            out.setdefault(f["row"], {})[f["col"]] = f["value"]
    return {row: [got[c] for c in spec.REQUEST_COLS] for row, got in out.items()}


def printed(values: dict, row: str) -> list:
    return [int(values[("requests", row, c)]) for c in spec.REQUEST_COLS]


def test_a_total_printed_after_the_page_footer_goes_back_to_its_row() -> None:
    values = _values()
    r = parse_moved_total(values, "—2—")
    got = rows(r)
    assert got["partial"] == printed(values, "partial")
    assert any(
        w.startswith("requests.partial ") and "after the page's footer" in w for w in r["warnings"]
    )
    # no value of 部分公开 is unaccounted for: the rows of zeros after it are read
    assert got["denied_1"] == [0] * 7
    assert got["denied_2"] == printed(values, "denied_2")


def test_a_total_printed_after_a_bare_page_number_goes_back_to_its_row() -> None:
    # the page numbers print bare (`1`, `2`): page one ends with 1, so the 2 ending page two
    # is its number and the number after it the moved total
    values = _values()
    r = parse_moved_total(values, "2", page_one=True)
    got = rows(r)
    assert got["partial"] == printed(values, "partial")
    assert got["denied_1"] == [0] * 7
    assert got["denied_2"] == printed(values, "denied_2")


def test_a_bare_number_after_a_bare_number_is_no_footer_without_the_pages_sequence() -> None:
    # no earlier page says how pages are numbered: the 2 may be a value, the row stays empty
    values = _values()
    r = parse_moved_total(values, "2")
    got = rows(r)
    assert got["partial"] == [None] * 7
    assert got["denied_1"] == [None] * 7  # a 0 moved from 部分公开 could keep its total


def test_a_page_end_value_two_places_of_the_row_would_take_leaves_it_empty() -> None:
    # 部分公开 prints 0 0 0 0 0 5, and 5 after the footer: 5 as its 总计, or 5 in any of its
    # first five columns with the printed 5 as 总计 — the row's own total holds both ways
    values = _values()
    for col, v in zip(spec.REQUEST_COLS, ["0", "0", "0", "0", "0", "5", "5"], strict=True):
        values[("requests", "partial", col)] = v
    r = parse_moved_total(values, "—2—")
    got = rows(r)
    assert got["partial"] == [None] * 7
    assert any(w.startswith("requests.partial ") for w in r["warnings"])


def test_a_page_end_value_whose_row_total_does_not_hold_is_never_placed() -> None:
    values = _values()
    wrong = str(int(values[("requests", "partial", "total")]) + 1)
    r = parse_moved_total(values, "—2—", stray=wrong)
    assert rows(r)["partial"] == [None] * 7


def test_a_page_end_value_is_not_placed_when_another_row_of_its_page_lacks_one() -> None:
    values = _values()
    values[("requests", "denied_2", "research")] = ""  # printed as nothing
    r = parse_moved_total(values, "—2—")
    got = rows(r)
    assert got["partial"] == [None] * 7
    assert got["denied_2"][2] is None


def parse_label_after_values(values: dict) -> dict:
    """Raw pdftotext: (五) 不予处理 1.信访举报投诉类申请's label, taller than its cells,
    printed after its values, which then follow 3.补正后申请内容仍不明确's."""
    t = {k: _blocks(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    at = req.index("(五) 不予处理")
    label = req[at : at + 4]
    assert label[2] == "1.信访举报投诉类申请"
    del req[at : at + 4]
    req[at + 14 : at + 14] = label
    data = report_text("2021", values, tables=t).encode()
    return parse_source("raw.txt", data, hashlib.sha256(data).hexdigest())[1]


def test_a_row_label_printed_after_its_values_takes_the_values_after_the_row_before() -> None:
    values = distinct_values("2021") | balanced_requests("2021")
    r = parse_label_after_values(values)
    got = rows(r)
    assert got["unable_3"] == printed(values, "unable_3")
    assert got["not_processed_1"] == printed(values, "not_processed_1")
    assert any(
        w.startswith("requests.not_processed_1 ") and "label printed after its values" in w
        for w in r["warnings"]
    )


def test_values_before_a_later_label_are_not_split_when_a_rows_total_fails() -> None:
    values = distinct_values("2021") | balanced_requests("2021")
    values[("requests", "not_processed_1", "natural")] = "999"  # its total no longer holds
    got = rows(parse_label_after_values(values))
    assert got["unable_3"] == [None] * 7
    assert got["not_processed_1"] == [None] * 7


def test_a_bare_page_number_before_one_more_number_is_written_as_a_footer() -> None:
    lines = ["正文", "", "1", "", "\f正文", "", "2", "", "7", "", "\f正文", "", "3", ""]
    assert with_page_footers(lines)[6] == "- 2 -"
    assert with_page_footers(lines)[8] == "7"
    assert with_page_footers(lines)[2] == "1"  # a page's last number: its page number


def test_bare_numbers_without_a_page_sequence_stay_as_printed() -> None:
    lines = ["正文", "", "5", "", "\f正文", "", "2", "", "7", ""]
    assert with_page_footers(lines) is lines


def _appeals_values(total: str | None = None) -> dict:
    values = distinct_values("2021") | balanced_requests("2021")
    for r, first in zip(spec.APPEAL_ROWS, (1, 2, 3), strict=True):
        for c, v in zip(spec.APPEAL_COLS, (first, 0, 1, 0, first + 1), strict=True):
            values[("appeals", r, c)] = str(v)
    if total is not None:
        values[("appeals", spec.APPEAL_ROWS[-1], "total")] = total
    return values


def parse_appeals_total_at_page_end(
    values: dict, *, page_break: bool = False, word: str = "总计"
) -> dict:
    """Raw pdftotext: table 四's last 总计, header word and cell, printed after the footer of
    the page the table ends on, after the narrative below it. `page_break`: a page ends
    between the table's values and that footer. `word`: the header word printed there."""
    t = {k: _blocks(v) for k, v in table_lines("2021", values).items()}
    app = t["appeals"]
    assert app[-2] == values[("appeals", spec.APPEAL_ROWS[-1], "total")]
    moved = app[-2]
    del app[-2:]
    if page_break:
        app.append("\f")
    text = report_text("2021", values, tables=t)
    data = f"{text}\n—3—\n\n{word}\n\n{moved}\n\n\f".encode()
    return parse_source("raw.txt", data, hashlib.sha256(data).hexdigest())[1]


def appeals(r: dict) -> list:
    got = {(f["row"], f["col"]): f["value"] for f in r["facts"] if f["table"] == "appeals"}
    return [got[(row, c)] for row in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]


def printed_appeals(values: dict) -> list:
    return [int(values[("appeals", r, c)]) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]


def test_table_fours_last_total_printed_after_the_page_footer_goes_back_to_its_cell() -> None:
    values = _appeals_values()
    r = parse_appeals_total_at_page_end(values)
    assert appeals(r) == printed_appeals(values)
    assert any(w.startswith("appeals (") and "page's footer" in w for w in r["warnings"])


def test_table_fours_page_end_value_is_not_taken_from_another_page() -> None:
    values = _appeals_values()
    r = parse_appeals_total_at_page_end(values, page_break=True)
    assert appeals(r) == [None] * 15


def test_a_page_end_number_without_table_fours_header_word_is_not_its_cell() -> None:
    # a bare number after the footer may be a cell any table moved there
    r = parse_appeals_total_at_page_end(_appeals_values(), word="")
    assert appeals(r) == [None] * 15


def test_table_fours_page_end_value_that_breaks_a_total_is_never_placed() -> None:
    values = _appeals_values()
    r = parse_appeals_total_at_page_end(values | {("appeals", spec.APPEAL_ROWS[-1], "total"): "9"})
    assert appeals(r) == [None] * 15


def test_table_fours_page_end_value_two_places_would_take_leaves_the_row_empty() -> None:
    # the last group prints 0 0 0 5 and its 总计 5 moves: 5 as its 总计, or 5 in any of its
    # first three columns with the printed 5 as 总计 — its total holds every way
    values = _appeals_values()
    last = spec.APPEAL_ROWS[-1]
    for c, v in zip(spec.APPEAL_COLS, ("0", "0", "0", "5", "5"), strict=True):
        values[("appeals", last, c)] = v
    r = parse_appeals_total_at_page_end(values)
    assert appeals(r) == [None] * 15


def blocks_with_a_short_tall_row(*, form_feed: bool) -> tuple[dict, dict]:
    """Each cell a block of its own (raw pdftotext; BeautifulSoup's text of a web page):
    部分公开, its label over two lines, prints six values (its 自然人 cell blank), and
    不予公开 1 after it prints seven zeros. `form_feed`: the text ends its page (a PDF's)."""
    values = _values()
    values[("requests", "partial", "natural")] = ""
    t = {k: _blocks(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    at = req.index(PARTIAL)
    req[at : at + 1] = ["（二）部分公开（区分处理的，只计这一情", "", "形，不计其他情形）", ""]
    if form_feed:
        t["appeals"] += ["", "\f"]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("blocks.txt", data, hashlib.sha256(data).hexdigest())[1], values


def test_a_pdfs_row_of_zeros_after_a_short_tall_row_stays_empty() -> None:
    # raw pdftotext may have moved 部分公开's missing value after a later label: a moved 0
    # keeps any row of zeros' total
    r, _ = blocks_with_a_short_tall_row(form_feed=True)
    assert rows(r)["denied_1"] == [None] * 7
    assert any(w.startswith("requests.denied_1 ") and "a 0 moved in" in w for w in r["warnings"])


def test_a_web_pages_row_of_zeros_after_a_short_tall_row_is_read() -> None:
    # a web page's text shows no pages: nothing there moves a cell away from its row
    r, values = blocks_with_a_short_tall_row(form_feed=False)
    assert rows(r)["denied_1"] == [0] * 7
    assert rows(r)["denied_2"] == printed(values, "denied_2")
