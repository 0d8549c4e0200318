"""html2text's tables as real report pages give them: rows as `cell| cell` when the page stores
its cells without white space (`<td><p>151</p></td>`), and a row whose first cell is empty
opening with a pipe after an empty line (table 四 without 行政复议 figures). Every cell read where
the text keeps it; a pipe line that may continue the row above stays read as before."""

from __future__ import annotations

from etl import spec
from tests.test_sparse_tables import parse_region

APPEALS_HEADER = [
    "行政复议| 行政诉讼  ",
    "---|---  ",
    "结果维持| 结果纠正| 其他结果| 尚未审结| 总计| 未经复议直接起诉| 复议后起诉  ",
    "结果维持| 结果纠正| 其他结果| 尚未审结| 总计| 结果维持| 结果纠正| 其他结果| 尚未审结| 总计  ",
]


def appeals(r: dict) -> list:
    got = {(f["row"], f["col"]): f["value"] for f in r["facts"] if f["table"] == "appeals"}
    return [got[(row, col)] for row in spec.APPEAL_ROWS for col in spec.APPEAL_COLS]


def test_rows_of_cells_without_white_space_read_every_cell() -> None:
    r = parse_region(
        "2021",
        "appeals",
        [*APPEALS_HEADER, "25| 3| 8| 0| 36| 3| 3| 0| 0| 6| 3| 0| 0| 0| 3  "],
        "compact.md",
    )
    assert appeals(r) == [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]
    assert not [w for w in r["warnings"] if w.startswith("appeals")]


def test_a_pipe_at_the_end_of_a_compact_row_closes_an_empty_last_cell() -> None:
    r = parse_region(
        "2021",
        "active",
        [
            "信息内容| 本年制发件数| 本年废止件数| 现行有效件数  ",
            "规章| 0| 0|  ",
            "行政规范性文件| 5| 1| 40  ",
            "信息内容| 本年处理决定数量  ",
            "行政许可| 2418  ",
            "信息内容| 本年处理决定数量  ",
            "行政处罚| 644  ",
            "行政强制| 64  ",
            "信息内容| 本年收费金额（单位：万元）  ",
            "行政事业性收费| 3.5  ",
        ],
        "compact.md",
    )
    got = {(f["row"], f["col"]): f["value"] for f in r["facts"] if f["table"] == "active"}
    assert [got[("rules", c)] for c in ("issued", "repealed", "in_force")] == [0, 0, None]
    assert got[("licensing", "decisions")] == 2418
    assert got[("fees", "amount")] == 3.5


# table 四's data row with its five 行政复议 cells empty, as html2text prints a LibreOffice page:
# the first cell an empty line, the next four a pipe a line, then the values
EMPTY_FIRST_CELLS = [
    "",
    "|  ",
    "|  ",
    "|  ",
    "|  ",
    "|  0 |  2 |  0 |  0 |  2 |  0 |  0 |  1 |  0 |  1  ",
]


def test_a_row_opening_with_a_pipe_after_an_empty_line_keeps_its_empty_first_cell() -> None:
    header = [h.replace("| ", " |  ") for h in APPEALS_HEADER]
    r = parse_region("2021", "appeals", [*header, *EMPTY_FIRST_CELLS], "spaced.md")
    assert appeals(r) == [None] * 5 + [0, 2, 0, 0, 2, 0, 0, 1, 0, 1]


def test_a_row_opening_with_a_pipe_right_under_a_row_continues_it() -> None:
    """Without the empty line the pipe line may be the row above's cells after a paragraph
    break, or a row of its own: nothing places its values (14 cells for 15 columns)."""
    header = [h.replace("| ", " |  ") for h in APPEALS_HEADER]
    r = parse_region("2021", "appeals", [*header, *EMPTY_FIRST_CELLS[1:]], "spaced.md")
    assert appeals(r) == [None] * 15
    assert any(w.startswith("appeals") for w in r["warnings"])
