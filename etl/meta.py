"""Stage 5: metadata — agency, year, region and agency type — from the report's own text.

The agency and year come from the title in whatever shape it is printed, else from the
opening sentence (`本报告由X根据…编制`), a sender line (`报送单位：X`) or the title quoted in
the opening (`现发布《X2022年政府信息公开工作年度报告》`); the year else from the statistics
period. Page chrome (`来源：`, `关键字:`, `字号：大 中 小`, `#`) is never taken for a name.
Matching runs on Simplified text (`normalize.simplified`), so a Traditional report reads too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from etl.normalize import clean_line, simplified, squash

DATA = Path(__file__).resolve().parent.parent / "data"
REGIONS_CSV = DATA / "regions.csv"
GAZETTEER_CSV = DATA / "gazetteer.csv"
PROVINCE = "宁夏回族自治区"
# zones the autonomous region runs itself that name no division: their agencies are the region's
_REGION_ZONES = ("宁东能源化工基地", "宁东基地")

# --- title and year ---------------------------------------------------------------------

_KIND = r"(?:政府信息公开|政务公开|信息公开)"
_REPORT = r"(?:工作)?(?:年度)?(?:报告|年报)"
# X2022年(度)政府信息公开工作年度报告 / X关于2022年度政府信息公开工作的年度报告 / X2022年政府信息公开年报
_TITLE_YEAR_AFTER_AGENCY = re.compile(
    rf"(?P<agency>.*?)(?:关于)?(?P<year>20\d{{2}})年度?(?:的)?{_KIND}(?:工作)?(?:的)?(?:年度)?(?:报告|年报)"
)
# 2022年度X政府信息公开工作年度报告
_TITLE_YEAR_FIRST = re.compile(
    rf"^(?P<year>20\d{{2}})年度?(?!度)(?P<agency>(?!{_KIND}|政府信息|度)[^《》]{{2,40}}?)(?:的)?{_KIND}{_REPORT}"
)
# X政府信息公开工作年度报告（2022年度） / X政府信息公开工作2022年度报告
_TITLE_YEAR_LAST = re.compile(
    rf"(?P<agency>.+?){_KIND}(?:工作)?(?:[(（]?(?P<year>20\d{{2}})年度?[)）]?)(?:年度)?(?:报告|年报)?"
    rf"(?:[(（](?P<year2>20\d{{2}})年度?[)）])?$"
)
_TITLE_YEAR_LAST2 = re.compile(
    rf"(?P<agency>.+?){_KIND}{_REPORT}[(（](?P<year>20\d{{2}})年度?[)）]$"
)
# X政府信息公开工作年度报告 (the year is in the statistics period)
_TITLE_NO_YEAR = re.compile(rf"(?P<agency>.+?){_KIND}(?:工作)?年度报告$")
_ANY_TITLE = re.compile(rf"{_KIND}(?:工作)?(?:的)?年度报告|政府信息公开年报")
_COMPILED_BY = re.compile(
    r"本(?:年度)?报告(?:是)?由(?P<agency>[^，,。；;、《》“”]{2,40}?)"
    r"(?:根据|依据|按照|依照|结合|编制|汇总|负责)"
)
# 本报告根据《条例》…要求，由X编制
_COMPILED_BY_LATE = re.compile(
    r"本(?:年度)?报告(?:是)?根据[^。]{0,200}?[，,]由(?P<agency>[^，,。；;《》“”]{2,40}?)(?:负责)?编制"
)
_SENDER = re.compile(r"(?:报送单位|编制单位)[：:]\s*([^\s：:]{4,40})")
# a page's publisher: often the government office that posts every agency's report
_PUBLISHER = re.compile(r"(?:发布单位|发布机构)[：:]\s*([^\s：:]{4,40})")
_NEXT_FIELD = re.compile(r"[ \t\u3000\xa0]+(?=[^\s：:]{2,6}[：:])")  # ` 发文日期：`
_QUOTED_TITLE = re.compile(
    rf"《([^《》]{{2,40}}?)(?:关于)?\s*(20\d{{2}})\s*年度?(?:的)?{_KIND}(?:工作)?(?:的)?年度报告》"
)
# 现公布泰州市人民政府2017年政府信息公开工作年度报告 (the title announced, without quotes)
_ANNOUNCED_TITLE = re.compile(
    rf"(?:(?<![发实体展出呈表再重兑])现|特)(?:将|向社会)?(?:予以)?(?:发布|公布)?"
    rf"(?P<agency>[^《》，,。；;]{{2,40}}?)(?:关于)?"
    rf"(?P<year>20\d{{2}})年度?(?:的)?{_KIND}(?:工作)?(?:的)?(?:(?:年度)?(?:报告|年报)|情况)"
)
_PERIOD_LABEL = (
    r"(?:统计期限|统计数据|统计时限|统计时间|统计区间|统计周期|统计范围|所列数据|数据统计)"
)
_YEAR_SPAN = r"(20\d{2})年?0?1月?0?1日?(?:起)?(?:至|到|—|－|-|~|～)(?:(20\d{2})年?)?12月?31日"
_PERIOD = re.compile(_PERIOD_LABEL + r"[^。]{0,20}?" + _YEAR_SPAN)
_BARE_PERIOD = re.compile(_YEAR_SPAN)
_PERIOD_YEAR_ONLY = re.compile(_PERIOD_LABEL + r"[^。]{0,12}?(20\d{2})年1月1日")

# Lines that are a web page's chrome, not the report.
_CHROME = re.compile(
    r"^(?:关键字|关键词|来源|信息来源|文章来源|发布时间|发布日期|更新时间|发文日期|成文日期|"
    r"发布机构|发文机关|作者|编辑|责任编辑|浏览次数|访问次数|点击数|点击率|阅读次数|字号|字体|"
    r"分享到|打印本页|打印|关闭窗口|关闭|当前位置|您的位置|您现在的位置|索引号|主题分类|"
    r"分类|文号|有效性|【|扫一扫|时间|所属机构|生成日期|公开方式|公开范围|公开时限|信息索引)"
)
_CHROME_TAIL = re.compile(
    r"(?:字号[：:].*|【?(?:大|中|小)】?(?:【?(?:大|中|小)】?)+.*|打印本页.*|关闭窗口.*)$"
)
_HTML_TITLE = re.compile(r"</?title>", re.I)
# after a title on its line: nothing, a remark (（图片版）) or the site's name (_某某网)
_TITLE_REST = re.compile(r"^(?:[(（][^()（）]{0,12}[)）])?(?:[_|｜\-—－].*)?$")
_LABEL_PREFIX = re.compile(r"^[^：:]*[：:]")
_PART = re.compile(r"^(?:[一二][、.．]|[(（]一[)）])")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def _head_line(raw: str, simple: bool = False) -> str:
    """One line as title material: Simplified, squashed, without Markdown `#`, `<title>`
    tags or a trailing `字号：大 中 小`."""
    s = squash(clean_line(raw) if simple else simplified(clean_line(raw)))
    s = _HTML_TITLE.sub("", s).lstrip("#>").strip()
    if "|" in s:  # a title a PDF→Markdown converter put in a table row
        s = s.replace("|", "")
        if not s.strip("-:"):
            return ""
    return _CHROME_TAIL.sub("", s)


def title_and_year(
    lines: list[str], simple: bool = False
) -> tuple[str | None, int | None, int | None]:
    """Agency and year from the title, which may be split over lines or carry spaces.

    Looks only at the head of the report (up to its first part heading), skipping page
    chrome. Returns (agency, year, line index of the title). `simple`: the lines are in
    Simplified characters already (etl.normalize.simplified_lines).
    """
    head: list[tuple[int, str]] = []
    for i, raw in _head_pieces(lines[:150]):
        s = _head_line(raw, simple)
        if not s:
            continue
        if _PART.match(s) and head:
            break
        head.append((i, s))
    year_only: tuple[int | None, int] | None = None
    for k, (i, s) in enumerate(head):
        if len(s) > 80 or _CHROME.match(s):
            continue
        parts = [s] + [t for _, t in head[k + 1 : k + 3] if len(t) <= 40]
        got = _match_title(parts)
        if got is None:
            continue
        agency, year = got
        if not agency and k > 0 and _agency_line(head[k - 1][1]):
            agency = clean_agency(head[k - 1][1])
        if agency:
            return agency, year, i
        year_only = year_only or (year, i)
    if year_only:
        return None, year_only[0], year_only[1]
    return None, None, None


def _head_pieces(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each line with its index; a line of tab-joined texts as its pieces (BeautifulSoup's
    `get_text("\t")` of a page prints its title and the next texts on one line)."""
    for i, raw in enumerate(lines):
        if "\t" not in raw:
            yield i, raw
        else:
            for piece in raw.split("\t"):
                yield i, piece


def _agency_line(s: str) -> bool:
    """A line above a title without agency that may be its agency: short, not chrome, and
    at most one label (`报送单位：X`)."""
    return len(s) <= 40 and not _CHROME.match(s) and len(re.findall(r"[：:]", s)) <= 1


def _match_title(parts: list[str]) -> tuple[str, int | None] | None:
    """(agency, year) when the first line opens a report title (which may run on over the
    next lines and must end its line, but for a remark or the site's name), else None."""
    line, window = parts[0], "".join(parts)
    for pattern in (_TITLE_YEAR_FIRST, _TITLE_YEAR_AFTER_AGENCY):
        m = pattern.match(window) if pattern is _TITLE_YEAR_FIRST else pattern.search(window)
        if not m or m.start("year") >= len(line) or not _TITLE_REST.match(_rest(parts, m.end())):
            continue
        if line.startswith(("现发布", "根据")) or (
            "《" in m.group("agency") and "》" not in m.group("agency")
        ):
            return None  # a title quoted inside a sentence
        return clean_agency(m.group("agency")), int(m.group("year"))
    for pattern in (_TITLE_YEAR_LAST2, _TITLE_YEAR_LAST):
        m = pattern.match(line)
        if m and m.group("year"):
            return clean_agency(m.group("agency")), int(m.group("year"))
    m = _TITLE_NO_YEAR.match(line)
    if m and "《" not in line:
        return clean_agency(m.group("agency")), None
    return None


def _rest(parts: list[str], end: int) -> str:
    """What follows position `end` of the joined parts on its own line."""
    start = 0
    for part in parts:
        if end <= start + len(part):
            return part[end - start :]
        start += len(part)
    return ""


def clean_agency(before: str) -> str:
    """The agency from the text before the title's year: drop `附件：`, `关于…`, `关键字:`,
    breadcrumbs and quotes; full-width brackets inside the name."""
    s = simplified(squash(before))
    s = _HTML_TITLE.sub("", s)
    if ">" in s:
        s = s.rsplit(">", 1)[-1]
    if re.search(r"[：:]", s):
        s = _LABEL_PREFIX.sub("", s)
    s = re.sub(r"^(?:附件\d*|关于|印发|转发|#+)", "", s)
    s = s.strip("《》〈〉<>“”\"'#、，,。 ")
    s = re.sub(r"(?:关于|的)$", "", s)
    s = s.translate(_BRACKETS)
    if s.endswith("人民"):  # 西吉县人民政府信息公开…: the 政府 belongs to the name
        s += "政府"
    if (
        s in ("政府", "政务", "信息", "人民政府")
        or len(s) < 2
        or not re.search(r"[\u4e00-\u9fff]{2}", s)
        or re.search(r"\d{4}|[：:]", s)
        or re.match(r"(?:本|我)(?:局|委|办|中心|单位|机关|部门|院|所|站|厅|镇|乡|县|区|市)", s)
    ):
        return ""
    return s


def agency_from_opening(text: str) -> tuple[str | None, str | None]:
    """(agency, how) from `本报告由X根据…编制`, `报送单位：X`, the title quoted or announced
    in the opening, else the page's publisher (`发布机构：X`)."""
    head = squash(simplified(text[:6000]))
    # a field (`报送单位：X`) ends with its line or where the next field starts on it (`发布机构：X
    # 发文日期：…`); the sentences may run over lines
    fields = "\n".join(
        squash(simplified(f)) for ln in text[:6000].split("\n") for f in _NEXT_FIELD.split(ln)
    )
    tries = (
        (_COMPILED_BY, "agency", "opening"),
        (_COMPILED_BY_LATE, "agency", "opening"),
        (_SENDER, 1, "sender"),
        (_QUOTED_TITLE, 1, "quoted"),
        (_ANNOUNCED_TITLE, "agency", "announced"),
        (_PUBLISHER, 1, "publisher"),
    )
    for pattern, group, how in tries:
        m = pattern.search(fields if pattern in (_SENDER, _PUBLISHER) else head)
        if m and (a := clean_agency(m.group(group))):
            return a, how
    return None, None


_OPENING = 8000  # characters: the statistics period and a quoted title stand in the opening


def year_from_period(text: str) -> int | None:
    """The year a report covers, from its statistics period sentence (also when a page lost
    its 年/月: `202111日至1231日`) or the title quoted in the opening; never from a document
    number (`〔2021〕30号`), a budget year or a publication date."""
    at = text.find("统计", 0, _OPENING)
    if at >= 0:  # the usual sentence: read just around it
        near = squash(simplified(text[max(0, at - 40) : at + 400]))
        for pattern in (_PERIOD, _PERIOD_YEAR_ONLY):
            m = pattern.search(near)
            if m:
                return int(m.group(1))
    s = squash(simplified(text[:_OPENING]))
    for pattern in (_PERIOD, _PERIOD_YEAR_ONLY, _BARE_PERIOD):
        m = pattern.search(s)
        if m:
            return int(m.group(1))
    m = _QUOTED_TITLE.search(s)
    if m:
        return int(m.group(2))
    m = _ANNOUNCED_TITLE.search(s)
    return int(m.group("year")) if m else None


# What follows the words of a title when they name something else: the national format
# (…年度报告格式》的通知), a notice about the reports (…年度报告有关事项的通知), or the
# format's preamble defining the term (政府信息公开工作年度报告（以下简称年度报告），是…).
_NOT_A_TITLE = re.compile(r"[》>〉]?(?:格式|有关事项|有关工作|编制工作|的通知|\(以下简称)")


# the report speaking of itself: 本年度报告根据…编制 / 本报告系根据…要求编制
_SELF_REFERENCE = re.compile(r"本(?:年度)?报告(?:是|系)?(?:根据|依据|按照)[^。]{0,200}?编制")


def is_report(text: str) -> bool:
    """A report names itself (its title, a quoted title) or opens with `本报告由…编制`;
    the notice that issues the reports' format is not one."""
    s = squash(simplified(text[:20000]))
    if any(not _NOT_A_TITLE.match(s, m.end()) for m in _ANY_TITLE.finditer(s)):
        return True
    if _ANNOUNCED_TITLE.search(s):
        return True
    if _SELF_REFERENCE.search(s) and _PERIOD.search(s):
        return True  # 本年度报告根据…编制 … 统计期限为2017年1月1日至12月31日
    opening = _COMPILED_BY.search(s) or _COMPILED_BY_LATE.search(s)
    return bool(opening and "信息公开" in s)


# --- region -------------------------------------------------------------------------------

_LEVEL = {"province": 0, "city": 1, "county": 2}
_LEADING = re.compile(r"^(?:中共|中国共产党|国家税务总局|共青团|中国)")
_SHORT_PROVINCE = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_OTHER_PLACE = frozenset("镇乡村县区市州旗盟路街里屯湖山河江")
_SHORT_CITY = re.compile(r"(?:市|地区|盟)$")
# besides the agency types' words (AGENCY_TYPES), what an agency's own name may start with
_MORE_AGENCY_WORDS = ("政府", "人大", "政协", "党委", "纪委", "法院", "检察院", "医保", "住建", "发改", "人社", "农业")  # fmt: skip


@cache
def gazetteer() -> dict[str, dict[str, str]]:
    """name → region row of data/regions.csv (Ningxia, with the dashboard's tile map)."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return {row["name"]: row for row in csv.DictReader(f)}


@cache
def divisions() -> tuple[dict[str, list[dict[str, str]]], dict[str, dict[str, str]]]:
    """The national gazetteer (data/gazetteer.csv, see tools/make_gazetteer.py):
    (name or short form → rows, code → row)."""
    with GAZETTEER_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_name: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    # short forms a name may start with: 宁夏, 辽宁, 铁岭 (never a county's: 城区, 义县)
    for row in rows:
        short = None
        if row["level"] == "province":
            short = _SHORT_PROVINCE.sub("", row["name"])
            short = {"内蒙古": "内蒙古", "广西壮族": "广西"}.get(short, short)
        elif row["level"] == "city":
            short = _SHORT_CITY.sub("", row["name"])
            if "自治州" in row["name"] or short == row["name"]:
                short = None
        if short and len(short) >= 2 and short not in by_name:
            by_name.setdefault("~" + short, []).append(row)
    return by_name, {row["code"]: row for row in rows}


def _is_under(row: dict[str, str], parent: dict[str, str]) -> bool:
    code, pcode = row["code"], parent["code"]
    if parent["level"] == "province":
        return code[:2] == pcode[:2] and code != pcode
    if parent["level"] == "city":
        return code[:4] == pcode[:4] and code != pcode
    return False


def _names_at(name: str, pos: int, start: bool) -> list[tuple[str, list[dict[str, str]]]]:
    """Gazetteer names (longest first) that the agency name holds at pos."""
    by_name, _ = divisions()
    out = []
    for length in range(min(11, len(name) - pos), 1, -1):
        piece = name[pos : pos + length]
        if piece in by_name:
            rows = by_name[piece]
            # a two-character county name that several places share (城区, 郊区) only after
            # its province or city; one that names one place (宁县, 义县) anywhere
            if length == 2 and start and len(rows) > 1:
                rows = [r for r in rows if r["level"] != "county"]
            if rows:
                out.append((piece, rows))
        # a short form (银川 for 银川市) only when no other place's suffix follows: 银川镇 is a
        # town of 积石山县, not 银川市
        after = name[pos + length : pos + length + 1]
        if start and "~" + piece in by_name and after not in _OTHER_PLACE:
            out.append((piece, by_name["~" + piece]))
        # a county's short form (西吉 for 西吉县) only right before an agency's own name
        county = _county_short_forms().get(piece)
        if county is not None and after not in _OTHER_PLACE and _agency_word_at(name, pos + length):
            out.append((piece, [county]))
    return out


@cache
def _county_short_forms() -> dict[str, dict[str, str]]:
    """A county's name without its suffix (西吉 for 西吉县, 灵武 for 灵武市), where no other
    division's name or short form is the same (安阳 is 安阳市's; 公安 is an agency's word)."""
    by_name, by_code = divisions()
    forms: dict[str, list[dict[str, str]]] = {}
    for row in by_code.values():
        name = row["name"]
        if row["level"] == "county" and len(name) >= 3 and name[-1] in "县区市旗":
            forms.setdefault(name[:-1], []).append(row)
    return {
        short: rows[0]
        for short, rows in forms.items()
        if len(rows) == 1
        and short not in by_name
        and "~" + short not in by_name
        and not any(short in word for word in _agency_words())
    }


@cache
def _agency_words() -> tuple[str, ...]:
    return tuple(word for word, _ in AGENCY_TYPES) + _MORE_AGENCY_WORDS


def _agency_word_at(name: str, pos: int) -> bool:
    """Does an agency's own name (教育局, 人民政府, 公安局) start at pos?"""
    return name.startswith(_agency_words(), pos)


# Characters an OCR or a typist confuses (沐/沭): a misread place name is matched through
# these anywhere, through any other single character only under its named province or city.
_CONFUSABLE = (
    "沭沐", "己已巳", "未末", "土士", "日曰", "戊戌戍", "大太犬", "拆折", "汨汩", "盱旴",
    "睢雎", "亳毫", "泸沪", "沂圻", "崇祟", "渑绳", "汶汝", "泾经", "隆降", "原源", "峡陕",
    "铜桐", "凤风",
)  # fmt: skip
_LOOKALIKE = {a: set(g) - {a} for g in _CONFUSABLE for a in g}


@cache
def _names_by_end() -> dict[tuple[int, str], tuple[str, ...]]:
    """Gazetteer names (3+ characters) by length and last character: a misread name keeps
    its suffix (县, 区, 市), so only these can match."""
    out: dict[tuple[int, str], list[str]] = {}
    for gname in divisions()[0]:
        if not gname.startswith("~") and len(gname) >= 3:
            out.setdefault((len(gname), gname[-1]), []).append(gname)
    return {k: tuple(v) for k, v in out.items()}


def _fuzzy_at(
    name: str, pos: int, parents: list[dict[str, str]]
) -> tuple[str, dict[str, str]] | None:
    """A gazetteer name that the agency name holds at pos with one character misread
    (沐阳县 for 沭阳县), its suffix intact: only when exactly one name fits — through a
    look-alike character anywhere, through any character only under the named parent."""
    by_name, _ = divisions()
    alike: dict[str, tuple[str, dict[str, str]]] = {}
    other: dict[str, tuple[str, dict[str, str]]] = {}
    ends = _names_by_end()
    candidates = [
        g for n in range(3, len(name) - pos + 1) for g in ends.get((n, name[pos + n - 1]), ())
    ]
    for gname in candidates:
        rows = by_name[gname]
        n = len(gname)
        piece = name[pos : pos + n]
        diff = [(a, b) for a, b in zip(piece, gname, strict=True) if a != b]
        if len(diff) != 1:
            continue
        hits = alike if diff[0][1] in _LOOKALIKE.get(diff[0][0], ()) else other
        for row in rows:
            if not parents or any(_is_under(row, p) for p in parents):
                hits[row["code"]] = (piece, row)
    if len(alike) == 1:
        return next(iter(alike.values()))
    if parents and not alike and len(other) == 1:
        return next(iter(other.values()))
    return None


def locate(agency: str | None) -> tuple[dict, list[str]]:
    """Province, city, county, code and `in_ningxia` from the agency's name, with warnings
    (cached: a corpus repeats its agencies)."""
    place, warnings = _locate(agency)
    return dict(place), list(warnings)


@lru_cache(maxsize=4096)
def _locate(agency: str | None) -> tuple[tuple[tuple[str, object], ...], tuple[str, ...]]:
    place, warnings = _locate_uncached(agency)
    return tuple(place.items()), tuple(warnings)


def _locate_uncached(agency: str | None) -> tuple[dict, list[str]]:
    """Province, city, county, code and `in_ningxia` from the agency's name, with warnings.

    Places are read as a chain from the start of the name (宁夏回族自治区 → 固原市 → 原州区);
    a county name that several provinces share (朝阳区) is chosen only when the chain's own
    province or city decides, else the answer stays at the level the candidates agree on.
    """
    out = {"province": None, "city": None, "county": None, "code": None, "in_ningxia": None}
    warnings: list[str] = []
    if not agency:
        return out, warnings
    name = _LEADING.sub("", squash(simplified(agency)))
    if name.startswith("自治区"):  # the autonomous region's own agencies call it just that
        name = PROVINCE + name[3:]
    elif name.startswith(_REGION_ZONES):  # a zone the region itself runs, in no one county
        name = PROVINCE + name
    chain: list[list[dict[str, str]]] = []
    pos = _first_place(name)
    while pos is not None and pos < len(name):
        parents = chain[-1] if chain else []
        step = None
        for piece, rows in _names_at(name, pos, start=not chain):
            fit = [r for r in rows if not parents or any(_is_under(r, p) for p in parents)]
            if fit and (not chain or _LEVEL[fit[0]["level"]] > _LEVEL[parents[0]["level"]]):
                step = (piece, fit)
                break
        if step is None:
            fuzzy = _fuzzy_at(name, pos, parents)
            if fuzzy is None:
                break
            piece, row = fuzzy
            warnings.append(
                f"region: {piece} read as {row['name']} ({row['code']}), the only place "
                "one character away"
            )
            step = (piece, [row])
        chain.append(step[1])
        pos += len(step[0])
    if not chain:
        return out, warnings
    return _resolve(chain, agency, warnings), warnings


def _first_place(name: str) -> int | None:
    """Where the name's chain of places starts: at 0, else at the first full place name
    of three or more characters (国家税务总局固原市税务局 → 4)."""
    if _names_at(name, 0, start=True) or _fuzzy_at(name, 0, []):
        return 0
    by_name, _ = divisions()
    for pos in range(1, len(name) - 2):
        for length in range(min(11, len(name) - pos), 2, -1):
            if name[pos : pos + length] in by_name:
                return pos
    return None


def _resolve(chain: list[list[dict[str, str]]], agency: str, warnings: list[str]) -> dict:
    """The deepest level whose candidates agree, narrowed by what comes after it."""
    _, by_code = divisions()
    # a later, deeper place narrows an ambiguous earlier one (吉林 + 船营区 → 吉林市)
    for k in range(len(chain) - 2, -1, -1):
        chain[k] = [p for p in chain[k] if any(_is_under(r, p) for r in chain[k + 1])]
    last = chain[-1]
    if len(last) == 2 and last[0]["name"] == last[1]["name"]:
        # a municipality is a province and its own city (北京市): the city
        last = [r for r in last if r["level"] == "city"] or last
    provinces = {r["code"][:2] for r in last}
    if len(last) == 1:
        row = last[0]
    elif len(provinces) == 1:
        row = by_code[next(iter(provinces)) + "0000"]
        warnings.append(
            f"region: {last[0]['name']} names {len(last)} places in {row['name']}; "
            "only the province is certain"
        )
    else:
        where = "、".join(sorted({r["province"] for r in last}))
        warnings.append(f"region: {last[0]['name']} names places in {where}; not decided")
        in_nx = True if provinces == {"64"} else (False if "64" not in provinces else None)
        return {
            "province": None,
            "city": None,
            "county": None,
            "code": None,
            "in_ningxia": in_nx,
        }
    code = row["code"]
    county = row["name"] if row["level"] == "county" else None
    city = row["city"] or None if row["level"] != "province" else None
    if row["code"].startswith("64"):
        # Ningxia as the dashboard knows it (regions.csv): same names and codes
        nx = gazetteer().get(row["name"])
        if nx and nx["code"] != code:
            warnings.append(f"region: {row['name']} is {nx['code']} in regions.csv, {code} here")
    return {
        "province": row["province"],
        "city": city,
        "county": county,
        "code": code,
        "in_ningxia": code.startswith("64"),
    }


def region(agency: str | None) -> dict:
    """Province, city, county, code and `in_ningxia` from the agency's name."""
    return locate(agency)[0]


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
