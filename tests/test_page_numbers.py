"""Page numbers that a page break leaves inside a table, as extractors print them.

A footer's bare number (`1`) on a line of its own looks exactly like a value in a rendering that
prints one value a line and nothing for a blank cell (PyMuPDF, pdfplumber): the row it could
belong to is left empty with a warning, unless the row's own total proves the value. Pipe rows
(Markdown) and form feeds (pdftotext) say where a page ends: there the number is dropped.
"""

from __future__ import annotations

import hashlib

from etl import spec
from etl.parse import parse_source
from etl.tokens import with_bare_page_numbers
from tests.report_builder import distinct_values, report_text, table_lines


def parse(text: str, name: str = "page.txt") -> dict:
    data = text.encode()
    return parse_source(name, data, hashlib.sha256(data).hexdigest())[1]


def value(r: dict, table: str, row: str, col: str):
    return next(
        f["value"] for f in r["facts"] if (f["table"], f["row"], f["col"]) == (table, row, col)
    )


def one_value_a_line(lines: list[str]) -> list[str]:
    """Each tab cell on its own line, blank cells gone (PyMuPDF's page.get_text())."""
    return [cell for ln in lines for cell in ln.split("\t") if cell.strip()]


def fees_blank_then(footer: str, *, elsewhere: str = "") -> dict:
    values = distinct_values("2021")
    values[("active", "fees", "amount")] = ""
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    t["active"] += [footer]
    return parse(report_text("2021", values, tables=t) + elsewhere)


def test_bare_number_ending_a_table_after_a_blank_cell_is_not_taken_for_its_value() -> None:
    r = fees_blank_then("1")
    assert value(r, "active", "fees", "amount") is None
    assert any("active.fees" in w and "page number" in w for w in r["warnings"])


def test_bare_number_is_a_value_when_the_text_marks_its_page_numbers() -> None:
    r = fees_blank_then("1", elsewhere="\n- 3 -\n")
    assert value(r, "active", "fees", "amount") == 1


def appeals_ending_with(group: list[str]) -> dict:
    """Table 四 one value a line, its last group (复议后起诉) printed as `group`."""
    values = distinct_values("2021")
    for col, v in zip(spec.APPEAL_COLS, group, strict=True):
        values[("appeals", "litigation_after_review", col)] = v
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    return parse(report_text("2021", values, tables=t))


def test_row_total_proves_the_last_number_is_no_page_number() -> None:
    r = appeals_ending_with(["1", "0", "2", "0", "3"])
    assert value(r, "appeals", "litigation_after_review", "total") == 3


def test_last_number_that_no_total_proves_leaves_the_row_empty() -> None:
    r = appeals_ending_with(["1", "0", "2", "0", "4"])
    assert value(r, "appeals", "litigation_after_review", "total") is None
    assert any("appeals" in w and "page number" in w for w in r["warnings"])


def test_page_number_between_markdown_pipe_rows_is_dropped() -> None:
    values = distinct_values("2021")
    t = table_lines("2021", values)
    t["requests"] = ["|" + "|".join(ln.split("\t")) + "|" for ln in t["requests"]]
    i = next(k for k, ln in enumerate(t["requests"]) if "2.没有现成信息" in ln)
    t["requests"][i + 1 : i + 1] = ["", "2 ", ""]
    r = parse(report_text("2021", values, tables=t), "page.md")
    for col in spec.REQUEST_COLS:
        want = int(values[("requests", "unable_2", col)])
        assert value(r, "requests", "unable_2", col) == want


def test_page_number_before_a_form_feed_is_dropped() -> None:
    values = distinct_values("2021")
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    i = next(k for k, ln in enumerate(t["requests"]) if "2.没有现成信息" in ln)
    t["requests"][i + 8] = "\f" + t["requests"][i + 8]  # the next label opens page 3
    t["requests"][i + 8 : i + 8] = ["2"]
    r = parse(report_text("2021", values, tables=t))
    for col in spec.REQUEST_COLS:
        want = int(values[("requests", "unable_2", col)])
        assert value(r, "requests", "unable_2", col) == want


def test_page_number_after_a_moved_group_label_is_not_taken_for_a_dropped_blank() -> None:
    # raw pdftotext: 4.无正当理由大量反复申请 prints six zeros (its 总计 is blank), then the
    # group label （四）无法提供 that belongs rows above, then the footer's 2, then a 4 of a
    # later row, then the form feed. The 4 before the form feed is taken for the page number;
    # the 2 would be the row's seventh value. An earlier group's label among a row's values
    # says the extractor moved parts of the table: the row stays empty.
    values = distinct_values("2021")
    for col in spec.REQUEST_COLS:
        values[("requests", "not_processed_4", col)] = "0"
    values[("requests", "not_processed_4", "total")] = ""
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    i = req.index("4.无正当理由大量反复申请")
    req[i + 7] = "\f" + req[i + 7]  # 5.要求行政机关确认… opens page 3
    req[i + 7 : i + 7] = ["（四）无", "法提供", "2", "4"]
    r = parse(report_text("2021", values, tables=t))
    for col in spec.REQUEST_COLS:
        assert value(r, "requests", "not_processed_4", col) is None
    assert any("requests.not_processed_4" in w and "left empty" in w for w in r["warnings"])


def page_one_ends_table_two(row_values: list[str], *, footer_after_row: bool) -> dict:
    """PyMuPDF text: table 二 ends with page 1's bare number 1; table 三's row
    4.无正当理由大量反复申请 prints `row_values` (blanks vanish), then maybe page 2's number."""
    values = distinct_values("2021")
    for col, v in zip(spec.REQUEST_COLS, row_values, strict=True):
        values[("requests", "not_processed_4", col)] = v
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    t["active"] += ["1"]
    if footer_after_row:
        req = t["requests"]
        i = req.index("4.无正当理由大量反复申请")
        req.insert(i + 1 + sum(1 for v in row_values if v), "2")
    return parse(report_text("2021", values, tables=t))


def test_bare_number_of_the_next_page_inside_a_row_whose_blank_was_dropped_leaves_it_empty():
    r = page_one_ends_table_two(["0", "0", "0", "0", "0", "0", ""], footer_after_row=True)
    for col in spec.REQUEST_COLS:
        assert value(r, "requests", "not_processed_4", col) is None
    assert any("requests.not_processed_4 " in w and "page number" in w for w in r["warnings"])


def test_next_page_number_as_a_rows_last_value_is_read_when_the_row_total_proves_it() -> None:
    r = page_one_ends_table_two(["1", "0", "0", "1", "0", "0", "2"], footer_after_row=False)
    got = [value(r, "requests", "not_processed_4", c) for c in spec.REQUEST_COLS]
    assert got == [1, 0, 0, 1, 0, 0, 2]


def test_next_page_number_after_a_whole_row_is_dropped_when_only_that_keeps_its_total() -> None:
    r = page_one_ends_table_two(["1", "0", "0", "1", "0", "0", "2"], footer_after_row=True)
    got = [value(r, "requests", "not_processed_4", c) for c in spec.REQUEST_COLS]
    assert got == [1, 0, 0, 1, 0, 0, 2]
    assert any(
        w.startswith("requests.not_processed_4 ") and "is the next page's number" in w
        for w in r["warnings"]
    )


def test_a_number_after_a_whole_row_that_another_reading_explains_leaves_it_empty() -> None:
    # [2, 0, 0, 0, 0, 0, 2] + 2: without the first 2 the total holds as well
    r = page_one_ends_table_two(["2", "0", "0", "0", "0", "0", "2"], footer_after_row=True)
    assert all(value(r, "requests", "not_processed_4", c) is None for c in spec.REQUEST_COLS)
    assert any(w.startswith("requests.not_processed_4 ") for w in r["warnings"])


def spaced_rows(lines: list[str]) -> list[str]:
    """Each tab row's cells joined by one space (pdfplumber's extract_text)."""
    return [" ".join(c for c in ln.split("\t") if c.strip()) for ln in lines]


def bare_page_numbers(numbers: tuple[str, str, str]) -> dict:
    """A report as pdfplumber prints it: no form feed, each page's number bare on a line of
    its own — the second inside table 三, after 8.属于行政查询事项's row."""
    values = distinct_values("2021")
    t = {k: spaced_rows(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    at = next(i for i, ln in enumerate(req) if ln.startswith("8.属于行政查询事项")) + 1
    req.insert(at, numbers[1])
    narrative = "本年度通过政府网站公开信息共35条。\n" * 12 + numbers[0]
    text = report_text("2021", values, tables=t, narrative=narrative) + numbers[2] + "\n"
    return parse(text, "plumber.txt"), values


def test_bare_page_numbers_one_two_three_are_footers_not_values() -> None:
    r, values = bare_page_numbers(("1", "2", "3"))
    for col in spec.REQUEST_COLS:
        assert value(r, "requests", "denied_8", col) == int(values[("requests", "denied_8", col)])
    assert not any("denied_8" in w for w in r["warnings"]), r["warnings"]


def test_bare_numbers_out_of_page_order_may_be_values_and_leave_the_row_empty() -> None:
    r, _ = bare_page_numbers(("1", "5", "3"))
    assert all(value(r, "requests", "denied_8", c) is None for c in spec.REQUEST_COLS)
    assert any(w.startswith("requests.denied_8 ") for w in r["warnings"])


def test_with_bare_page_numbers_needs_the_whole_sequence_pages_apart() -> None:
    page = ["正文"] * 20
    assert with_bare_page_numbers([*page, "1", *page, "2"])[20::21] == ["- 1 -", "- 2 -"]
    for lines in (
        [*page, "1", *page, "2", *page, "7"],  # one more bare number: a value, maybe
        [*page, "1", "正文", "2"],  # two lines apart: no pages between
        [*page, "2", *page, "3"],  # the first page's number missing
        [*page, "1"],  # one page: nothing to tell it by
    ):
        assert with_bare_page_numbers(lines) == lines


def requests_with_denied_8(row: list[str]) -> dict:
    """Table 三 one value a line (PyMuPDF), 不予公开 8's values printed as `row`."""
    values = distinct_values("2021")
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    at = t["requests"].index("8.属于行政查询事项")
    t["requests"][at + 1 : at + 8] = row
    return parse(report_text("2021", values, tables=t))


def test_a_last_value_set_apart_that_breaks_its_rows_total_is_not_taken() -> None:
    # PyMuPDF: six values, the blank 总计 cell (a full-width space) on a line of its own, then
    # the page's number `2` where the page ends: seven numbers, the last set apart, and
    # 1+0+0+0+0+0 is not 2 — one of them is not the row's own
    r = requests_with_denied_8(["1", "0", "0", "0", "0", "0", "\u3000", "2"])
    assert [value(r, "requests", "denied_8", c) for c in spec.REQUEST_COLS] == [None] * 7
    assert any("requests.denied_8" in w and "page number" in w for w in r["warnings"])


def test_a_last_value_set_apart_that_keeps_its_rows_total_is_read() -> None:
    r = requests_with_denied_8(["1", "0", "0", "0", "0", "0", "\u3000", "1"])
    assert [value(r, "requests", "denied_8", c) for c in spec.REQUEST_COLS] == [1, 0, 0, 0, 0, 0, 1]
