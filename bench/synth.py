"""Synthetic 政府信息公开工作年度报告 with ground truth, for property tests and benchmarks.

Each report is text as the project's text extractor leaves it (see shared/report-format.md and
the seeds), with every quirk of the format chosen per report by a seeded RNG, and a truth
dict in the JSON contract of `python -m etl parse` plus a `synth` block (layout, variants,
profile, broken cell, cross-year checks) that the parser does not produce. This module draws
the agency and the values and states the truth; bench.synth_text prints the text.

Conventions the truth relies on, so that a parser can recover it without guessing:
- a table 三 row's cells after its label are exactly its 7 values, unless its first and last
  values are printed numbers; only then may empty cells sit on either side (as in seed 000);
- a table 二 row is left-aligned under its header: empty cells only ever follow its values;
- the table 四 data row gets its one extra cell (a trailing 0) only when all 15 are 0 (seed 004),
  the one case where any reader drops the same cell.

    python -m bench.synth --out DIR --n 1000 --seed 1 [--break-share 0.05]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bench.synth_text import BLANKS, MARKS, render
from etl import spec
from etl.checks import check_inputs

Key = tuple[str, str, str]
Num = int | float
ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "宁夏回族自治区"
YEARS = tuple(range(2019, 2026))


@dataclass(frozen=True)
class Options:
    """Shares (0..1) of reports that get each property; every draw uses the report's RNG."""

    break_share: float = 0.05  # one printed number off, so a cross-check fails
    carry_break_share: float = 0.1  # carried_in differs from last year's carried_out
    new_format_2020_share: float = 0.3  # reports on 2020 printed in the 2021 format
    cell_layout_share: float = 0.4  # one cell per line (001/002) instead of tab rows
    zero_share: float = 0.6  # all-zero agencies
    busy_share: float = 0.06  # hundreds or thousands of applications
    blank_share: float = 0.15  # blank cells and not-applicable marks
    outside_share: float = 0.03  # agencies outside Ningxia
    quirk_share: float = 0.25  # each extractor artefact, independently
    narrative_share: float = 0.6  # narrative states the active total / applications
    extra_cell_share: float = 0.08  # table 四 row with a 16th cell
    # table 三 as small offices print it on their sites: zeros left empty and the outcome
    # rows without their 总计, so no row prints all seven values (0: never, no draw at all)
    sparse_share: float = 0.0


# Shares raised so that a few hundred reports show every variant (tests, benchmarks).
RICH = {
    "quirk_share": 0.5,
    "blank_share": 0.3,
    "break_share": 0.2,
    "extra_cell_share": 0.3,
    "outside_share": 0.1,
    "cell_layout_share": 0.5,
    "narrative_share": 0.8,
}

# --- agencies --------------------------------------------------------------------------


def _load_regions() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    cities: dict[str, str] = {}
    counties: list[tuple[str, str, str]] = []
    with (ROOT / "data" / "regions.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] == "city":
                cities[r["name"]] = r["code"]
            elif r["level"] == "county":
                counties.append((r["name"], r["code"], r["city"]))
    return cities, counties


def _words(s: str) -> tuple[str, ...]:
    return tuple(s.split())


CITIES, COUNTIES = _load_regions()
# Every name `truth["synth"]["variants"]` can hold.
VARIANTS = frozenset(
    _words(
        """alias arabic_section blank_empty blank_ideographic blank_nbsp blank_space bookmark
        bookmark_in_table broken carry_break decimal_int decoy_count decoy_hotline extra_cell
        fees_blank format_2019 format_2021 format_2021_for_2020 fullwidth fullwidth_dot
        layout_cell layout_tab level_city level_county level_outside level_region level_town
        mark_emdash mark_hyphen mark_slash mark_wu marks mixed_brackets narrative_active
        narrative_approx narrative_apps narrative_fullwidth narrative_thousands padding table_note page_footer profile_busy profile_small profile_zero review_blank
        scattered signed_change split_header split_label split_label_cell stray_space
        stray_space_header thousands title_spaced title_split totals_only unit_in_cell
        ws_padding"""
    )
)
REGION_DEPTS = _words(
    "人民政府办公厅 教育厅 公安厅 民政厅 财政厅 自然资源厅 卫生健康委员会 市场监督管理厅 信访局 "
    "机关事务管理局 住房和城乡建设厅 交通运输厅 农业农村厅 生态环境厅 人力资源和社会保障厅 统计局 "
    "医疗保障局 林业和草原局 水利厅 商务厅"
)
CITY_DEPTS = _words(
    "人民政府 人民政府办公室 信访局 教育局 公安局 卫生健康委员会 自然资源局 财政局 市场监督管理局 "
    "民政局 机关事务管理局 生态环境局 住房和城乡建设局 交通运输局 农业农村局 人力资源和社会保障局 "
    "司法局 审计局 应急管理局 医疗保障局"
)
COUNTY_DEPTS = _words(
    "人民政府 人民政府办公室 机关事务服务中心 信访局 教育局 公安局 卫生健康局 自然资源局 财政局 "
    "市场监督管理局 民政局 住房和城乡建设局 交通运输局 农业农村局 人力资源和社会保障局 司法局 "
    "审计局 应急管理局 医疗保障局 水务局"
)
TOWNS = _words(
    "城关 三营 七营 开城 彭堡 头营 张易 高沙窝 惠安堡 大水坑 王乐井 青山 宣和 镇罗 柔远 石空 "
    "恩和 鸣沙 白马 李旺 西安 关桥 史店 九彩 红耀 杨郎 望远 闽宁 胜利 杨和 习岗 金贵 洪广 "
    "常信 崇兴 梧桐树 临河 宝丰 姚伏 崇岗 头闸 尾闸 新华 兴仁"
)
BUSY_DEPTS = ("自然资源", "住房和城乡建设", "公安", "人民政府", "人力资源和社会保障", "市场监督")
# (prefix, province, city, county): seed 002's 银州区 belongs to 铁岭市, 辽宁省.
OUTSIDE = (
    ("银州区", "辽宁省", "铁岭市", "银州区", "211202"),
    ("辽宁省铁岭市银州区", "辽宁省", "铁岭市", "银州区", "211202"),
    ("辽宁省铁岭市", "辽宁省", "铁岭市", None, "211200"),
    ("甘肃省平凉市", "甘肃省", "平凉市", None, "620800"),
    ("陕西省榆林市定边县", "陕西省", "榆林市", "定边县", "610825"),
    ("内蒙古自治区阿拉善盟", "内蒙古自治区", "阿拉善盟", None, "152900"),
)


@dataclass(frozen=True)
class Agency:
    """A report's author and where it sits: `region` is the parse contract's region block."""

    name: str
    level: str  # region | city | county | town | outside
    region: dict[str, Any]
    busy: bool = False
    place: tuple[str | None, ...] = ()  # (province, city, county) of an agency outside Ningxia


def _region(city: str | None, county: str | None, code: str) -> dict[str, Any]:
    return {"province": PROVINCE, "city": city, "county": county, "code": code, "in_ningxia": True}


def make_agency(rng: random.Random, outside_share: float = 0.03) -> Agency:
    """One agency: region-, city-, county- or town-level in Ningxia, or (rarely) outside."""
    u = rng.random()
    if u < outside_share:
        prefix, prov, city, county, code = rng.choice(OUTSIDE)
        dept = rng.choice(COUNTY_DEPTS if county else CITY_DEPTS)
        # The national gazetteer places a county's name without its province (银州区 → 辽宁省)
        reg = {"province": prov, "city": city, "county": county, "code": code, "in_ningxia": False}
        return Agency(prefix + dept, "outside", reg, place=(prov, city, county))
    u = rng.random()
    if u < 0.15:
        dept = rng.choice(REGION_DEPTS)
        name = ("宁夏回族自治区" if rng.random() < 0.6 else "自治区") + dept
        return Agency(name, "region", _region(None, None, "640000"), _is_busy(dept))
    if u < 0.4:
        city = rng.choice(list(CITIES))
        dept = rng.choice(CITY_DEPTS)
        return Agency(city + dept, "city", _region(city, None, CITIES[city]), _is_busy(dept))
    county, code, city = rng.choice(COUNTIES)
    if u < 0.85:
        dept = rng.choice(COUNTY_DEPTS)
        return Agency(county + dept, "county", _region(city, county, code), _is_busy(dept))
    town = rng.choice(TOWNS)
    return Agency(f"{county}{town}镇人民政府", "town", _region(city, county, code))


def _is_busy(dept: str) -> bool:
    return any(dept.startswith(b) for b in BUSY_DEPTS)


# --- values ----------------------------------------------------------------------------

_APPLICANT_W = (72, 12, 1, 3, 6, 6)
_OUTCOME_W = {
    "granted": 40, "partial": 8, "denied_1": 0.5, "denied_2": 1, "denied_3": 0.5, "denied_4": 1.5,
    "denied_5": 1.5, "denied_6": 1.5, "denied_7": 0.5, "denied_8": 1, "unable_1": 15,
    "unable_2": 3, "unable_3": 2, "not_processed_1": 4, "not_processed_2": 3,
    "not_processed_3": 0.5, "not_processed_4": 0.5, "not_processed_5": 0.5, "other": 4,
    "other_1": 2, "other_2": 0.2, "other_3": 2, "carried_out": 4,
}  # fmt: skip


def _num(x: float) -> Num:
    """Ints where integral, floats otherwise (the parse contract's values)."""
    return int(x) if float(x).is_integer() else x


def _split(rng: random.Random, n: int, keys: list[str], w: list[float]) -> dict[str, int]:
    """Spread n items over keys by weight: exact draws when few, jittered shares when many."""
    out = dict.fromkeys(keys, 0)
    if n <= 40:
        for k in rng.choices(keys, w, k=n):
            out[k] += 1
        return out
    jw = [x * (0.5 + rng.random()) for x in w]
    s = sum(jw)
    for k, x in zip(keys, jw, strict=True):
        out[k] = int(n * x / s)
    out[keys[0]] += n - sum(out.values())
    return out


def _active(rng: random.Random, fmt: str, profile: str, ag: Agency, prev: dict | None) -> dict:
    """Table 二. In the 2021 format `in_force` carries on from last year's stock."""
    v: dict[Key, Num] = {}
    quiet = profile == "zero"
    big = 3000 if profile == "busy" else 40
    if fmt == "2019":
        for row in ("rules", "normative"):
            made = 0 if quiet or (row == "rules" and ag.level != "region") else rng.randint(0, 6)
            pub = made - (1 if made and rng.random() < 0.2 else 0)
            v["active", row, "made"], v["active", row, "published"] = made, pub
            v["active", row, "total_public"] = pub + (0 if quiet else rng.randint(0, 40))
        for row in ("licensing", "other_services", "penalty", "coercion"):
            p = c = d = 0
            if not quiet and rng.random() < 0.5:
                p = rng.randint(0, 80 if profile == "busy" else 15)
                c, d = rng.randint(-min(3, p), 6), rng.randint(0, big)
            v["active", row, "prev_items"], v["active", row, "change"] = p, c
            v["active", row, "decisions"] = d
        p = 0 if quiet else rng.randint(0, 6)
        v["active", "fees", "prev_items"] = p
        v["active", "fees", "change"] = 0 if quiet else rng.randint(-min(2, p), 2)
        n = amount = 0
        if rng.random() < (0.25 if quiet else 0.6):
            n = rng.randint(1, 20 if profile == "busy" else 6)
            if rng.random() < 0.5:
                amount = n * rng.randint(3000, 400000)
            else:
                amount = _num(round(n * rng.uniform(0.3, 40), 2))
        v["active", "procurement", "projects"], v["active", "procurement", "amount"] = n, amount
        return v
    for row in ("rules", "normative"):
        old = (prev or {}).get(("active", row, "in_force"))
        if old is None:
            old = 0 if quiet or (row == "rules" and ag.level != "region") else rng.randint(0, 30)
        issued = 0 if quiet or (row == "rules" and ag.level != "region") else rng.randint(0, 5)
        repealed = 0 if quiet else rng.randint(0, min(old, 2))
        v["active", row, "issued"], v["active", row, "repealed"] = issued, repealed
        v["active", row, "in_force"] = old + issued - repealed
    for row in ("licensing", "penalty", "coercion"):
        v["active", row, "decisions"] = 0 if quiet or rng.random() < 0.5 else rng.randint(0, big)
    fee = 0 if quiet or rng.random() < 0.7 else _num(round(rng.uniform(0.1, 300), 2))
    v["active", "fees", "amount"] = fee
    return v


def _requests(rng: random.Random, fmt: str, profile: str, cin: dict[str, int] | None) -> dict:
    """Table 三, balanced: new + carried_in spread over the outcomes and carried_out."""
    cols = spec.APPLICANT_COLS
    if profile == "zero" and not (cin and any(cin.values())):
        return dict.fromkeys(_REQUEST_KEYS[fmt], 0)
    if profile == "zero":
        new = dict.fromkeys(cols, 0)
    else:
        k = rng.randint(1, 25) if profile == "small" else int(rng.lognormvariate(5.5, 1.0)) + 30
        new = _split(rng, k, list(cols), list(_APPLICANT_W))
    if cin is None:
        cin = dict.fromkeys(cols, 0)
        if profile == "busy":
            cin["natural"] = rng.randint(0, max(1, new["natural"] // 10))
    outs = [*spec.OUTCOME_ROWS[fmt], "carried_out"]
    w = [_OUTCOME_W[r] for r in outs]
    v: dict[Key, Num] = {}
    for c in cols:
        v["requests", "new", c], v["requests", "carried_in", c] = new[c], cin[c]
        spread = _split(rng, new[c] + cin[c], outs, w)
        for r, x in spread.items():
            v["requests", r, c] = x
        v["requests", "total", c] = new[c] + cin[c] - spread["carried_out"]
    for r in spec.REQUEST_ROWS[fmt]:
        v["requests", r, "total"] = sum(v["requests", r, c] for c in cols)
    return v


_REQUEST_KEYS = {
    f: [("requests", r, c) for r in spec.REQUEST_ROWS[f] for c in spec.REQUEST_COLS]
    for f in spec.FORMATS
}


def _appeals(rng: random.Random, profile: str) -> dict:
    v: dict[Key, Num] = {}
    for i, row in enumerate(spec.APPEAL_ROWS):
        xs = [0, 0, 0, 0]
        if profile == "busy":
            xs = [rng.randint(0, 8 >> i), rng.randint(0, 3), rng.randint(0, 3), rng.randint(0, 2)]
        elif profile == "small" and rng.random() < 0.1:
            xs[rng.randrange(4)] = 1
        for col, x in zip(spec.APPEAL_COLS, [*xs, sum(xs)], strict=True):
            v["appeals", row, col] = x
    return v


def compute_checks(fmt: str, vals: dict[Key, Num | None]) -> list[dict[str, str]]:
    """Status of every cross-check: not_assessable when an input is blank or a mark."""
    out = []
    get = vals.__getitem__
    for cid, (left, right) in check_inputs(fmt).items():
        try:
            a, b = sum(map(get, left)), sum(map(get, right))
        except TypeError:  # a None among the inputs
            out.append({"id": cid, "status": "not_assessable", "detail": "blank input"})
            continue
        out.append({"id": cid, "status": "ok" if a == b else "failed", "detail": f"{a} = {b}"})
    return out


# --- one report ------------------------------------------------------------------------


_EMPTY_NAMES = {
    "": "blank_empty",
    " ": "blank_space",
    "\u3000": "blank_ideographic",
    "\xa0": "blank_nbsp",
    "/": "mark_slash",
    "—": "mark_emdash",
    "-": "mark_hyphen",
    "无": "mark_wu",
}


def _blank_cells(rng: random.Random, fmt: str, vals: dict, used: set[str]) -> dict[Key, str]:
    """Blank or not-applicable cells (value None), in the patterns of the seeds."""
    blank = rng.choice(BLANKS)
    out: dict[Key, str] = {}
    styles = rng.sample(("totals_only", "review_blank", "scattered", "marks", "fees_blank"), 2)
    for s in styles:
        used.add(s)
        if s == "totals_only":  # seed 002: only the 总计 column of table 三
            for r in spec.REQUEST_ROWS[fmt]:
                for c in spec.APPLICANT_COLS:
                    out["requests", r, c] = blank
        elif s == "review_blank":  # seed 003: the five 行政复议 cells
            for c in spec.APPEAL_COLS:
                out["appeals", "review", c] = blank
        elif s == "scattered":
            for k in rng.sample(list(vals), rng.randint(1, 5)):
                out[k] = rng.choice(BLANKS)
        elif s == "marks":
            mark = rng.choice(MARKS)
            for c in spec.ACTIVE_COLS[fmt]["rules"]:
                out["active", "rules", c] = mark
            for k in rng.sample(list(vals), rng.randint(0, 3)):
                out[k] = rng.choice(MARKS)
        else:
            for c in spec.ACTIVE_COLS[fmt]["fees"]:
                out["active", "fees", c] = blank
    used.update(_EMPTY_NAMES[v] for v in out.values())
    return out


def _sparse_cells(fmt: str, vals: dict) -> list[Key]:
    """Table 三's cells a small office leaves empty (a real CMS page): every 0, and the 总计
    of each outcome row whatever it holds; the rows 一、二、（七）总计 and 四 keep theirs."""
    kept_total = {"new", "carried_in", "total", "carried_out"}
    return [
        ("requests", r, c)
        for r in spec.REQUEST_ROWS[fmt]
        for c in spec.REQUEST_COLS
        if vals.get(("requests", r, c)) == 0 or (c == "total" and r not in kept_total)
    ]


def _break(rng: random.Random, fmt: str, vals: dict) -> dict[str, Any] | None:
    """Change one printed number so that at least one assessable cross-check fails."""
    cands = []
    for left, right in check_inputs(fmt).values():
        ks = left + right
        if all(vals[k] is not None for k in ks):
            cands.extend(ks)
    if not cands:
        return None
    k = rng.choice(sorted(set(cands)))
    old = vals[k]
    d = rng.randint(1, 9)
    vals[k] = old + d if old < d or rng.random() < 0.5 else old - d
    return {"table": k[0], "row": k[1], "col": k[2], "printed": vals[k], "consistent": old}


def _draw_format(rng: random.Random, year: int, share: float) -> str:
    if year >= 2021:
        return "2021"
    return "2021" if year == 2020 and rng.random() < share else "2019"


def generate_report(
    rng_or_seed: random.Random | int,
    *,
    name: str | None = None,
    agency: Agency | None = None,
    year: int | None = None,
    profile: str | None = None,
    prev: dict | None = None,
    **options: Any,
) -> tuple[str, dict[str, Any]]:
    """One report and its truth. `prev`: the agency's truth of the year before, if any."""
    opts = options.pop("opts", None) or Options(**options)
    rng = rng_or_seed if isinstance(rng_or_seed, random.Random) else random.Random(rng_or_seed)
    ag = agency or make_agency(rng, opts.outside_share)
    year = year or rng.choice(YEARS)
    fmt = _draw_format(rng, year, opts.new_format_2020_share)
    if profile is None:
        u = rng.random() / (2 if ag.busy else 1)
        profile = "busy" if u < opts.busy_share else "zero" if u > 1 - opts.zero_share else "small"
    used: set[str] = {f"format_{fmt}", f"profile_{profile}", f"level_{ag.level}"}
    if year == 2020 and fmt == "2021":
        used.add("format_2021_for_2020")
    prev_vals = _truth_values(prev) if prev else None
    cin = None
    if prev_vals and prev_vals.get(("requests", "carried_out", "total")) is not None:
        cin = {c: prev_vals.get(("requests", "carried_out", c)) for c in spec.APPLICANT_COLS}
        if None in cin.values():
            cin = None
        elif rng.random() < opts.carry_break_share:
            cin[rng.choice(spec.APPLICANT_COLS)] += rng.randint(1, 4)  # type: ignore[operator]
            used.add("carry_break")
    same_fmt_prev = prev_vals if prev and prev["format"] == fmt else None
    vals: dict[Key, Num | None] = {}
    vals.update(_active(rng, fmt, profile, ag, same_fmt_prev))
    vals.update(_requests(rng, fmt, profile, cin))  # type: ignore[arg-type]
    vals.update(_appeals(rng, profile))
    empty: dict[Key, str] = {}
    if rng.random() < opts.blank_share:
        empty = _blank_cells(rng, fmt, vals, used)
        for k in empty:
            vals[k] = None
    if opts.sparse_share and rng.random() < opts.sparse_share:
        used.add("sparse")
        for k in _sparse_cells(fmt, vals):
            empty[k] = ""
            vals[k] = None
    broken = _break(rng, fmt, vals) if rng.random() < opts.break_share else None
    if broken:
        used.add("broken")
    checks = compute_checks(fmt, vals)
    # The 16th cell only where dropping any one cell reads the same (seed 004: all zeros).
    extra = all(vals[k] == 0 for k in _APPEAL_KEYS) and rng.random() < opts.extra_cell_share
    if extra:
        used.add("extra_cell")

    pr = render(rng, name=ag.name, year=year, fmt=fmt, profile=profile, vals=vals,
                empty=empty, extra=extra, opts=opts, used=used)  # fmt: skip
    raws, units = pr.raws, pr.units
    sha = hashlib.sha256(pr.text.encode("utf-8")).hexdigest()
    line_of = pr.line_of
    facts = [
        {
            "table": k[0],
            "row": k[1],
            "col": k[2],
            "value": vals[k],
            "raw": raws[k],
            "line": line_of[k],
        }
        for k in _CELLS[fmt]
    ]
    if fmt == "2021" and vals["active", "fees", "amount"] is not None:
        units["active", "fees", "amount"] = "万元"  # the header says 本年收费金额（单位：万元）
    for i, k in _AMOUNTS[fmt]:
        if k in units:
            facts[i]["unit"] = units[k]
    truth = {
        "source": name or f"synth_{sha[:16]}.txt",
        "sha256": sha,
        "agency": ag.name,
        "year": year,
        "format": fmt,
        "region": dict(ag.region),
        "facts": facts,
        "narrative": pr.narrative,
        "checks": checks,
        "expect_warning": extra,
        "synth": {
            "layout": "cell" if pr.cell else "tab",
            "profile": profile,
            "level": ag.level,
            "place": list(ag.place) or None,
            "variants": sorted(used),
            "broken": broken,
            "zero_filing": not any(vals.values()),
            "cross_year": _cross_year(prev_vals, prev["format"], vals, fmt) if prev else [],
            "prev_source": prev["source"] if prev else None,
        },
    }
    return pr.text, truth


_CELLS = {f: spec.cells(f) for f in spec.FORMATS}
_AMOUNTS = {f: [(i, k) for i, k in enumerate(_CELLS[f]) if k[2] == "amount"] for f in spec.FORMATS}
_APPEAL_KEYS = {("appeals", r, c) for r in spec.APPEAL_ROWS for c in spec.APPEAL_COLS}


def _truth_values(truth: dict) -> dict[Key, Num | None]:
    return {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}


def _status(a: Num | None, b: Num | None) -> str:
    return "not_assessable" if a is None or b is None else "ok" if a == b else "failed"


def _cross_year(prev: dict[Key, Num | None], prev_fmt: str, vals: dict, fmt: str) -> list[dict]:
    """Cross-year checks against the previous year's report, as the v_cross_year view does."""
    out = [
        {"id": f"carryover.{c}", "status": _status(prev["requests", "carried_out", c],
                                                   vals["requests", "carried_in", c])}
        for c in spec.REQUEST_COLS
    ]  # fmt: skip
    if fmt == "2021" and prev_fmt == "2021":
        for r in ("rules", "normative"):
            old, issued, repealed = (prev["active", r, "in_force"], vals["active", r, "issued"],
                                     vals["active", r, "repealed"])  # fmt: skip
            new = None if None in (old, issued, repealed) else old + issued - repealed
            out.append(
                {"id": f"in_force.{r}", "status": _status(new, vals["active", r, "in_force"])}
            )
    return out


# --- corpora ---------------------------------------------------------------------------


def _plan(n: int, seed: int) -> list[tuple[int, int, int]]:
    """(first index, number of years, seed) of each agency's run of consecutive reports."""
    rng = random.Random(seed)
    plan, i = [], 0
    while i < n:
        length = min(rng.choice((1, 1, 2, 3, 4, 5, 6, 7)), n - i)
        plan.append((i, length, rng.getrandbits(64)))
        i += length
    return plan


def _series(first: int, length: int, seed: int, opts: Options) -> list[tuple[str, str, dict]]:
    """One agency's reports over `length` consecutive years, carry-over chained."""
    rng = random.Random(seed)
    ag = make_agency(rng, opts.outside_share)
    start = rng.randint(YEARS[0], YEARS[-1] - length + 1)
    u = rng.random() / (2 if ag.busy else 1)
    profile = "busy" if u < opts.busy_share else "zero" if u > 1 - opts.zero_share else "small"
    out: list[tuple[str, str, dict]] = []
    prev = None
    for j in range(length):
        sub = random.Random(rng.getrandbits(64))
        text, truth = generate_report(
            sub, agency=ag, year=start + j, profile=profile, prev=prev, opts=opts
        )
        name = f"{first + j:06d}_{truth['sha256'][:16]}.txt"
        truth["source"] = name
        out.append((name, text, truth))
        prev = truth
    return out


def iter_corpus(n: int, seed: int, **options: Any) -> Iterator[tuple[str, str, dict]]:
    """(file name, text, truth) of n reports: agencies reporting over runs of consecutive years."""
    opts = Options(**options)
    for first, length, s in _plan(n, seed):
        yield from _series(first, length, s, opts)


def _write_series(job: tuple[Path, int, int, int, Options]) -> list[Path]:
    out, first, length, seed, opts = job
    paths = []
    for name, text, truth in _series(first, length, seed, opts):
        p = out / name
        p.write_bytes(text.encode("utf-8"))
        t = json.dumps(truth, ensure_ascii=False)
        (out / (p.stem + ".truth.json")).write_text(t, encoding="utf-8")
        paths.append(p)
    return paths


def write_corpus(
    out_dir: str | Path, n: int, seed: int, *, workers: int = 1, **options: Any
) -> list[Path]:
    """Write n reports and a `<stem>.truth.json` beside each; the same files for any `workers`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    opts = Options(**options)
    jobs = [(out, first, length, s, opts) for first, length, s in _plan(n, seed)]
    if workers <= 1:
        return [p for job in jobs for p in _write_series(job)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [p for ps in pool.imap(_write_series, jobs, chunksize=16) for p in ps]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="directory to write reports and truths into")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="processes (same files for any)")
    for f in fields(Options):
        ap.add_argument("--" + f.name.replace("_", "-"), type=float, default=f.default)
    a = vars(ap.parse_args(argv))
    out, n, seed, workers = a.pop("out"), a.pop("n"), a.pop("seed"), a.pop("workers")
    t0 = time.perf_counter()
    paths = write_corpus(out, n, seed, workers=workers, **a)
    dt = time.perf_counter() - t0
    print(f"wrote {len(paths)} reports with truths to {out} in {dt:.1f} s")


if __name__ == "__main__":
    main()
