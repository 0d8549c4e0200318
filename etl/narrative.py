"""Stage 6: figures the narrative states — items proactively published, applications received.

Each figure keeps its evidence: the clause it was read from and its line. A figure the
text gives only roughly ("20余万条", "近百条") is kept as evidence with value None.
"""

from __future__ import annotations

import re

from etl.normalize import clean_line

# Clauses end at sentence punctuation and at commas, but not at a thousands separator.
_CLAUSE_END = re.compile(r"[。；;！!？?\n]|[，,](?!\d{3}(?:\D|$))")
_UNIT = r"(?:条|个|件|篇|项|期)"

_ACTIVE = re.compile(
    r"(?:主动)?(?:公开|发布)(?:政府)?(?:各类)?(?:政务)?(?:信息)?[^，,。；;]{0,6}?"
    r"(?:共|累计|合计|总计)?\s*(近|约)?\s*(\d[\d,，]*)\s*(余|多)?(万)?(余|多)?\s*" + _UNIT
)
_APPS_NONE = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|发生)[^，,。；;]{0,16}?(?:公开)?申请"
    r"|(?:收到|受理)[^，,。；;]{0,12}?申请[^，,。；;\d]{0,4}?(?:为)?(?<!\d)0\s*件"
)
_APPS = re.compile(
    r"(?:收到|受理|接到)[^，,。；;]{0,16}?申请[^，,。；;\d]{0,6}?(近|约)?(\d[\d,，]*)\s*(余|多)?\s*"
    r"(?:件|个|条|份)"
)


def _clauses(lines: list[tuple[int, str]]):
    for no, line in lines:
        for clause in _CLAUSE_END.split(clean_line(line)):
            if clause.strip():
                yield no, clause.strip()


def _number(digits: str) -> int:
    return int(re.sub(r"[,，]", "", digits))


def extract(lines: list[tuple[int, str]]) -> dict[str, dict]:
    """Narrative figures from (line number, text) pairs outside the tables."""
    out: dict[str, dict] = {}
    for no, clause in _clauses(lines):
        if "active_disclosure_items" not in out:
            m = _ACTIVE.search(clause)
            if m and "申请" not in clause:
                near, digits, more, wan, more2 = m.groups()
                approx = bool(near or more or wan or more2)
                out["active_disclosure_items"] = {
                    "value": None if approx else _number(digits),
                    "evidence": clause,
                    "line": no,
                    "approximate": approx,
                }
        if "applications_received" not in out:
            if _APPS_NONE.search(clause):
                out["applications_received"] = {
                    "value": 0,
                    "evidence": clause,
                    "line": no,
                    "approximate": False,
                }
            elif m := _APPS.search(clause):
                near, digits, more = m.groups()
                approx = bool(near or more)
                out["applications_received"] = {
                    "value": None if approx else _number(digits),
                    "evidence": clause,
                    "line": no,
                    "approximate": approx,
                }
    return out
