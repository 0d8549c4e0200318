"""A report laid out as it is printed, for 报告详情 and for the preview of 导入报告.

Pure functions over a report's metadata and cells (from the database or straight from the
parser): blank cells stay empty, marks such as '/' are shown as printed, 0 stays 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from etl import spec

# Table 二 prints its rows in sections of the regulation's article 20, each with its header.
SECTIONS = {
    "rules": "第二十条第（一）项",
    "licensing": "第二十条第（五）项",
    "penalty": "第二十条第（六）项",
    "fees": "第二十条第（八）项",
    "procurement": "第二十条第（九）项",
}
IN_NINGXIA = {True: "是", False: "否（不计入宁夏统计）"}

Cells = Mapping[tuple[str, str, str], str]


def shown(value: float | None, raw: str | None) -> str:
    """A cell as printed: blank is empty, a mark ('/', '—') as printed, a number as printed."""
    text = (raw or "").strip().replace("\u3000", "")
    if value is None or text:
        return text
    v = float(value)
    return f"{v:.0f}" if v.is_integer() else f"{v}"


def grids(cells: Cells, fmt: str | None, table: str) -> list[tuple[str, pl.DataFrame]]:
    """One table as (section caption, rows × columns) grids; table 二 comes in its sections.
    Empty when the table's format is unknown (its tables were not read)."""
    if table != "appeals" and fmt not in spec.FORMATS:
        return []
    if table == "active":
        groups: list[tuple[str, list[str]]] = []
        for row in spec.ACTIVE_ROWS[fmt]:
            if row in SECTIONS or not groups:
                groups.append((SECTIONS.get(row, ""), [row]))
            else:
                groups[-1][1].append(row)
        parts = [(s, rows, spec.ACTIVE_COLS[fmt][rows[0]]) for s, rows in groups]
    elif table == "requests":
        parts = [("", list(spec.REQUEST_ROWS[fmt]), spec.REQUEST_COLS)]
    else:
        parts = [("", list(spec.APPEAL_ROWS), spec.APPEAL_COLS)]
    out = []
    for section, rows, cols in parts:
        data = {"项目": [spec.ROW_NAMES.get(r, r) for r in rows]}
        for c in cols:
            data[spec.COL_NAMES.get(c, c)] = [cells.get((table, r, c), "") for r in rows]
        out.append((section, pl.DataFrame(data, schema={k: pl.String for k in data})))
    return out


def summary(meta: Mapping[str, Any], *extra: tuple[str, str]) -> pl.DataFrame:
    """机构, 年度, 格式, 地区, 机构类别, 解析状态 and the caller's `extra` rows, as text."""
    place = " ".join(x for x in (meta.get("province"), meta.get("city"), meta.get("county")) if x)
    status = meta.get("status") or ""
    rows = [
        ("机构", meta.get("agency") or "（未识别）"),
        ("年度", str(meta.get("year") or "（未识别）")),
        ("报告格式", spec.FORMAT_NAMES.get(meta.get("format") or "", "未能读出表格")),
        ("所属地区", place or "未能识别"),
        ("是否宁夏", IN_NINGXIA.get(meta.get("in_ningxia"), "无法判断")),
        ("机构类别", meta.get("agency_type") or spec.UNCLASSIFIED),
        ("解析状态", spec.PARSE_STATUS.get(status, status)),
        *extra,
    ]
    return pl.DataFrame({"项目": [k for k, _ in rows], "内容": [v for _, v in rows]})
