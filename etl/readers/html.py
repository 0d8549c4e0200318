"""Reader of web pages (.html/.htm) as government sites publish the reports.

The page is decoded here, not by the parser library: sites declare gb2312 and serve GBK
characters, so any GB declaration is decoded as GB18030. Scripts, styles, menus,
navigation and footers are dropped; the report is the element holding its title with
the most text that is not links (the menus and "related articles" lists are links).
Tables come out as rectangular grids with rowspan/colspan expanded, one line a row.
"""

from __future__ import annotations

import codecs
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from etl.errors import RejectedInput
from etl.readers.common import clean_cell, clean_inline, is_cjk, row_line, text_of

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "x-euc-cn"}
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_DROP = (
    "script, style, noscript, template, iframe, object, embed, svg, canvas, select, "
    "button, input, textarea, head, nav, footer, aside, [role=navigation]"
)
_CHROME = {
    "nav", "navbar", "menu", "menus", "topmenu", "submenu", "footer", "foot", "header",
    "topbar", "breadcrumb", "crumb", "crumbs", "position", "location",
    "sidebar", "side", "share", "copyright", "toolbar", "links", "friendlink", "related",
}  # fmt: skip
_TOKENS = re.compile(r"[A-Za-z]+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE = "年度报告"
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "header", "blockquote", "pre", "center", "form",
    "address", "figure", "figcaption", "hr", "body", "html", "caption", "tr", "td", "th",
    "tbody", "thead", "tfoot",
}  # fmt: skip
_SOFT = "\x01"  # a source line break: nothing between CJK characters, a space otherwise
_WS = re.compile(r"[ \t\r\n\f]+")


def decode_html(data: bytes) -> str:
    """Bytes → text: BOM, else the declared charset (GB read as GB18030), else UTF-8, GB18030."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace")
    tries = ["utf-8", "gb18030"]
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        declared = "gb18030" if declared in _GB else declared
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = ""
        if name in _SINGLE_BYTE:
            tries.append(name)  # decodes anything: a Chinese report so declared is mislabelled
        elif name:
            tries.insert(0, name)
    for enc in tries:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise RejectedInput(
        "web page in an unknown text encoding", "网页的文字编码无法识别（既不是 UTF-8 也不是 GBK）"
    )


def _drop_chrome(root: LexborNode) -> None:
    doomed = list(root.css(_DROP))
    for node in root.css("[class], [id], [style]"):
        attrs = node.attributes
        if _HIDDEN.search(attrs.get("style") or ""):
            doomed.append(node)
            continue
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if not _CHROME.intersection(_TOKENS.findall(names)):
            continue
        if node.css_first("table") is None and _TITLE not in node.text(deep=True):
            doomed.append(node)
    # Remove outermost nodes only: removing a parent frees its children.
    ids = {n.mem_id for n in doomed}
    outermost, seen = [], set()
    for node in doomed:
        up, inside = node.parent, False
        while up is not None and not inside:
            inside = up.mem_id in ids
            up = up.parent
        if not inside and node.mem_id not in seen:
            seen.add(node.mem_id)
            outermost.append(node)
    for node in outermost:
        node.decompose()


def _score(node: LexborNode) -> int:
    links = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
    return len(_WS.sub("", node.text(deep=True))) - 3 * links


def _report_root(body: LexborNode) -> LexborNode:
    """The element holding the report title with the most non-link text."""
    best, best_score = body, _score(body)
    for node in body.css("div, article, section, main, td, table, center, form"):
        if _TITLE not in node.text(deep=True):
            continue
        s = _score(node)
        if s > best_score:
            best, best_score = node, s
    return best


class _Lines:
    """Collects lines; inline text gathers in a buffer that a block boundary flushes."""

    def __init__(self) -> None:
        self.lines: list[str | None] = []
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            self.lines.append(_resolve("".join(self.buf)))
            self.buf = []


def _resolve(text: str) -> str:
    """Soft breaks: dropped between CJK characters, else a space; whitespace collapsed."""
    text = re.sub(f"[ {_SOFT}]*{_SOFT}[ {_SOFT}]*", _SOFT, text)
    out = []
    for i, ch in enumerate(text):
        if ch == _SOFT:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            out.append("" if before and after and (is_cjk(before) or is_cjk(after)) else " ")
        else:
            out.append(ch)
    return clean_inline("".join(out))


def _text_node(raw: str) -> str:
    return _WS.sub(lambda m: _SOFT if "\n" in m.group() else " ", raw)


_FLUSH = object()  # marks the end of a block element on the walk's stack


def _walk(node: LexborNode, out: _Lines) -> None:
    """Text of node's children into out, a line per block; a loop, not recursion, because
    Word's HTML can nest unclosed <font> and <span> tags thousands deep."""
    stack: list = list(node.iter(include_text=True))[::-1]
    while stack:
        child = stack.pop()
        if child is _FLUSH:
            out.flush()
            continue
        tag = child.tag
        if tag == "-text":
            out.buf.append(_text_node(child.text(deep=False) or ""))
        elif tag == "br":
            out.flush()
        elif tag == "table":
            out.flush()
            _table(child, out)
        elif tag in _BLOCK:
            out.flush()
            stack.append(_FLUSH)
            stack.extend(list(child.iter(include_text=True))[::-1])
        elif not tag.startswith("-"):
            stack.extend(list(child.iter(include_text=True))[::-1])


def _own(table: LexborNode, selector: str) -> list[LexborNode]:
    """Descendants matching selector whose nearest table is this one (not a nested one)."""
    found = []
    for node in table.css(selector):
        up = node.parent
        while up is not None and up.tag != "table":
            up = up.parent
        if up is not None and up.mem_id == table.mem_id:
            found.append(node)
    return found


def _span(node: LexborNode, name: str, cap: int) -> int:
    value = (node.attributes.get(name) or "1").strip()
    return min(max(int(value), 1), cap) if value.isdigit() else 1


def _table(table: LexborNode, out: _Lines) -> None:
    rows = _own(table, "tr")
    cells_of = [[c for c in tr.iter() if c.tag in ("td", "th")] for tr in rows]
    nested = any(c.css_first("table") is not None for cells in cells_of for c in cells)
    if nested or all(len(cells) <= 1 for cells in cells_of):
        for cells in cells_of:  # a layout table: its cells are page blocks
            for c in cells:
                out.flush()
                _walk(c, out)
                out.flush()
        return
    grid: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(cells_of):
        col = 0
        for cell in cells:
            while (r, col) in grid:
                col += 1
            rs, cs = _span(cell, "rowspan", 200), _span(cell, "colspan", 60)
            inner = _Lines()
            _walk(cell, inner)
            inner.flush()
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, col + dc)] = ""
            grid[(r, col)] = clean_cell(x for x in inner.lines if x)
            col += cs
    if not grid:
        return
    width = max(c for _, c in grid) + 1
    for r in range(len(rows)):
        out.lines.append(row_line([grid.get((r, c), "") for c in range(width)]))


def table_rows(fragment: str) -> str:
    """Tab rows of the tables in an HTML fragment (a Markdown file's embedded tables)."""
    tree = LexborHTMLParser(fragment)
    out = _Lines()
    for table in tree.css("table"):
        _table(table, out)
    out.flush()
    return "\n".join(x for x in out.lines if x is not None)


def read_html(data: bytes) -> str:
    """Text of the report in a web page; site chrome and scripts left out."""
    tree = LexborHTMLParser(decode_html(data))
    body = tree.body
    if body is None:
        raise RejectedInput("not a web page", "不是网页文件")
    title = tree.css_first("title")
    title_text = _WS.sub(" ", title.text(deep=True)).strip() if title is not None else ""
    _drop_chrome(body)
    out = _Lines()
    root = _report_root(body)
    if _TITLE in title_text and _TITLE not in root.text(deep=True):
        # the report's title only in <title> (with the site's name): keep it for the metadata
        out.lines.append(title_text)
    _walk(root, out)
    out.flush()
    return text_of(out.lines)
