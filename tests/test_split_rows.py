"""A table-三 row whose values an extractor printed over two lines (pdfplumber, markitdown):
the template's 总计 cell sits higher than the others, so its value lands on the label's first
line and the six applicant values on the next. Each line keeps its order; how the two
interleave is lost. The row's own total decides when exactly one reading fits it."""

from __future__ import annotations

import hashlib

from etl import spec
from etl.parse import parse_source
from tests.report_builder import balanced_requests, distinct_values, report_text, table_lines


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
