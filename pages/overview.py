"""总览: the key figures of the latest year against the year before, which agencies filed
in which year, the year-by-year trend of each measure, and the counties on a tile map."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, filters, formatting, labels, rankings, view
from etl import spec

MAX_MATRIX_AGENCIES = 60

page = view.page("总览")
f = page.f

summary = db.yearly_summary(f)
if summary.is_empty():
    st.info(formatting.plain(filters.empty_advice(f)))
    st.stop()

tot = db.totals(f)
years = summary["year"].to_list()
year = st.selectbox(
    "关键数字年度",
    years[::-1],
    format_func=lambda y: f"{y}年",
    key="ov_year",
    bind="query-params",
)
cur = summary.filter(pl.col("year") == year).row(0, named=True)
prev_rows = summary.filter(pl.col("year") == year - 1)
prev = prev_rows.row(0, named=True) if prev_rows.height else None
same_n = prev is not None and prev["reports"] == cur["reports"]
st.caption(
    f"{formatting.plain(filters.scope(f))}：共 {tot['reports']:,} 份报告、{tot['agencies']:,} 个机构、"
    f"覆盖 {tot['counties']} 个区县、{tot['years']} 个年度。下方数字为 {year} 年，"
    f"箭头为较 {year - 1} 年的变化（{year - 1} 年无报告时不比较填报项）。"
    + (
        ""
        if prev is None or same_n
        else f"注意：{year} 年有 {cur['reports']:,} 份报告，{year - 1} 年有 "
        f"{prev['reports']:,} 份，份数不同，合计数的变化有一部分来自报告份数。"
    )
)


def count_delta(key: str) -> int:
    """Change of a count on the previous year (no report that year counts as 0 reports)."""
    return cur[key] - (prev[key] if prev else 0)


def rate_of(row: dict | None, key: str) -> float | None:
    if not row or not row[f"{key}_n"]:
        return None
    return 100 * row[key] / row[f"{key}_n"]


c = st.columns(3) + st.columns(3)
page.metric(c[0], "报告数", f"{cur['reports']:,}", count_delta("reports"), border=True)
page.metric(c[1], "机构数", f"{cur['agencies']:,}", count_delta("agencies"), border=True)
page.metric(
    c[2],
    "覆盖区县数",
    f"{cur['counties']}/22",
    count_delta("counties"),
    border=True,
    help="宁夏 22 个县级行政区中有报告的个数（市直、区直机构不计入区县）",
)
page.metric(c[3], "年度数", tot["years"], border=True, help="所选范围内有报告的年度个数")
apps = cur["applications"]
prev_apps = prev["applications"] if prev and prev["applications_n"] else None
page.metric(
    c[4],
    "新收依申请公开申请",
    formatting.fmt_number(apps),
    None
    if apps is None or prev_apps is None
    else formatting.fmt_number(apps - prev_apps) + ("" if same_n else "（报告份数不同）"),
    delta_color="off",
    border=True,
    help=f"{cur['reports']:,} 份报告中 {cur['applications_n']:,} 份填写了该项（空白不计为 0）",
)
zr, zr_prev = rate_of(cur, "zero_filing"), rate_of(prev, "zero_filing")
page.metric(
    c[5],
    f"零报告率（{cur['zero_filing']:,}/{cur['zero_filing_n']:,}）",
    formatting.pct_text(cur["zero_filing"], cur["zero_filing_n"]),
    None if zr is None or zr_prev is None else f"{zr - zr_prev:+.1f} 个百分点",
    delta_color="inverse",
    border=True,
    help="表二、三、四除 0 以外没有任何数字的报告所占比例（n/N）",
)

st.subheader("各机构年度报告发布情况")
cov = db.coverage(f)
shown = rankings.most_troubled(cov, MAX_MATRIX_AGENCIES)
cov_chart = charts.matrix_chart(
    shown,
    x="年度",
    y="机构",
    color="状态",
    title=page.title("各机构年度报告发布情况"),
    tooltip=["机构", "年度", "状态", "未通过校验数"],
    x_domain=page.years,
    select=view.PICK,
    select_fields=["report_id"],
)
page.chart(  # the export holds every agency
    "coverage", cov_chart, cov.drop("report_id"), on_select=view.open_report
)
st.caption("“未找到”指数据库中没有该机构该年度的报告，不一定是未发布。点击方格打开该报告。")

st.subheader("逐年趋势")
trend = summary.select(
    pl.col("year").alias("年度"),
    pl.col("reports").alias("报告数"),
    pl.col("agencies").alias("机构数"),
    pl.col("applications").alias("新收申请数"),
    pl.col("applications_n").alias("填写申请数的报告"),
    formatting.pct("zero_filing", "zero_filing_n").alias("零报告率（%）"),
    formatting.n_of("zero_filing", "zero_filing_n").alias("零报告 n/N"),
    formatting.pct("zero_application", "zero_application_n").alias("零申请率（%）"),
    formatting.n_of("zero_application", "zero_application_n").alias("零申请 n/N"),
)
left, right = st.columns(2)
with left:
    counts = trend.unpivot(
        ["报告数", "机构数"], index="年度", variable_name="指标", value_name="数量"
    )
    page.trend("trend_counts", counts, "数量", "报告数与机构数", color="指标")
with right:
    app_cols = ["年度", "新收申请数", "填写申请数的报告", "报告数"]
    page.trend(
        "trend_apps",
        trend,
        "新收申请数",
        "新收依申请公开申请数",
        tooltip=app_cols,
        data=trend.select(app_cols),
    )
rates = pl.concat(
    trend.select(
        "年度",
        pl.col(f"{kind}率（%）").alias("比例（%）"),
        pl.col(f"{kind} n/N").alias("n/N"),
        pl.lit(f"{kind}率").alias("指标"),
    )
    for kind in ("零报告", "零申请")
)
page.trend(
    "trend_zero",
    rates,
    "比例（%）",
    "零报告率与零申请率（%）",
    color="指标",
    rate=True,
)

st.subheader("区县分布")
measures = {
    "报告数": "报告数",
    "新收申请数": "新收申请数",
    "零报告率（%）": "零报告率（%）",
}
measure = st.selectbox("地图指标", list(measures), key="ov_map_measure", bind="query-params")
tiles = db.county_tiles(f).select(
    pl.col("county").alias("区县"),
    pl.col("city").alias("地市"),
    "tile_row",
    "tile_col",
    pl.when(pl.col("reports") > 0).then(pl.col("reports")).alias("报告数"),
    pl.col("applications").alias("新收申请数"),
    (100 * pl.col("zero_filing_rate")).alias("零报告率（%）"),
    formatting.n_of("zero_filing", "zero_filing_n").alias("零报告 n/N"),
    pl.when(
        (pl.lit(f.city).is_not_null() & (pl.col("city") != pl.lit(f.city)))
        | (pl.lit(f.county).is_not_null() & (pl.col("county") != pl.lit(f.county)))
    )
    .then(pl.lit(charts.OUTSIDE_LABEL))
    .alias("说明"),
)
st.caption("点击区县方块可把左侧筛选设为该区县。")
if tiles[measures[measure]].drop_nulls().is_empty():
    st.info("所选范围内没有区县级机构的报告（市直、区直机构不在区县地图上）。")
else:
    page.chart(
        "tiles",
        charts.tile_map(
            tiles,
            value=measures[measure],
            title=filters.title(f, f"各区县{measure}"),
            tooltip=["区县", "地市", "报告数", "新收申请数", "零报告 n/N"],
            label="区县",
            reason="说明",
            select=view.PICK,
        ),
        tiles.drop("tile_row", "tile_col"),
        on_select=lambda row: filters.filter_to("区县", row.get("区县")),
    )

st.subheader("报告清单")
rep = db.reports(f)
latest = rep.row(0, named=True)
st.page_link(
    view.REPORT_PAGE,
    label=formatting.plain(
        f"查看最新一份报告：{latest['agency'] or '（未识别机构）'} {latest['year'] or ''}年"
    ),
    icon=":material/description:",
    query_params={"report": latest["id"]},
)
listing = view.report_links(
    rep.select(
        pl.col("id").alias("report_id"),
        pl.col("agency").alias("机构"),
        pl.col("year").alias("年度"),
        pl.col("format").replace_strict(spec.FORMAT_NAMES, default=None).alias("报告格式"),
        labels.city_column().alias("地市"),
        labels.county_column().alias("区县"),
        pl.col("failed_checks").alias("未通过校验"),
    )
).drop("report_id")
page.table("reports", listing, filters.title(f, "报告清单"), column_config={"查看": view.LINK})
page.briefing()
