"""Build .docx, .pdf and .html twins of the seed reports at test time.

A seed's three statistical tables become real tables: rows as the seed prints them,
with header cells merged across the empty cells to their right and label cells merged
down over the empty cells below them, as in the national template (申请人情况 across
the applicant columns, 三、本年度办理结果 down its twenty rows). A merge only ever covers
empty cells, so a reader that keeps the grid must give back the seed's rows exactly.
Long CJK labels are broken over two lines inside their cell, which a reader must join.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "reports"

# Headings that open the three tables' sections, and the one after the last table.
_TABLE_HEADINGS = (
    re.compile(r"^\s*[二2][、.]\s*主动公开政府信息情况\s*$"),
    re.compile(r"^\s*[三3][、.]\s*收到和处理政府信息公开申请情况\s*$"),
    re.compile(r"^\s*[四4][、.]\s*政府信息公开行政复议"),
)
_AFTER_TABLES = re.compile(r"^\s*[五5][、.]")
_NUMBER = re.compile(r"^[+\-]?[\d,，.]+\s*(元|万元)?$")
_SPACES = re.compile(r"[\s\u00a0\u3000]+")


@dataclass
class Table:
    """A rectangular grid of cell texts and the merged areas (r0, c0, r1, c1), inclusive."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def covered(self) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        """Every cell inside a merge (the origin included) → its merge."""
        out = {}
        for m in self.merges:
            r0, c0, r1, c1 = m
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    out[(r, c)] = m
        return out


Block = str | Table


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _cell_rows(lines: list[str]) -> list[list[str]]:
    """Rows of one table region, from tab-separated rows or one-cell-per-line blocks."""
    body = [ln for ln in lines if ln.strip()]
    one_per_line = sum(ln.startswith("\t") and ln.count("\t") == 1 for ln in body) > len(body) / 2
    if not one_per_line:
        return [[_clean(c) for c in ln.split("\t")] for ln in body]
    rows: list[list[str]] = []
    cells: list[str] = []
    for ln in [*lines, ""]:
        if not ln.strip() and not ln.startswith("\t"):
            if cells:
                rows.append(cells)
            cells = []
        elif ln.startswith("\t"):
            cells.append(ln.strip())
        elif cells:
            cells[-1] += ln.strip()
        else:
            cells.append(ln.strip())
    rows = [[_clean(c) for c in row] for row in rows if any(row)]
    width = max(len(r) for r in rows)
    # Right-align data rows, as in the template: the label cells stay left, values end
    # at the last column.
    for row in rows:
        first = next((i for i, c in enumerate(row) if _NUMBER.match(c)), None)
        if first is not None:
            row[first:first] = [""] * (width - len(row))
    return rows


def _infer_merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merge header cells rightwards and label cells downwards, over empty cells only."""
    data = [any(_NUMBER.match(c) for c in row) for row in rows]
    width = len(rows[0])
    label_cols = [
        c for c in range(width) if not any(_NUMBER.match(row[c]) for row in rows if row[c])
    ]
    merges, used = [], set()
    for r, row in enumerate(rows):
        if data[r]:
            continue
        c = 0
        while c < width:
            end = c
            while row[c] and end + 1 < width and not row[end + 1]:
                end += 1
            if end > c:
                merges.append((r, c, r, end))
                used.update((r, k) for k in range(c, end + 1))
            c = end + 1
    for c in label_cols:
        for r in range(len(rows)):
            if not (data[r] and rows[r][c]) or (r, c) in used:
                continue
            end = r
            while (
                end + 1 < len(rows)
                and data[end + 1]
                and not any(rows[end + 1][: c + 1])
                and (end + 1, c) not in used
            ):
                end += 1
            if end > r:
                merges.append((r, c, end, c))
                used.update((k, c) for k in range(r, end + 1))
    return merges


def seed_blocks(text: str) -> list[Block]:
    """The seed's paragraphs (strings) and its three statistical tables (Table)."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts: list[int] = []
    for pat in _TABLE_HEADINGS:
        begin = starts[-1] + 1 if starts else 0
        starts.append(next(i for i in range(begin, len(lines)) if pat.match(lines[i])))
    end = next(i for i in range(starts[-1] + 1, len(lines)) if _AFTER_TABLES.match(lines[i]))
    bounds = [*starts[1:], end]
    blocks: list[Block] = [_clean(ln) for ln in lines[: starts[0]] if ln.strip()]
    for start, stop in zip(starts, bounds, strict=True):
        blocks.append(_clean(lines[start]))
        rows = [r for r in _cell_rows(lines[start + 1 : stop]) if any(r)]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        blocks.append(Table(rows, _infer_merges(rows)))
    blocks.extend(_clean(ln) for ln in lines[end:] if ln.strip())
    return blocks


def expected_lines(blocks: list[Block]) -> list[str]:
    """The text a grid-keeping reader must give for these blocks, line by line."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Table):
            out.extend("\t".join(row) for row in b.rows)
        else:
            out.append(b)
    return out


def split_label(text: str) -> list[str]:
    """A long CJK label broken in two where both sides are CJK, as Word wraps a cell."""
    if len(text) < 8 or " " in text:
        return [text]
    mid = len(text) // 2
    for k in sorted(range(2, len(text) - 1), key=lambda k: abs(k - mid)):
        if _is_han(text[k - 1]) and _is_han(text[k]):
            return [text[:k], text[k:]]
    return [text]


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def seed_text(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


# --- .docx ------------------------------------------------------------------------------


def build_docx(blocks: list[Block]) -> bytes:
    """A Word document: paragraphs, real tables with merged cells, a page header."""
    from docx import Document

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "页眉文字不属于正文"
    doc.add_paragraph("")  # an empty paragraph, as Word files have
    for b in blocks:
        if isinstance(b, str):
            doc.add_paragraph(b)
            continue
        table = doc.add_table(rows=len(b.rows), cols=b.width)
        table.style = "Table Grid"
        flat = table._cells  # one walk of the grid; table.cell() walks it on every call
        grid = [flat[r * b.width : (r + 1) * b.width] for r in range(len(b.rows))]
        for r, row in enumerate(b.rows):
            for c, text in enumerate(row):
                parts = split_label(text)
                grid[r][c].paragraphs[0].text = parts[0]
                for part in parts[1:]:
                    grid[r][c].add_paragraph(part)
        for r0, c0, r1, c1 in b.merges:
            grid[r0][c0].merge(grid[r1][c1])
        doc.add_paragraph("")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- .html ------------------------------------------------------------------------------

_CHROME_TOP = """<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 年度报告</div>
"""
_CHROME_SIDE = """<div class="sidebar"><h3>相关报告</h3><ul>
<li><a href="/a/1.html">固原市2019年政府信息公开工作年度报告</a></li>
<li><a href="/a/2.html">宁夏回族自治区2019年政府信息公开工作年度报告</a></li></ul></div>
"""
_CHROME_FOOT = """<div id="footer"><p>主办单位：某某人民政府办公室　版权所有</p>
<p>网站标识码：6404000001　宁ICP备00000000号　联系人：朱镕</p></div>"""
SCRIPT_MARK = "SCRIPT-TEXT-MUST-NOT-APPEAR"
CHROME_MARKS = ("首页", "版权所有", "相关报告", "网站标识码", SCRIPT_MARK, "color:red")


def _html_inline(text: str) -> str:
    """A label as Word's HTML export prints it: split over spans, source line breaks inside."""
    parts = split_label(text)
    if len(parts) == 1:
        return html.escape(text) if text else "<o:p>&nbsp;</o:p>"
    a, b = parts
    k = len(a) // 2 or 1
    return (
        f'<span lang="ZH-CN">{html.escape(a[:k])}</span><span\nstyle="font-family:宋体">'
        f"{html.escape(a[k:])}</span><br>\n      <span>{html.escape(b)}</span>"
    )


def _html_table(t: Table) -> str:
    covered = t.covered()
    out = ['<table class="MsoTableGrid" border="1" cellspacing="0">']
    for r, row in enumerate(t.rows):
        out.append("<tr>")
        for c, text in enumerate(row):
            m = covered.get((r, c))
            if m and (m[0], m[1]) != (r, c):
                continue
            span = ""
            if m:
                rs, cs = m[2] - m[0] + 1, m[3] - m[1] + 1
                span = (f' rowspan="{rs}"' if rs > 1 else "") + (
                    f' colspan="{cs}"' if cs > 1 else ""
                )
            body = _html_inline(text) if text else "&nbsp;"
            out.append(f'<td{span}><p class="MsoNormal" align="center">{body}</p></td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def build_html(blocks: list[Block], charset: str = "utf-8") -> bytes:
    """A government-site page: menus, breadcrumb, sidebar and footer around the report."""
    title = next(b for b in blocks if isinstance(b, str))
    body: list[str] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            body.append(_html_table(b))
        elif i < 2:
            body.append(f'<h2 class="title">{html.escape(b)}</h2>')
        else:
            body.append(f'<p style="text-indent:2em"><span>{html.escape(b)}</span></p>')
        if i == 3:
            body.append(
                f'<script type="text/javascript">var t="{SCRIPT_MARK}";document.write(t);</script>'
            )
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}</title><style>.title{{color:red}}</style>
<script>window.menu = "{SCRIPT_MARK}";</script></head>
<body><div class="header"><img src="/logo.png" alt="门户网站"></div>
{_CHROME_TOP}<div class="main"><div class="article">
{chr(10).join(body)}
</div>{_CHROME_SIDE}</div>
{_CHROME_FOOT}</body></html>"""
    enc = "gb18030" if charset.lower().replace("-", "") in ("gb2312", "gbk", "gb18030") else charset
    return page.encode(enc)


# --- .pdf -------------------------------------------------------------------------------

FONT_CANDIDATES = (
    *sorted((ROOT / "data" / "fonts").glob("*.ttf")),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
PDF_HEADER = "宁夏政务公开专栏"


def cjk_font() -> str | None:
    """Register a CJK TrueType font with reportlab; None when the machine has none."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "CJK" in pdfmetrics.getRegisteredFontNames():
        return "CJK"
    for path in FONT_CANDIDATES:
        if path.exists():
            try:
                pdfmetrics.registerFont(TTFont("CJK", str(path), subfontIndex=0))
            except Exception:
                continue
            return "CJK"
    return None


def build_pdf(blocks: list[Block], footer: str = "— {n} —", repeat_rows: int = 0) -> bytes:
    """A text PDF: wrapped paragraphs, ruled tables with spans, running header and page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable

    font = cjk_font()
    assert font, "no CJK TrueType font (data/fonts/*.ttf, or apt-get install fonts-wqy-microhei)"
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    width = A4[0] - 100

    def page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 30, PDF_HEADER)
        canvas.drawCentredString(A4[0] / 2, 25, footer.format(n=doc.page))
        canvas.restoreState()

    story = []
    for b in blocks:
        if isinstance(b, str):
            story.append(Paragraph(html.escape(b), body))
            continue
        natural = [0.0] * b.width
        covered = b.covered()
        for row_i, row in enumerate(b.rows):
            for c, text in enumerate(row):
                if (row_i, c) not in covered:
                    natural[c] = max(natural[c], 7.5 * len(text) + 6)
        natural = [min(max(n, 24.0), 150.0) for n in natural]
        scale = width / sum(natural)
        data = [[Paragraph(html.escape(t), cell) for t in row] for row in b.rows]
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in b.merges]
        widths = [n * scale for n in natural]
        story.append(RLTable(data, colWidths=widths, style=style, repeatRows=repeat_rows))
        story.append(Spacer(1, 8))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50, bottomMargin=50
    )
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buf.getvalue()


def build_pdf_plain(lines: list[str], encrypt_password: str | None = None) -> bytes:
    """A one-page PDF of text lines; tab-separated cells go to fixed columns (no rules)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = cjk_font()
    assert font, "no CJK TrueType font (data/fonts/*.ttf, or apt-get install fonts-wqy-microhei)"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt_password)
    y = A4[1] - 60
    for line in lines:
        c.setFont(font, 10)
        for k, cell in enumerate(line.split("\t")):
            c.drawString(60.0 + (170 + 90 * (k - 1) if k else 0), y, cell)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


def build_scanned_pdf() -> bytes:
    """An image-only PDF, as a scanner makes: a picture of a page, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(img)
    for y in range(50, 750, 20):
        draw.line((40, y, 560, y), fill=0, width=2)
    png = io.BytesIO()
    img.save(png, format="PNG")
    png.seek(0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(png), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return buf.getvalue()
