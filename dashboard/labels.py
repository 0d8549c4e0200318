"""Ids in Chinese: cells, checks, parser warnings, city- and region-level rows.

Why here: the labels themselves live in etl/spec.py; this module only composes them (a cell
is its row and its column, a check is its rule and what it is about) and translates the
parser's English warnings, which stay English in the database and the logs.
"""

from __future__ import annotations

import re

import polars as pl

from etl import spec


def cell_name(row: str, col: str | None = None) -> str:
    """A cell id in Chinese, e.g. 'new · total' → '本年新收申请·总计'."""
    name = spec.ROW_NAMES.get(row, row)
    return name if col is None else f"{name}·{spec.COL_NAMES.get(col, col)}"


def check_name(check_id: str) -> str:
    """A check id in Chinese: its rule, then the row or column it is about."""
    head, _, tail = check_id.rpartition(".")
    label = spec.CHECK_NAMES.get(head, head)
    return f"{label}：{spec.ROW_NAMES.get(tail, spec.COL_NAMES.get(tail, tail))}"


def check_columns() -> dict[str, pl.Expr]:
    """校验, 结果, 明细 of a frame of checks (check_id, status, detail), as every page lists
    them: `df.select(**check_columns())`."""
    return {
        "校验": pl.col("check_id").map_elements(check_name, return_dtype=pl.String),
        "结果": pl.col("status").replace_strict(spec.CHECK_STATUS_NAMES, default=pl.col("status")),
        "明细": pl.col("detail"),
    }


def report_columns() -> dict[str, pl.Expr]:
    """报告 ('某局 2023年'), 机构, 年度, 区县 of a frame of reports (agency, year, area)."""
    return {
        "报告": pl.format("{} {}年", "agency", "year"),
        "机构": pl.col("agency"),
        "年度": pl.col("year"),
        "区县": pl.col("area"),
    }


def format_name(fmt: str | None) -> str | None:
    """A report format in Chinese ('2019版（试行格式）'); an unknown one as it is."""
    return None if fmt is None else spec.FORMAT_NAMES.get(fmt, fmt)


def is_level_row(name: object) -> bool:
    """A city-level (某市（市直）) or region-level (自治区本级) row among counties."""
    text = str(name or "")
    return text.endswith(spec.CITY_LEVEL_SUFFIX) or text == spec.REGION_LEVEL


def city_column(city: str = "city") -> pl.Expr:
    """地市 as the groupings name it: an agency of the region itself is '自治区本级'."""
    return pl.col(city).fill_null(spec.REGION_LEVEL)


def county_column(city: str = "city", county: str = "county") -> pl.Expr:
    """区县 as the groupings name it: an agency of a city itself is '固原市（市直）', one of
    the region itself '自治区本级' — the same spelling on every page and in every chart."""
    return pl.coalesce(
        pl.col(county), pl.col(city) + pl.lit(spec.CITY_LEVEL_SUFFIX), pl.lit(spec.REGION_LEVEL)
    )


# Parser warnings are English in the database, logs and JSON; on screen they are Chinese.
_TABLES = {t: f"表{n}" for t, n in spec.TABLE_NUMBERS.items()}
_WARNING_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(\d+) cells for (\d+) columns can be read (\d+) ways; left empty"),
        r"\1 个数字对应 \2 列，有 \3 种读法，无法确定，已留空",
    ),
    (
        re.compile(r"^(\d+) cells for (\d+) columns; left empty"),
        r"\1 个数字对应 \2 列，无法确定位置，已留空",
    ),
    (
        re.compile(r"^(\d+) cells for (\d+) columns; the extra .*"),
        r"\1 个数字对应 \2 列，多出的数字无法确定位置，已舍弃",
    ),
    (
        re.compile(r"^(\d+) values for (\d+) columns, some printed in one cell.*"),
        r"\1 个数字对应 \2 列，部分挤在同一格中，已留空",
    ),
    (
        re.compile(r"^cell '(.*)' \(line (\d+)\) is not a number; left empty"),
        r"第 \2 行的“\1”不是数字，已留空",
    ),
    (
        re.compile(r"^values printed on several lines around the label.*"),
        "数字分散在标签前后多行，顺序无法确定，已留空",
    ),
    (
        re.compile(r"^row (\w+) printed twice \(line (\d+)\); kept the first"),
        r"第 \2 行重复出现同一行，保留第一次出现的数字",
    ),
    (re.compile(r"^no cells read for rows (.*)"), r"以下行未读出数字：\1"),
    (re.compile(r"^numbers after an unknown label.*"), "未知标签后的数字未采用"),
    (re.compile(r"^table (\S+) \((\w+)\) not found"), r"未找到表\1"),
    (
        re.compile(r"^metadata: the title says (\d+), the statistics period (\d+)"),
        r"标题写的是 \1 年，统计期间是 \2 年",
    ),
    (re.compile(r"^metadata: no agency name found in the title"), "标题中没有找到机构名称"),
    (re.compile(r"^metadata: no report year found.*"), "标题和统计期间中都没有找到报告年度"),
    (
        re.compile(r"^metadata: agency taken from the page's publisher.*"),
        "机构名称取自网页的发布机构，而非标题",
    ),
    (re.compile(r"^the text ends inside table 三.*"), "正文在表三中间结束，报告可能不完整"),
    (re.compile(r"^no tables: .*"), "没有统计表：只读出了开头和正文"),
    (re.compile(r"^format: headers of both formats.*"), "表头同时像 2019 版和 2021 版格式"),
    (re.compile(r"^region: .*"), "地区判断存在歧义，见报告详情中的地区"),
    (re.compile(r"^file time .* is in the future.*"), "文件时间晚于当前时间，未用于判断最新版本"),
    (
        re.compile(r"^line (\d+) prints the 2019 row （六）其他处理.*"),
        r"第 \1 行在 2021 版表中印有 2019 版的“（六）其他处理”行",
    ),
]
_PREFIX = re.compile(
    r"^(active|requests|appeals)(?:\.(\w+))?(?: \(line (\d+)\))?: (?:line (\d+): )?"
)


def warning_zh(message: str) -> str:
    """A parser warning in Chinese (the English stays in the database and the logs); one the
    rules do not know is named as such, never shown in English on screen."""
    text = str(message)
    head = ""
    m = _PREFIX.match(text)
    if m:
        head = _TABLES[m.group(1)]
        if m.group(2):
            head += "·" + spec.ROW_NAMES.get(m.group(2), m.group(2))
        line = m.group(3) or m.group(4)
        head += f"（第 {line} 行）" if line else ""
        head += "："
        text = text[m.end() :]
    for pattern, zh in _WARNING_RULES:
        if pattern.search(text):
            return head + pattern.sub(zh, text)
    line = re.search(r"line (\d+)", text)
    where = f"（第 {line.group(1)} 行）" if line else ""
    return f"{head}解析提示{where}：原文为英文，见日志"
