"""The sidebar filters, kept in the URL, and the words that state them.

Why here: the filters must survive page switches and live in the URL so that a copied link
reopens the same view. Widget state alone is dropped when the page changes, so the chosen
values are kept in one session-state dict (seeded once from the URL) and written back to
st.query_params after every run; other URL keys (e.g. ``report``) are left alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from dashboard import db, labels
from etl import spec

STORE = "_filters"
PARAMS = ("city", "county", "years", "type", "fmt", "q", "outside")
EMPTY = (
    "当前筛选条件下没有数据。请在左侧放宽筛选条件（地市、区县、年度、机构类别、报告格式或关键词）。"
)

ALL_CITIES = "全部地市"
ALL_COUNTIES = "全部区县"
GROUP_NAMES = {  # the groupings of db.GROUPS as the pages name them
    "year": "年度",
    "city": "地市",
    "county": "区县",
    "agency": "机构",
    "agency_type": "机构类别",
    "format": "报告格式",
}
CLICKABLE = ("地市", "区县", "机构", "机构类别", "年度")  # a click on a bar filters to these


def _defaults() -> dict[str, Any]:
    return {
        "city": None,
        "county": None,
        "years": db.year_span(),
        "types": [],
        "fmts": [],
        "q": "",
        "outside": False,
    }


def _from_url() -> dict[str, Any]:
    """The filter as a copied link states it; anything unknown falls back to the default."""
    qp = st.query_params
    out = _defaults()
    if qp.get("city") in db.cities():
        out["city"] = qp["city"]
    if qp.get("county") in db.counties(out["city"]):
        out["county"] = qp["county"]
    span = out["years"]
    if span and "years" in qp:
        try:
            lo, hi = (int(x) for x in qp["years"].split("-", 1))
        except ValueError:
            lo, hi = span
        lo, hi = max(lo, span[0]), min(hi, span[1])
        if lo <= hi:
            out["years"] = (lo, hi)
    out["types"] = [t for t in qp.get_all("type") if t in db.agency_types()]
    out["fmts"] = [x for x in qp.get_all("fmt") if x in db.formats()]
    out["q"] = qp.get("q", "")[:50]
    out["outside"] = qp.get("outside") in ("1", "true")
    return out


def _to_url(state: dict[str, Any]) -> None:
    """Mirror the filter into the URL, leaving keys that are not filters alone."""
    d = _defaults()
    want: dict[str, str | list[str]] = {}
    if state["city"]:
        want["city"] = state["city"]
    if state["county"]:
        want["county"] = state["county"]
    if state["years"] and state["years"] != d["years"]:
        want["years"] = f"{state['years'][0]}-{state['years'][1]}"
    if state["types"]:
        want["type"] = list(state["types"])
    if state["fmts"]:
        want["fmt"] = list(state["fmts"])
    if state["q"]:
        want["q"] = state["q"]
    if state["outside"]:
        want["outside"] = "1"
    qp = st.query_params
    for k in PARAMS:
        have = qp.get_all(k)
        new = want.get(k)
        new_list = [] if new is None else ([new] if isinstance(new, str) else new)
        if have != new_list:
            if new is None:
                del qp[k]
            else:
                qp[k] = new


def _store() -> dict[str, Any]:
    ss = st.session_state
    if STORE not in ss:
        ss[STORE] = _from_url()
    return ss[STORE]


def _changed() -> None:
    """Widget callback: copy the widgets into the store; a city change resets the county."""
    ss = st.session_state
    s = ss[STORE]
    city = None if ss.get("f_city", ALL_CITIES) == ALL_CITIES else ss["f_city"]
    county = None if ss.get("f_county", ALL_COUNTIES) == ALL_COUNTIES else ss["f_county"]
    s["county"] = county if city == s["city"] else None
    s.update(
        city=city,
        years=tuple(ss["f_years"]) if "f_years" in ss else s["years"],
        types=list(ss.get("f_types", [])),
        fmts=list(ss.get("f_fmts", [])),
        q=ss.get("f_q", "").strip(),
        outside=bool(ss.get("f_outside", False)),
    )


def sidebar() -> db.Filters:
    """Draw the sidebar filters and return the current choice."""
    s = _store()
    ss = st.session_state
    span = db.year_span()
    if s["county"] not in db.counties(s["city"]):
        s["county"] = None
    seen = s.get("span")
    if span and s["years"] and not (span[0] <= s["years"][0] <= s["years"][1] <= span[1]):
        s["years"] = span  # the database was rebuilt with other years
    elif span and seen and span != seen and tuple(s["years"] or ()) == tuple(seen):
        s["years"] = span  # "every year" stays every year when reports on a new year arrive
    s["span"] = span
    ss.update(
        f_city=s["city"] or ALL_CITIES,
        f_county=s["county"] or ALL_COUNTIES,
        f_types=list(s["types"]),
        f_fmts=list(s["fmts"]),
        f_q=s["q"],
        f_outside=s["outside"],
    )
    with st.sidebar:
        st.header("筛选")
        st.selectbox("地市", [ALL_CITIES, *db.cities()], key="f_city", on_change=_changed)
        st.selectbox(
            "区县", [ALL_COUNTIES, *db.counties(s["city"])], key="f_county", on_change=_changed
        )
        if span and span[0] < span[1]:
            ss["f_years"] = s["years"] or span
            st.slider("年度", span[0], span[1], key="f_years", on_change=_changed, format="%d年")
        elif span:
            st.caption(f"年度：{span[0]}年（仅此一年）")
        st.multiselect(
            "机构类别", db.agency_types(), key="f_types", on_change=_changed, placeholder="全部"
        )
        st.multiselect(
            "报告格式",
            db.formats(),
            format_func=labels.format_name,
            key="f_fmts",
            on_change=_changed,
            placeholder="全部",
        )
        st.text_input("机构名称", key="f_q", on_change=_changed, placeholder="输入关键词，如“信访”")
        st.checkbox(
            "包含宁夏以外的报告",
            key="f_outside",
            on_change=_changed,
            help="默认不计入：宁夏的统计只算宁夏的机构。区外（或地区无法判断）的报告仍可在"
            "“数据质量”和“报告详情”中查看。",
        )
    _to_url(s)
    years = tuple(s["years"]) if s["years"] else None
    return db.Filters(
        city=s["city"],
        county=s["county"],
        years=None if years == span else years,  # full span: keep reports without a year
        agency_types=tuple(s["types"]),
        formats=tuple(s["fmts"]),
        search=s["q"],
        include_outside=s["outside"],
    )


def query_string(**extra: str) -> str:
    """The current filter as a URL query, plus extra keys (for links to other pages)."""
    s = _store()
    pairs: list[tuple[str, str]] = []
    for k, v in (("city", s["city"]), ("county", s["county"]), ("q", s["q"])):
        if v:
            pairs.append((k, v))
    if s["years"] and s["years"] != db.year_span():
        pairs.append(("years", f"{s['years'][0]}-{s['years'][1]}"))
    pairs += [("type", t) for t in s["types"]] + [("fmt", x) for x in s["fmts"]]
    if s["outside"]:
        pairs.append(("outside", "1"))
    pairs += list(extra.items())
    return urlencode(pairs)


def scope(f: db.Filters) -> str:
    """The filter in words, for titles: e.g. '固原市 2019–2023年'."""
    parts = [f.county or f.city or "宁夏全区"]
    if f.include_outside and not (f.county or f.city):
        parts[0] += "（含区外报告）"
    span = f.years or db.year_span()
    if span:
        parts.append(f"{span[0]}年" if span[0] == span[1] else f"{span[0]}–{span[1]}年")
    if f.agency_types:
        parts.append("、".join(f.agency_types) + "类")
    if f.formats:
        parts.append("、".join(spec.FORMAT_NAMES.get(x, x) for x in f.formats))
    if f.search:
        parts.append(f"名称含“{f.search}”")
    return " ".join(parts)


def title(f: db.Filters, measure: str) -> str:
    """A chart title that states the filter."""
    return f"{scope(f)} {measure}"


def url_choice(label: str, options: dict[str, str], default: str, key: str) -> str:
    """A segmented choice kept in the URL (a copied link reopens it): option id → label."""
    return (
        st.segmented_control(
            label,
            list(options),
            format_func=options.get,
            default=default,
            key=key,
            bind="query-params",
        )
        or default
    )


def grouping(key: str, *options: str) -> tuple[str, str]:
    """The page's 汇总方式, one of `options` (ids of db.GROUPS), kept in the URL under `key`:
    the id and its name (the column header and the axis of the grouped charts)."""
    by = st.radio(
        "汇总方式",
        list(options),
        format_func=GROUP_NAMES.get,
        horizontal=True,
        key=key,
        bind="query-params",
    )
    return by, GROUP_NAMES[by]


def on_click(group: str) -> Callable[[dict[str, Any]], None]:
    """What a click on a bar or tile of `group` does: narrow the filter to the clicked one."""
    return lambda row: filter_to(group, row.get(group))


def filter_to(group: str, name: object) -> None:
    """Narrow the sidebar filter to a clicked group (地市 / 区县 / 机构 / 机构类别 / 年度)
    and rerun; a name that is no such group leaves the filter as it is."""
    s = _store()
    before = dict(s)
    text = str(name or "")
    if group == "地市" and text in db.cities():
        s.update(city=text, county=None)
    elif group == "区县" and labels.is_level_row(text):
        city = text.removesuffix(spec.CITY_LEVEL_SUFFIX)
        if city in db.cities():
            s.update(city=city, county=None)
    elif group == "区县":
        city = next((c for c in db.cities() if text in db.counties(c)), None)
        if city is None:
            return
        s.update(city=city, county=text)
    elif group == "机构" and text:
        s.update(q=text[:50])
    elif group == "机构类别" and text in db.agency_types():
        s.update(types=[text])
    elif group == "年度" and s["years"]:
        try:
            year = int(float(text))
        except ValueError:
            return
        if s["years"][0] <= year <= s["years"][1]:
            s.update(years=(year, year))
    if s != before:  # a click on what is already chosen must not rerun for ever
        st.rerun()


def empty_advice(f: db.Filters) -> str:
    """Why the selection is empty, from the data actually there: which single filter, when
    dropped, brings reports back (and how many), instead of a generic hint."""
    relax = [
        ("机构名称关键词", {"search": ""}, bool(f.search)),
        ("年度", {"years": None}, f.years is not None),
        ("机构类别", {"agency_types": ()}, bool(f.agency_types)),
        ("报告格式", {"formats": ()}, bool(f.formats)),
        ("区县", {"county": None}, bool(f.county)),
        ("地市", {"city": None, "county": None}, bool(f.city)),
    ]
    hints = []
    for label, change, active in relax:
        if not active:
            continue
        n = int(db.totals(dataclasses.replace(f, **change)).get("reports") or 0)
        if n:
            hints.append(f"去掉“{label}”筛选后有 {n:,} 份报告")
    if hints:
        return "当前筛选条件下没有报告：" + "；".join(hints) + "。"
    everything = int(db.totals(db.Filters()).get("reports") or 0)
    if not everything:
        return "数据库中还没有宁夏的报告：请在“导入报告”上传，或勾选左侧“包含宁夏以外的报告”。"
    return f"当前筛选条件下没有报告（数据库中共有 {everything:,} 份），请在左侧放宽筛选条件。"
