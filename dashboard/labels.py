"""Ids in Chinese: cells, checks, parser warnings, city- and region-level rows.

Why here: the labels themselves live in etl/spec.py; this module only composes them (a cell
is its row and its column, a check is its rule and what it is about) and translates the
parser's English warnings, which stay English in the database and the logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


def _rows_named(prefix: str) -> Callable[[re.Match[str]], str]:
    """`prefix` and the rows the warning lists (group 1, `a, b`), by their Chinese names."""
    return lambda m: prefix + "、".join(spec.ROW_NAMES.get(r, r) for r in m.group(1).split(", "))


_WARNING_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
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
    (
        re.compile(r"^(\d+) cells for (\d+) columns \(a page number printed among them\?\).*"),
        r"\1 个数字对应 \2 列，其中可能混有页码，已留空",
    ),
    (
        re.compile(
            r"^(\d+) values for (\d+) columns; (\S+), printed after the page's footer "
            r"\(line (\d+)\), is the \S+ cell in the one reading whose totals? holds?"
        ),
        r"印出 \1 个数字对应 \2 列；页脚之后（第 \4 行）的 \3 是唯一使合计成立的位置，已放回本行",
    ),
    (
        re.compile(
            r"^(\d+) values for (\d+) columns; placed in the columns their page's values "
            r"stand in, the one placement whose totals hold"
        ),
        r"印出 \1 个数字对应 \2 列；按本页各列数字的位置和表内合计关系，只有一种放法成立，已按此放入",
    ),
    (
        re.compile(
            r"^(\d+) numbers for (\d+) columns; the last, (\S+) \(line (\d+)\), is the next "
            r"page's number \(table 二 ended with page number (\d+)\).*"
        ),
        r"印出 \1 个数字对应 \2 列；最后的 \3（第 \4 行）是下一页的页码（表二以第 \5 页页码结束），"
        r"去掉它本行合计成立，已按此读入",
    ),
    (
        re.compile(r"^its label printed after its values; the (\d+) values on lines (\d+)-(\d+).*"),
        r"行标签印在数字之后：第 \2–\3 行的 \1 个数字归入本行",
    ),
    (
        re.compile(r"^values on line (\d+) placed here \(they were printed before its label\)"),
        r"第 \1 行的数字归入本行（数字印在行标签之前）",
    ),
    (
        re.compile(r"^values on line (\d+) placed here \(its label was lost\)"),
        r"第 \1 行的数字归入本行（行标签缺失）",
    ),
    (
        re.compile(
            r"^one value a line in a table where a row printed fewer values than columns, "
            r"and its own total does not hold.*"
        ),
        "每格一行、空格不印的表中有行缺数，本行合计不成立，可能混入了别行的数字，已留空",
    ),
    (
        re.compile(
            r"^one value a line in a table where a row printed fewer values than columns, "
            r"and its total holds, but a 0 moved in.*"
        ),
        "每格一行、空格不印的表中有行缺数，本行合计虽成立，但可能混入上方跨行标签那一行移来的 0，已留空",
    ),
    (
        re.compile(r"^(\d+) values for (\d+) columns in a pipe table cut from the rest.*"),
        r"\1 个数字对应 \2 列，所在表格被截成小段，空格不能说明数字位置，已留空",
    ),
    (
        re.compile(r"^values printed on several lines; the row's own total allows one column.*"),
        "数字分印在多行，本行合计只容许一种列序，已按此读取",
    ),
    (
        re.compile(r"^(\d+) numbers for (\d+) columns, numbers wrapped over lines.*read so"),
        r"\1 段数字对应 \2 列（数字跨行折断），本行合计只容许一种读法，已按此读取",
    ),
    (
        re.compile(r"^numbers wrapped inside their cells .*read whole.*"),
        "格内折行的数字按整数读取（本行合计可以证明）",
    ),
    (
        re.compile(r"^(\d+) values after （六）其他处理 \(line (\d+)\) not placed"),
        r"第 \2 行“（六）其他处理”之后的 \1 个数字无法确定归属，未采用",
    ),
    (
        re.compile(r"^label '(.*)' read as '(.*)' \((\d+)% of its characters\)"),
        r"标签“\1”按“\2”识别（\3% 的字相同）",
    ),
    (
        re.compile(r"^header above \w+ \(line (\d+)\) names .*"),
        r"第 \1 行上方表头的栏目与该行应有的栏目不一致",
    ),
    (
        re.compile(r"^(\d+) line\(s\) of values after \w+ \(lines ([\d, ]+)\) cannot be placed.*"),
        r"本行之后多出 \1 行数字（第 \2 行），无法确定归属，已留空",
    ),
    (
        re.compile(r"^the header row prints two columns' names in one cell.*"),
        "表头把两列的名称印在同一格里，各格与各列对不上，已留空",
    ),
    (
        re.compile(r"^(\d+) values and an empty cell between them, one cell more than columns.*"),
        r"印出 \1 个数字，中间还有一个空格，比列数多一格，且按这些数字本行合计不成立，其中可能有页码，已留空",
    ),
    (
        re.compile(r"^the header row above says the values stand elsewhere than its empty cells.*"),
        "表头与空格所示的数字位置不一致，已留空",
    ),
    (
        re.compile(r"^its last number \(line (\d+)\) ends the table on a line of its own.*"),
        r"最后一个数字（第 \1 行）单独成行、位于表尾，可能是页码，已留空",
    ),
    (
        re.compile(r"^values printed in one cell beside empty cells: the columns were lost.*"),
        "数字挤在空格旁的同一格中，列已错乱，已留空",
    ),
    (
        re.compile(r"^values run together in one cell beside an empty cell; .*read in order"),
        "数字挤在空格旁的同一格中，个数与列数相同且没有折断的数字，已按顺序读取",
    ),
    (
        re.compile(r"^a wide digit alone on its line above more wide digits may be a piece.*"),
        "单独一行的全角数字可能是折行数字的一段，本行合计无法判定，已留空",
    ),
    (
        re.compile(
            r"^its last number (\S+) \(line (\d+)\) stands alone and table 二 ended with page "
            r"number (\d+).*"
        ),
        r"最后一个数字 \1（第 \2 行）单独成行，表二以页码 \3 结尾，它可能是后面的页码，已留空",
    ),
    (
        re.compile(r"^values after the label of an earlier group \(line (\d+)\).*"),
        r"数字出现在前面分组的标签（第 \1 行）之后，提取工具挪动了表格内容，已留空",
    ),
    (
        re.compile(
            r"^(\d+) values for (\d+) columns, and other rows print several values in one.*"
        ),
        r"\1 个数字对应 \2 列，别的行有多个数字挤在同一格，空格不能说明数字位置，已留空",
    ),
    (
        re.compile(
            r"^a value off the label's line stands in a column with a value a line or two.*"
        ),
        "标签行之外的数字与上下一两行的数字同列，可能是格内折行数字的一段，已留空",
    ),
    (
        re.compile(r"^its label printed again at line (\d+) with values after it.*"),
        r"行标签在第 \1 行再次出现且后面有数字，哪些数字属于本行无法确定，合计也不成立，已留空",
    ),
    (re.compile(r"^no cells read for rows (.*)"), _rows_named("以下行未读出数字：")),
    (
        re.compile(r"^empty cells \(printed blank, or a value not placed\) in rows (.*)"),
        _rows_named("以下行部分格子为空（原文未填，或无法确定数字位置）："),
    ),
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
    (
        re.compile(r"^format: the tables name neither format.*"),
        "表中没有可判断格式（2019 版或 2021 版）的表头和行名，未读取表中数字",
    ),
    (re.compile(r"^region: .*"), "地区判断存在歧义，见报告详情中的地区"),
    (re.compile(r"^file time .* is in the future.*"), "文件时间晚于当前时间，未用于判断最新版本"),
    (
        re.compile(r"^its row labels run into their values without separators.*"),
        "行名与数字连写在一起，原文没有分开各格，无法分列读取（请改用 PDF 或 Word 原件）",
    ),
    (
        re.compile(r"^（六）其他处理 \(line (\d+)\) stands on the line of this row's values.*"),
        r"“（六）其他处理”（第 \1 行）印在本行数字所在的行上，本行标签分印在其上下：数字归本行，不作 2019 版的“（六）其他处理”行",
    ),
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
