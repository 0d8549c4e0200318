"""零报告: the share of reports whose tables hold no number other than 0 (zero filing) and
the narrower share that received no application, by year, area and agency type — always
with n/N — and the list of the zero-filing reports."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import db, filters, formatting, rankings, view
from etl import spec

KINDS = {"zero_filing": "零报告", "zero_application": "零申请"}
MEANS = {
    "zero_filing": "表二、表三、表四除 0 以外没有任何数字（空白格视为未填报）",
    "zero_application": "表三“本年新收政府信息公开申请数量”总计为 0",
}
page = view.page(
    "零报告",
    "".join(f"{KINDS[k]}：{m}。" for k, m in MEANS.items())
    + "比例的分母为所选范围内能判断的报告数。",
)
f = page.f

tot = db.zero_totals(f)
if not tot["reports"]:
    st.info(formatting.plain(filters.empty_advice(f)))
    st.stop()
SAID = {"zero_filing": "份为零报告", "zero_application": "份没有收到申请"}
for column, (kind, name) in zip(st.columns(2), KINDS.items(), strict=True):
    n, total = tot[kind], tot[f"{kind}_n"]
    page.metric(
        column,
        f"{name}率（{n:,}/{total:,}）",
        formatting.pct_text(n, total),
        border=True,
        help=f"{total:,} 份报告中 {n:,} {SAID[kind]}",
    )

by, group = filters.grouping("zero_by", "year", "county", "agency_type", "city")
raw = db.zero_rates(f, by)
rates = raw.select(
    pl.col("grp").cast(pl.String if by != "year" else pl.Int64).alias(group),
    formatting.pct("zero_filing", "zero_filing_n").alias("零报告率（%）"),
    formatting.n_of("zero_filing", "zero_filing_n").alias("零报告 n/N"),
    formatting.pct("zero_application", "zero_application_n").alias("零申请率（%）"),
    formatting.n_of("zero_application", "zero_application_n").alias("零申请 n/N"),
    pl.col("reports").alias("报告数"),
    "zero_filing",
    "zero_filing_n",
    "zero_application",
    "zero_application_n",
)


def year_over_year(kind: str) -> None:
    """The rate's change on the previous year, per group (percentage points)."""
    rankings.year_over_year(
        page,
        f"zero_yoy_{kind}",
        f,
        lambda ff: db.zero_rates(ff, by),
        group,
        f"{KINDS[kind]}率（%）",
        value=formatting.pct(kind, f"{kind}_n"),
        rate=True,
    )


if by == "year":
    for column, (key, rate) in zip(st.columns(2), KINDS.items(), strict=True):
        with column:
            shown = rates.select(group, f"{rate}率（%）", f"{rate} n/N")
            page.trend(
                key,
                shown,
                f"{rate}率（%）",
                f"{rate}率（按年度）",
                rate=True,
                tooltip=shown.columns,
            )
            year_over_year(key)
else:
    kind = filters.url_choice("比例", KINDS, "zero_filing", "zero_kind")
    rate = KINDS[kind]
    rankings.ranking(
        page,
        "zero_rank",
        rates.select(group, f"{rate}率（%）", f"{rate} n/N", kind, f"{kind}_n"),
        group,
        f"{rate}率（%）",
        title=filters.title(f, f"{rate}率（按{group}）"),
        n=kind,
        total=f"{kind}_n",
        tooltip=[group, f"{rate}率（%）", f"{rate} n/N"],
    )
    year_over_year(kind)
rates = rates.drop("zero_filing", "zero_filing_n", "zero_application", "zero_application_n")
st.caption("每个比例旁的 n/N：n 为零报告（或零申请）的报告数，N 为该组能判断的报告数。")
page.table("zero_rates", rates, filters.title(f, f"零报告率与零申请率（按{group}）"))

st.subheader("零报告的机构")
page.report_list(
    "zero_list",
    db.zero_agencies(f),
    {
        "机构": "agency",
        "年度": "year",
        "区县": "area",
        "机构类别": "agency_type",
        "报告格式": pl.col("format").replace_strict(spec.FORMAT_NAMES, default=None),
    },
    filters.title(f, "零报告机构名单"),
    "所选范围内没有零报告。",
)
page.briefing()
