"""The app's one Altair theme and its chart builders (Polars in, Altair chart out).

Why: every chart on screen and in exports must draw Chinese in the project's font, print
legibly in grey-scale, and never show a NULL (blank or not-applicable cell) as 0. Importing
this module registers and enables the theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import polars as pl

from dashboard.fonts import FONT_STACK

THEME_NAME = "nianbao"
MAX_ROWS = 5000
EXACT_FORMAT = ",.12~g"  # tooltips: every printed digit, thousands separated, no padding
MISSING_LABEL = "无数据"
MISSING_FILL = "#ffffff"
MISSING_STROKE = "#8c8c8c"
OUTSIDE_LABEL = "不在筛选范围"  # a county the filter leaves out: not the same as no data
OUTSIDE_FILL = "#eeeeee"
# Luminance 0.04 / 0.42 / 0.25 / 0.12 / 0.58 / 0.79: distinct grey levels when printed.
PALETTE = ("#1b3a5c", "#e69f00", "#4e8fc7", "#0b6e4f", "#a6d5a0", "#fde68a")
RAMP = ("#dbe9f6", "#08306b")  # light blue to navy; never white, so NULL tiles stay apart
COVERAGE_COLORS: dict[str, str] = {
    "已发布": "#2f5d8a",
    "校验未通过": "#e69f00",
    "未找到": "#e8e8e8",
}

Tooltip = Sequence[str | alt.Tooltip] | None
SCARCE_LABEL = "样本不足"  # a rate resting on fewer reports than the minimum N: no bar
ALL_ZERO_NOTE = "全部为 0"
RATE_LABELS = "format(datum.value, ',.4~f') + '%'"  # rate axes: 12.5%, never 12.5 or 1.3e+1

# 办理结果: one hue per group of the template (spec.OUTCOME_GROUPS), its sub-reasons as
# shades light to dark. The six group colours differ in grey level too (printed in grey).
OUTCOME_HUES: dict[str, tuple[str, ...]] = {
    "予以公开": ("#1b3a5c",),
    "部分公开": ("#6fa8dc",),
    "不予公开": (
        "#7f2704",
        "#a63603",
        "#d94801",
        "#f16913",
        "#fd8d3c",
        "#fdae6b",
        "#fdd0a2",
        "#fee6ce",
    ),
    "无法提供": ("#00441b", "#238b45", "#74c476"),
    "不予处理": ("#3f007d", "#6a51a3", "#9e9ac8", "#bcbddc", "#dadaeb"),
    "其他处理": ("#525252", "#737373", "#969696", "#bdbdbd"),
}


def outcome_scale(labels: Sequence[str], groups: Mapping[str, Sequence[str]]) -> alt.Scale:
    """Colour scale for outcome labels in template order: `groups` maps each group name of
    OUTCOME_HUES to its labels (a group shown whole is its own single label)."""
    domain: list[str] = []
    rng: list[str] = []
    for group, members in groups.items():
        hues = OUTCOME_HUES.get(group, PALETTE)
        present = [m for m in members if m in labels]
        for i, m in enumerate(present):
            domain.append(m)
            rng.append(hues[0] if len(present) == 1 else hues[i % len(hues)])
    extra = [x for x in labels if x not in domain]
    return alt.Scale(domain=domain + extra, range=rng + [MISSING_STROKE] * len(extra))


def whole(df: pl.DataFrame, col: str) -> bool:
    """Whether every printed value of `col` is a whole number (a count, even as a float):
    such axes get integer ticks and no decimals."""
    dtype = df.schema[col]
    if dtype.is_integer():
        return True
    if not dtype.is_float():
        return False
    vals = df.get_column(col).drop_nulls()
    return bool((vals == vals.round(0)).all()) if vals.len() else True


# a count axis labels whole numbers only: on a short domain (0–1.3, a bar chart's room for its
# value labels) Vega still puts a tick at 0.5, which ",d" would print as a second "1"
WHOLE_LABELS = "datum.value % 1 ? '' : datum.label"


def value_axis(df: pl.DataFrame, col: str, rate: bool = False, fmt: str | None = None) -> alt.Axis:
    """The value axis: integer ticks for counts, '%' on rates, never an exponent."""
    if rate:
        return alt.Axis(labelExpr=RATE_LABELS, tickMinStep=1)
    if whole(df, col):
        return alt.Axis(format=fmt or ",d", tickMinStep=1, labelExpr=WHOLE_LABELS)
    return alt.Axis(format=fmt or ",.4~f")


def all_zero(df: pl.DataFrame, col: str) -> bool:
    """Every printed value is 0 (and there is at least one): the chart says 全部为 0."""
    vals = df.get_column(col).drop_nulls()
    return vals.len() > 0 and bool((vals == 0).all())


@alt.theme.register(THEME_NAME, enable=True)
def nianbao_theme() -> alt.theme.ThemeConfig:
    """CJK font everywhere, title 16 / labels 12, grey-scale-safe colours, white paper."""
    text = {"font": FONT_STACK, "fontSize": 12}
    axis = {
        "labelFont": FONT_STACK,
        "titleFont": FONT_STACK,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelLimit": 260,
        "titleFontWeight": "normal",
    }
    return {
        "background": "white",
        "config": {
            "font": FONT_STACK,
            "background": "white",
            "title": {
                "font": FONT_STACK,
                "fontSize": 16,
                "fontWeight": "normal",  # the font has one weight: screen = export
                "anchor": "start",
                "offset": 10,
            },
            "axis": axis,
            "legend": {
                "labelFont": FONT_STACK,
                "titleFont": FONT_STACK,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelLimit": 260,
            },
            "header": {
                "labelFont": FONT_STACK,
                "titleFont": FONT_STACK,
                "labelFontSize": 12,
                "titleFontSize": 12,
            },
            "text": text,
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0]},
            "point": {"color": PALETTE[0]},
            "area": {"color": PALETTE[0]},
            "range": {"category": list(PALETTE), "ramp": list(RAMP), "heatmap": list(RAMP)},
            "view": {"stroke": None},
        },
    }


def _prepare(df: pl.DataFrame) -> pl.DataFrame:
    """Decimal to float (JSON cannot carry Decimal) and refuse frames Altair would reject."""
    if df.height > MAX_ROWS:
        raise ValueError(
            f"图表数据有 {df.height} 行，超过 {MAX_ROWS} 行上限：请先在查询中汇总 "
            f"(chart data has {df.height} rows; aggregate before charting)"
        )
    decimals = [n for n, t in df.schema.items() if isinstance(t, pl.Decimal)]
    return df.with_columns(pl.col(decimals).cast(pl.Float64)) if decimals else df


def _is_year(name: str) -> bool:
    return name == "year" or name.endswith("_year") or name.endswith("年") or name == "年度"


def _tip(df: pl.DataFrame, field: str | alt.Tooltip) -> alt.Tooltip:
    """A tooltip entry: exact numbers for measures, plain text for names and years."""
    if isinstance(field, alt.Tooltip):
        return field
    dtype = df.schema[field]
    if dtype.is_numeric() and not (dtype.is_integer() and _is_year(field)):
        return alt.Tooltip(f"{field}:Q", format=EXACT_FORMAT)
    return alt.Tooltip(f"{field}:O" if dtype.is_integer() else f"{field}:N")


def _tooltips(df: pl.DataFrame, tooltip: Tooltip, default: Sequence[str]) -> list[alt.Tooltip]:
    fields = list(tooltip) if tooltip is not None else [f for f in default if f]
    return [_tip(df, f) for f in fields]


UNKNOWN = "不详"  # a category a report did not state (a year, a county): a bar of its own


def _known(df: pl.DataFrame, *cols: str | None) -> pl.DataFrame:
    """NULL categories as the text 不详, the column as text: Vega-Lite takes neither a null
    nor a mix of numbers and text in a sort list (a report without a year broke charts)."""
    for c in cols:
        if c and c in df.columns and df[c].null_count():
            df = df.with_columns(pl.col(c).cast(pl.String).fill_null(UNKNOWN))
    return df


def _order(df: pl.DataFrame, cat: str, val: str, sort: str | Sequence[str] | None) -> list:
    """Category order as an explicit list (so layered charts agree); NULL values last."""
    if sort is not None and not isinstance(sort, str):
        text = df.schema[cat] == pl.String
        return [UNKNOWN if v is None else str(v) if text else v for v in sort]
    if sort is None:
        return df.get_column(cat).unique(maintain_order=True).to_list()
    if isinstance(sort, str):
        if sort not in ("ascending", "descending"):
            raise ValueError("sort must be 'ascending', 'descending' or a list of categories")
        ordered = df.sort(val, descending=sort == "descending", nulls_last=True)
        return ordered.get_column(cat).unique(maintain_order=True).to_list()
    return list(sort)


def bar_chart(
    df: pl.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    color: str | None = None,
    horizontal: bool = False,
    sort: str | Sequence[str] | None = None,
    tooltip: Tooltip = None,
    number_format: str | None = None,
    rate: bool = False,
    labels: str | None = None,
    note: str | None = None,
    select: str | None = None,
    select_fields: Sequence[str] = (),
) -> alt.LayerChart:
    """Bars of `y` per category `x`; a NULL `y` keeps its category and says 无数据 (or the
    text of column `note`, e.g. 样本不足), no bar. `labels` names a text column written at
    the end of each bar (a value label such as '36.8%（7/19）'); `rate` puts % on the axis.
    `select` names a click selection of the bar's category and `select_fields` (e.g. the
    report id behind a bar)."""
    df = _known(_prepare(df), x, color)
    order = _order(df, x, y, sort)
    cat_enc = alt.Y if horizontal else alt.X
    val_enc = alt.X if horizontal else alt.Y
    # years and short names read level; long names slant rather than stand on end
    longest = max((len(str(v)) for v in df[x].to_list()), default=0)
    angle = 0 if horizontal or longest <= 6 else -35
    cat = cat_enc(f"{x}:N", sort=order, title=None, axis=alt.Axis(labelAngle=angle, labelLimit=180))
    tips = _tooltips(df, tooltip, [x, color or "", y])
    present = df.filter(pl.col(y).is_not_null())
    top, low = present[y].max() if present.height else None, present[y].min()
    room: Any = alt.Undefined  # value labels need space beyond the longest bar
    if labels and top is not None and low is not None and low >= 0 and top > 0 and not color:
        room = alt.Scale(domain=[0, float(top) * (1.3 if horizontal else 1.12)], nice=False)
    elif top == 0 and low == 0:  # all zero: the 0 at the axis start, not in its middle
        room = alt.Scale(domain=[0, 1])
    enc: dict[str, Any] = {
        "x" if horizontal else "y": val_enc(
            f"{y}:Q", title=None, axis=value_axis(df, y, rate, number_format), scale=room
        ),
        "y" if horizontal else "x": cat,
        "tooltip": tips,
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None)
    bars = alt.Chart(present).mark_bar(cursor="pointer" if select else alt.Undefined).encode(**enc)
    if select:  # a click on a bar selects its category (st.altair_chart on_select)
        fields = [x, *select_fields]
        bars = bars.add_params(alt.selection_point(name=select, fields=fields, on="click"))
    text = pl.col(note).fill_null(MISSING_LABEL) if note else pl.lit(MISSING_LABEL)
    missing = df.filter(pl.col(y).is_null()).with_columns(text.alias("_note"))
    note_enc: dict[str, Any] = {
        "y" if horizontal else "x": cat,
        "text": alt.Text("_note:N"),
        "tooltip": [_tip(df, x), alt.Tooltip("_note:N", title=y)],
    }
    if horizontal:
        note_enc["x"] = alt.datum(0)
    else:
        note_enc["y"] = alt.datum(0)
    notes = (
        alt.Chart(missing)
        .mark_text(
            color=MISSING_STROKE,
            align="left" if horizontal else "center",
            baseline="middle" if horizontal else "bottom",
            dx=4 if horizontal else 0,
            dy=0 if horizontal else -4,
        )
        .encode(**note_enc)
    )
    layers: list[Any] = [bars, notes]
    if labels:
        val = "x" if horizontal else "y"
        layers.append(
            alt.Chart(present)
            .mark_text(
                align="left" if horizontal else "center",
                baseline="middle" if horizontal else "bottom",
                dx=4 if horizontal else 0,
                dy=0 if horizontal else -4,
                color="#333333",
            )
            .encode(**{val: enc[val], ("y" if horizontal else "x"): cat}, text=f"{labels}:N")
        )
    return alt.layer(*layers, title=title)


def stacked_bar(
    df: pl.DataFrame,
    x: str,
    y: str,
    color: str,
    *,
    title: str,
    normalize: bool = False,
    tooltip: Tooltip = None,
    scale: alt.Scale | None = None,
    x_domain: Sequence[Any] | None = None,
    select: str | None = None,
) -> alt.Chart:
    """Stacked (or 100%) bars; NULL segments are left out, never stacked as 0. With `scale`
    (e.g. outcome_scale) the legend and the stack follow its domain order; `select` names a
    click selection of the stack's category (a year)."""
    df = _known(_prepare(df).filter(pl.col(y).is_not_null()), x, color)
    axis = alt.Axis(format=".0%") if normalize else value_axis(df, y)
    if scale is not None:
        order = {v: i for i, v in enumerate(scale.domain)}
        df = df.with_columns(
            pl.col(color).replace_strict(order, default=len(order)).alias("_stack_order")
        )
    years = df.schema[x].is_integer()  # years read level; long names need the default slant
    kind, angle = ("O", 0) if years else ("N", alt.Undefined)
    xs = alt.Scale(domain=list(x_domain)) if x_domain is not None else alt.Undefined
    chart = (
        alt.Chart(df, title=title)
        .mark_bar(cursor="pointer" if select else alt.Undefined)
        .encode(
            x=alt.X(
                f"{x}:{kind}", title=None, sort=None, scale=xs, axis=alt.Axis(labelAngle=angle)
            ),
            y=alt.Y(f"{y}:Q", title=None, stack="normalize" if normalize else "zero", axis=axis),
            color=alt.Color(
                f"{color}:N",
                title=None,
                sort=None if scale is None else list(scale.domain),
                scale=alt.Undefined if scale is None else scale,
                legend=alt.Legend(columns=1 if scale is None else 2, symbolLimit=0),
            ),
            order=alt.Order(
                "_stack_order:Q", sort="descending" if scale is not None else "ascending"
            ),
            tooltip=_tooltips(df, tooltip, [x, color, y]),
        )
        .properties(width=alt.Step(48))
    )
    if scale is None:
        chart = chart.transform_window(_stack_order="row_number()", groupby=[x])
    if select:
        chart = chart.add_params(alt.selection_point(name=select, fields=[x], on="click"))
    return chart


def line_chart(
    df: pl.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    color: str | None = None,
    tooltip: Tooltip = None,
    span: tuple[int, int] | None = None,
    rate: bool = False,
) -> alt.LayerChart:
    """Trend over years (ordinal: 2019, not 2,019). Every year of `span` (default: the
    data's first to last year) is on the axis; a year without reports is a gap in the
    line, never a segment joining its neighbours."""
    df = fill_years(_prepare(df), x, color, span)
    years = df.get_column(x).drop_nulls().unique().sort().to_list()
    enc: dict[str, Any] = {
        "x": alt.X(
            f"{x}:O", title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=years)
        ),
        "y": alt.Y(f"{y}:Q", title=None, axis=value_axis(df, y, rate)),
        "tooltip": _tooltips(df, tooltip, [x, color or "", y]),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None)
    base = alt.Chart(df).encode(**enc)
    line = base.mark_line(invalid="break-paths-filter-domains", strokeWidth=2)
    points = base.mark_point(filled=True, size=50, invalid="filter")
    return alt.layer(line, points, title=title).properties(width=alt.Step(64))


def fill_years(
    df: pl.DataFrame, x: str, color: str | None, span: tuple[int, int] | None
) -> pl.DataFrame:
    """Rows for the years (per series) the data lack, with NULL values: a gap, not a join."""
    if not df.schema[x].is_integer():
        return df
    have = df.get_column(x).drop_nulls().to_list() + (list(span) if span else [])
    if not have:
        return df
    lo, hi = min(have), max(have)
    grid = pl.DataFrame({x: list(range(lo, hi + 1))}, schema={x: df.schema[x]})
    if color and color in df.columns:
        grid = grid.join(df.select(color).unique(maintain_order=True), how="cross")
    keys = [x, color] if color and color in df.columns else [x]
    filled = grid.join(df, on=keys, how="left", nulls_equal=True).select(df.columns)
    return pl.concat([filled, df.filter(pl.col(x).is_null())])  # a report without a year


def matrix_chart(
    df: pl.DataFrame,
    x: str,
    y: str,
    color: str,
    *,
    title: str,
    tooltip: Tooltip = None,
    colors: Mapping[str, str] | None = None,
    x_domain: Sequence[Any] | None = None,
    select: str | None = None,
    select_fields: Sequence[str] = (),
) -> alt.Chart:
    """Category grid (e.g. agency × year coverage) with one fixed colour per category;
    `x_domain` puts every year on the axis, also one without any report. `select` names a
    click selection of the cell's row, column and `select_fields` (e.g. its report id)."""
    df = _known(_prepare(df), x, y)
    xs = alt.Scale(domain=list(x_domain)) if x_domain is not None else alt.Undefined
    fixed = dict(COVERAGE_COLORS if colors is None else colors)
    seen = df.get_column(color).drop_nulls().unique(maintain_order=True).to_list()
    domain = [c for c in fixed if c in seen] + [c for c in seen if c not in fixed]
    spare = iter(PALETTE)
    rng = [fixed[c] if c in fixed else next(spare, MISSING_STROKE) for c in domain]
    chart = (
        alt.Chart(df, title=title)
        .mark_rect(stroke="white", strokeWidth=1, cursor="pointer" if select else alt.Undefined)
        .encode(
            x=alt.X(f"{x}:O", title=None, scale=xs, axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y(f"{y}:N", title=None, sort=None),
            color=alt.Color(f"{color}:N", title=None, scale=alt.Scale(domain=domain, range=rng)),
            tooltip=_tooltips(df, tooltip, [y, x, color]),
        )
        .properties(width=alt.Step(48), height=alt.Step(24))
    )
    if select:
        fields = [y, x, *select_fields]
        chart = chart.add_params(alt.selection_point(name=select, fields=fields, on="click"))
    return chart


def tile_map(
    df: pl.DataFrame,
    *,
    value: str,
    title: str,
    tooltip: Tooltip = None,
    label: str = "name",
    tile: int = 64,
    reason: str | None = None,
    select: str | None = None,
) -> alt.LayerChart:
    """Ningxia's counties as squares placed like the map (tile_row/tile_col of regions.csv).

    The caller left-joins data/regions.csv so a county without data arrives with a NULL
    `value`: it is drawn white with a dashed border and the legend entry 无数据, never as 0.
    """
    df = _prepare(df)
    cols = list(range(int(df["tile_col"].min() or 0), int(df["tile_col"].max() or 0) + 1))
    rows = list(range(int(df["tile_row"].min() or 0), int(df["tile_row"].max() or 0) + 1))
    lo, hi = df[value].min(), df[value].max()
    span = (hi - lo) if lo is not None and hi is not None and hi != lo else None
    norm = (pl.col(value) - lo) / span if span else pl.lit(0.0)
    df = df.with_columns(
        pl.when(pl.col(value).is_null())
        .then(pl.lit("#333333"))
        .when(norm > 0.55)
        .then(pl.lit("#ffffff"))
        .otherwise(pl.lit("#1a1a1a"))
        .alias("_ink"),
        pl.when(pl.col(value).is_null())
        .then(pl.col(reason).fill_null(MISSING_LABEL) if reason else pl.lit(MISSING_LABEL))
        .alias("_missing"),
    )
    seen = set(df.get_column("_missing").drop_nulls().to_list())
    kinds = [(MISSING_LABEL, MISSING_FILL), (OUTSIDE_LABEL, OUTSIDE_FILL)]
    gap_kinds = [k for k, _ in kinds if k in seen] or [MISSING_LABEL]
    gap_fill = [c for k, c in kinds if k in gap_kinds]
    pos = {
        "x": alt.X("tile_col:O", scale=alt.Scale(domain=cols, paddingInner=0.08), axis=None),
        "y": alt.Y("tile_row:O", scale=alt.Scale(domain=rows, paddingInner=0.08), axis=None),
    }
    tips = _tooltips(df, tooltip, [label, value])
    gaps = [
        alt.Tooltip("_missing:N", title=value) if f == value else _tip(df, f)
        for f in (tooltip if tooltip is not None else [label, value])
    ]
    present = alt.Chart(df.filter(pl.col(value).is_not_null()))
    absent = alt.Chart(df.filter(pl.col(value).is_null()))
    filled = present.mark_rect().encode(
        **pos,
        color=alt.Color(
            f"{value}:Q", title=None, legend=alt.Legend(format=",d" if whole(df, value) else ",.1f")
        ),
        tooltip=tips,
    )
    if select:  # a click on a tile selects its county (st.altair_chart on_select)
        filled = filled.add_params(alt.selection_point(name=select, fields=[label], on="click"))
    empty = absent.mark_rect(stroke=MISSING_STROKE, strokeDash=[4, 3], strokeWidth=1).encode(
        **pos,
        fill=alt.Fill(
            "_missing:N",
            title=None,
            scale=alt.Scale(domain=gap_kinds, range=gap_fill),
            legend=alt.Legend(symbolType="square", symbolStrokeColor=MISSING_STROKE),
        ),
        tooltip=gaps,
    )
    # Text layers carry the tooltips too: the label sits on top and would swallow the hover.
    ink = alt.Color("_ink:N", scale=None)
    names = present.mark_text(fontSize=12, baseline="middle").encode(
        **pos, text=alt.Text(f"{label}:N"), color=ink, tooltip=tips
    )
    gap_names = absent.mark_text(fontSize=12, baseline="middle").encode(
        **pos, text=alt.Text(f"{label}:N"), color=ink, tooltip=gaps
    )
    notes = absent.mark_text(fontSize=10, dy=16, color=MISSING_STROKE).encode(
        **pos, text=alt.Text("_missing:N"), tooltip=gaps
    )
    return (
        alt.layer(filled, empty, names, gap_names, notes, title=title)
        .resolve_scale(color="independent")
        .properties(width=alt.Step(tile), height=alt.Step(tile))
    )
