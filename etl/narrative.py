"""Stage 6: figures the narrative states — items proactively published, applications received.

Each figure keeps its evidence: the clause it was read from, as printed, and its line. A
figure the text gives only roughly ("20余万条", "近百条") or whose unit the page lost
("主动公开政府信息2599，") is kept as evidence with value None. The stated total is the
first figure after its verb, never a sub-count in the brackets that follow it
("共公布政府信息2599条（其中……其他856条）" is 2599).
"""

from __future__ import annotations

import re

from etl.normalize import clean_line, nfkc, simplified
from etl.spec import ACTIVE_ITEMS, APPLICATIONS

# Clauses end at sentence punctuation and at commas, but not at a thousands separator and
# not inside brackets (a total's breakdown stays with its total).
_END = frozenset("。；;！!？?\n，,")
_OPEN, _CLOSE = frozenset("（(【["), frozenset("）)】]")

_NUM = r"(近|约|大约)?\s*(\d[\d,]*)\s*(余|多)?\s*(万)?\s*(余|多)?\s*"
# a unit, or (the page lost it) nothing more in the clause but a bracket
_UNIT_OR_LOST = r"(?:(条|个|件|篇|项|期|份|次|宗)|(?=\s*(?:$|[(（])))"

_ACTIVE = re.compile(
    r"(?:主动)?(?:公开|发布|公布)(?:了)?(?:政府|政务)?(?:各类|各项)?(?:政务|政府)?(?:信息|文件)?"
    r"[^，,。；;\d]{0,8}?(?:共计|共|累计|合计|总计)?\s*" + _NUM + _UNIT_OR_LOST
)
# 近百条 · 上千条 · 数万条: a figure in words, only ever rough
_ROUGH = r"(?:近|约|上|数|几)(?:十|百|千|万)(?:余|多)?万?(?:条|个|件|篇|项)"
_ACTIVE_ROUGH = re.compile(
    r"(?:主动)?(?:公开|发布|公布)(?:了)?(?:政府|政务)?(?:各类|各项)?(?:政务|政府)?(?:信息|文件)?"
    r"[^，,。；;\d]{0,8}?(?:共计|共|累计|合计|总计)?\s*" + _ROUGH
)
_APPS_NONE = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|发生|办理)[^，,。；;]{0,16}?申请"
    r"|(?:收到|受理)[^，,。；;]{0,12}?申请[^，,。；;\d]{0,4}?(?:为)?(?<!\d)0\s*件"
    r"|申请(?:数量|数|件数)?(?:为)?(?:0|零)件"
)
# 收到/受理/办理…申请N件 · 全年办理政府信息公开申请218件
_APPS_VERB_FIRST = re.compile(
    r"(?:收到|受理|接到|接收|办理|处理)[^，,。；;\d]{0,16}?申请[^，,。；;\d]{0,6}?"
    + _NUM
    + _UNIT_OR_LOST
)
# 共收到10件…申请
_APPS_NUMBER_FIRST = re.compile(
    r"(?:收到|受理|接到|接收|办理)\s*" + _NUM + r"(件|个|条|份|宗)[^，,。；;\d]{0,16}?申请"
)
# 各类政府信息公开申请共计81件 · 依申请公开事项共5件
_APPS_TOTAL = re.compile(
    r"申请(?:公开)?(?:事项|件)?[^，,。；;\d]{0,4}?(?:共计|共|合计|总计|累计)\s*"
    + _NUM
    + _UNIT_OR_LOST
)
# a count of reviews, suits or enquiries about applications, not of applications
_NOT_APPLICATIONS = re.compile(
    r"申请[^，,。；;\d]{0,10}?(?:复议|诉讼|咨询)"
    r"|(?:复议|诉讼|咨询|投诉|举报|热线|工单|信访)[^，,。；;\d]{0,4}?申请"
)


_SPLIT = re.compile("[" + re.escape("".join(sorted(_OPEN | _CLOSE | _END))) + "]")
_ANY_FIGURE = re.compile(r"[\d０-９一二三四五六七八九十百千万]|未|没有|无")


def _clauses(lines: list[tuple[int, str]]):
    """Clauses of the narrative, split at sentence punctuation and commas outside brackets
    (not at a thousands separator)."""
    for no, line in lines:
        text = clean_line(line)
        if not _ANY_FIGURE.search(text):
            continue  # no figure and no 未/没有/无: no clause here can state one
        depth, start = 0, 0
        for m in _SPLIT.finditer(text):
            ch, i = m.group(), m.start()
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                if ch in "，," and _thousands(text, i):
                    continue
                if clause := text[start:i].strip():
                    yield no, clause
                start = i + 1
        if clause := text[start:].strip():
            yield no, clause


def _publishes(s: str) -> bool:
    """The words every pattern of items published needs (a cheap test before them, as
    _DIGIT and _ROUGH_WORD are: the patterns are slow where they fail)."""
    return "公开" in s or "发布" in s or "公布" in s


_DIGIT = re.compile(r"\d")  # _ACTIVE's figure
_ROUGH_WORD = re.compile(r"[近约上数几][十百千万]")  # _ACTIVE_ROUGH's figure in words


def _thousands(text: str, i: int) -> bool:
    """A comma between a digit and exactly three more digits: 1,836."""
    return (
        i > 0
        and text[i - 1].isdigit()
        and text[i + 1 : i + 4].isdigit()
        and len(text[i + 1 : i + 4]) == 3
        and not text[i + 4 : i + 5].isdigit()
    )


def _matchable(clause: str) -> str:
    """Simplified, half-width digits and punctuation: what the patterns read."""
    return nfkc(simplified(clause))


def _number(digits: str) -> int:
    return int(re.sub(r"[,，]", "", digits))


def _figure(m: re.Match, clause: str, no: int, groups: tuple[int, ...]) -> dict:
    """value/evidence/line/approximate from a match of _NUM (+ unit)."""
    near, digits, more, wan, more2, unit = (m.group(g) for g in groups)
    approx = bool(near or more or wan or more2)
    fig = {
        "value": None if approx or not unit else _number(digits),
        "evidence": clause,
        "line": no,
        "approximate": approx,
    }
    if not unit:
        fig["unit_lost"] = True
    return fig


def extract(lines: list[tuple[int, str]], traditional: bool = True) -> dict[str, dict]:
    """Narrative figures from (line number, text) pairs outside the tables; `traditional`
    False when the document has no Traditional characters (nothing to convert)."""
    out: dict[str, dict] = {}
    for no, clause in _clauses(lines):
        if len(out) == 2:
            break
        s = _matchable(clause) if traditional else nfkc(clause)
        if ACTIVE_ITEMS not in out and "申请" not in s and _publishes(s):
            m = _ACTIVE.search(s) if _DIGIT.search(s) else None
            if m:
                out[ACTIVE_ITEMS] = _figure(m, clause, no, (1, 2, 3, 4, 5, 6))
            elif _ROUGH_WORD.search(s) and _ACTIVE_ROUGH.search(s):
                out[ACTIVE_ITEMS] = {
                    "value": None,
                    "evidence": clause,
                    "line": no,
                    "approximate": True,
                }
        if APPLICATIONS not in out and "申请" in s:
            if _NOT_APPLICATIONS.search(s):
                continue
            if _APPS_NONE.search(s):
                out[APPLICATIONS] = {
                    "value": 0,
                    "evidence": clause,
                    "line": no,
                    "approximate": False,
                }
            elif m := (
                _APPS_VERB_FIRST.search(s) or _APPS_TOTAL.search(s) or _APPS_NUMBER_FIRST.search(s)
            ):
                out[APPLICATIONS] = _figure(m, clause, no, (1, 2, 3, 4, 5, 6))
    return out
