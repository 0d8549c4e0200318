"""Reader of PDF files with a text layer (pdfplumber).

Ruled tables are found by their lines; each cell is placed on a column grid made from
the x positions of every cell edge of the table, so merged cells come out once with
empty cells beside or below them, and a table broken over pages keeps its columns.
Text outside tables is grouped into lines by position; a gap wider than about a character
starts a new cell (an unruled table row, whose cells are then put in columns found from
the rows holding numbers), and a line that runs to the right margin is joined with the
next one (a wrapped paragraph). Running headers, footers and page numbers —
lines in the top or bottom margin that repeat on most pages or look like `— 5 —` — are
dropped.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from etl.errors import RejectedInput
from etl.readers.common import (
    check_pdf_streams,
    clean_inline,
    clean_value_cell,
    is_cjk,
    join_broken,
    row_line,
    text_of,
)

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·.]*(\d{1,4}|[ivxlc]{1,6})[\s\-—–－_·.]*$"
    r"|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$|^page\s*\d+(\s*of\s*\d+)?$",
    re.I,
)
_NUMBER = re.compile(r"^[+\-−]?[\d０-９][\d０-９,，.]*\s*(元|万元|件|个|条|%)?$")
_MARGIN = 0.1  # share of the page height at the top and bottom where headers live
_CID = re.compile(r"\(cid:\d+\)")
# A line starting like this opens a new paragraph or heading, even after a full line.
_OPENS = re.compile(
    r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[章节条部分])"
)


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    cells: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class _Table:
    page: int
    top: float
    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[tuple[float, float, float, float], str]]] = field(default_factory=list)


def _is_encryption_error(e: BaseException | None) -> bool:
    """pdfplumber wraps pdfminer's errors; look through the wrapping."""
    seen = 0
    while e is not None and seen < 5:
        if isinstance(e, PDFPasswordIncorrect | PDFEncryptionError):
            return True
        inner = [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        e = inner[0] if inner else e.__cause__
        seen += 1
    return False


def _open(data: bytes) -> pdfplumber.PDF:
    if b"%PDF-" not in data[:1024]:
        raise RejectedInput("not a PDF file", "不是 PDF 文件")
    check_pdf_streams(data)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree; broken files fail here
    except Exception as e:  # pdfminer raises many kinds of errors on broken files
        if _is_encryption_error(e):
            raise RejectedInput("encrypted PDF", "PDF 已加密，无法读取") from e
        raise RejectedInput("not a valid PDF file", "不是有效的 PDF 文件") from e
    return pdf


def _page_items(page: pdfplumber.page.Page, n: int) -> list[_Line | _Table]:
    tables = []
    for t in page.find_tables():
        if max((sum(c is not None for c in row.cells) for row in t.rows), default=0) < 2:
            continue  # a frame around text, not a table: its words are read as lines
        tab = _Table(page=n, top=t.bbox[1], bbox=t.bbox)
        for row, texts in zip(t.rows, t.extract(), strict=True):
            pairs = [(b, s or "") for b, s in zip(row.cells, texts, strict=True) if b is not None]
            if pairs:
                tab.rows.append(pairs)
        tables.append(tab)

    def in_table(w: dict) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in (t.bbox for t in tables))

    words = [
        w
        for w in page.extract_words(keep_blank_chars=True, x_tolerance=2, extra_attrs=["size"])
        if not in_table(w) and w["text"].strip()
    ]
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    lines: list[_Line] = []
    group: list[dict] = []
    for w in [*words, None]:
        if group and (w is None or abs(w["top"] - group[0]["top"]) > group[0]["size"] * 0.5):
            lines.append(_line_of(group, n))
            group = []
        if w is not None:
            group.append(w)
    return sorted([*lines, *tables], key=lambda it: it.top)


def _line_of(words: list[dict], page: int) -> _Line:
    """One line of words; a gap wider than a character starts a new cell."""
    words = sorted(words, key=lambda w: w["x0"])
    size = max(w["size"] for w in words)
    cells: list[tuple[float, float, str]] = []
    for prev, w in zip([None, *words], words, strict=False):
        text = w["text"].strip()
        if prev is not None and w["x0"] - prev["x1"] <= 1.2 * size:
            x0, _, t = cells[-1]
            sep = "" if _cjk_edge(t, text) else " "  # a gap between Han characters is no space
            cells[-1] = (x0, w["x1"], f"{t}{sep}{text}")
        else:
            cells.append((w["x0"], w["x1"], text))
    return _Line(
        page=page,
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        size=size,
        text="\t".join(c[2] for c in cells),
        cells=cells,
    )


def _align_unruled(block: list[_Line]) -> list[str]:
    """Rows of a table without rules: cells placed in columns found from the data rows.

    A column is a band of x positions that the cells of rows holding numbers cover; a
    cell goes to the band under its centre, so a blank value stays an empty cell.
    """
    data = [ln for ln in block if any(_NUMBER.match(c[2]) for c in ln.cells)]
    if not data:
        return [ln.text for ln in block]
    bands: list[list[float]] = []
    for x0, x1, _ in sorted(c for ln in data for c in ln.cells):
        if bands and x0 <= bands[-1][1] + 1:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    out = []
    for ln in block:
        row = [""] * len(bands)
        for x0, x1, text in ln.cells:
            mid = (x0 + x1) / 2
            i = min(range(len(bands)), key=lambda k: max(bands[k][0] - mid, mid - bands[k][1], 0))
            row[i] = f"{row[i]} {text}".strip()
        out.append("\t".join(row))
    return out


def _drop_running(items: list[_Line | _Table], heights: list[float]) -> list[_Line | _Table]:
    """Drop page numbers and lines repeated in the top/bottom margin of most pages."""
    pages = len(heights)

    def in_margin(it: _Line) -> bool:
        h = heights[it.page]
        return it.top < h * _MARGIN or it.bottom > h * (1 - _MARGIN)

    def key(it: _Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text))

    margin = [it for it in items if isinstance(it, _Line) and in_margin(it)]
    counts = Counter(key(it) for it in {(it.page, key(it)): it for it in margin}.values())
    repeated = {k for k, c in counts.items() if pages >= 2 and c >= max(2, pages / 2)}
    return [
        it
        for it in items
        if not (
            isinstance(it, _Line)
            and in_margin(it)
            and (key(it) in repeated or _PAGE_NUMBER.match(it.text.strip()))
        )
    ]


def _same_table(a: _Table, b: _Table) -> bool:
    return (
        b.page == a.page + 1 and abs(a.bbox[0] - b.bbox[0]) < 3 and abs(a.bbox[2] - b.bbox[2]) < 3
    )


def _columns(tables: list[_Table]) -> list[float]:
    """Column edges: every cell's left x across the table's pages, near ones merged."""
    xs = sorted({round(b[0], 1) for t in tables for row in t.rows for b, _ in row})
    edges: list[float] = []
    for x in xs:
        if not edges or x - edges[-1] > 2:
            edges.append(x)
    return edges


def _table_lines(tables: list[_Table]) -> list[str | None]:
    """Rows of one table (its parts on consecutive pages) on one column grid.

    Header rows that Word repeats at the top of each page are kept once.
    """
    edges = _columns(tables)

    def col(x: float) -> int:
        return min(range(len(edges)), key=lambda i: abs(edges[i] - x))

    parts: list[list[str | None]] = []
    for t in tables:
        part: list[str | None] = []
        for row in t.rows:
            cells = [""] * len(edges)
            for bbox, text in row:
                cells[col(bbox[0])] = clean_value_cell(text.split("\n"))
            part.append(row_line(cells))
        parts.append(part)
    out = list(parts[0]) if parts else []
    for part in parts[1:]:
        k = 0
        while k < len(part) and k < len(parts[0]) - 1 and part[k] == parts[0][k]:
            k += 1
        out.extend(part[k:])
    return out


def _join_wrapped(lines: list[_Line], left: dict[int, float], right: dict[int, float]) -> list[str]:
    """Join a line that reaches the right margin with the next line (a wrapped paragraph).

    The next line is not joined when it is indented, starts a numbered heading, or is
    in another type size. Runs of lines with cells are aligned as an unruled table.
    """
    out: list[str] = []
    prev: _Line | None = None
    block: list[_Line] = []
    for ln in [*lines, None]:
        if ln is not None and len(ln.cells) > 1:
            block.append(ln)
            prev = ln
            continue
        if block:
            out.extend(_align_unruled(block))
            block = []
        if ln is None:
            break
        text = clean_inline(ln.text)
        wrapped = (
            prev is not None
            and out
            and len(prev.cells) <= 1
            and prev.x1 >= right[prev.page] - 3 * prev.size
            and ln.x0 <= left[ln.page] + 0.5 * ln.size
            and abs(ln.size - prev.size) <= 0.5
            and not _OPENS.match(text)
        )
        if wrapped:
            out[-1] = (
                join_broken([out[-1], text]) if _cjk_edge(out[-1], text) else f"{out[-1]} {text}"
            )
        else:
            out.append(text)
        prev = ln
    return out


def _cjk_edge(a: str, b: str) -> bool:
    return bool(a and b) and (is_cjk(a[-1]) or is_cjk(b[0]))


def read_pdf(data: bytes) -> str:
    """Text of a PDF: lines and tab-separated table rows in reading order."""
    pdf = _open(data)
    with pdf:
        items: list[_Line | _Table] = []
        heights: list[float] = []
        chars = images = 0
        for n, page in enumerate(pdf.pages):
            heights.append(float(page.height))
            chars += len(page.chars)
            images += len(page.images)
            items.extend(_page_items(page, n))
    if chars == 0 and images:
        raise RejectedInput("scanned PDF without a text layer", "扫描件，无文字层")
    items = _drop_running(items, heights)
    text_lines = [it for it in items if isinstance(it, _Line) and "\t" not in it.text]
    pages = range(len(heights))
    left = {p: min((ln.x0 for ln in text_lines if ln.page == p), default=0.0) for p in pages}
    right = {p: max((ln.x1 for ln in text_lines if ln.page == p), default=0.0) for p in pages}
    out: list[str | None] = []
    run: list[_Line] = []
    group: list[_Table] = []
    for it in [*items, None]:
        if isinstance(it, _Table):
            if run:
                out.extend(_join_wrapped(run, left, right))
                run = []
            if group and not _same_table(group[-1], it):
                out.extend(_table_lines(group))
                group = []
            group.append(it)
            continue
        if group:
            out.extend(_table_lines(group))
            group = []
        if it is not None:
            run.append(it)
    out.extend(_join_wrapped(run, left, right))
    text = text_of(out)
    if len(_CID.findall(text)) > len(text) / 20:
        raise RejectedInput(
            "PDF text cannot be decoded (its fonts lack a Unicode map)",
            "PDF 字体缺少编码映射，文字无法读取",
        )
    return text
