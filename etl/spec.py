"""Every domain id and its Chinese label: cells per format, tables, outcome groups, checks,
narrative figures, statuses and the fallback names of regions and agency types
(shared/report-format.md).

This module is the contract between the parser, the database, the dashboard and the
test gold files: nothing else spells a row or column id or the label of one. The build
copies the labels into the database tables `cells` and `rules` (etl/store.py).
"""

from __future__ import annotations

FORMATS = ("2019", "2021")
FORMAT_NAMES = {"2019": "2019版（试行格式）", "2021": "2021版"}
TABLES = ("active", "requests", "appeals")
TABLE_NUMBERS = {"active": "二", "requests": "三", "appeals": "四"}  # as the template numbers them

# --- Table 二 `active` -----------------------------------------------------------------
ACTIVE_ROWS: dict[str, tuple[str, ...]] = {
    "2019": (
        "rules",
        "normative",
        "licensing",
        "other_services",
        "penalty",
        "coercion",
        "fees",
        "procurement",
    ),
    "2021": ("rules", "normative", "licensing", "penalty", "coercion", "fees"),
}

_STOCK_2019 = ("made", "published", "total_public")
_ITEMS_2019 = ("prev_items", "change", "decisions")
ACTIVE_COLS: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "rules": _STOCK_2019,
        "normative": _STOCK_2019,
        "licensing": _ITEMS_2019,
        "other_services": _ITEMS_2019,
        "penalty": _ITEMS_2019,
        "coercion": _ITEMS_2019,
        "fees": ("prev_items", "change"),
        "procurement": ("projects", "amount"),
    },
    "2021": {
        "rules": ("issued", "repealed", "in_force"),
        "normative": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount",),
    },
}

ACTIVE_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "rules": ("规章",),
    "normative": ("规范性文件", "行政规范性文件"),
    "licensing": ("行政许可",),
    "other_services": ("其他对外管理服务事项",),
    "penalty": ("行政处罚",),
    "coercion": ("行政强制",),
    "fees": ("行政事业性收费",),
    "procurement": ("政府集中采购",),
}

# Column headers of table 二, normalised (no spaces, half-width brackets). A header
# names its format: this is how the format is detected.
ACTIVE_HEADERS: dict[str, tuple[str, str]] = {
    "本年新制作数量": ("2019", "made"),
    "本年新公开数量": ("2019", "published"),
    "对外公开总数量": ("2019", "total_public"),
    "上一年项目数量": ("2019", "prev_items"),
    "本年增/减": ("2019", "change"),
    "处理决定数量": ("2019", "decisions"),
    "采购项目数量": ("2019", "projects"),
    "采购总金额": ("2019", "amount"),
    "本年制发件数": ("2021", "issued"),
    "本年废止件数": ("2021", "repealed"),
    "现行有效件数": ("2021", "in_force"),
    "本年处理决定数量": ("2021", "decisions"),
    "本年收费金额": ("2021", "amount"),
    "本年收费金额(单位:万元)": ("2021", "amount"),
}

# --- Table 三 `requests` ---------------------------------------------------------------
REQUEST_COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")
APPLICANT_COLS = REQUEST_COLS[:-1]

_DENIED = tuple(f"denied_{i}" for i in range(1, 9))
_UNABLE = tuple(f"unable_{i}" for i in range(1, 4))
_NOT_PROCESSED = tuple(f"not_processed_{i}" for i in range(1, 6))
_HEAD = ("new", "carried_in", "granted", "partial")
REQUEST_ROWS: dict[str, tuple[str, ...]] = {
    "2019": _HEAD + _DENIED + _UNABLE + _NOT_PROCESSED + ("other", "total", "carried_out"),
    "2021": _HEAD
    + _DENIED
    + _UNABLE
    + _NOT_PROCESSED
    + ("other_1", "other_2", "other_3", "total", "carried_out"),
}
OUTCOME_ROWS: dict[str, tuple[str, ...]] = {
    fmt: tuple(r for r in rows if r not in ("new", "carried_in", "total", "carried_out"))
    for fmt, rows in REQUEST_ROWS.items()
}

# The outcomes in the template's order, each with the group it belongs to: charts colour a
# group as one hue (予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理) and its
# sub-reasons as shades of it, in this order in legends and stacks.
OUTCOME_ORDER: tuple[str, ...] = (
    ("granted", "partial")
    + _DENIED
    + _UNABLE
    + _NOT_PROCESSED
    + ("other", "other_1", "other_2", "other_3")
)
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "予以公开": ("granted",),
    "部分公开": ("partial",),
    "不予公开": _DENIED,
    "无法提供": _UNABLE,
    "不予处理": _NOT_PROCESSED,
    "其他处理": ("other", "other_1", "other_2", "other_3"),
}

# A 2021-format table 三 that still prints the 2019 format's single （六）其他处理 row: its
# values are kept under this optional row id, and the outcome check counts it instead of
# other_1..3 (which that table does not print).
OLD_OTHER_ROW = "other"
OLD_OTHER_REPLACES = ("other_1", "other_2", "other_3")


def outcome_rows(fmt: str, old_other: bool = False) -> tuple[str, ...]:
    """The outcome rows whose sum the 总计 row states."""
    rows = OUTCOME_ROWS[fmt]
    if fmt == "2021" and old_other:
        rows = tuple(r for r in rows if r not in OLD_OTHER_REPLACES) + (OLD_OTHER_ROW,)
    return rows


# Row labels, normalised: no numbering prefix, no spaces, no bracketed remark.
REQUEST_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "new": ("本年新收政府信息公开申请数量",),
    "carried_in": ("上年结转政府信息公开申请数量",),
    "granted": ("予以公开",),
    "partial": ("部分公开",),
    "denied_1": ("属于国家秘密",),
    "denied_2": ("其他法律行政法规禁止公开",),
    "denied_3": ("危及“三安全一稳定”", "危及三安全一稳定"),
    "denied_4": ("保护第三方合法权益",),
    "denied_5": ("属于三类内部事务信息",),
    "denied_6": ("属于四类过程性信息",),
    "denied_7": ("属于行政执法案卷",),
    "denied_8": ("属于行政查询事项",),
    "unable_1": ("本机关不掌握相关政府信息",),
    "unable_2": ("没有现成信息需要另行制作",),
    "unable_3": ("补正后申请内容仍不明确",),
    "not_processed_1": ("信访举报投诉类申请",),
    "not_processed_2": ("重复申请",),
    "not_processed_3": ("要求提供公开出版物",),
    "not_processed_4": ("无正当理由大量反复申请",),
    "not_processed_5": ("要求行政机关确认或重新出具已获取信息",),
    "other": ("其他处理",),
    "other_1": ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",),
    "other_2": ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",),
    "other_3": ("其他",),
    "total": ("总计",),
    "carried_out": ("结转下年度继续办理",),
}
REQUEST_GROUP_LABELS = ("本年度办理结果", "不予公开", "无法提供", "不予处理")

REQUEST_HEADER_WORDS = (
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
)

# --- Table 四 `appeals` ----------------------------------------------------------------
APPEAL_ROWS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLS = ("upheld", "corrected", "other", "pending", "total")
APPEAL_HEADER_WORDS = (
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
)

# --- Chinese names, for the interface and the detail page --------------------------------
TABLE_NAMES = {
    "active": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}
ROW_NAMES: dict[str, str] = {
    "rules": "规章",
    "normative": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
    "new": "本年新收申请",
    "carried_in": "上年结转申请",
    "granted": "予以公开",
    "partial": "部分公开",
    "denied_1": "不予公开·国家秘密",
    "denied_2": "不予公开·法律法规禁止",
    "denied_3": "不予公开·危及三安全一稳定",
    "denied_4": "不予公开·保护第三方权益",
    "denied_5": "不予公开·三类内部事务",
    "denied_6": "不予公开·四类过程性信息",
    "denied_7": "不予公开·行政执法案卷",
    "denied_8": "不予公开·行政查询事项",
    "unable_1": "无法提供·本机关不掌握",
    "unable_2": "无法提供·需另行制作",
    "unable_3": "无法提供·补正后仍不明确",
    "not_processed_1": "不予处理·信访举报投诉",
    "not_processed_2": "不予处理·重复申请",
    "not_processed_3": "不予处理·公开出版物",
    "not_processed_4": "不予处理·大量反复申请",
    "not_processed_5": "不予处理·确认或重新出具",
    "other": "其他处理",
    "other_1": "其他处理·逾期不补正",
    "other_2": "其他处理·逾期未缴费",
    "other_3": "其他处理·其他",
    "total": "总计",
    "carried_out": "结转下年度办理",
    "review": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}
COL_NAMES: dict[str, str] = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_public": "对外公开总数量",
    "prev_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "金额",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social": "社会公益组织",
    "legal": "法律服务机构",
    "other": "其他",
    "total": "总计",
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "pending": "尚未审结",
}


def cells(fmt: str, old_other: bool = False) -> list[tuple[str, str, str]]:
    """Every (table, row, col) of a format, in reading order; with `old_other`, a 2021 table
    三 that prints the single （六）其他处理 row gets its cells before other_1..3."""
    out = list(_CELLS[fmt])
    if fmt == "2021" and old_other:
        at = out.index(("requests", "other_1", REQUEST_COLS[0]))
        out[at:at] = [("requests", OLD_OTHER_ROW, c) for c in REQUEST_COLS]
    return out


def _cells(fmt: str) -> tuple[tuple[str, str, str], ...]:
    out: list[tuple[str, str, str]] = []
    for row in ACTIVE_ROWS[fmt]:
        out += [("active", row, col) for col in ACTIVE_COLS[fmt][row]]
    for row in REQUEST_ROWS[fmt]:
        out += [("requests", row, col) for col in REQUEST_COLS]
    for row in APPEAL_ROWS:
        out += [("appeals", row, col) for col in APPEAL_COLS]
    return tuple(out)


_CELLS = {fmt: _cells(fmt) for fmt in FORMATS}


# --- Checks: a check id is `<rule>.<row or column>` (etl/checks.py, derived.sql) ----------
CHECK_NAMES = {
    "requests.balance": "依申请勾稽关系（新收+上年结转＝办理结果+结转下年）",
    "requests.outcomes": "办理结果合计＝总计",
    "requests.applicants": "各类申请人之和＝总计列",
    "appeals.total": "复议、诉讼各项之和＝总计",
    "carryover": "跨年结转衔接（上年结转下年＝本年上年结转）",
    "in_force": "现行有效件数衔接（上年现行有效+本年制发−废止）",
}
IN_REPORT_RULES = ("requests.balance", "requests.outcomes", "requests.applicants", "appeals.total")
CROSS_YEAR_RULES = ("carryover", "in_force")
CHECK_STATUS_NAMES = {"ok": "通过", "failed": "未通过", "not_assessable": "无法校验"}
# An agency's year on the 总览 coverage matrix (dashboard.queries.coverage `status`).
COVERAGE_STATUS_NAMES = {"published": "已发布", "failed": "校验未通过", "missing": "未找到"}


def check_rule(check_id: str) -> str:
    """The rule of a check id: `requests.balance.total` → `requests.balance`."""
    return check_id.rsplit(".", 1)[0]


# --- Figures the narrative states (etl/narrative.py) -------------------------------------
ACTIVE_ITEMS = "active_disclosure_items"
APPLICATIONS = "applications_received"
NARRATIVE_NAMES = {
    ACTIVE_ITEMS: "主动公开信息条数（正文所述）",
    APPLICATIONS: "新收申请数（正文所述）",
}

# --- Fallback names where a report does not tell ------------------------------------------
UNCLASSIFIED = "未分类"  # agency type not recognised
REGION_LEVEL = "自治区本级"  # an agency of the region itself: no city
CITY_LEVEL_SUFFIX = "（市直）"  # an agency of a city itself: no county ("固原市（市直）")

# A parsed report's status (`reports.status`), as the dashboard names it.
PARSE_STATUS = {
    "ok": "已读出三张表",
    "partial": "只读出标题，表格未能读出",
    "narrative_only": "只有正文（无统计表）",
}
