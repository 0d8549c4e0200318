"""Stage 5: metadata — agency, year, region and agency type — from the report's own text."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from etl.normalize import clean_line, squash

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
PROVINCE = "宁夏回族自治区"

_TITLE = re.compile(r"(20\d{2})年度?(?:的)?政府信息公开(?:工作)?年度报告")
_ANY_TITLE = re.compile(r"政府信息公开(?:工作)?年度报告")
_PERIOD = re.compile(r"(?:统计期限|统计数据|统计时限|统计时间)[^。]{0,8}?(20\d{2})年1月1日")
_LABEL_PREFIX = re.compile(r"^.*?[：:]")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:省|自治区|市|县|区|旗|州|盟))")


@cache
def gazetteer() -> dict[str, dict[str, str]]:
    """name → region row of data/regions.csv."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return {row["name"]: row for row in csv.DictReader(f)}


def title_and_year(lines: list[str]) -> tuple[str | None, int | None, int | None]:
    """Agency and year from the title, which may be split over lines or carry spaces.

    Looks only at the head of the report (before its first long paragraph or part
    heading). Returns (agency, year, line index of the title).
    """
    head: list[tuple[int, str]] = []
    for i, raw in enumerate(lines[:40]):
        s = squash(clean_line(raw))
        if not s:
            continue
        if len(s) > 60 or re.match(r"^[一二][、.．]", s):
            break
        head.append((i, s))
    for k, (i, s) in enumerate(head):
        window = s + "".join(t for _, t in head[k + 1 : k + 3])
        m = _TITLE.search(window)
        if not m or m.start() >= len(s):
            continue
        agency = _clean_agency(s[: m.start()])
        if not agency and k > 0:
            agency = _clean_agency(head[k - 1][1])
        return agency or None, int(m.group(1)), i
    return None, None, None


def _clean_agency(before: str) -> str:
    """The agency from the text before the title's year: drop `附件：`, `关于…` etc."""
    s = _LABEL_PREFIX.sub("", before) if re.search(r"[：:]", before) else before
    s = re.sub(r"^(?:附件\d*|关于|印发)", "", s)
    s = s.strip('《》〈〉<>“”"')
    return s


def year_from_period(text: str) -> int | None:
    """The year a report covers, from its statistics period sentence."""
    m = _PERIOD.search(squash(text))
    return int(m.group(1)) if m else None


def is_report(text: str) -> bool:
    return bool(_ANY_TITLE.search(squash(text)))


def region(agency: str | None) -> dict:
    """Province, city, county, code and `in_ningxia` from the agency's name."""
    out = {"province": None, "city": None, "county": None, "code": None, "in_ningxia": None}
    if not agency:
        return out
    name = squash(agency)
    gaz = gazetteer()
    counties = [r for r in gaz.values() if r["level"] == "county"]
    cities = [r for r in gaz.values() if r["level"] == "city"]
    for row in sorted(counties, key=lambda r: -len(r["name"])):
        if row["name"] in name:
            return {
                "province": PROVINCE,
                "city": row["city"],
                "county": row["name"],
                "code": row["code"],
                "in_ningxia": True,
            }
    for row in cities:
        if row["name"] in name:
            return {
                "province": PROVINCE,
                "city": row["name"],
                "county": None,
                "code": row["code"],
                "in_ningxia": True,
            }
    if name.startswith(("宁夏", "自治区")):
        return {
            "province": PROVINCE,
            "city": None,
            "county": None,
            "code": "640000",
            "in_ningxia": True,
        }
    m = _PLACE.match(name)
    if m:
        place = m.group(1)
        out["in_ningxia"] = False
        if place.endswith("省") or (place.endswith("自治区") and place != PROVINCE):
            out["province"] = place
    return out


# Agency types, first match wins: 乡镇 before 人民政府, so a town is not a county government.
AGENCY_TYPES: tuple[tuple[str, str], ...] = (
    ("机关事务", "机关事务"),
    ("信访", "信访"),
    ("镇人民政府", "乡镇"),
    ("乡人民政府", "乡镇"),
    ("街道办事处", "乡镇"),
    ("人民政府办公", "政府办公室"),
    ("人民政府", "人民政府"),
    ("教育", "教育"),
    ("公安", "公安"),
    ("卫生健康", "卫生健康"),
    ("卫生", "卫生健康"),
    ("医疗保障", "医疗保障"),
    ("自然资源", "自然资源"),
    ("生态环境", "生态环境"),
    ("住房", "住房城乡建设"),
    ("交通运输", "交通运输"),
    ("农业农村", "农业农村"),
    ("水务", "水利水务"),
    ("水利", "水利水务"),
    ("财政", "财政"),
    ("发展和改革", "发展改革"),
    ("发展改革", "发展改革"),
    ("人力资源", "人力资源社会保障"),
    ("市场监督", "市场监管"),
    ("民政", "民政"),
    ("司法", "司法"),
    ("审计", "审计"),
    ("统计", "统计"),
    ("应急管理", "应急管理"),
    ("文化", "文化旅游"),
    ("退役军人", "退役军人事务"),
    ("林业", "林业草原"),
    ("税务", "税务"),
    ("商务", "商务"),
    ("工业和信息化", "工业信息化"),
    ("科学技术", "科技"),
    ("体育", "体育"),
    ("民族宗教", "民族宗教"),
    ("档案", "档案"),
    ("行政审批", "行政审批"),
)


def agency_type(agency: str | None) -> str | None:
    """A coarse type from the agency's name, for filtering (`其他` when none fits)."""
    if not agency:
        return None
    name = squash(agency)
    for key, label in AGENCY_TYPES:
        if key in name:
            return label
    return "其他"
