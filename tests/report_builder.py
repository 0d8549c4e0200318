"""Build report texts in the layouts of the seeds, with chosen values, for layout tests.

The labels and the header lines are those of the seeds (000 for the 2019 format, 003 for
2021); the values are the caller's, so a value read from the wrong place shows.
"""

from __future__ import annotations

from etl import spec

ACTIVE_2019 = [
    ("第二十条第（一）项\t\t\t", None),
    ("信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", None),
    ("规章", "rules"),
    ("规范性文件", "normative"),
    ("第二十条第（五）项\t\t\t", None),
    ("信息内容\t上一年项目数量\t本年增/减\t处理决定数量", None),
    ("行政许可", "licensing"),
    ("其他对外管理服务事项", "other_services"),
    ("第二十条第（六）项\t\t\t", None),
    ("信息内容\t上一年项目数量\t本年增/减\t处理决定数量", None),
    ("行政处罚", "penalty"),
    ("行政强制", "coercion"),
    ("第二十条第（八）项\t\t\t", None),
    ("信息内容\t上一年项目数量\t本年增/减\t", None),
    ("行政事业性收费", "fees"),
    ("第二十条第（九）项\t\t\t", None),
    ("信息内容\t采购项目数量\t采购总金额\t", None),
    ("政府集中采购", "procurement"),
]
ACTIVE_2021 = [
    ("第二十条第（一）项\t\t\t", None),
    ("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", None),
    ("规章", "rules"),
    ("行政规范性文件", "normative"),
    ("第二十条第（五）项\t", None),
    ("信息内容\t本年处理决定数量", None),
    ("行政许可", "licensing"),
    ("第二十条第（六）项\t", None),
    ("信息内容\t本年处理决定数量", None),
    ("行政处罚", "penalty"),
    ("行政强制", "coercion"),
    ("第二十条第（八）项\t", None),
    ("信息内容\t本年收费金额（单位：万元）", None),
    ("行政事业性收费", "fees"),
]

REQUEST_HEADER = [
    "\t\t申请人情况\t\t\t\t\t\t总计\t",
    "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t\t\t\t\t\t\t",
]

REQUEST_LABELS = {
    "new": ["一、本年新收政府信息公开申请数量", ""],
    "carried_in": ["二、上年结转政府信息公开申请数量", ""],
    "granted": ["三、本年度办理结果", "（一）予以公开"],
    "partial": ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
    "denied_1": ["", "（三）不予公开", "1.属于国家秘密"],
    "denied_2": ["", "", "2.其他法律行政法规禁止公开"],
    "denied_3": ["", "", "3.危及“三安全一稳定”"],
    "denied_4": ["", "", "4.保护第三方合法权益"],
    "denied_5": ["", "", "5.属于三类内部事务信息"],
    "denied_6": ["", "", "6.属于四类过程性信息"],
    "denied_7": ["", "", "7.属于行政执法案卷"],
    "denied_8": ["", "", "8.属于行政查询事项"],
    "unable_1": ["", "(四) 无法提供", "1.本机关不掌握相关政府信息"],
    "unable_2": ["", "", "2.没有现成信息需要另行制作"],
    "unable_3": ["", "", "3.补正后申请内容仍不明确"],
    "not_processed_1": ["", "(五) 不予处理", "1.信访举报投诉类申请"],
    "not_processed_2": ["", "", "2.重复申请"],
    "not_processed_3": ["", "", "3.要求提供公开出版物"],
    "not_processed_4": ["", "", "4.无正当理由大量反复申请"],
    "not_processed_5": ["", "", "5.要求行政机关确认或重新出具已获取信息"],
    "other": ["", "(六) 其他处理", ""],
    "other_1": [
        "",
        "(六)其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ],
    "other_2": ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    "other_3": ["", "", "3.其他"],
    "total": ["", "(七) 总计", ""],
    "carried_out": ["四、结转下年度继续办理", "", ""],
}

APPEALS_HEADER = [
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
]


def distinct_values(fmt: str, start: int = 1) -> dict[tuple[str, str, str], str]:
    """A distinct non-zero printed value for every cell of the format."""
    return {cell: str(start + i) for i, cell in enumerate(spec.cells(fmt))}


def balanced_requests(fmt: str) -> dict[tuple[str, str, str], str]:
    """Table 三 values that satisfy every in-report check, all distinct per column."""
    out = {}
    outcomes = spec.OUTCOME_ROWS[fmt]
    applicants = spec.APPLICANT_COLS
    for j, col in enumerate(applicants):
        per_row = {row: (i + 1) * (j + 2) for i, row in enumerate(outcomes)}
        total = sum(per_row.values())
        carried_in = j + 3
        carried_out = j + 1
        new = total + carried_out - carried_in
        vals = {"new": new, "carried_in": carried_in, "total": total, "carried_out": carried_out}
        vals.update(per_row)
        for row, v in vals.items():
            out[("requests", row, col)] = v
    for row in spec.REQUEST_ROWS[fmt]:
        out[("requests", row, "total")] = sum(out[("requests", row, c)] for c in applicants)
    return {k: str(v) for k, v in out.items()}


def table_lines(fmt: str, values: dict) -> dict[str, list[str]]:
    """The three tables in the tab-row layout of seed 000, as lists of lines."""
    active = []
    for text, row in ACTIVE_2019 if fmt == "2019" else ACTIVE_2021:
        if row is None:
            active.append(text)
            continue
        cols = spec.ACTIVE_COLS[fmt][row]
        active.append("\t".join([text] + [values[("active", row, c)] for c in cols]))
    requests = list(REQUEST_HEADER)
    for row in spec.REQUEST_ROWS[fmt]:
        cells = REQUEST_LABELS[row] + [values[("requests", row, c)] for c in spec.REQUEST_COLS]
        requests.append("\t".join(cells))
    appeals = list(APPEALS_HEADER)
    appeals.append(
        "\t".join(values[("appeals", r, c)] for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS)
    )
    return {"active": active, "requests": requests, "appeals": appeals}


def report_text(
    fmt: str,
    values: dict,
    *,
    agency: str = "原州区教育局",
    year: int | None = None,
    tables: dict[str, list[str]] | None = None,
    narrative: str = "本年度通过政府网站公开信息共35条。本年度收到政府信息公开申请12件。",
    headings: tuple[str, str, str] = (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ),
) -> str:
    """A whole report around the tables: title, 一、总体情况, the tables, 五、六、."""
    year = year or (2020 if fmt == "2019" else 2022)
    t = tables or table_lines(fmt, values)
    parts = [
        agency,
        "",
        f"{year}年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        narrative,
        "",
        headings[0],
        "",
        *t["active"],
        "",
        headings[1],
        "",
        *t["requests"],
        "",
        headings[2],
        "",
        *t["appeals"],
        "",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无其他需要报告的事项。",
    ]
    return "\n".join(parts) + "\n"


def one_cell_per_line(lines: list[str], *, gaps: bool = True, tab: bool = True) -> list[str]:
    """Turn tab rows into the layout of seeds 001/002: one cell per line behind a tab (or,
    `tab=False`, on a plain line: an empty cell is then an empty line)."""
    lead = "\t" if tab else ""
    out = []
    for line in lines:
        out.extend(lead + cell for cell in line.split("\t"))
        if gaps:
            out.append("")
    return out


def expected(fmt: str, values: dict) -> dict[tuple[str, str, str], object]:
    """The values the parser must return for printed `values` (blank/mark → None)."""
    out = {}
    for cell in spec.cells(fmt):
        raw = values[cell].strip(" \u3000")
        try:
            out[cell] = int(raw)
        except ValueError:
            out[cell] = None
    return out
