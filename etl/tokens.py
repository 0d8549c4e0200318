"""Stage 4a: a table region's lines → one stream of tokens in reading order.

Whatever tool turned the report into text, a table comes out as label text and values
(numbers, not-applicable marks) in reading order; only the separators differ: tabs (Word,
web pages, the seeds), one cell per line with or without a tab (PyMuPDF, pdftotext),
runs of spaces (`pdftotext -layout`, pdfplumber), Markdown pipes (PDF→Markdown tools).
This stage keeps just what the table reader needs from that structure:

- text, with the display column it started at (for labels spread over cells or lines);
- values, each with its line and display column;
- explicit blank cells, where the rendering shows one (an empty tab or pipe cell, a lone
  tab line): they are what places a value when a row prints fewer values than columns.

Page footers (`- 3 -`), Markdown rule lines (`|---|`) and notes under a table are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from etl.normalize import BLANK, NUMBER, TEXT, UNREADABLE, classify, clean_line, is_footer, squash

_NOTE = re.compile(r"^\s*(?:注|说明|备注|附注)\s*\d*\s*[：:]")
_GAP = re.compile(r"[ \u3000\xa0]{2,}")
_UNIT = frozenset({"万元", "元", "件", "条", "个", "项", "次", "人次"})
_SPACE = re.compile(r"[ \xa0]+")
_WRAPPED_FIGURE = re.compile(r"[\d０-９,，.]+(?:[ \xa0]+[\d０-９,，.]+)+")
_PARTIAL_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})*,\d{0,2}(?!\d)")  # `1,09`: rest wrapped
_SPACED_FIGURES = re.compile(r"[\d.]\s+[+\-−]?\d")  # `1 30` is two values, never 130
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BR = re.compile(r"<br\s*/?>", re.I)
_MD_NOISE = re.compile(r"\*\*|__|^#+\s*|\\(?=[|*_#])")
_FOOTER_START = frozenset("—-－–─第0123456789Pp")
# text that is only an item number (`1.`, `（三）`): it belongs to the label after it
_ITEM_ONLY = re.compile(
    r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]{1,2}[、.．])$"
)


class Tok(NamedTuple):
    """One token: a piece of text, a value, or an explicit blank cell. The fields a line's
    text decides come first, those of where the line stands last: a token is its line's
    cached shape plus (gap, empties, line)."""

    kind: str  # TEXT, NUMBER, MARK or BLANK (from normalize)
    raw: str
    value: float | int | None
    unit: str | None
    col: int  # character column where it starts; -1 when unknown
    end: int  # character column where it ends
    spaced: bool  # the line separates its cells by runs of spaces (a layout rendering)
    merged: bool = False  # one of several values in one tab or pipe cell: columns were lost
    shift: int = 0  # Chinese characters before it on its line (display column = col + shift)
    cell: int = -1  # index of its cell in a tab or pipe row
    lone: bool = False  # the only token of its line
    gap: bool = False  # an empty line stands before this token's line
    # empty lines right before its line (-1: something else was dropped there: a page
    # footer, a form feed, a note): where one cell a line prints an empty cell as one
    empties: int = 0
    line: int = 0

    def center(self, display: bool = False) -> float:
        mid = (self.col + self.end) / 2
        if not display:
            return mid
        return mid + self.shift + wide_chars(self.raw) / 2


def tokenize(lines: list[str], first_line: int) -> list[Tok]:
    """Tokens of a table region; line numbers count from `first_line` (1-based)."""
    kept = [(first_line + i, ln) for i, ln in enumerate(lines) if not _dropped(ln)]
    text = "\n".join([ln for _, ln in kept])
    if "\f" in text or "|" in text:  # else nothing tells a page number apart
        kept = _without_page_numbers(kept)
        text = "\n".join([ln for _, ln in kept])
    body = [ln for _, ln in kept]
    indents: frozenset[int] = frozenset()
    if "|" in text and _cells_between_indents(body):
        kept, indents = _as_tabbed_cells(kept)
        body = [ln for _, ln in kept]
        text = "\n".join(body)
    cell_per_line = _one_cell_per_line(body)
    closed = "|" in text and _cells_closed_by_pipes(body)
    if "|" in text and any(_BARE_RULE.match(ln) for ln in lines):
        kept = _rows_continued(kept)
    out: list[Tok] = []
    gap = False
    empties = 0
    # lines after a dropped one (page footer, rule) or holding a page break: no empty line
    # counted across them is an empty cell
    breaks = _breaks(kept, first_line, indents) if len(kept) < len(lines) or "\f" in text else ()
    new = tuple.__new__  # Tok's own __new__ is a Python function: twice as slow
    shape_of, toks_of = _caches(cell_per_line, closed)
    for no, ln in kept:
        if breaks and no in breaks:
            empties = -1
        shape = shape_of.get(ln, _MISSING)
        if shape is _MISSING:
            shape = shape_of[ln] = _line_shape(ln, cell_per_line, closed)
        if shape is None:
            empty = not ln.strip()
            gap = gap or empty
            empties = empties + 1 if empty and empties >= 0 else -1
            continue
        key = (ln, no, gap, empties)
        toks = toks_of.get(key)
        if toks is None:
            if len(shape) == 1:
                toks = (new(Tok, shape[0] + (gap, empties, no)),)
            else:
                rest = (False, 0, no)
                toks = (new(Tok, shape[0] + (gap, empties, no)),) + tuple(
                    [new(Tok, t + rest) for t in shape[1:]]
                )
            # a tuple, not a list: the collector stops tracking a tuple of plain values
            toks_of[key] = toks
        out += toks
        gap = False
        empties = 0
    return out


# html2text's rule under a table's first row: `---|---`, no pipe before or after
_BARE_RULE = re.compile(r"^-{3,}(?:\|-{3,})+[ \t]*$")


def _rows_continued(kept: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """html2text prints a row as `cell | cell | cell`, never opening or closing it with a
    pipe, and a cell's paragraphs (a Word cell's empty paragraph too) on lines of their own:
    a line that opens with a pipe goes on the row above, whose line every cell of the row
    keeps; a row ending in a pipe ends in an empty cell (closed here, as Markdown would; a
    compact row closes its own, see _cached_line). A row whose first cell is empty prints
    that cell as an empty line after the row above and opens with a pipe (table 四's data row
    without 行政复议 figures): its first cell is kept, empty."""
    out: list[tuple[int, str]] = []
    for no, ln in kept:
        opens = ln.lstrip(" \u3000").startswith("|")
        if out and opens and "|" in out[-1][1]:
            out[-1] = (out[-1][0], out[-1][1] + " " + ln)
        elif opens and len(out) > 1 and not out[-1][1].strip() and "|" in out[-2][1]:
            out.append((no, "|" + ln.lstrip(" \u3000")))
        else:
            out.append((no, ln))
    return [
        (no, ln + " |" if ln.rstrip().endswith("|") and not _compact_row(ln.strip()) else ln)
        for no, ln in out
    ]


def _breaks(
    kept: list[tuple[int, str]], first_line: int, indents: frozenset[int] = frozenset()
) -> frozenset[int]:
    """Lines after a dropped one or holding a form feed (`indents`: dropped lines that are
    no break, a crawled page's indentation between two cells)."""
    out = set()
    last = first_line - 1
    for no, ln in kept:
        if (no != last + 1 and not indents.issuperset(range(last + 1, no))) or "\f" in ln:
            out.add(no)
        last = no
    return frozenset(out)


_LONE_BLANK = ((BLANK, "", None, None, -1, -1, False, False, 0, -1),)
_MISSING = object()
_CACHES: dict[tuple[bool, bool], tuple[dict, dict]] = {}


def _caches(cell_per_line: bool, closed: bool) -> tuple[dict, dict]:
    """For one way of reading lines: the shape of each line text, and the tokens of each
    line where it stands (its text, number, and the empty lines before it). Reports of one
    template print the same lines, most of them at the same place in their tables (labels,
    headers, rows of zeros): their tokens are made once. Emptied when they grow large."""
    shapes, toks = _CACHES.setdefault((cell_per_line, closed), ({}, {}))
    if len(shapes) > 65536:
        shapes.clear()
    if len(toks) > 32768:
        toks.clear()
    return shapes, toks


def _line_shape(ln: str, cell_per_line: bool, closed: bool = False) -> tuple[tuple, ...] | None:
    """The tokens of one line without where it stands (None for a line without any), as
    (kind, raw, value, unit, col, end, spaced, merged, shift, cell, lone): a Tok's fields
    but its line's gap, empties and number."""
    if closed and not ln.strip(" |\t\u3000"):
        return None  # `||`: empty cells or a row's end, nothing tells which (see below)
    if cell_per_line and ln.startswith("\t") and "\t" not in ln[1:]:
        cell = ln[1:]
        shape = (_cached_cell(cell) or None) if cell.strip() else _LONE_BLANK
    else:
        shape = _cached_line(ln) or None
    if shape is None:
        return None
    lone = (len(shape) == 1,)
    return tuple([t + lone for t in shape])


_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def _without_page_numbers(kept: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a bare page number that a page break left inside a table: the last line before
    a form feed (pdftotext), or a number on a line of its own among Markdown pipe rows
    (PDF→Markdown converters print every cell inside pipes)."""
    if not any("\f" in ln or "|" in ln for _, ln in kept):
        return kept  # neither form feeds nor pipe rows: nothing tells a page number apart
    drop: set[int] = set()
    body = [(k, ln) for k, (_, ln) in enumerate(kept) if ln.strip(" \t\u3000")]
    piped = sum(1 for _, ln in body if ln.lstrip().startswith("|") and ln.count("|") >= 2)
    markdown = piped >= 0.5 * len(body) if body else False
    for j, (k, ln) in enumerate(body):
        if not _BARE_NUMBER.match(ln.replace("\f", "")):
            continue
        prev = body[j - 1][1].lstrip() if j else ""
        nxt = body[j + 1][1] if j + 1 < len(body) else ""
        between_pipes = prev.startswith("|") and (not nxt or nxt.lstrip().startswith("|"))
        # a page number stands apart, empty lines around it; a value spilled out of a
        # pipe row stands right against it
        apart = _empty(kept, k - 1) and _empty(kept, k + 1)
        if nxt.startswith("\f") or "\f" in ln or (markdown and between_pipes and apart):
            drop.add(k)
    if not drop:
        return kept
    return [x for k, x in enumerate(kept) if k not in drop]


def with_page_footers(lines: list[str]) -> list[str]:
    """The lines, with a bare page number that pdftotext printed before one more bare
    number at a page's end written as a footer (`- 2 -`): the page number is known from the
    pages' sequence (each page's last number less its place, the same on most pages), so
    the number after it is a value moved to the page's end (see PageEnd), and the
    page number is no value of the row before it."""
    ends: list[list[tuple[int, int]]] = [[]]  # each page's last two non-empty lines, if bare
    for i, ln in enumerate(lines):
        if "\f" in ln:
            ends.append([])
            ln = ln.replace("\f", "")
        if ln.strip():
            bare = _BARE_NUMBER.match(ln)
            ends[-1] = [*ends[-1][-1:], (i + 1, int(ln) if bare else -1)]
    votes: dict[int, int] = {}
    for page, last in enumerate(ends):
        for _, value in last:
            if value >= 0:
                votes[value - page] = votes.get(value - page, 0) + 1
    ranked = sorted(votes.values(), reverse=True)
    if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[1] == ranked[0]):
        return lines
    offset = max(votes, key=votes.__getitem__)
    out = lines
    for page, last in enumerate(ends):
        if len(last) == 2 and last[0][1] == page + offset and last[1][1] not in (-1, page + offset):
            out = out if out is not lines else list(lines)
            out[last[0][0] - 1] = f"- {page + offset} -"
    return out


def with_bare_page_numbers(lines: list[str]) -> list[str]:
    """The lines, with the pages' numbers written as footers (`- 2 -`) when a text without
    form feeds (pdfplumber joins its pages so) prints each page's number bare on a line of
    its own: when the lines holding nothing but a number are exactly 1, 2, … m (m ≥ 2), in
    order and pages apart. Else a bare number may be a value wrapped onto a line of its own."""
    if "1" not in lines:  # the first page's number, as the extractors print it (most texts)
        return lines
    bare = [
        (i, ln.strip()) for i, ln in enumerate(lines) if len(ln) <= 8 and ln.strip().isdecimal()
    ]
    if len(bare) < 2 or any(
        int(b[1]) != k + 1 or (k and b[0] - bare[k - 1][0] < _PAGE_LINES)
        for k, b in enumerate(bare)
    ):
        return lines
    out = list(lines)
    for i, number in bare:
        out[i] = f"- {int(number)} -"
    return out


_PAGE_LINES = 15  # a page of a report holds more lines than this


class PageEnd(NamedTuple):
    """A bare number pdftotext printed after a page's footer, right before the form feed: a
    cell it moved out of its row to the end of the page (a cell drawn above its row's other
    cells: 部分公开's 总计, its label over two lines; table 四's last 总计, with the header
    word above it). The footer already numbered the page, so the number is a value;
    `tokenize` drops it with the page numbers, and only a row that lacks exactly one value
    may take it back (moved_cells.stray_reading, moved_cells.appeals_page_end)."""

    start: int  # the line where its page starts (1-based, as `value.line`)
    end: int  # the line holding the form feed after it
    value: Tok
    under_total: bool  # the header word 总计 stands between the footer and the number


def page_end_values(lines: Sequence[str]) -> tuple[PageEnd, ...]:
    """Every page's number after its footer (see PageEnd), the lines counted from 1."""
    out = []
    start = 1
    for i, ln in enumerate(lines):
        if "\f" not in ln:
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        k = j - 1
        while k >= 0 and (not lines[k].strip() or lines[k].strip() == "总计"):
            k -= 1
        if (
            k >= 0
            and "\f" not in lines[j]
            and _BARE_NUMBER.match(lines[j])
            and is_footer(lines[k].strip(" \t\u3000|"))
        ):
            cell = classify(lines[j], j + 1)
            tok = Tok(
                cell.kind, cell.raw, cell.value, cell.unit, -1, -1, False, lone=True, line=j + 1
            )
            under_total = any(lines[x].strip() == "总计" for x in range(k + 1, j))
            out.append(PageEnd(start, i + 1, tok, under_total))
        start = i + 1
    return tuple(out)


def _empty(kept: list[tuple[int, str]], k: int) -> bool:
    return (0 <= k < len(kept) and not kept[k][1].strip(" \t\u3000")) or k >= len(kept)


@lru_cache(maxsize=32768)
def _dropped(line: str) -> bool:
    """A page footer (`- 3 -`, `P. 7`) or a Markdown rule line (`|---|---|`)."""
    ln = clean_line(line).rstrip("\r\n")
    head = ln.lstrip(" \u3000|")[:1]
    if head in _FOOTER_START and is_footer(ln.strip(" |")):
        return True
    return bool(_MD_RULE.match(ln)) and "-" in ln


# a form feed, or a short line that may be a page footer (confirmed by is_footer)
_PAGE_EDGE = re.compile(r"\f|^[ \t\u3000|]*(?:[—\-－–─第Pp]|\d{1,3}[^\S\n]*/)[^\n]{0,24}$", re.M)


def page_starts(lines: Sequence[str], first_line: int) -> tuple[int, ...]:
    """Line numbers (counted from `first_line`) where a new page begins inside a table
    region: a line holding a form feed (pdftotext), or the line after a page footer
    (`- 3 -`, `—2—`). A character column says something on its own page only: pdftotext
    -layout lays every page out anew."""
    text = "\n".join(lines)
    out: set[int] = set()
    no, last = first_line, 0
    for m in _PAGE_EDGE.finditer(text):
        no += text.count("\n", last, m.start())
        last = m.start()
        if m.group() == "\f":
            out.add(no)
        elif is_footer(m.group().strip(" \t\u3000|")):
            out.add(no + 1)
    return tuple(sorted(out))


_CLOSED_CELL = re.compile(r"^[ \t\u3000]*([^|\s](?:[^|]*[^|\s])?)[ \t\u3000]*\|[ \t]*$")
_PIPE_ONLY = re.compile(r"^[ \t\u3000]*\|[ \t]*$")
_PIPES_ONLY = re.compile(r"^[ \t\u3000]*\|{2,}[ \t]*$")


def _cells_between_indents(lines: list[str]) -> bool:
    """A web page's table as a crawler keeps the page's source: each row opens with a line
    `| `, each cell is a line of its own closed by its pipe (`       31  | `; an empty cell
    `         | `), a line of spaces only (the source's indentation) between two cells, a
    line of pipes (`    |||`) where a merged cell left columns out. Every cell prints, the
    empty ones too: most cell lines follow a line of spaces or a row's opening pipe."""
    cells = spaced = after_indent = 0
    prev = ""
    for ln in lines:
        if _closed_cell(ln) or (_PIPE_ONLY.match(ln) and prev and not prev.strip()):
            cells += 1
            after_indent += bool(prev) and (not prev.strip() or bool(_PIPE_ONLY.match(prev)))
        elif ln and not ln.strip():
            spaced += 1
        prev = ln
    return cells >= 8 and spaced >= cells / 2 and after_indent >= 0.8 * cells


def _as_tabbed_cells(
    kept: list[tuple[int, str]],
) -> tuple[list[tuple[int, str]], frozenset[int]]:
    """`_cells_between_indents`'s lines as one cell a line behind a tab, rows apart by an
    empty line (seeds 001/002, which the reader knows), and the lines of spaces left out: a
    cell `  31  | ` → `\t31`; a pipe alone → `\t`, an empty cell, where the cell's
    indentation stands before it; at the line's start it opens a row → an empty line; a line
    of pipes (a merged cell's columns) → an empty line."""
    out = []
    indents = set()
    for no, ln in kept:
        if m := _CLOSED_CELL.match(ln):
            ln = "\t" + m.group(1)
        elif _PIPE_ONLY.match(ln):
            ln = "" if ln.startswith("|") else "\t"
        elif _PIPES_ONLY.match(ln):
            ln = ""
        elif ln and not ln.strip():
            indents.add(no)
            continue
        out.append((no, ln))
    return out, frozenset(indents)


def _cells_closed_by_pipes(lines: list[str]) -> bool:
    """Most lines are one cell closed by a pipe (`31 |`): a web page's table as a crawler
    stores it with the page's line breaks kept. Its lines of pipes alone (`|`, `||`) close
    empty cells or end a row, and nothing tells which: they place no blank cell. (A blank
    line: white space without a tab, as _one_cell_per_line counts them.)"""
    body = [ln for ln in lines if "\t" in ln or ln.strip()]
    return bool(body) and sum(map(_closed_cell, body)) / len(body) >= 0.5


def _one_cell_per_line(lines: list[str]) -> bool:
    """Most non-blank lines start with a tab and hold no other tab (seeds 001, 002). Asked
    of every table region: counted in one loop without a call a line."""
    single = body = 0
    for ln in lines:
        if "\t" in ln:
            body += 1
            if ln[0] == "\t" and "\t" not in ln[1:]:
                single += 1
        elif ln.strip():
            body += 1
    return body > 0 and single / body >= 0.6


def _closed_cell(ln: str) -> bool:
    """`31 |`: some text and one pipe after it, only spaces or tabs after the pipe."""
    return _CLOSED_CELL.match(ln) is not None


def _compact_row(stripped: str) -> bool:
    """html2text's row of cells without white space inside them (`<td><p>151</p></td>`):
    `行政许可| 2418`, `规章| 0| 0|` — a pipe right after each cell's text, never at the line's
    start (html2text prints no outer pipes), so a pipe at its end closes an empty cell."""
    return "| " in stripped and " |" not in stripped and stripped[0] != "|"


@lru_cache(maxsize=32768)
def _cached_line(line: str) -> tuple[tuple, ...]:
    """Tokens of one line without its number: table lines repeat across reports."""
    line = clean_line(line).rstrip("\r\n")
    stripped = line.strip()
    if not stripped:
        return ()
    if stripped.count("|") >= 2 and (stripped[0] == "|" or " | " in stripped):
        return _row_cells(_pipe_cells(stripped))
    if _compact_row(stripped):
        return _row_cells(_pipe_cells(stripped + " " if stripped[-1] == "|" else stripped))
    if stripped[-1] == "|" and stripped.count("|") == 1:
        # `0 |`: a web page's cell closed by its pipe, the page's line breaks kept (a lone
        # `|` gives no token: an empty cell or the end of a row, nothing tells which)
        return _cached_line(stripped[:-1])
    if "\t" in line:
        return _row_cells(line.split("\t"))
    if _NOTE.match(line):
        return ()
    out: list[tuple] = []
    spaced = bool(_GAP.search(stripped))
    for start, piece in _with_units(line, _pieces(line)):
        out.extend(_cell_tokens(piece, start, start + width(piece), spaced, explicit=False))
    if spaced and not line.isascii():
        # where an editor that draws Chinese two columns wide would put each token
        return tuple((*t[:7], False, wide_chars(line[: t[4]]), -1) for t in out)
    return tuple(_full(t) for t in out)


def _row_cells(cells: list[str]) -> tuple[tuple, ...]:
    """Tokens of a tab or pipe row, each with the index of its cell (a header grid)."""
    return tuple([t + (i,) for i, c in enumerate(cells) for t in _explicit_cell(c)])


@lru_cache(maxsize=32768)
def _explicit_cell(cell: str) -> tuple[tuple, ...]:
    """Tokens of one tab or pipe cell without its index: `0`, `1`, `/` repeat endlessly."""
    return tuple(_full(t)[:9] for t in _cell_tokens(cell, -1, -1, False, explicit=True))


def _full(t: tuple) -> tuple:
    """(kind, raw, value, unit, col, end, spaced, merged, shift, cell)."""
    if len(t) == 10:
        return t
    if len(t) == 9:
        return (*t, -1)
    return (*t[:7], bool(t[7]) if len(t) > 7 else False, 0, -1)


def wide_chars(s: str) -> int:
    """Characters an editor draws two columns wide (Chinese, full-width digits)."""
    return sum(1 for ch in s if unicodedata.east_asian_width(ch) in "WF")


@lru_cache(maxsize=32768)
def _cached_cell(text: str) -> tuple[tuple, ...]:
    """Tokens of a line that is one cell (a tab before it): spaces inside never split it."""
    return tuple(_full(t) for t in _cell_tokens(clean_line(text), -1, -1, False, explicit=True))


def _pipe_cells(line: str) -> list[str]:
    inner = line[1:] if line.startswith("|") else line
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = _item_numbers_to_labels(re.split(r"(?<!\\)\|", inner))
    return [_MD_NOISE.sub("", _BR.sub(" ", c)) for c in cells]


_CELL_ENDS_IN_ITEM = re.compile(r"(?:^|\s|<br\s*/?>)(\d{1,2})\s*$", re.I)
_CELL_OPENS_LABEL = re.compile(r"^\s*[.．、]\s*[^\d\s]")


def _item_numbers_to_labels(cells: list[str]) -> list[str]:
    """`（三）不<br>1|.属于国家秘密`: a layout model cut a label after its item number; the
    number goes back to its label (else it reads as a value)."""
    for i in range(len(cells) - 1):
        m = _CELL_ENDS_IN_ITEM.search(cells[i])
        if m and _CELL_OPENS_LABEL.match(cells[i + 1]):
            cells[i], cells[i + 1] = cells[i][: m.start(1)], m.group(1) + cells[i + 1].lstrip()
    return cells


def _pieces(line: str) -> list[tuple[int, str]]:
    """Pieces of a line cut at runs of two or more spaces, with their display columns."""
    out = []
    pos = 0
    col = 0
    for m in _GAP.finditer(line):
        piece = line[pos : m.start()]
        if piece.strip():
            out.append((col + width(piece) - width(piece.lstrip()), piece.strip()))
        col += width(line[pos : m.end()])
        pos = m.end()
    piece = line[pos:]
    if piece.strip():
        out.append((col + width(piece) - width(piece.lstrip()), piece.strip()))
    return out


def _with_units(line: str, pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """`24.49  万元`: a unit set apart from its number by spaces stays with it (as printed)."""
    out: list[tuple[int, str]] = []
    for start, piece in pieces:
        if out and piece in _UNIT and classify(out[-1][1], 0).kind == NUMBER:
            first = out[-1][0]
            out[-1] = (first, line[first : start + len(piece)])
            continue
        out.append((start, piece))
    return out


def width(s: str) -> int:
    """Columns a piece takes: one a character, as layout extractors print them
    (`pdftotext -layout` places a Chinese character in one column, like a digit)."""
    return len(s)


def _cell_tokens(cell: str, col: int, end: int, spaced: bool, *, explicit: bool) -> list[tuple]:
    """Tokens of one cell or space-free piece: a value, text, or values beside text.

    Single spaces split a piece only where values stand (`予以公开 0 0 1`, `0 0 4.保护…`);
    a space inside a word (`结 果 维 持`) keeps the text whole, and so does a sentence with
    a figure inside (`截至 2022 年底`).
    """
    text = cell.strip(" \t\u3000\xa0")
    if not text:
        return [(BLANK, "", None, None, col, end, spaced)] if explicit else []
    whole = classify(text, 0)
    split = " " in text or "\xa0" in text
    if not split or (whole.kind != TEXT and not _SPACED_FIGURES.search(text)):
        return [_tok(whole, col, end, spaced)]
    if _PARTIAL_THOUSANDS.match(text) and _WRAPPED_FIGURE.fullmatch(text):
        # `1,09 2`: a number wrapped in a narrow cell (`1,09` alone is no number)
        joined = classify(text.replace(" ", "").replace("\xa0", ""), 0)
        if joined.kind == NUMBER:
            return [(NUMBER, text, joined.value, joined.unit, col, end, spaced)]
    parts = _SPACE.split(text)
    for i in range(len(parts) - 1, 0, -1):  # `234.75 万元`: a unit after its number
        if parts[i] in _UNIT and classify(parts[i - 1], 0).kind == NUMBER:
            parts[i - 1 : i + 1] = [parts[i - 1] + " " + parts[i]]
    kinds = [UNREADABLE if _GARBLED.fullmatch(p) else classify(p, 0).kind for p in parts]
    if all(k == TEXT for k in kinds):
        return [_tok(whole, col, end, spaced)]
    for i in range(1, len(parts)):
        if kinds[i] == TEXT and kinds[i - 1] != TEXT and not _LABEL_START.match(parts[i]):
            return [_tok(whole, col, end, spaced)]  # a sentence with a figure inside
    out = []
    i = 0
    offset = col
    merged = explicit and sum(k != TEXT for k in kinds) > 1
    while i < len(parts):
        j = i + 1
        if kinds[i] == TEXT:
            while j < len(parts) and kinds[j] == TEXT:
                j += 1
        piece = " ".join(parts[i:j])
        w = width(piece)
        tok = _tok(classify(piece, 0), offset, offset + w if offset >= 0 else -1, spaced)
        out.append((*tok, merged and kinds[i] != TEXT) if merged else tok)
        if offset >= 0:
            offset += w + 1
        i = j
    return out


_LABEL_START = re.compile(
    r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]{1,2}[、.．])"
)


_GARBLED = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9]{1,3}")


def _tok(cell, col: int, end: int, spaced: bool) -> tuple:
    kind = cell.kind
    if kind == TEXT and (
        _GARBLED.fullmatch(cell.raw) or _PARTIAL_THOUSANDS.fullmatch(squash(cell.raw))
    ):
        kind = UNREADABLE  # never read as a figure, never taken for a label
    return (kind, cell.raw, cell.value, cell.unit, col, end, spaced)


def is_item_number(text: str) -> bool:
    """`1.`, `（三）`, `二、` alone: a label's number printed in a cell of its own."""
    return bool(_ITEM_ONLY.match(text.strip()))
