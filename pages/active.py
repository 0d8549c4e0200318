"""主动公开: table 二 figures by year, area or agency — the 2019 and 2021 formats shown apart
because their columns mean different things — and the number of items the narrative says
were published, each with the sentence it came from."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, db, filters, formatting, labels, rankings, view
from etl import spec

MAX_BARS = 40

page = view.page("主动公开")
f = page.f

by, group = filters.grouping("active_by", "year", "city", "county", "agency")

st.subheader("主动公开信息条数（报告正文所述）")
narr = db.active_narrative(f)
if narr.is_empty():
    st.info(formatting.plain(filters.empty_advice(f)))
else:
    stated = narr.filter(pl.col("items").is_not_null())
    st.caption(
        f"{narr.height} 份报告中 {stated.height} 份在正文写明了主动公开信息条数；"
        "未写明的不计为 0。悬停可看原文依据，点击柱子打开该报告。"
    )
    if stated.is_empty():
        st.info("所选报告的正文都没有写明主动公开信息条数。")
    else:
        per_report = stated.select(
            **labels.report_columns(),
            **{
                "条数": pl.col("items"),
                "原文依据": pl.col("evidence"),
                "说明": pl.col("approximate").replace_strict({True: "约数"}, default=""),
            },
            report_id="report_id",
        )
        page.chart(
            "narrative",
            charts.bar_chart(
                rankings.largest(per_report, "条数", MAX_BARS, "份报告"),
                "报告",
                "条数",
                title=filters.title(f, "各报告主动公开信息条数（正文所述）"),
                horizontal=True,
                sort="descending",
                tooltip=["机构", "年度", "条数", "原文依据", "说明"],
                select=view.PICK,
                select_fields=["report_id"],
            ),
            per_report.drop("report_id"),
            on_select=view.open_report,
        )
        with st.expander(f"各报告条数及原文依据（{stated.height} 份）"):
            page.report_list(
                "narrative_list",
                per_report,
                {h: h for h in ("机构", "年度", "区县", "条数", "说明", "原文依据")},
                filters.title(f, "各报告主动公开信息条数（正文所述）"),
                "",
            )
        grouped = db.active_narrative_by(f, by).select(
            pl.col("grp").alias(group),
            pl.col("active_items").alias("条数合计"),
            pl.col("active_items_n").alias("写明条数的报告"),
            pl.col("reports").alias("报告数"),
        )
        page.table("narrative_by", grouped, filters.title(f, f"主动公开信息条数（按{group}）"))
        rankings.year_over_year(
            page,
            "narrative_yoy",
            f,
            lambda ff: db.active_narrative_by(ff, by),
            group,
            spec.NARRATIVE_NAMES[spec.ACTIVE_ITEMS],
            value="active_items",
        )

st.subheader("表二：主动公开政府信息情况")
st.warning(
    "表二在 2021 年起换用新格式，两种格式的列含义不同（如“行政事业性收费”：2019 版为收费项目数，"
    "2021 版为收费金额（万元）；2019 版的“规章”为新制作、新公开、对外公开总数，2021 版为制发、"
    "废止、现行有效件数）。因此下面分开显示，不相加、不跨格式比较。",
    icon=":material/info:",
)
tabs = st.tabs(
    [
        spec.FORMAT_NAMES[x] + ("（2019、2020 年度）" if x == "2019" else "（2021 年度起）")
        for x in spec.FORMATS
    ],
    key="active_tab",
    bind="query-params",
)
for fmt, tab in zip(spec.FORMATS, tabs, strict=True):
    with tab:
        if f.formats and fmt not in f.formats:
            st.info("左侧“报告格式”筛选未包含此格式。")
            continue
        data = db.active_cells(f, fmt, by)
        if data.is_empty():
            st.info(f"所选范围内没有{spec.FORMAT_NAMES[fmt]}格式的报告。")
            continue
        cells = [(r, c) for r in spec.ACTIVE_ROWS[fmt] for c in spec.ACTIVE_COLS[fmt][r]]
        names = {f"{r}|{c}": labels.cell_name(r, c) for r, c in cells}
        data = data.with_columns(
            pl.format("{}|{}", "row_id", "col_id").replace_strict(names).alias("项目"),
            pl.col("grp").cast(pl.String).alias(group),
            formatting.n_of("n", "reports").alias("填写 n/N"),
        )
        choice = st.selectbox(
            "指标",
            list(names),
            format_func=names.get,
            key=f"active_cell_{fmt}",
            bind="query-params",
        )
        one = data.filter(pl.col("项目") == names[choice]).select(
            group, pl.col("value").alias("合计"), "填写 n/N"
        )
        unit = " （万元）" if choice in ("fees|amount",) else ""
        chart_title = f"{names[choice]}{unit}（{spec.FORMAT_NAMES[fmt]}）"
        if by == "year":
            page.by_year(f"active_{fmt}", one, "合计", chart_title)
        else:
            rankings.ranking(
                page,
                f"active_{fmt}",
                one,
                group,
                "合计",
                title=page.title(chart_title),
            )
        rankings.year_over_year(
            page,
            f"active_yoy_{fmt}",
            f,
            lambda ff, fmt=fmt, cell=choice: db.active_cells(ff, fmt, by).filter(
                pl.format("{}|{}", "row_id", "col_id") == cell
            ),
            group,
            f"{names[choice]}{unit}",
            last=db.active_cells(f, fmt, "year")["grp"].max(),  # the format's last year
        )
        table = data.with_columns(
            pl.when(pl.col("n") > 0)
            .then(pl.format("{}（{}）", formatting.number_text("value"), "填写 n/N"))
            .otherwise(pl.format("空白（0/{}）", "reports"))
            .alias("v")
        )
        if by == "year":  # a few years: one column each, the template's rows down
            table = table.pivot(on=group, index="项目", values="v")
            order = {name: i for i, name in enumerate(names.values())}
            table = table.sort(pl.col("项目").replace_strict(order, return_dtype=pl.Int32))
        else:  # hundreds of agencies: one row each (a long table, never a wide one)
            table = table.pivot(on="项目", index=group, values="v").sort(group)
            table = table.select(group, *[n for n in names.values() if n in table.columns])
        st.caption("表中每格为合计，括号内为填写该项的报告数/报告总数。")
        page.table(f"active_table_{fmt}", table, filters.title(f, f"表二 {spec.FORMAT_NAMES[fmt]}"))
page.briefing()
