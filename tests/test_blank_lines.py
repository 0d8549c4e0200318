"""One cell a line, no tabs, an empty cell printed as an empty line (a web table copied cell by
cell; the seeds' layouts converted so). An empty line between two of a row's values is then
an empty cell, but only in a table that shows it: its full rows print their values on
consecutive lines, and no row has more cells than columns. An empty cell before a row's first
value or after its last prints like a label's empty cell does and is never guessed — unless
the whole rows of the row's group (table 三's item rows) say where its first cell stands: then
its seven cells run from there. Raw pdftotext and PyMuPDF, which print nothing for an empty
cell, never place a value by an empty line."""

from __future__ import annotations

import hashlib

import pytest

from etl import spec
from etl.parse import parse_source
from tests.report_builder import distinct_values, one_cell_per_line, report_text, table_lines

FMT = "2021"


def cell_lines(lines: list[str]) -> list[str]:
    """Tab rows as one cell a line without tabs, an empty cell as an empty line."""
    return one_cell_per_line(lines, gaps=False, tab=False)


def parse_cells(values: dict, *, layout=cell_lines) -> dict:
    tables = {k: layout(v) for k, v in table_lines(FMT, values).items()}
    data = report_text(FMT, values, tables=tables).encode()
    return parse_source("cells.txt", data, hashlib.sha256(data).hexdigest())[1]


def facts(r: dict, table: str, row: str) -> list[tuple]:
    return [(f["value"], f["raw"]) for f in r["facts"] if f["table"] == table and f["row"] == row]


def blanked(cells: list[tuple[str, str, str]]) -> dict:
    values = distinct_values(FMT, start=101)
    for cell in cells:
        values[cell] = ""
    return values


def warned(r: dict, what: str) -> bool:
    return any(w.startswith(what) for w in r["warnings"])


INNER = [
    ("requests", "new", "social"),
    ("requests", "denied_2", "commercial"),
    ("requests", "denied_2", "research"),
    ("requests", "other_3", "other"),
    ("active", "normative", "repealed"),
    ("appeals", "review", "corrected"),
    ("appeals", "litigation_after_review", "pending"),
]


def test_an_empty_line_between_two_values_is_an_empty_cell() -> None:
    values = blanked(INNER)
    r = parse_cells(values)
    assert not [w for w in r["warnings"] if "left empty" in w or "no cells" in w]
    for f in r["facts"]:
        printed = values[(f["table"], f["row"], f["col"])]
        assert (f["value"], f["raw"]) == ((int(printed), printed) if printed else (None, ""))
    lines = report_text(
        FMT, values, tables={k: cell_lines(v) for k, v in table_lines(FMT, values).items()}
    ).split("\n")
    blank = next(f for f in r["facts"] if (f["row"], f["col"]) == ("new", "social"))
    assert lines[blank["line"] - 1] == ""  # traced to the empty line that printed it


@pytest.mark.parametrize(
    ("row", "col"),
    [
        (
            "carried_out",
            spec.REQUEST_COLS[-1],
        ),  # `…`, `v`, ``: 总计, or what follows? no group says
        ("new", spec.REQUEST_COLS[0]),  # `label`, ``, ``, `v`: 一、 prints a label cell empty
        ("carried_out", spec.REQUEST_COLS[0]),
    ],
)
def test_an_empty_first_or_last_cell_stays_empty_with_a_warning(row: str, col: str) -> None:
    r = parse_cells(blanked([("requests", row, col), *INNER]))
    assert facts(r, "requests", row) == [(None, None)] * 7
    assert warned(r, f"requests.{row} ")
    assert facts(r, "requests", "denied_2")[1] == (None, "")  # the rows between still read


def test_an_empty_first_cell_of_an_item_row_is_read_where_its_groups_full_rows_say() -> None:
    # the other rows of 无法提供 print their first value right after the label: an empty line
    # there is 自然人, empty (a row of the group shares their shape)
    values = blanked([("requests", "unable_3", "natural"), *INNER])
    r = parse_cells(values)
    assert facts(r, "requests", "unable_3")[0] == (None, "")
    assert [v for v, _ in facts(r, "requests", "unable_3")[1:]] == [
        int(values[("requests", "unable_3", c)]) for c in spec.REQUEST_COLS[1:]
    ]
    assert not warned(r, "requests.unable_3 ")


def test_an_empty_first_cell_stays_empty_where_the_groups_full_rows_disagree() -> None:
    values = blanked([("requests", "unable_3", "natural"), *INNER])
    tables = {k: cell_lines(v) for k, v in table_lines(FMT, values).items()}
    req = tables["requests"]
    at = req.index("2.没有现成信息需要另行制作") + 1
    req.insert(at, "")  # 无法提供 2's label cell printed empty after it: no shape is certain
    data = report_text(FMT, values, tables=tables).encode()
    r = parse_source("shapes.txt", data, hashlib.sha256(data).hexdigest())[1]
    assert facts(r, "requests", "unable_3") == [(None, None)] * 7
    assert warned(r, "requests.unable_3 ")


def test_values_set_apart_by_empty_lines_place_no_value_by_them() -> None:
    # raw pdftotext prints every cell as a block of its own, an empty line after each: the
    # full rows are not on consecutive lines, so an empty line says nothing of a blank cell
    def apart(lines: list[str]) -> list[str]:
        return [x for cell in cell_lines(lines) for x in ((cell, "") if cell else ())]

    values = blanked(INNER)
    r = parse_cells(values, layout=apart)
    assert facts(r, "requests", "new") == [(None, None)] * 7
    assert warned(r, "requests.new ")
    for f in r["facts"]:
        if f["value"] is not None:
            assert str(f["value"]) == values[(f["table"], f["row"], f["col"])]


def test_a_page_footer_between_two_values_is_no_empty_cell() -> None:
    values = blanked(INNER)
    tables = {k: cell_lines(v) for k, v in table_lines(FMT, values).items()}
    req = tables["requests"]
    # the footer takes the place of the empty line inside 一、本年新收
    at = req.index(values[("requests", "new", "research")]) + 1
    assert req[at] == ""
    req[at : at + 1] = ["", "- 3 -", ""]
    data = report_text(FMT, values, tables=tables).encode()
    r = parse_source("footer.txt", data, hashlib.sha256(data).hexdigest())[1]
    assert facts(r, "requests", "new") == [(None, None)] * 7
    assert warned(r, "requests.new ")
    assert facts(r, "requests", "denied_2")[1] == (None, "")  # other rows still read


def test_a_table_with_fewer_than_two_full_rows_places_nothing_by_empty_lines() -> None:
    values = distinct_values(FMT, start=101)
    rows = [r for r in spec.REQUEST_ROWS[FMT] if r != "carried_in"]
    for row in rows:  # an empty 商业企业 in every row but one
        values[("requests", row, "commercial")] = ""
    r = parse_cells(values)
    assert facts(r, "requests", "new") == [(None, None)] * 7
    assert warned(r, "requests.new ")
    assert [v for v, _ in facts(r, "requests", "carried_in")] == [
        int(values[("requests", "carried_in", c)]) for c in spec.REQUEST_COLS
    ]


def test_an_empty_line_after_half_a_label_is_never_read_as_its_first_cell() -> None:
    # seed 000 prints `6.属于四类过程` / `` / values / `性信息`: the empty line is a label cell
    # of a row shaped unlike its group's, so with 总计 empty the row cannot be placed
    values = blanked([("requests", "denied_6", "total"), *INNER])
    tables = {k: cell_lines(v) for k, v in table_lines(FMT, values).items()}
    req = tables["requests"]
    at = req.index("6.属于四类过程性信息")
    req[at : at + 1] = ["6.属于四类过程", ""]
    req.insert(at + 2 + 7, "性信息")
    data = report_text(FMT, values, tables=tables).encode()
    r = parse_source("split.txt", data, hashlib.sha256(data).hexdigest())[1]
    assert facts(r, "requests", "denied_6") == [(None, None)] * 7
    assert warned(r, "requests.denied_6 ")


def test_an_empty_last_cell_of_an_item_row_is_read_where_its_groups_rows_say_where_it_ends() -> (
    None
):
    # `…`, `v`, ``, ``, ``, `4.保护第三方合法权益`: the other rows of 不予公开 print their first
    # value right after the label and stand ten lines apart, as 3 does: its seven cells run
    # from its first value, the seventh the empty line after its sixth
    values = blanked([("requests", "denied_3", "total"), *INNER])
    r = parse_cells(values)
    assert facts(r, "requests", "denied_3")[-1] == (None, "")
    assert [v for v, _ in facts(r, "requests", "denied_3")[:-1]] == [
        int(values[("requests", "denied_3", c)]) for c in spec.REQUEST_COLS[:-1]
    ]
    assert not warned(r, "requests.denied_3 ")


def test_the_last_row_of_a_group_keeps_an_empty_last_cell_empty() -> None:
    # `…`, `v`, ``, ``, `(五) 不予处理`: no row of its group after it says where its cells end
    r = parse_cells(blanked([("requests", "unable_3", "total"), *INNER]))
    assert facts(r, "requests", "unable_3") == [(None, None)] * 7
    assert warned(r, "requests.unable_3 ")


def _tables_with(values: dict, edit) -> dict:
    tables = {k: cell_lines(v) for k, v in table_lines(FMT, values).items()}
    edit(tables["requests"])
    data = report_text(FMT, values, tables=tables).encode()
    return parse_source("edited.txt", data, hashlib.sha256(data).hexdigest())[1]


def test_an_empty_last_cell_stays_empty_where_no_empty_line_prints_it() -> None:
    # the next label right after the row's sixth value (its empty 总计 and the next row's
    # empty label cells gone): the text does not print the seventh cell as it prints others
    values = blanked([("requests", "denied_3", "total"), *INNER])

    def tight(req: list[str]) -> None:
        at = req.index(values[("requests", "denied_3", "other")]) + 1
        assert req[at : at + 4] == ["", "", "", "4.保护第三方合法权益"]
        del req[at : at + 3]

    r = _tables_with(values, tight)
    assert facts(r, "requests", "denied_3") == [(None, None)] * 7
    assert warned(r, "requests.denied_3 ")


def test_a_group_whose_rows_stand_unevenly_reads_no_last_cell_by_empty_lines() -> None:
    # PyMuPDF prints nothing for an empty cell: 2 lost its empty 科研机构 (its rows no longer
    # stand ten lines apart), so the empty lines after 3's sixth value prove nothing
    values = blanked([("requests", "denied_2", "research"), ("requests", "denied_3", "total")])

    def dropped(req: list[str]) -> None:
        at = req.index(values[("requests", "denied_2", "commercial")]) + 1
        assert req[at] == ""
        del req[at]

    r = _tables_with(values, dropped)
    for row in ("denied_2", "denied_3"):  # 2 would read its values a column left
        assert facts(r, "requests", row) == [(None, None)] * 7
        assert warned(r, f"requests.{row} ")


def test_an_item_group_without_two_whole_rows_takes_the_place_the_other_groups_agree_on() -> None:
    # 无法提供 keeps one whole row; 不予公开 and 不予处理 both print an item row's first value
    # right after its label, as every item row of the template does
    blank = [
        ("requests", "unable_1", "total"),
        ("requests", "unable_2", "natural"),
        ("requests", "unable_2", "total"),
    ]
    values = blanked([*blank, *INNER])
    r = parse_cells(values)
    for row in ("unable_1", "unable_2"):
        for (value, raw), col in zip(facts(r, "requests", row), spec.REQUEST_COLS, strict=True):
            printed = values[("requests", row, col)]
            assert (value, raw) == ((int(printed), printed) if printed else (None, ""))
    assert not [w for w in r["warnings"] if w.startswith("requests.unable")]


def test_an_item_groups_own_whole_row_outweighs_the_place_the_other_groups_agree_on() -> None:
    values = blanked([("requests", "unable_1", "total"), ("requests", "unable_2", "total"), *INNER])
    tables = {k: cell_lines(v) for k, v in table_lines(FMT, values).items()}
    req = tables["requests"]
    at = req.index("3.补正后申请内容仍不明确") + 1
    req.insert(at, "")  # unable_3, the group's one whole row, after an empty label cell
    data = report_text(FMT, values, tables=tables).encode()
    r = parse_source("own.txt", data, hashlib.sha256(data).hexdigest())[1]
    for row in ("unable_1", "unable_2"):
        assert facts(r, "requests", row) == [(None, None)] * 7
        assert warned(r, f"requests.{row} ")
