"""Reader of Word .docx files: body paragraphs and tables, in document order.

The body's XML is walked directly (python-docx opens and validates the package) so that
paragraphs and tables keep their order, and merged cells come out once: a cell spanning
n grid columns gives its text and n-1 empty cells; a vertically merged cell gives its
text in its first row and an empty cell in the rows below. The grid stays rectangular,
as the parser expects.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from etl.errors import RejectedInput
from etl.readers.common import check_package, clean_cell, clean_inline, row_line, text_of

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_DEL, _SDT, _SDTCONTENT = qn("w:del"), qn("w:sdt"), qn("w:sdtContent")
_VAL = qn("w:val")
_CUSTOM = qn("w:customXml")
# Text boxes are stored twice (DrawingML and a VML fallback); read the first copy only.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {_DEL, _FALLBACK}


def _paragraph_lines(p: etree._Element) -> list[str]:
    """The text of one w:p, split at its line breaks; deleted revisions are left out."""
    lines, buf = [], []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if any(True for _ in el.iterancestors(*_SKIP)):
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
    """w:p and w:tbl children in order, looking inside content controls and custom XML."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _CUSTOM:
            yield from _blocks(child)


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


def _real_columns(tbl: etree._Element) -> list[bool]:
    """Which grid columns are real: Word and LibreOffice leave slivers a few twips wide
    where column edges of different rows nearly meet; a sliver is no column of the table."""
    widths = []
    for col in tbl.iterfind(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"):
        w = col.get(qn("w:w")) or ""
        widths.append(int(float(w)) if w.replace(".", "", 1).isdigit() else None)
    known = sorted(w for w in widths if w)
    if not known:
        return [True] * len(widths)
    floor = min(60, known[len(known) // 2] * 0.2)  # 60 twips is about a millimetre
    return [w is None or w >= floor for w in widths]


def _table_rows(tbl: etree._Element) -> Iterator[list[str]]:
    real = _real_columns(tbl)

    def width(start: int, span: int) -> int:
        """Real columns among grid columns start..start+span-1 (columns past the grid count)."""
        return sum(real[i] if i < len(real) else True for i in range(start, start + span))

    for tr in tbl.iter(_TR):
        if next(tr.iterancestors(_TBL)) is not tbl:
            continue  # a row of a nested table
        pos = _skip(tr, "w:gridBefore")
        cells = [""] * width(0, pos)
        for tc in tr:
            if tc.tag == _SDT:
                content = tc.find(_SDTCONTENT)
                tcs = list(content.iter(_TC)) if content is not None else []
            else:
                tcs = [tc] if tc.tag == _TC else []
            for cell in tcs:
                span, continued = _tc_props(cell)
                text = "" if continued else _cell_text(cell)
                n = width(pos, span)
                if n or text:
                    cells.append(text)
                    cells.extend([""] * (n - 1))
                pos += span
        cells.extend([""] * width(pos, _skip(tr, "w:gridAfter")))
        yield cells


def _body(data: bytes) -> etree._Element:
    """The document body: through python-docx, or straight from the package's XML when
    python-docx refuses the content type (.docm and .dotx saved as .docx)."""
    check_package(data)
    try:
        return open_docx(io.BytesIO(data)).element.body
    except Exception as e:  # zipfile, KeyError, lxml and package errors alike
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                xml = z.read("word/document.xml")
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            body = etree.fromstring(xml, parser).find(qn("w:body"))
        except Exception:
            body = None
        if body is None:
            raise RejectedInput("not a valid Word document", "不是有效的 Word 文档") from e
        return body


def _is_layout(tbl: etree._Element) -> bool:
    """A table used for page layout: one column, or cells holding tables. Its cells are
    read as page content, not as a row of cells (the report would become one line)."""
    own_cells = [tc for tc in tbl.iter(_TC) if next(tc.iterancestors(_TBL)) is tbl]
    if any(tc.find(f".//{_TBL}") is not None for tc in own_cells):
        return True
    return all(sum(1 for c in row if c) <= 1 for row in _table_rows(tbl))


def _emit(parent: etree._Element, lines: list[str | None]) -> None:
    for block in _blocks(parent):
        if block.tag == _P:
            lines.extend(_paragraph_lines(block))
        elif _is_layout(block):
            for tc in block.iter(_TC):
                if next(tc.iterancestors(_TBL)) is block:
                    _emit(tc, lines)
        else:
            lines.extend(row_line(row) for row in _table_rows(block))


def read_docx(data: bytes) -> str:
    """Text of a .docx: one line per paragraph, one tab-separated line per table row."""
    lines: list[str | None] = []
    _emit(_body(data), lines)
    return text_of(lines)
