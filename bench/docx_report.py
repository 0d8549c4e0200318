"""A generated report laid out as a real Word document in the national template.

The 2021 format fills `shared/templates/report-2021.docx` (its real merged cells: gridSpan and
vMerge); the 2019 format is built from the same template in code (same styles, the 2019 rows
and columns), so that no other party's file is committed. The truth is bench.synth's, with
each cell's `raw` set to the text written into the cell (blank cells stay empty) and `line`
dropped: where a cell lands depends on the tool that reads the document back.
"""

from __future__ import annotations

import copy
import io
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from bench.synth_text import _ACTIVE_HEAD
from etl import spec

ROOT = Path(__file__).resolve().parent.parent
_REL = Path("shared", "templates", "report-2021.docx")
# ../shared beside the clone (CI); a worktree sits deeper, so look in every parent
TEMPLATE = next((p / _REL for p in ROOT.parents if (p / _REL).exists()), ROOT.parent / _REL)

Key = tuple[str, str, str]
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六]|[1-6])、\s*"
    r"(总体情况|主动公开政府信息情况|收到和处理|政府信息公开行政复议|存在的主要问题|其他需要报告)"
)
_NOISE = "[bookmark: _GoBack]"


def template_path() -> Path:
    """The blank 2021 template (../shared beside the clone, as in CI)."""
    return TEMPLATE


def narrative_parts(text: str) -> dict[str, list[str]]:
    """The running text of a generated report: intro, parts 一, 五 and 六 (paragraphs)."""
    lines = text.split("\n")
    heads = [i for i, ln in enumerate(lines) if _HEADING.match(ln)]
    if len(heads) < 6:
        raise ValueError(f"expected six part headings, found {len(heads)}")
    h1, h2, _, _, h5, h6 = heads[:6]
    intro = [ln for ln in lines[:h1] if ln.strip()][-1:]

    def paras(a: int, b: int) -> list[str]:
        return [ln.replace(_NOISE, "").strip() for ln in lines[a:b] if ln.strip()]

    return {
        "intro": intro,
        "one": paras(h1 + 1, h2),
        "five": paras(h5 + 1, h6),
        "six": paras(h6 + 1, len(lines)),
    }


# --- low-level cell and paragraph editing -----------------------------------------------


def _tcs(tr: Any) -> list[Any]:
    return tr.findall(qn("w:tc"))


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _set_text(tc_or_p: Any, text: str, rpr: Any) -> None:
    """Replace the content of a cell (or paragraph) by one run of `text` in style `rpr`."""
    if tc_or_p.tag == qn("w:tc"):
        ps = tc_or_p.findall(qn("w:p"))
        for extra in ps[1:]:
            tc_or_p.remove(extra)
        p = ps[0]
    else:
        p = tc_or_p
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    if not text:
        return
    r = p.makeelement(qn("w:r"), {})
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = r.makeelement(qn("w:t"), {})
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    p.append(r)


def _set_span(tc: Any, n: int) -> None:
    pr = tc.find(qn("w:tcPr"))
    gs = pr.find(qn("w:gridSpan"))
    if gs is None:
        gs = pr.makeelement(qn("w:gridSpan"), {})
        pr.insert(1, gs)
    gs.set(qn("w:val"), str(n))


# --- the 2019 template, built from the 2021 one ---------------------------------------------

# (section of 第二十条, its rows): headers and labels come from etl.spec
_ACTIVE_2019 = (
    ("（一）", ("rules", "normative")),
    ("（五）", ("licensing", "other_services")),
    ("（六）", ("penalty", "coercion")),
    ("（八）", ("fees",)),
    ("（九）", ("procurement",)),
)


def _two_columns(tr: Any) -> Any:
    """A copy of a four-cell row whose last two cells are one (gridSpan 2)."""
    tr = copy.deepcopy(tr)
    tcs = _tcs(tr)
    tr.remove(tcs[3])
    _set_span(tcs[2], 2)
    return tr


def _to_2019(d: Any, rpr: Any) -> None:
    """Rewrite the template's tables 二 and 三 in the 2019 format's rows and columns."""
    tbl = d.tables[0]._tbl
    trs = tbl.findall(qn("w:tr"))
    sec, head, data = trs[0], trs[1], trs[2]
    for tr in trs:
        tbl.remove(tr)
    for num, rows in _ACTIVE_2019:
        heads = [_ACTIVE_HEAD["2019"][c] for c in spec.ACTIVE_COLS["2019"][rows[0]]]
        labels = [spec.ACTIVE_ROW_LABELS[r][0] for r in rows]
        s = copy.deepcopy(sec)
        _set_text(_tcs(s)[0], f"第二十条第{num}项", _rpr_of(sec))
        tbl.append(s)
        h = copy.deepcopy(head) if len(heads) == 3 else _two_columns(head)
        for tc, word in zip(_tcs(h), ("信息内容", *heads), strict=True):
            _set_text(tc, word, _rpr_of(head))
        tbl.append(h)
        for label in labels:
            r = copy.deepcopy(data) if len(heads) == 3 else _two_columns(data)
            _set_text(_tcs(r)[0], label, _rpr_of(data))
            tbl.append(r)
    # table 三: the single （六）其他处理 row instead of three
    tbl = d.tables[1]._tbl
    trs = tbl.findall(qn("w:tr"))
    other = trs[23]
    tcs = _tcs(other)
    vm = tcs[1].find(qn("w:tcPr")).find(qn("w:vMerge"))
    if vm is not None:
        vm.getparent().remove(vm)
    _set_span(tcs[1], 2)
    other.remove(tcs[2])
    _set_text(tcs[1], "（六）" + spec.REQUEST_ROW_LABELS["other"][0], rpr)
    tbl.remove(trs[24])
    tbl.remove(trs[25])


def _rpr_of(el: Any) -> Any:
    r = next(el.iter(qn("w:r")), None)
    return None if r is None else r.find(qn("w:rPr"))


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


# --- one report ------------------------------------------------------------------------------


def printed(raw: str | None) -> str:
    """The text written into a cell: a number or mark without its padding; a blank cell as
    drawn (empty, or a space, U+3000 or NBSP, as people leave them in Word)."""
    raw = raw or ""
    return raw.strip() or raw


def _cell_map(d: Any, fmt: str) -> dict[Key, Any]:
    """Every value cell of the three tables, by canonical id."""
    out: dict[Key, Any] = {}
    label_row = {squash(lab): row for row, labs in spec.ACTIVE_ROW_LABELS.items() for lab in labs}
    for tr in d.tables[0]._tbl.findall(qn("w:tr")):
        tcs = _tcs(tr)
        row = label_row.get(squash(_text(tcs[0])))
        if row is None or row not in spec.ACTIVE_COLS[fmt]:
            continue
        for col, tc in zip(spec.ACTIVE_COLS[fmt][row], tcs[1:], strict=False):
            out["active", row, col] = tc
    trs = d.tables[1]._tbl.findall(qn("w:tr"))[3:]
    rows = spec.REQUEST_ROWS[fmt]
    if len(trs) != len(rows):
        raise ValueError(f"table 三 has {len(trs)} data rows for {len(rows)}")
    for tr, row in zip(trs, rows, strict=True):
        for col, tc in zip(spec.REQUEST_COLS, _tcs(tr)[-7:], strict=True):
            out["requests", row, col] = tc
    tcs = _tcs(d.tables[2]._tbl.findall(qn("w:tr"))[3])
    keys = [("appeals", r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]
    out.update(zip(keys, tcs, strict=True))
    return out


def squash(s: str) -> str:
    return "".join(s.split())


def _add_paras(anchor: Any, texts: list[str], proto: Any) -> None:
    """Paragraphs of `texts` in the style of `proto`, after `anchor` (in order)."""
    rpr = _rpr_of(proto)
    for text in reversed(texts):
        p = copy.deepcopy(proto)
        _set_text(p, text, rpr)
        anchor.addnext(p)


_FOOTERS = (("— ", " —"), ("- ", " -"), ("第 ", " 页"), ("", ""))


def _page_footer(d: Any, rng: random.Random) -> None:
    """A centred page number in the footer, as most reports have: extractors print it
    between the rows of a table that runs over a page break."""
    before, after = rng.choice(_FOOTERS)
    p = d.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if before:
        p.add_run(before)
    fld = p._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    r = fld.makeelement(qn("w:r"), {})
    t = r.makeelement(qn("w:t"), {})
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    if after:
        p.add_run(after)


def build_docx(text: str, truth: dict) -> tuple[bytes, dict]:
    """The Word document of one generated report and its truth (raw = the cell's text)."""
    fmt = truth["format"]
    d = docx.Document(io.BytesIO(_template_bytes()))
    label_rpr = _rpr_of(_tcs(d.tables[1]._tbl.findall(qn("w:tr"))[3])[0])
    if fmt == "2019":
        _to_2019(d, label_rpr)
    paras = d.paragraphs
    by_text = {squash(p.text): p._p for p in paras if p.text.strip()}
    title = by_text["政府信息公开工作年度报告格式模板"]
    _set_text(title, f"{truth['agency']}{truth['year']}年政府信息公开工作年度报告", _rpr_of(title))
    parts = narrative_parts(text)
    descs = [p._p for p in paras if squash(p.text).startswith("（文字描述")]
    one, five, six = descs
    proto = copy.deepcopy(one)
    _add_paras(title, parts["intro"], proto)
    _add_paras(one, parts["one"], proto)
    _add_paras(five, parts["five"], proto)
    _add_paras(six, parts["six"], proto)
    for p in descs:
        p.getparent().remove(p)

    _page_footer(d, random.Random(truth["sha256"]))
    cells = _cell_map(d, fmt)
    facts = []
    for f in truth["facts"]:
        key = (f["table"], f["row"], f["col"])
        s = printed(f["raw"])
        _set_text(cells[key], s, label_rpr)
        facts.append({**f, "raw": s, "line": None})
    for key, tc in cells.items():  # the template's stray full-width spaces in unused cells
        if not any(key == (f["table"], f["row"], f["col"]) for f in truth["facts"]):
            _set_text(tc, "", label_rpr)
    buf = io.BytesIO()
    d.save(buf)
    t = {**truth, "facts": facts, "expect_warning": False}
    t["narrative"] = {k: {kk: vv for kk, vv in v.items() if kk != "line"}
                      for k, v in truth["narrative"].items()}  # fmt: skip
    return buf.getvalue(), t
