"""Printing a synthetic report: numbers, empty cells, the tables in tab rows or one cell per
line, title and narrative, with the extractor's artefacts the seeds show (bench.synth).

`render` returns the text with the printed form and the line of every cell, which is what
bench.synth's truth says a parser must read back.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from etl import spec

if TYPE_CHECKING:
    from bench.synth import Options

Key = tuple[str, str, str]
Num = int | float


# --- printing numbers and empty cells --------------------------------------------------

_FW = str.maketrans("0123456789", "０１２３４５６７８９")
BLANKS = ("", " ", "\u3000", "\xa0")
MARKS = ("/", "—", "-", "无")
_PADS = (" ", "  ", "\xa0", "\u3000")


@dataclass
class _Style:
    """Per-report printing choices; `used` collects the variants that actually showed."""

    thousands: bool
    fullwidth: bool
    signed: bool
    unit: bool
    ws_pad: bool
    decimals: bool  # money printed as 12.00
    used: set[str]


def _print_num(rng: random.Random, v: Num, col: str, st: _Style) -> str:
    if isinstance(v, float):
        s = f"{v:,.2f}" if st.thousands and abs(v) >= 1000 else f"{v:.2f}"
    elif col == "amount" and st.decimals:
        s = f"{v:,.2f}" if st.thousands and abs(v) >= 1000 else f"{v:.2f}"
        st.used.add("decimal_int")
    elif st.thousands and abs(v) >= 1000:
        s = f"{v:,}"
    else:
        s = str(v)
        if st.fullwidth and v > 0 and col != "change" and rng.random() < 0.6:
            s = s.translate(_FW)
            st.used.add("fullwidth")
    if "," in s:
        st.used.add("thousands")
    if col == "change" and st.signed and v > 0:
        s = "+" + s
        st.used.add("signed_change")
    if st.ws_pad and rng.random() < 0.5:
        pad = rng.choice(_PADS)
        s = pad + s if rng.random() < 0.5 else s + pad
        st.used.add("ws_padding")
    return s


# --- layout: tab rows or one cell per line ---------------------------------------------


class _Out:
    """Lines of the report and the 1-based line each value cell was printed on."""

    def __init__(self, cell_layout: bool) -> None:
        self.lines: list[str] = []
        self.line_of: dict[Key, int] = {}
        self.cell = cell_layout

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def row(self, cells: list[str], keys: Sequence[Key] = (), first: int = 0) -> None:
        """One table row; `keys` name the value cells, which start at cells[first]."""
        lines = self.lines
        if not self.cell:
            lines.append("\t".join(cells))
            if keys:
                self.line_of.update(dict.fromkeys(keys, len(lines)))
            return
        for c in cells[:first] if keys else cells:
            lines.extend(("\t" + c).split("\n") if "\n" in c else ("\t" + c,))
        if keys:
            n, end = len(lines), first + len(keys)
            lines.extend(["\t" + c for c in cells[first:end]])
            self.line_of.update(zip(keys, range(n + 1, n + 1 + len(keys)), strict=True))
            lines.extend(["\t" + c for c in cells[end:]])
        lines.append("")


_CN = "一二三四五六七八九"
_APPEAL_KEYS = [("appeals", r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS]


class _Quirks:
    """Text artefacts of one report, each drawn once with the report's RNG."""

    def __init__(self, rng: random.Random, p: float) -> None:
        self.rng = rng
        self.p = p
        self.used: set[str] = set()
        self.brackets = self.on("mixed_brackets")
        self.spaces = self.on("stray_space")
        self.dots = self.on("fullwidth_dot")
        self.arabic = self.on("arabic_section")
        # a page footer (`— 5 —`) inside one of the tables; `[bookmark: _GoBack]` on a label
        self.footer = (
            rng.choice(("active", "requests", "appeals")) if self.on("page_footer") else ""
        )
        self.bookmark_row = (
            rng.choice(spec.ACTIVE_ROWS["2021"]) if self.on("bookmark_in_table") else ""
        )

    def page_footer(self, out: _Out) -> None:
        f = self.rng.choice(("— {} —", "- {} -", "－{}－", "第{}页"))
        out.add(f.format(self.rng.randint(2, 9)))
        if out.cell:
            out.add("")

    def on(self, name: str) -> bool:
        if self.rng.random() < self.p:
            self.used.add(name)
            return True
        return False

    def br(self, n: int) -> str:
        """A bracketed Chinese number, in a report with mixed brackets sometimes half-width."""
        c = _CN[n - 1]
        if self.brackets and self.rng.random() < 0.5:
            return self.rng.choice((f"({c})", f"({c}) ", f"({c}）", f"（{c})"))
        return f"（{c}）"

    def spaced(self, s: str) -> str:
        """In a report with stray spaces, some labels get one (`（三）不予 公开`)."""
        if not self.spaces or len(s) < 4 or self.rng.random() < 0.6:
            return s
        i = self.rng.randrange(2, len(s) - 1)
        return s[:i] + " " + s[i:]


def _item_label(q: _Quirks, row: str) -> str:
    """`3.危及“三安全一稳定”`: the numbered item label of an outcome row."""
    n = row.rsplit("_", 1)[1]
    dot = "．" if q.dots and q.rng.random() < 0.5 else "."
    return q.spaced(f"{n}{dot}{spec.REQUEST_ROW_LABELS[row][0]}")


_GROUP = {"denied": 3, "unable": 4, "not_processed": 5, "other": 6}
_GROUP_TEXT = {3: "不予公开", 4: "无法提供", 5: "不予处理", 6: "其他处理"}


def _active_table(out: _Out, q: _Quirks, fmt: str, raws: dict[Key, str]) -> None:
    groups = [
        ("一", ("rules", "normative")),
        ("五", ("licensing",)),
        ("六", ("penalty", "coercion")),
    ]
    groups += [("八", ("fees",))]
    if fmt == "2019":
        groups[1] = ("五", ("licensing", "other_services"))
        groups.append(("九", ("procurement",)))
    heads = _ACTIVE_HEAD[fmt]
    footer_at = q.rng.randrange(1, len(groups)) if q.footer == "active" else -1
    for i, (num, rows) in enumerate(groups):
        if i == footer_at:
            q.page_footer(out)
        cols = spec.ACTIVE_COLS[fmt][rows[0]]
        width = 3 if fmt == "2019" or num == "一" else len(cols)
        pad = [""] * (width - len(cols))
        title = f"第二十条第{q.br(_CN.index(num) + 1)}项"
        if q.rng.random() < q.p / 2:
            title = title.replace("）项", "） 项")
        if out.cell:
            out.row([title])
            head = [q.rng.choice(_SPLIT_HEAD.get(heads[c], (heads[c],))) for c in cols]
            out.row(["信息内容", *head])
        else:
            out.row([title, *[""] * width])
            out.row(["信息内容", *[heads[c] for c in cols], *pad])
        for row in rows:
            label = spec.ACTIVE_ROW_LABELS[row][0]
            if row == "normative" and (fmt == "2021") == (q.rng.random() < 0.8):
                label = "行政规范性文件"  # the 2021 template's word, in some 2019 reports too
            if row == q.bookmark_row:
                label = "[bookmark: _GoBack]" + label
            keys = [("active", row, c) for c in cols]
            cells = [raws[k] for k in keys]
            if out.cell:
                out.row([label, *cells], keys, 1)
            else:
                out.row([label, *cells, *pad], keys, 1)
                if q.rng.random() < q.p / 3:
                    out.add("")
        if not out.cell and num == "一" and fmt == "2021":
            out.add("")


_ACTIVE_HEAD: dict[str, dict[str, str]] = {"2019": {}, "2021": {}}
for _h, (_f, _c) in spec.ACTIVE_HEADERS.items():
    _ACTIVE_HEAD[_f].setdefault(_c, _h)
_ACTIVE_HEAD["2021"]["amount"] = "本年收费金额（单位：万元）"
_SPLIT_HEAD = {
    "本年新制作数量": ("本年新制作数量", "本年新\n制作数量"),
    "本年新公开数量": ("本年新公开数量", "本年新\n公开数量"),
}
_REMARK = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _request_labels(q: _Quirks, fmt: str, row: str) -> list[str]:
    """Label cells of a table 三 row (group and item columns), before any value."""
    rng = q.rng
    if row in ("new", "carried_in"):
        n, text = (
            ("一、", "本年新收政府信息公开申请数量")
            if row == "new"
            else ("二、", "上年结转政府信息公开申请数量")
        )
        return rng.choice(([n + text, ""], [n, text], [n + text]))
    if row == "granted":
        return ["三、本年度办理结果", q.br(1) + "予以公开"]
    if row == "partial":
        remark = rng.choice(
            (
                "（区分处理的，只计这一情形，不计其他情形）",
                "(区分处理的, 只计这一情形, 不计其他情形)",
            )
        )
        return ["", q.br(2) + "部分公开" + remark]
    if row == "total":
        return rng.choice((["", q.br(7) + "总计"], ["", "", q.br(7) + "总计"]))
    if row == "carried_out":
        return rng.choice((["四、结转下年度继续办理", "", ""], ["四、结转下年度继续办理"]))
    if row == "other":
        return rng.choice((["", q.br(6) + "其他处理"], ["", q.br(6) + "其他处理", ""]))
    group, n = row.rsplit("_", 1)
    g = _GROUP[group]
    head = q.spaced(q.br(g) + _GROUP_TEXT[g]) if n == "1" else ""
    if n == "1" and rng.random() < 0.3:
        return [head, "", _item_label(q, row)]
    return ["", head, _item_label(q, row)]


def _requests_table(out: _Out, q: _Quirks, fmt: str, raws: dict[Key, str], vals: dict) -> None:
    rng = q.rng
    if out.cell:
        out.row([rng.choice((_REMARK, "\n" + _REMARK)), "申请人情况"])
        nat = rng.choice(("自然人", "\n自然\n人"))
        out.row(["", nat, "法人或其他组织", rng.choice(("总计", "\n总计"))])
        org = [q.spaced(x) for x in spec.REQUEST_HEADER_WORDS[3:]]
        out.row(["", "", *org, rng.choice(("其他", "\n其他")), ""])
    else:
        head = [
            ["", "", "申请人情况", *[""] * 5, "总计", ""],
            ["", "", "自然人", "法人或其他组织", *[""] * 6],
            ["", "", "", *spec.REQUEST_HEADER_WORDS[3:], "其他", "", ""],
        ]
        if rng.random() < 0.5:
            out.row([_REMARK, *[""] * 9])
            for h in head:
                out.row(h)
        else:
            out.row([_REMARK, "", *head[0][2:]])
            out.row(head[1])
            out.row(head[2])
    rows = spec.REQUEST_ROWS[fmt]
    split_group = q.on("split_header")
    split_label = q.on("split_label_cell" if out.cell else "split_label")
    footer_at = rng.randrange(4, len(rows) - 2) if q.footer == "requests" else -1
    for i, row in enumerate(rows):
        if i == footer_at:
            q.page_footer(out)
        labels = _request_labels(q, fmt, row)
        if split_group and row in ("granted", "partial"):
            if out.cell:
                labels[0] = labels[0] and "三、本年 度办理 结果"
            else:
                labels[0] = "三、本年" if row == "granted" else "度办理 结果"
        keys = _ROW_KEYS[row]
        printed = [raws[k] for k in keys]
        if out.cell:  # seeds 001/002: the values follow the label, with no empty cell between
            while labels[-1] == "":
                labels.pop()
            if row in ("granted",) or (row.endswith("_1") and labels[1]):
                j = 0 if row == "granted" else 1
                labels[j] = "\n" * rng.choice((0, 0, 1, 3, 15)) + labels[j]
            cut = _cut(rng, labels[-1]) if split_label and rng.random() < 0.25 else 0
            if cut:
                t = labels[-1]
                labels[-1] = t[:cut] + "\n" + t[cut:]
            out.row([*labels, *printed], keys, len(labels))
            continue
        ends_numeric = vals[keys[0]] is not None and vals[keys[-1]] is not None
        cont = None
        cut = _cut(rng, labels[-1]) if split_label and rng.random() < 0.25 else 0
        if cut:
            t = labels[-1]
            labels, cont = [t[:cut]], ["", "", t[cut:], *[""] * 7]
        if ends_numeric:
            pre = [""] if rng.random() < 0.3 else []
            post = [""] if rng.random() < 0.3 else []
            if pre or post or labels[-1] == "":
                q.used.add("padding")
        else:
            while labels[-1] == "":
                labels.pop()
            pre, post = [], []
        cells = [*labels, *pre, *printed, *post]
        out.row(cells, keys, len(labels) + len(pre))
        if cont:
            out.add("")
            out.row(cont)
        elif split_group and row == "granted":
            out.add("")


_ROW_KEYS = {r: [("requests", r, c) for c in spec.REQUEST_COLS] for r in spec.REQUEST_ROW_LABELS}
_ALL_LABELS = ["".join(x.split()) for names in spec.REQUEST_ROW_LABELS.values() for x in names]


def _cut(rng: random.Random, label: str) -> int:
    """Where a numbered item label may break over two lines (0: nowhere)."""
    ok = _cuts(label)
    return rng.choice(ok) if ok else 0


@functools.lru_cache(maxsize=4096)
def _cuts(label: str) -> tuple[int, ...]:
    """As in the seeds (`6.属于四类过程` … `性信息`): after at least six characters of the
    label, and only where the first part starts exactly one label of table 三."""
    m = re.match(r"\d[.．]\s*", label)
    if not m:
        return ()
    ok = []
    for cut in range(m.end() + 6, len(label)):
        head = "".join(label[m.end() : cut].split())
        if len(head) >= 6 and sum(x.startswith(head) for x in _ALL_LABELS) == 1:
            ok.append(cut)
    return tuple(ok)


def _appeals_table(out: _Out, q: _Quirks, raws: dict[Key, str], extra: bool) -> None:
    rng = q.rng
    words = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    if q.on("stray_space_header"):
        words = rng.choice(([" ".join(w) for w in words], [w[:2] + " " + w[2:] for w in words]))
    if out.cell:
        out.row(["行政复议", "行政诉讼"])
        out.row(
            [*words[:4], rng.choice((words[4], "\n" + words[4])), "未经复议直接起诉", "复议后起诉"]
        )
        out.row(["", "", "", "", "", *words, *words])
    else:
        out.row(["行政复议", *[""] * 4, "行政诉讼", *[""] * 9])
        out.row([*words, "未经复议直接起诉", *[""] * 4, "复议后起诉", "", "", "", ""])
        out.row(["", "", "", "", "", *words, *words])
    if q.footer == "appeals":
        q.page_footer(out)
    cells = [raws[k] for k in _APPEAL_KEYS]
    out.row([*cells, "0"] if extra else cells, _APPEAL_KEYS)


# --- narrative -------------------------------------------------------------------------


def _title(q: _Quirks, name: str, year: int) -> list[str]:
    k = q.rng.randrange(6)
    if k in (0, 3):
        q.used.add("title_spaced")
    if k in (2, 5):
        q.used.add("title_split")
    return [
        ["", "", name, "", f"{year} 年政府信息公开工作年度报告", ""],
        [name, f"{year}年政府信息公开工作年度报告", ""],
        ["附件：", f"{name}{year}年度政府", "信息公开工作年度报告", f"报送单位：{name}"],
        ["", "", f"{name} {year} 年政府信息公开工作年度报告", ""],
        [f"{name}{year}年政府信息公开工作年度报告", ""],
        [name, f"{year}年度", "政府信息公开工作年度报告", ""],
    ][k]


def _heading(q: _Quirks, n: int, text: str) -> str:
    """`二、主动公开…`, or in some reports `2、 主动公开…` (seed 001)."""
    if q.arabic and q.rng.random() < 0.5:
        return f"{n}、{q.rng.choice(('', ' '))}{text}"
    return f"{_CN[n - 1]}、{text}"


_H4 = ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议、行政诉讼的情况")
_INTRO = {
    "2019": "依据《中华人民共和国政府信息公开条例》有关规定，按照国务院办公厅政府信息与政务公开办公室"
    "《政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）要求，制作{name}{y}年政府信息"
    "公开工作年度报告。本报告统计期限自 {y} 年 1 月 1 日起至 {y} 年 12 月 31 日止。",
    "2021": "本报告依据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室"
    "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，"
    "现发布《{name}{y}年政府信息公开工作年度报告》。本报告统计数据从{y}年1月1日至{y}年12月31日。",
}
_GENERAL = (
    "{y}年，{name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，"
    "把政府信息公开工作作为规范自身行为、提升服务质量的一项重要工作来抓。",
    "{me}高度重视政府信息公开工作，进一步加强组织领导，明确分管领导和具体负责科室，围绕人民群众"
    "关注关切，全面推进政府信息公开工作。",
)
_OTHER = (
    "无其他需要报告的事项。",
    "按照《政府信息公开信息处理费管理办法》规定的按件、按量收费标准，本年度没有产生信息公开处理费。",
)


def _self(name: str) -> str:
    for end, me in (("中心", "我中心"), ("委员会", "我委"), ("镇人民政府", "我镇"), ("厅", "我厅")):
        if name.endswith(end):
            return me
    return "我办" if name.endswith(("办公室", "人民政府")) else "我局"


# --- one report ------------------------------------------------------------------------


@dataclass
class Printed:
    """A report's text, whether it is one cell per line, and where each cell went."""

    text: str
    cell: bool
    raws: dict[Key, str]
    units: dict[Key, str]
    line_of: dict[Key, int]
    narrative: dict[str, Any]


def _print_values(
    rng: random.Random, p: float, vals: dict, empty: dict[Key, str], used: set[str]
) -> tuple[dict[Key, str], dict[Key, str]]:
    """The printed text of every cell, and the units printed in a cell."""
    r = rng.random
    st = _Style(r() < p, r() < p, r() < 0.7, r() < 0.5, r() < p, r() < p, used)
    raws: dict[Key, str] = {}
    units: dict[Key, str] = {}
    plain_zero = not st.ws_pad
    for k, v in vals.items():
        if v is None:
            raws[k] = empty.get(k, "")
            continue
        if v == 0 and plain_zero and k[2] != "amount":
            raws[k] = "0"
            continue
        s = _print_num(rng, v, k[2], st)
        if k == ("active", "procurement", "amount") and st.unit and v:
            u = "元" if isinstance(v, int) and v >= 3000 else "万元"
            s += u
            units[k] = u
            used.add("unit_in_cell")
        raws[k] = s

    return raws, units


def render(
    rng: random.Random,
    *,
    name: str,
    year: int,
    fmt: str,
    profile: str,
    vals: dict[Key, Num | None],
    empty: dict[Key, str],
    extra: bool,
    opts: Options,
    used: set[str],
) -> Printed:
    """Print one report; `empty` holds the text of blank and marked cells, `extra` adds the
    16th table 四 cell. The variants that show are added to `used`."""
    q = _Quirks(rng, opts.quirk_share)
    raws, units = _print_values(rng, q.p, vals, empty, used)
    out = _Out(rng.random() < opts.cell_layout_share)
    used.add("layout_cell" if out.cell else "layout_tab")
    gap = () if out.cell else ("",)
    me = _self(name)
    narrative = _part_one(out, q, name, year, fmt, profile, vals, opts.narrative_share, used)
    out.add(*gap, _heading(q, 2, "主动公开政府信息情况"), *gap)
    _active_table(out, q, fmt, raws)
    out.add(*gap, _heading(q, 3, "收到和处理政府信息公开申请情况"), *gap)
    _requests_table(out, q, fmt, raws, vals)
    note = rng.choice(("requests", "appeals")) if q.on("table_note") else ""
    if note == "requests":
        out.add(rng.choice(_NOTES).format(y=year))
    out.add(*gap, _heading(q, 4, rng.choice(_H4)), *gap)
    _appeals_table(out, q, raws, extra)
    if note == "appeals":
        out.add(rng.choice(_NOTES).format(y=year))
    out.add(*gap, _heading(q, 5, "存在的主要问题及改进情况"), *gap)
    out.add(f"{q.br(1)}存在问题。{me}政府信息公开工作虽然取得了一定成效，但在公开的内容、规范性、"
            f"主动性等方面还有待提高。", *gap,
            f"{q.br(2)}改进措施。{year + 1}年，{me}将加大培训力度，提升发布信息、解读政策、"
            f"回应关切的能力。", *gap)  # fmt: skip
    out.add(_heading(q, 6, "其他需要报告的事项"), *gap, rng.choice(_OTHER), "")
    used |= q.used
    return Printed("\n".join(out.lines), out.cell, raws, units, out.line_of, narrative)


# A note under a table, with numbers that are not cells.
_NOTES = ("注：本表数据统计截至{y}年12月31日。", "注：1.本表单位为件；2.数据来源于本机关登记台账。")


def _narrative_num(rng: random.Random, n: int, used: set[str]) -> str:
    """A count in running text; large ones sometimes with thousands separators (1,234条)."""
    if n >= 1000 and rng.random() < 0.5:
        used.add("narrative_thousands")
        return f"{n:,}"
    if rng.random() < 0.1:
        used.add("narrative_fullwidth")
        return str(n).translate(_FW)
    return str(n)


def _part_one(
    out: _Out,
    q: _Quirks,
    name: str,
    year: int,
    fmt: str,
    profile: str,
    vals: dict,
    share: float,
    used: set[str],
) -> dict[str, Any]:
    """Title, preface and 一、总体情况; the narrative figures it states, with their lines."""
    rng = q.rng
    me = _self(name)
    narrative: dict[str, Any] = {}
    gap = () if out.cell else ("",)
    out.add(*_title(q, name, year))
    intro = _INTRO[fmt].format(name=name, y=year, y1=year + 1)
    if name.endswith("机关事务管理局") and rng.random() < 0.5:
        intro = intro.replace(name, name.replace("管理局", "局"), 1)
        used.add("alias")
    out.add(intro, *gap, _heading(q, 1, "总体情况"), *gap)
    general = rng.choice(_GENERAL).format(name=name, me=me, y=year)
    if q.on("bookmark"):
        general = "[bookmark: _GoBack]" + general
    out.add(general, *gap, q.br(1) + "主动公开情况", *gap)
    top = {"zero": 40, "small": 300, "busy": 6000}[profile]
    n_active = rng.randint(1, top)
    if rng.random() < share:
        k = rng.randrange(3)
        n = _narrative_num(rng, n_active, used)
        approx = k == 0 and rng.random() < 0.15  # 共26余条: no exact figure (value null)
        ev = (f"通过政府网站公开信息共{n}{'余' if approx else ''}条", f"主动公开{n}个",
              f"主动公开{n}个")[k]  # fmt: skip
        if approx:
            used.add("narrative_approx")
        lead = f"行政发文{n_active + rng.randint(0, 20)}个，" if k == 2 else ""
        if k == 2:
            used.add("decoy_count")
        out.add(f"{year}年，{me}政府信息公开工作运行良好，{lead}{ev}，主要包括机构基本信息、"
                "部门文件、部门动态信息、部门预决算等。")  # fmt: skip
        narrative["active_disclosure_items"] = {"value": None if approx else n_active, "evidence": ev,
                                                "line": len(out.lines)}  # fmt: skip
        used.add("narrative_active")
    else:
        out.add(f"{me}坚持把主动公开作为常态，及时公开机构职能、部门文件和工作动态等信息。")
    out.add(*gap, q.br(2) + "依申请公开情况", *gap)
    new_total = vals["requests", "new", "total"]
    if new_total is not None and rng.random() < share:
        if new_total == 0:
            ev = rng.choice(("未收到政府信息公开申请", "未收到任何形式的政府信息公开申请"))
            out.add(f"{year}年，{me}{ev}，未发生针对{me}政府信息公开事务的行政复议、行政诉讼案件。")
        else:
            ev = f"收到政府信息公开申请{_narrative_num(rng, new_total, used)}件"
            out.add(f"{year}年，{me}共{ev}，均在法定期限内予以答复。")
        narrative["applications_received"] = {"value": new_total, "evidence": ev,
                                              "line": len(out.lines)}  # fmt: skip
        used.add("narrative_apps")
    else:
        out.add(
            f"{me}严格按照受理、登记、审查、答复、送达、归档等程序办理依申请公开，保证依法规范。"
        )
    out.add(*gap, q.br(3) + "政府信息管理情况", *gap)
    if q.on("decoy_hotline"):
        out.add(f"{year}年{me}接到12345便民服务热线转来工单共{rng.randint(1, 9)}件，均已办结。")
    out.add(f"{me}严格落实信息发布“三审”制度，坚持“先审查、后公开”，确保政府信息公开工作规范运行。")
    return narrative
