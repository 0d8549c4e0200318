"""Reader of Word .docx files: body paragraphs and tables, in document order.

The body's XML is walked directly (python-docx opens and validates the package) so that
paragraphs and tables keep their order, and merged cells come out once: a cell spanning
n grid columns gives its text and n-1 empty cells; a vertically merged cell gives its
text in its first row and an empty cell in the rows below. The grid stays rectangular,
as the parser expects.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from etl.errors import RejectedInput
from etl.read import register
from etl.readers.common import clean_cell, clean_inline, row_line, text_of

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_DEL, _SDT, _SDTCONTENT = qn("w:del"), qn("w:sdt"), qn("w:sdtContent")
_VAL = qn("w:val")


def _paragraph_lines(p: etree._Element) -> list[str]:
    """The text of one w:p, split at its line breaks; deleted revisions are left out."""
    lines, buf = [], []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if any(a.tag == _DEL for a in el.iterancestors(_DEL)):
            continue
        if el.tag == _T:
            buf.append(el.text or "")
        elif el.tag == _TAB:
            buf.append(" ")
        else:
            lines.append("".join(buf))
            buf = []
    lines.append("".join(buf))
    return [clean_inline(x) for x in lines]


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    """w:p and w:tbl children in order, looking inside content controls (w:sdt)."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                yield from _blocks(content)


def _cell_text(tc: etree._Element) -> str:
    lines: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            lines.extend(_paragraph_lines(block))
        else:  # a table nested in a cell: its text, row by row
            for row in _table_rows(block):
                lines.append(" ".join(c for c in row if c))
    return clean_cell(lines)


def _tc_props(tc: etree._Element) -> tuple[int, bool]:
    """(grid columns spanned, is a continuation of a merge above or to the left)."""
    span, continued = 1, False
    pr = tc.find(qn("w:tcPr"))
    if pr is not None:
        gs = pr.find(qn("w:gridSpan"))
        if gs is not None and (gs.get(_VAL) or "").isdigit():
            span = max(1, int(gs.get(_VAL)))
        for tag in ("w:vMerge", "w:hMerge"):
            m = pr.find(qn(tag))
            if m is not None and m.get(_VAL, "continue") != "restart":
                continued = True
    return span, continued


def _skip(tr: etree._Element, tag: str) -> int:
    el = tr.find(f"{qn('w:trPr')}/{qn(tag)}")
    val = el.get(_VAL) if el is not None else None
    return int(val) if val and val.isdigit() else 0


def _table_rows(tbl: etree._Element) -> Iterator[list[str]]:
    for tr in tbl.iter(_TR):
        if next(tr.iterancestors(_TBL)) is not tbl:
            continue  # a row of a nested table
        cells = [""] * _skip(tr, "w:gridBefore")
        for tc in tr:
            if tc.tag == _SDT:
                content = tc.find(_SDTCONTENT)
                tcs = list(content.iter(_TC)) if content is not None else []
            else:
                tcs = [tc] if tc.tag == _TC else []
            for cell in tcs:
                span, continued = _tc_props(cell)
                cells.append("" if continued else _cell_text(cell))
                cells.extend([""] * (span - 1))
        cells.extend([""] * _skip(tr, "w:gridAfter"))
        yield cells


@register(".docx")
def read_docx(data: bytes) -> str:
    """Text of a .docx: one line per paragraph, one tab-separated line per table row."""
    try:
        body = open_docx(io.BytesIO(data)).element.body
    except Exception as e:  # zipfile, KeyError, lxml and package errors alike
        raise RejectedInput("not a valid Word document", "不是有效的 Word 文档") from e
    lines: list[str | None] = []
    for block in _blocks(body):
        if block.tag == _P:
            lines.extend(_paragraph_lines(block))
        else:
            lines.extend(row_line(row) for row in _table_rows(block))
    return text_of(lines)
