"""The .docx, .pdf, .html and .doc readers give the parser the seed reports' rows back.

Each seed (000: 2019 format, tab rows; 001: 2021, one cell per line; 003: 2021, blank
appeals cells) is rebuilt as a Word file, a PDF and a web page with real tables and
merged cells (tests/fixtures_docs.py); the reader must return the seed's paragraphs and
table rows, blank cells kept blank.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from etl.errors import RejectedInput
from etl.read import READERS, read_document
from etl.readers.doc import soffice
from tests.fixtures_docs import (
    CHROME_MARKS,
    PDF_HEADER,
    SCRIPT_MARK,
    Table,
    build_docx,
    build_html,
    build_pdf,
    build_pdf_plain,
    build_scanned_pdf,
    cjk_font,
    expected_lines,
    seed_blocks,
    seed_text,
)

SEEDS = ("000", "001", "002", "003", "004")
HTML_CHARSET = {"000": "gb2312", "001": "utf-8", "002": "GBK", "003": "UTF-8", "004": "utf-8"}
NO_FONT = (
    "no CJK TrueType font for reportlab: data/fonts/NotoSansSC-Subset.ttf is missing "
    "(or apt-get install fonts-wqy-microhei)"
)
needs_font = pytest.mark.skipif(cjk_font() is None, reason=NO_FONT)


def _nows(lines: list[str]) -> list[str]:
    """Lines with spaces removed: PDF text keeps no record of where a space was."""
    return [re.sub(r"[ \u3000]", "", ln) for ln in lines]


@pytest.fixture(scope="module")
def blocks() -> dict[str, list]:
    return {s: seed_blocks(seed_text(s)) for s in SEEDS}


@pytest.fixture(scope="module")
def pdfs(blocks) -> dict[str, bytes]:
    if cjk_font() is None:
        pytest.skip(NO_FONT)
    return {s: build_pdf(blocks[s]) for s in SEEDS}


@pytest.fixture(scope="module")
def docxs(blocks) -> dict[str, bytes]:
    return {s: build_docx(blocks[s]) for s in SEEDS}


@pytest.fixture(scope="module")
def pages(blocks) -> dict[str, bytes]:
    return {s: build_html(blocks[s], HTML_CHARSET[s]) for s in SEEDS}


def _tables(lines: list[str]) -> list[list[list[str]]]:
    """Runs of tab-separated lines, split into cells."""
    runs: list[list[list[str]]] = []
    prev_tab = False
    for ln in lines:
        if "\t" in ln:
            if not prev_tab:
                runs.append([])
            runs[-1].append(ln.split("\t"))
        prev_tab = "\t" in ln
    return runs


# --- the fixtures are what they claim to be ---------------------------------------------


def test_seed_twins_have_three_tables_with_merges(blocks):
    for seed, bl in blocks.items():
        tables = [b for b in bl if isinstance(b, Table)]
        assert len(tables) == 3, seed
        assert all(t.merges for t in tables), seed
        # a merge only covers empty cells, so the expected rows are the seed's rows
        for t in tables:
            for r0, c0, r1, c1 in t.merges:
                inside = [t.rows[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
                assert not any(inside[1:]), (seed, r0, c0)


def test_docx_twin_has_real_merged_cells_and_broken_labels(blocks, docxs):
    data = docxs["003"]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:gridSpan " in xml
    assert '<w:vMerge w:val="restart"/>' in xml
    assert "<w:vMerge/>" in xml
    assert xml.count("<w:tbl>") == 3
    # 三、本年度办理结果 spans rows, 申请人情况 spans columns (in the template, not the text)
    t3 = [b for b in blocks["000"] if isinstance(b, Table)][1]
    assert any(m[0] != m[2] for m in t3.merges) and any(m[1] != m[3] for m in t3.merges)


# --- .docx -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_docx_reader_returns_seed_paragraphs_and_rows(blocks, docxs, seed):
    doc = read_document("report.docx", docxs[seed])
    assert doc.file_type == "docx"
    assert doc.text.splitlines() == expected_lines(blocks[seed])


def test_docx_reader_leaves_out_page_header(docxs):
    text = read_document("r.docx", docxs["000"]).text
    assert "页眉文字不属于正文" not in text


def test_docx_reader_joins_cell_lines_without_space():
    from docx import Document

    d = Document()
    t = d.add_table(rows=1, cols=3)
    t.cell(0, 0).paragraphs[0].text = "三、本年度"
    t.cell(0, 0).add_paragraph("办理结果")
    t.cell(0, 1).paragraphs[0].text = "Total"
    t.cell(0, 1).add_paragraph("amount")
    t.cell(0, 2).paragraphs[0].text = "\u3000"
    buf = io.BytesIO()
    d.save(buf)
    assert read_document("x.docx", buf.getvalue()).text == "三、本年度办理结果\tTotal amount\t\n"


def test_docx_reader_ignores_sliver_grid_columns():
    from docx import Document
    from docx.oxml.ns import qn
    from lxml import etree

    d = Document()
    t = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["行政复议", "", "0"], ["结果维持", "1", ""]]):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    grid = t._tbl.find(qn("w:tblGrid"))
    sliver = etree.SubElement(grid, qn("w:gridCol"))
    sliver.set(qn("w:w"), "3")
    grid.insert(1, sliver)  # LibreOffice writes such 3-twip columns where edges nearly meet
    for tr in t._tbl.iterfind(qn("w:tr")):
        pr = tr.find(qn("w:tc")).get_or_add_tcPr()
        span = etree.SubElement(pr, qn("w:gridSpan"))
        span.set(qn("w:val"), "2")
    buf = io.BytesIO()
    d.save(buf)
    assert read_document("x.docx", buf.getvalue()).text == "行政复议\t\t0\n结果维持\t1\t\n"


def test_docx_reader_reads_report_inside_a_one_cell_layout_table():
    from docx import Document

    d = Document()
    frame = d.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "某局2021年政府信息公开工作年度报告"
    frame.add_paragraph("一、总体情况")
    inner = frame.add_table(rows=1, cols=3)
    for c, text in enumerate(["规章", "0", ""]):
        inner.cell(0, c).text = text
    frame.add_paragraph("二、其他")
    buf = io.BytesIO()
    d.save(buf)
    assert read_document("x.docx", buf.getvalue()).text.splitlines() == [
        "某局2021年政府信息公开工作年度报告",
        "一、总体情况",
        "规章\t0\t",
        "二、其他",
    ]


def test_docx_reader_reads_a_text_box_once():
    from docx import Document
    from lxml import etree

    d = Document()
    p = d.add_paragraph("标题")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = f'''<w:r xmlns:w="{w}" xmlns:mc="{mc}"><mc:AlternateContent>
      <mc:Choice Requires="wps"><w:t>文本框</w:t></mc:Choice>
      <mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r>'''
    p._p.append(etree.fromstring(box))
    buf = io.BytesIO()
    d.save(buf)
    assert read_document("x.docx", buf.getvalue()).text == "标题文本框\n"


def test_docx_reader_reads_macro_enabled_document_python_docx_refuses(docxs):
    src = zipfile.ZipFile(io.BytesIO(docxs["003"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"document.main+xml", b"document.macroEnabled.main+xml"
                ).replace(
                    b"wordprocessingml.document.macroEnabled", b"ms-word.document.macroEnabled.12"
                )
            z.writestr(item, data)
    from docx import Document

    with pytest.raises(ValueError):
        Document(io.BytesIO(buf.getvalue()))
    text = read_document("r.docm", buf.getvalue()).text
    assert "\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" in text.splitlines()


# --- .html -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_html_reader_returns_seed_paragraphs_and_rows(blocks, pages, seed):
    doc = read_document("report.html", pages[seed])
    assert doc.text.splitlines() == expected_lines(blocks[seed])


@pytest.mark.parametrize("seed", SEEDS)
def test_html_reader_drops_menus_footer_and_scripts(pages, seed):
    page = pages[seed]
    assert SCRIPT_MARK.encode() in page
    assert "版权所有".encode("gb18030" if seed in ("000", "002") else "utf-8") in page
    text = read_document("report.htm", page).text
    for mark in CHROME_MARKS:
        assert mark not in text


def test_html_reader_decodes_gb2312_declared_page_as_gb18030():
    page = (
        '<html><head><meta charset="gb2312"></head><body><div>'
        "<h1>某局2021年政府信息公开工作年度报告</h1><p>联系人：朱镕基、王喆、李堃</p></div></body></html>"
    ).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        page.decode("gb2312")
    text = read_document("r.html", page).text
    assert "朱镕基、王喆、李堃" in text


def test_html_reader_byte_order_mark_overrides_declared_charset():
    page = b"\xef\xbb\xbf" + '<meta charset="gbk"><p>政府信息公开工作年度报告</p>'.encode()
    assert read_document("r.html", page).text == "政府信息公开工作年度报告\n"


def test_html_reader_reads_utf8_page_mislabelled_as_latin1():
    page = '<meta charset="iso-8859-1"><p>政府信息公开工作年度报告</p>'.encode()
    assert read_document("r.html", page).text == "政府信息公开工作年度报告\n"


def test_html_reader_expands_rowspan_colspan_and_blanks_nbsp():
    page = """<html><body><div><p>政府信息公开工作年度报告</p><table>
    <tr><td rowspan="2">三、本年度<br>办理结果</td><td colspan="2">（一）予以公开</td><td>0</td></tr>
    <tr><td>（三）不予公开</td><td><span>1.属于</span>
        <span>国家秘密</span></td><td>&nbsp;</td></tr>
    <tr><td colspan="3">四、结转下年度继续办理</td><td><p><o:p>&nbsp;</o:p></p></td></tr>
    </table></div></body></html>""".encode()
    assert read_document("r.html", page).text.splitlines() == [
        "政府信息公开工作年度报告",
        "三、本年度办理结果\t（一）予以公开\t\t0",
        "\t（三）不予公开\t1.属于国家秘密\t",
        "四、结转下年度继续办理\t\t\t",
    ]


def test_html_reader_reads_report_inside_a_layout_table():
    page = """<html><body><table width="100%"><tr><td class="menu"><a href="/">首页</a></td>
    <td><h1>某局2021年政府信息公开工作年度报告</h1><p>一、总体情况</p>
    <table border="1"><tr><td>规章</td><td>0</td><td>&nbsp;</td></tr></table></td></tr>
    </table></body></html>""".encode()
    assert read_document("r.html", page).text.splitlines() == [
        "某局2021年政府信息公开工作年度报告",
        "一、总体情况",
        "规章\t0\t",
    ]


def test_html_reader_reads_deeply_nested_unclosed_tags():
    page = "<div><h1>政府信息公开工作年度报告</h1>" + "<font>" * 5000 + "规章</div>"
    assert read_document("r.html", page.encode()).text == "政府信息公开工作年度报告\n规章\n"


def test_html_reader_keeps_the_blank_appeals_cells_of_seed_003(pages):
    text = read_document("r.html", pages["003"]).text
    assert "\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" in text.splitlines()


# --- .pdf --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_reader_returns_seed_rows(blocks, pdfs, seed):
    lines = read_document("report.pdf", pdfs[seed]).text.splitlines()
    want = expected_lines(blocks[seed])
    assert _nows(lines) == _nows(want)
    # the three tables keep their grid: the same number of cells in every row
    got_tables = _tables(lines)
    want_tables = [b.rows for b in blocks[seed] if isinstance(b, Table)]
    assert [[len(r) for r in t] for t in got_tables] == [[len(r) for r in t] for t in want_tables]


def test_pdf_reader_drops_running_header_and_page_numbers(pdfs):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdfs["000"])) as pdf:
        assert len(pdf.pages) >= 2
        assert PDF_HEADER in pdf.pages[1].extract_text()
    text = read_document("r.pdf", pdfs["000"]).text
    assert PDF_HEADER not in text
    assert not re.search(r"^—\s*\d+\s*—$", text, re.M)


@needs_font
@pytest.mark.parametrize("footer", ["第{n}页", "- {n} -", "第 {n} 页 共 3 页", "{n}"])
def test_pdf_reader_drops_page_numbers_of_other_styles(blocks, footer):
    text = read_document("r.pdf", build_pdf(blocks["000"], footer=footer)).text
    lines = text.splitlines()
    for n in (1, 2, 3):
        assert footer.format(n=n) not in lines
    assert _nows(lines) == _nows(expected_lines(blocks["000"]))


def test_pdf_reader_keeps_columns_of_a_table_split_over_pages(pdfs):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdfs["000"])) as pdf:
        pages_with = [i for i, p in enumerate(pdf.pages) if "复议后起诉" in p.extract_text()]
        last = pdf.pages[-1].extract_text()
    assert pages_with and pages_with[-1] < len(pdf.pages) - 1, "fixture: 表四 should break"
    assert "0 0 0 0 0" in last
    appeals = _tables(read_document("r.pdf", pdfs["000"]).text.splitlines())[2]
    assert [len(r) for r in appeals] == [15, 15, 15, 15]
    assert appeals[1][5] == "未经复议直接起诉" and appeals[1][10] == "复议后起诉"


@needs_font
def test_pdf_reader_keeps_header_row_repeated_on_next_page_once(blocks):
    import pdfplumber

    data = build_pdf(blocks["000"], repeat_rows=1)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert sum("第二十条第（一）项" in p.extract_text() for p in pdf.pages) == 2
    lines = read_document("r.pdf", data).text.splitlines()
    assert _nows(lines) == _nows(expected_lines(blocks["000"]))


@needs_font
def test_pdf_reader_reads_framed_text_as_lines_not_as_a_table():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(40, 40, A4[0] - 80, A4[1] - 80)  # a border round the page
    c.setFont(cjk_font(), 12)
    c.drawString(80, 700, "某局2021年政府信息公开工作年度报告")
    c.drawString(80, 680, "一、总体情况")
    c.showPage()
    c.save()
    assert read_document("r.pdf", buf.getvalue()).text.splitlines() == [
        "某局2021年政府信息公开工作年度报告",
        "一、总体情况",
    ]


def test_pdf_reader_keeps_the_blank_appeals_cells_of_seed_003(pdfs):
    text = read_document("r.pdf", pdfs["003"]).text
    assert "\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" in text.splitlines()


@needs_font
def test_pdf_reader_aligns_an_unruled_table_keeping_blank_cells():
    data = build_pdf_plain(
        [
            "二、主动公开政府信息情况",
            "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
            "规章\t0\t0\t0",
            "行政规范性文件\t1\t\t3",
            "政府集中采购\t4\t2088366\t",
        ]
    )
    assert read_document("r.pdf", data).text.splitlines() == [
        "二、主动公开政府信息情况",
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        "规章\t0\t0\t0",
        "行政规范性文件\t1\t\t3",
        "政府集中采购\t4\t2088366\t",
    ]


@needs_font
def test_pdf_reader_reads_a_number_wrapped_in_a_narrow_cell_as_one_number():
    # 21 value columns: 2088366 wraps in its narrow cell as `208836` / `6` (LibreOffice's PDFs
    # wrap wide digits as `１ ０` / `６`); a cell holds one value, so the pieces are one number
    # (not `208836 6`, two values). Text wrapped in a cell still joins as text.
    label = "一、本年新收政府信息公开申请数量"
    values = ["2088366", "9", "１", "３", "2", "2", "１２３"] * 3
    rows = [[label, *values]] + [[f"{label}{i}"] + ["1"] * 21 for i in range(2)]
    lines = read_document("r.pdf", build_pdf(["表格", Table(rows)])).text.splitlines()
    assert lines[2].split("\t") == [label, *values]


# --- bad input ---------------------------------------------------------------------------


def _reason(name: str, data: bytes) -> tuple[str, str]:
    with pytest.raises(RejectedInput) as e:
        read_document(name, data)
    return e.value.reason, e.value.reason_zh


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.html", "a.doc"])
def test_empty_file_is_rejected(name):
    assert _reason(name, b"") == ("empty file", "空文件")


def test_random_bytes_named_pdf_are_rejected():
    assert _reason("a.pdf", os.urandom(4000)) == ("not a PDF file", "不是 PDF 文件")
    broken = b"%PDF-1.7\n" + os.urandom(4000)
    assert _reason("a.pdf", broken) == ("not a valid PDF file", "不是有效的 PDF 文件")


def test_random_bytes_or_other_zip_named_docx_are_rejected():
    assert _reason("a.docx", os.urandom(4000)) == (
        "not a valid Word document",
        "不是有效的 Word 文档",
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a word file")
    assert _reason("a.docx", buf.getvalue())[1] == "不是有效的 Word 文档"


@needs_font
def test_encrypted_pdf_is_rejected():
    data = build_pdf_plain(["规章\t0\t0\t0"], encrypt_password="secret")
    assert _reason("a.pdf", data) == ("encrypted PDF", "PDF 已加密，无法读取")


def test_scanned_pdf_without_text_layer_is_rejected():
    assert _reason("a.pdf", build_scanned_pdf()) == (
        "scanned PDF without a text layer",
        "扫描件，无文字层",
    )


def test_random_bytes_named_doc_are_rejected():
    assert _reason("a.doc", os.urandom(4000))[0] == "not a valid Word document"


def test_registered_suffixes_cover_the_document_formats():
    assert {"docx", "pdf", "html", "htm", "doc", "txt"} <= set(READERS)


# --- .doc (needs LibreOffice) ------------------------------------------------------------


def test_doc_without_libreoffice_is_rejected_with_reason(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # as on a machine without LibreOffice
    assert soffice() is None
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    assert _reason("a.doc", ole) == (
        "LibreOffice is needed to read .doc",
        "需要 LibreOffice 才能读取 .doc",
    )


@pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice not installed (apt-get install -y --no-install-recommends "
    "libreoffice-writer-nogui)",
)
def test_doc_reader_returns_seed_rows(blocks, docxs, tmp_path: Path):
    src = tmp_path / "r.docx"
    src.write_bytes(docxs["003"])
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation={profile}", "--convert-to", "doc",
         "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    doc = read_document("r.doc", (tmp_path / "out" / "r.doc").read_bytes())
    assert _nows(doc.text.splitlines()) == _nows(expected_lines(blocks["003"]))


def test_word_web_page_named_doc_is_read_as_html():
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
    <div class=WordSection1><p class=MsoNormal>政府信息公开工作年度报告<o:p></o:p></p>
    <table><tr><td>规章</td><td>0</td><td><o:p>&nbsp;</o:p></td></tr></table></div></body></html>"""
    text = read_document("r.doc", page.encode("gb18030")).text
    assert text.splitlines() == ["政府信息公开工作年度报告", "规章\t0\t"]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
def test_rtf_named_doc_is_converted(blocks, docxs, tmp_path: Path):
    src = tmp_path / "r.docx"
    src.write_bytes(docxs["000"])
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation={profile}", "--convert-to", "rtf",
         "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    rtf = (tmp_path / "out" / "r.rtf").read_bytes()
    assert rtf.startswith(b"{\\rtf")
    doc = read_document("r.doc", rtf)
    assert _nows(doc.text.splitlines()) == _nows(expected_lines(blocks["000"]))


def test_docx_bytes_named_doc_are_read_as_docx(blocks, docxs):
    data = docxs["001"]
    assert read_document("r.doc", data).text.splitlines() == expected_lines(blocks["001"])


# --- the parser reads each twin as it reads the .txt -------------------------------------


def _as_dict(obj) -> dict:
    if isinstance(obj, dict):
        return obj
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    return dict(vars(obj))


def _parse(name: str, data: bytes) -> dict:
    parse = pytest.importorskip("etl.parse", reason="etl/parse.py has not landed yet")
    report = parse.parse_document(read_document(name, data), source=name, sha256="0" * 64)
    return _as_dict(report)


def _facts(report: dict) -> set[tuple]:
    out = set()
    for f in report["facts"]:
        f = _as_dict(f)
        raw = re.sub(r"\s", "", f.get("raw") or "")
        out.add((f["table"], f["row"], f["col"], f["value"], raw))
    return out


def _without_lines(value):
    """Narrative, checks and warnings with line numbers left out (twins drop blank lines)."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\(line \d+\)|line \d+", "", value)
    return value


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_parser_reads_twin_as_it_reads_the_txt(request, seed, kind):
    if kind == "pdf" and cjk_font() is None:
        pytest.skip(NO_FONT)
    twins = request.getfixturevalue({"docx": "docxs", "html": "pages", "pdf": "pdfs"}[kind])
    want = _parse("seed.txt", seed_text(seed).encode())
    got = _parse(f"seed.{kind}", twins[seed])
    assert (got["agency"], got["year"], got["format"]) == (
        want["agency"],
        want["year"],
        want["format"],
    )
    assert _facts(got) == _facts(want)
    for key in ("narrative", "checks", "warnings"):
        assert _without_lines(got.get(key)) == _without_lines(want.get(key)), key
