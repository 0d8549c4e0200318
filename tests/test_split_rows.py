"""A table-三 row whose values an extractor printed over two lines (pdfplumber, markitdown):
the template's 总计 cell sits higher than the others, so its value lands on the label's first
line and the six applicant values on the next. Each line keeps its order; how the two
interleave is lost. The row's own total decides when exactly one reading fits it."""

from __future__ import annotations

import hashlib

from etl import spec
from etl.parse import parse_source
from tests.report_builder import (
    REQUEST_HEADER,
    REQUEST_LABELS,
    balanced_requests,
    distinct_values,
    report_text,
    table_lines,
)


def parse_with_partial(first: str, second: str) -> dict:
    """The report in pdfplumber's layout (cells apart by one space), 部分公开 printed as
    `label-start first` / `second` / `label-end`."""
    values = distinct_values("2021") | balanced_requests("2021")
    t = {
        k: [" ".join(c for c in ln.split("\t") if c) for ln in v]
        for k, v in table_lines("2021", values).items()
    }
    i = next(k for k, ln in enumerate(t["requests"]) if "部分公开" in ln)
    t["requests"][i : i + 1] = [
        f"年度办 （二）部分公开（区分处理的，只计这一情 {first}",
        second,
        "理结果 形，不计其他情形）",
    ]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("split.txt", data, hashlib.sha256(data).hexdigest())[1]


def partial(r: dict) -> list:
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == "partial"}
    return [got[c] for c in spec.REQUEST_COLS]


def test_the_one_reading_whose_total_fits_is_taken() -> None:
    r = parse_with_partial("5", "2 3 0 0 0 0")
    assert partial(r) == [2, 3, 0, 0, 0, 0, 5]
    assert any("requests.partial" in w and "one column order" in w for w in r["warnings"])


def test_two_readings_that_fit_leave_the_row_empty() -> None:
    r = parse_with_partial("2", "0 0 0 0 0 2")  # 总计 2 first, or 其他 2 with 总计 2 last
    assert partial(r) == [None] * 7
    assert any("requests.partial" in w and "left empty" in w for w in r["warnings"])


def test_a_row_whose_total_no_reading_fits_stays_empty() -> None:
    r = parse_with_partial("9", "2 3 0 0 0 0")  # the report's own sum is off: never repaired
    assert partial(r) == [None] * 7


# --- rows printed with fewer values than columns, and what places them ---------------------


def _editor_aligned(rows: list[list[str]]) -> list[str]:
    """Rows padded with spaces as an editor draws them (a Chinese character two columns wide),
    three spaces between columns; an empty string is a blank cell."""

    def w(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    widths = [max(w(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    return [
        "   ".join(c + " " * (widths[i] - w(c)) for i, c in enumerate(r)).rstrip() for r in rows
    ]


def parse_2019_active(rows: list[list[str]]) -> dict:
    values = distinct_values("2019") | balanced_requests("2019")
    t = table_lines("2019", values)
    t["active"] = _editor_aligned(rows)
    data = report_text("2019", values, tables=t).encode()
    return parse_source("aligned.txt", data, hashlib.sha256(data).hexdigest())[1]


def active(r: dict, row: str) -> list:
    got = {f["col"]: f["value"] for f in r["facts"] if f["table"] == "active" and f["row"] == row}
    return [got[c] for c in spec.ACTIVE_COLS["2019"][row]]


def test_a_two_column_row_is_never_placed_under_a_three_column_row_that_printed_two_values():
    # seed 002 relaid space-aligned: 行政强制 prints two of its three values, at the columns
    # of 本年增/减 and 处理决定数量; 行政事业性收费 prints only 本年增/减, 政府集中采购 only
    # 采购总金额 — under the second column. Read against 行政强制's two values they would
    # land in the first column; the block's own header places them.
    r = parse_2019_active(
        [
            ["第二十条第（一）项"],
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "31", "32", "33"],
            ["规范性文件", "34", "35", "36"],
            ["第二十条第（五）项"],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "41", "/", "43"],
            ["其他对外管理服务事项", "/", "45", "/"],
            ["第二十条第（六）项"],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "51", "52", "53"],
            ["行政强制", "", "55", "56"],
            ["第二十条第（八）项"],
            ["信息内容", "上一年项目数量", "本年增/减"],
            ["行政事业性收费", "", "62"],
            ["第二十条第（九）项"],
            ["信息内容", "采购项目数量", "采购总金额"],
            ["政府集中采购", "", "72"],
        ]
    )
    assert active(r, "coercion") == [None, 55, 56]
    assert active(r, "fees") == [None, 62]
    assert active(r, "procurement") == [None, 72]


def one_value_a_line(lines: list[str]) -> list[str]:
    """Each tab cell on its own line, blank cells gone (raw pdftotext, PyMuPDF)."""
    return [cell for ln in lines for cell in ln.split("\t") if cell.strip()]


def test_values_of_a_moved_block_never_fill_a_row_whose_blank_was_dropped() -> None:
    # raw pdftotext: 3.补正后申请内容仍不明确 prints six zeros (its 商业企业 cell is blank), then
    # four zeros of 1.信访举报投诉类申请 that pdftotext moved up before （五）不予处理. Eleven
    # values for seven columns, all alike: dropping "the extra ones" would read the blank as 0.
    values = distinct_values("2021") | balanced_requests("2021")
    for col in spec.REQUEST_COLS:
        values[("requests", "unable_3", col)] = "0"
        values[("requests", "not_processed_1", col)] = "0"
    values[("requests", "unable_3", "commercial")] = ""
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    i = req.index("1.信访举报投诉类申请")
    moved = req[i + 4 : i + 8]
    del req[i + 4 : i + 8]
    j = req.index("3.补正后申请内容仍不明确")
    req[j + 7 : j + 7] = moved
    data = report_text("2021", values, tables=t).encode()
    r = parse_source("raw.txt", data, hashlib.sha256(data).hexdigest())[1]
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == "unable_3"}
    assert list(got.values()) == [None] * 7
    assert any("requests.unable_3" in w and "left empty" in w for w in r["warnings"])


def _blocks(lines: list[str]) -> list[str]:
    """Each tab cell a block of its own with an empty line after it, blank cells gone (raw
    pdftotext)."""
    return [x for ln in lines for cell in ln.split("\t") if cell.strip() for x in (cell, "")]


def test_a_zero_moved_from_a_tall_row_never_fills_a_later_rows_dropped_blank() -> None:
    # raw pdftotext: （二）部分公开's label runs over two lines and its 总计 stands a line above
    # its other cells; pdftotext prints that 0 among 3.危及“三安全一稳定”'s, whose 商业企业 is
    # blank. Seven zeros after 3's label, and seven zeros keep any total: read as its own, the
    # blank would be stored as 0.
    values = distinct_values("2021") | balanced_requests("2021")
    for row in ("partial", "denied_1", "denied_2", "denied_3"):
        for col in spec.REQUEST_COLS:
            values[("requests", row, col)] = "0"
    values[("requests", "denied_3", "commercial")] = ""
    t = {k: _blocks(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    at = req.index("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    req[at : at + 1] = ["（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）"]
    assert req[at + 2 : at + 17] == ["", "0"] * 7 + [""]
    del req[at + 15 : at + 17]  # its 总计 …
    j = req.index("3.危及“三安全一稳定”")
    req[j + 2 : j + 2] = ["0", ""]  # … among 3's cells
    t["appeals"] += ["", "\f"]  # pdftotext ends every page with a form feed
    data = report_text("2021", values, tables=t).encode()
    r = parse_source("raw.txt", data, hashlib.sha256(data).hexdigest())[1]
    rows = {f["row"]: [] for f in r["facts"]}
    for f in r["facts"]:
        if f["table"] == "requests":
            rows[f["row"]].append(f["value"])
    for row in ("denied_1", "denied_2", "denied_3"):  # any of them may hold that 0
        assert rows[row] == [None] * 7
        assert any(w.startswith(f"requests.{row} ") for w in r["warnings"])
    # before 部分公开, no value of it can stand: read
    assert rows["granted"] == [int(values[("requests", "granted", c)]) for c in spec.REQUEST_COLS]


def test_empty_pipe_cells_place_nothing_where_other_rows_run_two_values_into_one_cell() -> None:
    # markitdown: every row of table 三 prints its 其他 and 总计 values in one cell (`0 3`), so
    # the pipe cells are not the columns. 3.危及“三安全一稳定” has a blank 其他: its six values
    # fill six cells after an empty one, which says nothing about where the blank stood.
    values = distinct_values("2021") | balanced_requests("2021")
    values[("requests", "denied_3", "other")] = ""
    rows = [
        "|  |  | 申请人情况 |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 总计 |"
    ]
    rows.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in spec.REQUEST_ROWS["2021"]:
        label = "".join(REQUEST_LABELS[row])
        v = [values[("requests", row, c)] for c in spec.REQUEST_COLS]
        last = " ".join(x for x in v[5:] if x)
        rows.append(f"|  |  | {label} |  | {' | '.join(v[:5])} | {last} |")
    t = table_lines("2021", values)
    t["requests"] = rows
    data = report_text("2021", values, tables=t).encode()
    r = parse_source("markitdown.md", data, hashlib.sha256(data).hexdigest())[1]
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == "denied_3"}
    assert list(got.values()) == [None] * 7
    assert any("requests.denied_3" in w and "left empty" in w for w in r["warnings"])


def test_a_number_wrapped_in_its_cell_beside_a_blank_leaves_the_other_rows_cells_as_columns():
    # pdfplumber's table cells (our PDF reader): 予以公开's 总计 118 wrapped in its narrow cell
    # (`1 18`) beside the row's blank cell is one number, not two columns run together; the
    # tab cells still are the columns, so 3.危及“三安全一稳定” is read by its empty cell.
    values = distinct_values("2021") | balanced_requests("2021")
    values[("requests", "granted", "legal")] = ""
    values[("requests", "granted", "total")] = "1 18"
    values[("requests", "denied_3", "other")] = ""
    t = table_lines("2021", values)
    data = report_text("2021", values, tables=t).encode()
    r = parse_source("cells.txt", data, hashlib.sha256(data).hexdigest())[1]
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == "denied_3"}
    want = [values[("requests", "denied_3", c)] for c in spec.REQUEST_COLS]
    assert [str(v) if v is not None else "" for v in got.values()] == want


def test_empty_cells_both_sides_of_a_row_are_placed_by_the_full_rows_of_a_regular_grid() -> None:
    # A Word or PDF table read cell by cell: every row of table 三 has ten cells (the merged
    # label cells print empty), the full rows hold their values in cells 3..9.
    # `一、…⇥⇥⇥2⇥1⇥0⇥0⇥1⇥1⇥` fits seven columns two ways by its empty cells alone (总计 blank,
    # or 自然人 blank); the full rows as wide as it say cells 3..9: 总计 is the blank.
    values = distinct_values("2021") | balanced_requests("2021")
    for col, v in zip(spec.REQUEST_COLS, ["2", "1", "0", "0", "1", "1", ""], strict=True):
        values[("requests", "new", col)] = v
    t = table_lines("2021", values)
    t["requests"] = REQUEST_HEADER + [
        "\t".join(
            (REQUEST_LABELS[row] + ["", ""])[:3]
            + [values[("requests", row, c)] for c in spec.REQUEST_COLS]
        )
        for row in spec.REQUEST_ROWS["2021"]
    ]
    data = report_text("2021", values, tables=t).encode()
    r = parse_source("cells.txt", data, hashlib.sha256(data).hexdigest())[1]
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == "new"}
    assert list(got.values()) == [2, 1, 0, 0, 1, 1, None]


def parse_sparse_grid(header: list[str]) -> tuple[dict, dict]:
    """Table 三 read cell by cell from an HTML or Word table whose every row leaves a cell
    empty (a small agency's few applications): ten cells a row, the three label cells first,
    the outcome rows without their 总计, so `label ⇥ ⇥ v1…v6 ⇥` fits seven columns two ways
    and no full row says which. Returns the parse and the printed values."""
    values = distinct_values("2021") | balanced_requests("2021")
    for row in spec.REQUEST_ROWS["2021"]:
        blank = ("research",) if row in ("new", "total", "carried_in") else ("total",)
        for col in blank:
            values[("requests", row, col)] = ""
    t = table_lines("2021", values)
    t["requests"] = header + [
        "\t".join(
            (REQUEST_LABELS[row] + ["", ""])[:3]
            + [values[("requests", row, c)] for c in spec.REQUEST_COLS]
        )
        for row in spec.REQUEST_ROWS["2021"]
    ]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("grid.html.txt", data, hashlib.sha256(data).hexdigest())[1], values


# the column names in the cells the values stand in (an HTML table with its spans expanded)
ALIGNED_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况"
    + "\t" * 6,
    "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
    "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
]


def test_a_sparse_grid_places_its_rows_under_the_header_column_names() -> None:
    r, values = parse_sparse_grid(ALIGNED_HEADER)
    got = {(f["row"], f["col"]): f["value"] for f in r["facts"] if f["table"] == "requests"}
    for row in spec.REQUEST_ROWS["2021"]:
        want = [values[("requests", row, c)] for c in spec.REQUEST_COLS]
        assert [got[(row, c)] for c in spec.REQUEST_COLS] == [int(v) if v else None for v in want]
    assert not [w for w in r["warnings"] if w.startswith("requests")]


def test_a_header_row_a_cell_off_its_columns_places_no_ambiguous_row() -> None:
    # REQUEST_HEADER prints 自然人 … 总计 one cell left of the values (seed 000, converters'
    # Markdown): the rows that print their first and last value disagree with it, so the
    # outcome rows stay empty, with a warning, never shifted a column
    r, values = parse_sparse_grid(REQUEST_HEADER)
    got = {(f["row"], f["col"]): f["value"] for f in r["facts"] if f["table"] == "requests"}
    assert all(got[("granted", c)] is None for c in spec.REQUEST_COLS)
    assert any("requests.granted" in w and "2 ways" in w for w in r["warnings"])
    new = [values[("requests", "new", c)] for c in spec.REQUEST_COLS]
    assert [got[("new", c)] for c in spec.REQUEST_COLS] == [int(v) if v else None for v in new]


def parse_pipes_with_wrapped(natural: str, total: str) -> dict:
    """pymupdf4llm's Markdown: table 三 in pipe rows, 予以公开's 自然人 and 总计 printed as
    `natural` and `total` (a number wrapped in its narrow cell: `１<br>０<br>６`)."""
    values = distinct_values("2021") | balanced_requests("2021")
    values[("requests", "granted", "natural")] = natural
    values[("requests", "granted", "total")] = total
    t = table_lines("2021", values)
    t["requests"] = ["|" + "|".join(ln.split("\t")) + "|" for ln in t["requests"]]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("page.md", data, hashlib.sha256(data).hexdigest())[1]


def granted(r: dict) -> list:
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == "granted"}
    return [got[c] for c in spec.REQUEST_COLS]


def test_numbers_wrapped_in_their_pipe_cells_are_read_whole_when_the_row_total_proves_it():
    values = balanced_requests("2021")
    others = [int(values[("requests", "granted", c)]) for c in spec.REQUEST_COLS[1:6]]
    natural = 106
    total = natural + sum(others)
    r = parse_pipes_with_wrapped("１<br>０<br>６", "<br>".join(str(total)))
    assert granted(r) == [natural, *others, total]
    assert any("requests.granted" in w and "wrapped" in w for w in r["warnings"])


def test_numbers_wrapped_in_their_pipe_cells_whose_total_does_not_hold_stay_empty():
    r = parse_pipes_with_wrapped("１<br>０<br>６", "9<br>99")
    assert granted(r) == [None] * 7


_LAYOUT_HEAD = [
    "                                               申请人情况",
    "                                              法人或其他组织",
    "（本列数据的勾稽关系为：第一项加第二项之和，等",
    "                             自然      商业   科研    社会    法律",
    "于第三项加第四项之和）                                                     总计",
    "                                 人              公益    服务   其他",
    "                                     企业   机构    组织    机构",
    "一、本年新收政府信息公开申请数量             7       2    0     0    1     1    11",
    "二、上年结转政府信息公开申请数量             1       0    0     0    0     0    1",
    "三、本 （一）予以公开                  3       0    0     0    0     0    3",
]


_PARTIAL_LABEL = "年度办 （二）部分公开（区分处理的，只计这一情"


def parse_layout_partial(total: str, six: str, apart: bool = False) -> dict:
    """pdftotext -layout: 部分公开's 总计 right under 予以公开's 总计 (`3` / `4`: a number
    wrapped over two lines looks the same), on the label's first line, its six applicant
    values on the next line; `apart`: the 总计 on a line of its own above the label."""
    values = distinct_values("2021") | balanced_requests("2021")
    t = table_lines("2021", values)
    at_total = " " * 64 + total  # in 予以公开's 总计's character column
    lines = [at_total, _PARTIAL_LABEL] if apart else [_PARTIAL_LABEL + at_total[23:]]
    t["requests"] = [
        *_LAYOUT_HEAD,
        *lines,
        f"                             {six}",
        "理结果 形，不计其他情形）",
        "          1.属于国家秘密           0       0    0     0    0     0    0",
    ]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("layout.txt", data, hashlib.sha256(data).hexdigest())[1]


def test_a_total_under_another_rows_total_is_read_in_column_order_when_the_row_sum_holds():
    # by the sum alone two orders fit (the 1 as 自然人 or as 总计); the columns say 总计
    r = parse_layout_partial("1", "0       0    0     0    0     1")
    assert partial(r) == [0, 0, 0, 0, 0, 1, 1]


def test_a_total_on_the_line_where_its_rows_label_starts_is_that_rows_even_if_the_sum_fails():
    # the 2 stands under 予以公开's 3 as the lower piece of a wrapped 32 would, but on the line
    # where 部分公开's label starts: inside that row's band, below every cell of the row above
    # (a report whose sum is off is stored as printed and flagged)
    r = parse_layout_partial("2", "0       0    0     0    0     1")
    assert partial(r) == [0, 0, 0, 0, 0, 1, 2]
    assert row_values(r, "granted") == [3, 0, 0, 0, 0, 0, 3]
    assert any("requests.partial" in w and "character columns" in w for w in r["warnings"])


def test_a_total_on_a_line_of_its_own_under_another_rows_total_is_never_placed():
    # on a line of its own it may be the lower piece of 予以公开's 32 or 部分公开's 总计
    for total in ("1", "2"):
        r = parse_layout_partial(total, "0       0    0     0    0     1", apart=True)
        assert partial(r)[-1] is None
        assert partial(r)[:6] in ([0, 0, 0, 0, 0, 1], [None] * 6)
        assert row_values(r, "granted") in ([3, 0, 0, 0, 0, 0, 3], [None] * 7)  # never 31, 32
        # the row's empty cells are named: all of them, or the total only
        note = (
            "requests: no cells read for rows"
            if partial(r)[0] is None
            else "requests: empty cells (printed blank, or a value not placed) in rows"
        )
        assert any(w.startswith(note) and "partial" in w for w in r["warnings"])


def parse_granted_pieces(pieces: list[str]) -> dict:
    """PyMuPDF text, one value a line: 予以公开's values printed as `pieces` (numbers wrapped
    in narrow cells come a digit or two a line: 106 as `１`, `０`, `６`)."""
    values = distinct_values("2021") | balanced_requests("2021")
    t = {k: one_value_a_line(v) for k, v in table_lines("2021", values).items()}
    req = t["requests"]
    i = req.index("（一）予以公开")
    req[i + 1 : i + 8] = pieces
    data = report_text("2021", values, tables=t).encode()
    return parse_source("pymupdf.txt", data, hashlib.sha256(data).hexdigest())[1]


def test_numbers_wrapped_a_piece_a_line_are_joined_when_one_reading_fits_the_row_total():
    r = parse_granted_pieces(["１", "０", "６", "9", "１", "３", "2", "2", "１", "２", "３"])
    assert granted(r) == [106, 9, 1, 3, 2, 2, 123]
    assert any("requests.granted" in w and "one reading" in w for w in r["warnings"])


def test_numbers_wrapped_a_piece_a_line_that_two_readings_fit_stay_empty():
    # 1 0 6 91 3 22 | 123 fits the total as well as 106 9 1 3 2 2 | 123
    r = parse_granted_pieces(["１", "０", "６", "９", "１", "３", "２", "２", "１", "２", "３"])
    assert granted(r) == [None] * 7


def test_narrow_digits_one_a_line_are_never_joined_into_a_number():
    # raw pdftotext: `2 0 0 0 0 0 2`, then (after a page footer) `22` of another row:
    # 20 0 0 0 0 2 | 22 alone would fit the total; narrow digits do not wrap a piece a line
    r = parse_granted_pieces(["2", "0", "0", "0", "0", "0", "2", "22"])
    assert granted(r) == [None] * 7


def test_item_number_cut_from_its_label_into_the_cell_before_is_no_value() -> None:
    # pymupdf4llm's Markdown: `||（三）不<br>1|.属于国家秘密|4|0|…` — the layout model cut the
    # label after its item number, which would otherwise read as the row's first value
    values = distinct_values("2021") | balanced_requests("2021")
    rows = []
    for row in spec.REQUEST_ROWS["2021"]:
        group, label = (REQUEST_LABELS[row] + [""])[1:3]
        if row.startswith("denied_"):
            num, rest = label.split(".", 1)
            cells = ["", f"{group}<br>{num}" if group else num, f".{rest}"]
        else:
            cells = ["", "", "".join(REQUEST_LABELS[row])]
        cells += [values[("requests", row, c)] for c in spec.REQUEST_COLS]
        rows.append("|" + "|".join(cells) + "|")
    t = table_lines("2021", values)
    t["requests"] = rows
    data = report_text("2021", values, tables=t).encode()
    r = parse_source("page.md", data, hashlib.sha256(data).hexdigest())[1]
    for row in spec.REQUEST_ROWS["2021"]:
        got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == row}
        assert [got[c] for c in spec.REQUEST_COLS] == [
            int(values[("requests", row, c)]) for c in spec.REQUEST_COLS
        ], row


def test_a_thousands_figure_wrapped_after_its_comma_one_piece_a_line_is_joined():
    # PyMuPDF: 1,092 in a narrow cell prints `1,09` / `2` (`1,09` alone is no number)
    r = parse_granted_pieces(["1,09", "2", "99", "9", "42", "55", "135", "1,43", "2"])
    assert granted(r) == [1092, 99, 9, 42, 55, 135, 1432]


# pdftotext -layout, a row whose label wraps over three lines (其他处理 2.): its 总计 on the
# label's first line, the six applicant values on the third, the first glued to the label's
# text because the label's wide characters pushed it left of its column.
_GRID = (45, 53, 62, 71, 80, 89, 98)


def _at(prefix: str, values: list[str], grid: tuple[int, ...] = _GRID) -> str:
    """`prefix`, then each value starting at its grid column ('' prints nothing there)."""
    line = prefix
    for col, v in zip(grid, values, strict=True):
        if v:
            line = line.ljust(col) + v
    return line


def parse_layout_other_2(
    six: list[str], total: str, other_3: list[str], above=_GRID, new_page: bool = False
) -> dict:
    """其他处理 2. as pdftotext -layout prints it (see above); `above`: the columns of the two
    rows printed before 5.; `new_page`: a page begins (a form feed) after them."""
    values = distinct_values("2021") | balanced_requests("2021")
    t = table_lines("2021", values)
    zeros = ["0"] * 7
    t["requests"] = [
        *_LAYOUT_HEAD[:7],
        _at("              3.要求提供公开出版物", zeros, above),
        _at(
            "     予处理      4.无正当理由大量反复申请", ["1", "0", "0", "0", "0", "0", "1"], above
        ),
        ("\f" if new_page else "")
        + _at("              5.要求行政机关确认或重新出具已 0", ["", *zeros[1:]]),
        "              获取信息",
        "",
        _at("              1.申请人无正当理由逾期不补正、", ["", "", "", "", "", "", "0"]),
        _at("              行政机关不再处理其政府信息公开 0", ["", *zeros[1:6], ""]),
        "              申请",
        "     （六）其",
        _at("              2.申请人逾期未按收费通知要求缴", ["", "", "", "", "", "", total]),
        "     他处理",
        _at(f"              纳费用、行政机关不再处理其政府 {six[0]}", ["", *six[1:], ""]),
        "              信息公开申请",
        _at("              3.其他", other_3),
        _at("     （七）总计", ["4", "1", "0", "0", "2", "0", "7"]),
        _at("四、结转下年度继续办理", zeros),
    ]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("layout.txt", data, hashlib.sha256(data).hexdigest())[1]


def row_values(r: dict, row: str) -> list:
    got = {f["col"]: f["value"] for f in r["facts"] if f["row"] == row}
    return [got[c] for c in spec.REQUEST_COLS]


def test_a_wrapped_rows_values_are_read_by_the_character_columns_of_the_full_rows():
    # 3 0 0 0 5 0 | 2: the report's own sum is off, so no total decides the order; the
    # columns do: the glued 3 is left of the second column, and the first is the only one free
    r = parse_layout_other_2(["3", "0", "0", "0", "5", "0"], "2", ["0"] * 7)
    assert row_values(r, "other_2") == [3, 0, 0, 0, 5, 0, 2]
    assert row_values(r, "other_3") == [0] * 7
    assert any("requests.other_2" in w and "character columns" in w for w in r["warnings"])


def test_a_value_above_a_row_whose_total_fails_may_be_a_piece_of_its_number_and_stays_empty():
    # 3.其他 sums to 0 but prints 4: the 5 two lines above its 0 may be the top of a wrapped 50
    r = parse_layout_other_2(["3", "0", "0", "0", "5", "0"], "2", ["0"] * 6 + ["4"])
    assert row_values(r, "other_2") == [None] * 7
    assert any("requests.other_2" in w and "left empty" in w for w in r["warnings"])


def test_a_wrapped_row_stays_empty_unless_the_full_rows_above_and_below_both_place_it():
    shifted = tuple(c + 3 for c in _GRID)  # the rows above stand in other columns
    r = parse_layout_other_2(["3", "0", "0", "0", "5", "0"], "2", ["0"] * 7, above=shifted)
    assert row_values(r, "other_2") == [None] * 7


def test_full_rows_of_the_page_before_laid_out_in_other_columns_do_not_decide_a_rows_columns():
    # pdftotext -layout lays every page out anew: the rows before the form feed stand in
    # other columns, and say nothing against the columns of the row's own page
    shifted = tuple(c + 3 for c in _GRID)
    six = ["3", "0", "0", "0", "5", "0"]
    r = parse_layout_other_2(six, "2", ["0"] * 7, above=shifted, new_page=True)
    assert row_values(r, "other_2") == [3, 0, 0, 0, 5, 0, 2]


def test_a_wrapped_row_with_two_values_glued_or_out_of_columns_stays_empty():
    r = parse_layout_other_2(["3", "0", "0", "0", "5", "0"], "2", ["0"] * 7)
    assert row_values(r, "other_2") == [3, 0, 0, 0, 5, 0, 2]  # the control
    r = parse_layout_other_2(["3 4", "0", "0", "0", "5", ""], "2", ["0"] * 7)
    assert row_values(r, "other_2") == [None] * 7


# pdftotext -layout, numbers wrapped in their narrow cells: wide digits a piece a line, the
# upper pieces a line above the row's label (where the walk gives them to the row above), the
# lower ones a line below; a column's pieces join top to bottom, a cell filling each line first.
def parse_layout_wrapped(rows: list[str]) -> dict:
    values = distinct_values("2021") | balanced_requests("2021")
    t = table_lines("2021", values)
    t["requests"] = [*_LAYOUT_HEAD[:7], *rows]
    data = report_text("2021", values, tables=t).encode()
    return parse_source("layout.txt", data, hashlib.sha256(data).hexdigest())[1]


def _wrapped_granted(total_top: str, total_bottom: str, first: str = "259") -> list[str]:
    return [
        _at("一、本年新收政府信息公开申请数量", [first, "22", "３", "11", "13", "１０", "318"]),
        _at("二、上年结转政府信息公开申请数量", ["6", "２", "0", "0", "１", "１", "１０"]),
        _at("三、本", ["１ ０", "", "", "", "", "", total_top]),
        _at("      （一）予以公开", ["", "9", "１", "３", "2", "2", ""]),
        _at("年度办", ["６", "", "", "", "", "", total_bottom]),
        _at("理结果 （二）部分公开（区分处理的，只计这一情", ["3", "0", "0", "0", "0", "0", "3"]),
        "      形，不计其他情形）",
        _at("          1.属于国家秘密", ["5", "0", "0", "0", "0", "0", "5"]),
    ]


def test_numbers_wrapped_around_the_label_line_are_joined_in_their_columns_by_the_row_total():
    r = parse_layout_wrapped(_wrapped_granted("１ ２", "３"))
    assert row_values(r, "granted") == [106, 9, 1, 3, 2, 2, 123]
    assert row_values(r, "carried_in") == [6, 2, 0, 0, 1, 1, 10]  # the upper pieces are not its
    assert any("requests.granted" in w and "wrapped" in w for w in r["warnings"])


def test_wrapped_numbers_whose_row_total_fails_leave_that_row_and_the_row_above_empty():
    # 106 … | 124: no reading fits, so nothing says whose the pieces under 上年结转 are
    r = parse_layout_wrapped(_wrapped_granted("１ ２", "４"))
    assert row_values(r, "granted") == [None] * 7
    assert row_values(r, "carried_in") == [None] * 7
    assert row_values(r, "new") == [259, 22, 3, 11, 13, 10, 318]


def test_a_wrapped_piece_between_two_columns_goes_where_its_cell_fills_each_line_first():
    # `２ ２` / `１`: the second ２ stands between 自然人 and 商业企业 (the full rows print one
    # digit there); 21 + 257 fits the total as well as 221 + 57, but a cell wrapping 257 would
    # print `２５` / `７`, never `２` / `５７`
    rows = [
        _at("一、本年新收政府信息公开申请数量", ["4", "1", "0", "0", "0", "1", "6"]),
        _at("二、上年结转政府信息公开申请数量", ["6", "2", "0", "0", "1", "1", "１０"]),
        _at("三、本", ["２ ２", "", "", "", "", "", "３ ３"]),
        _at("      （一）予以公开", ["", "５７", "１", "9", "31", "１５", ""]),
        _at("年度办", ["１", "", "", "", "", "", "４"]),
        _at("理结果 （二）部分公开（区分处理的，只计这一情", ["3", "0", "0", "0", "0", "0", "3"]),
    ]
    r = parse_layout_wrapped(rows)
    assert row_values(r, "granted") == [221, 57, 1, 9, 31, 15, 334]


# pymupdf4llm, 2019 table 二: the layout model runs two columns into one pipe cell under a
# header merged the same way, and leaves an empty cell beside it.
_ACTIVE_2019_PIPES = """|第二十条第（一）项|
|---|

|信息内容||本年新制作数量|本年新公开数量<br>对外公开总数量|
|---|---|---|---|
|规章|0||0<br>34|
|规范性文件|1||１<br>１５|
|第二十条第（五）项||||
|信息内容||上一年项目数量|本年增/减<br>处理决定数量|
|行政许可|0||0<br>0|
|其他对外管理服务事项|3||+6<br>1654|
|第二十条第（六）项||||
|信息内容||上一年项目数量|本年增/减<br>处理决定数量|
|行政处罚|12||无<br>无|
|行政强制|40||-1<br>2,242|
|第二十条第（八）项||||
|信息内容||上一年项目数量|本年增/减|
|行政事业性收费|2|0|
|第二十条第（九）项|||
|信息内容|采购项目数量|采购总金额|
|政府集中采购|13|9.5|"""


def test_two_columns_run_into_one_pipe_cell_are_read_when_no_two_values_can_be_one_number():
    values = distinct_values("2019") | balanced_requests("2019")
    t = table_lines("2019", values)
    t["active"] = _ACTIVE_2019_PIPES.split("\n")
    data = report_text("2019", values, tables=t).encode()
    r = parse_source("page.md", data, hashlib.sha256(data).hexdigest())[1]

    def got(row: str) -> list:
        cells = {f["col"]: f["value"] for f in r["facts"] if f["row"] == row}
        return [cells[c] for c in spec.ACTIVE_COLS["2019"][row]]

    assert got("rules") == [0, 0, 34]  # `0<br>34`: no number starts with 0
    assert got("licensing") == [0, 0, 0]
    assert got("penalty") == [12, None, None]  # marks are no pieces of a number
    # `１<br>１５` may be 115 wrapped in its cell, `+6<br>1654` +61654, `-1<br>2,242` -12,242:
    # then a column is blank, and the cells do not say which
    for row in ("normative", "other_services", "coercion"):
        assert got(row) == [None] * 3, row
        assert any(f"active.{row}" in w and "left empty" in w for w in r["warnings"])


def _wrapped_above_a_blank(carried_in: list[str]) -> list[str]:
    """予以公开 wraps its 自然人 and 总计 cells (`１ ０`/`６`, `１ ２`/`３`) and leaves 法律服务机构
    blank, so its total cannot prove whose the upper pieces under 上年结转's line are."""
    return [
        _at("一、本年新收政府信息公开申请数量", ["259", "22", "３", "11", "13", "１０", "318"]),
        _at("二、上年结转政府信息公开申请数量", carried_in),
        _at("三、本", ["１ ０", "", "", "", "", "", "１ ２"]),
        _at("      （一）予以公开", ["", "9", "１", "３", "", "2", ""]),
        _at("年度办", ["６", "", "", "", "", "", "３"]),
        _at("理结果 （二）部分公开（区分处理的，只计这一情", ["3", "0", "0", "0", "0", "0", "3"]),
    ]


def test_pieces_under_a_full_row_that_cannot_continue_its_numbers_leave_its_line_readable():
    # `4` / `１ ０` and `8` / `１ ２`: a cell wrapping a number fills its first line first
    r = parse_layout_wrapped(_wrapped_above_a_blank(["4", "２", "0", "0", "1", "1", "8"]))
    assert row_values(r, "carried_in") == [4, 2, 0, 0, 1, 1, 8]
    assert row_values(r, "granted") == [None] * 7


def test_pieces_under_a_full_row_that_may_continue_its_number_leave_the_row_empty():
    # `１０` / `１ ２` may be 1012 wrapped in 上年结转's 总计 cell
    r = parse_layout_wrapped(_wrapped_above_a_blank(["6", "２", "0", "0", "1", "1", "１０"]))
    assert row_values(r, "carried_in") == [None] * 7
