"""Bar charts drawn with Altair and rendered offline to SVG by vl-convert.

Only published cells are charted: a withheld cell has no number here (see
:mod:`gbo.publish.displayed_tables`), and the chart's text says how many were left out. Every
chart has a short text alternative and a sentence describing it; the full data are in the
table beside it. Meaning is never carried by colour: breakdowns are separate panels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import altair as alt
import pandas as pd
import vl_convert as vlc

from gbo.publish.plan import TablePlan
from gbo.publish.settings import ChartSettings


@dataclass(frozen=True)
class Chart:
    """A rendered chart and its text."""

    table_id: str
    file_stem: str
    svg: str
    spec_json: str
    alt_text: str
    description: str
    n_withheld: int


def chart_measure(plan: TablePlan) -> tuple[str, str] | None:
    """The figure a table is charted by (percentage of all, else the count) and its title."""
    rows = plan.frame
    if rows["pct_of_all"].notna().any():
        return "pct_of_all", "Percentage of all (%)"
    if rows["count"].notna().any():
        return "count", f"Number of {plan.table.meta.unit}"
    return None


def is_chartable(plan: TablePlan, settings: ChartSettings) -> bool:
    table = plan.table
    return (
        settings.enabled
        and not plan.is_statistics
        and table.meta.section in settings.sections
        and table.rows["category"].nunique() <= settings.max_categories
        and table.rows["breakdown"].nunique() <= settings.max_breakdowns
        and chart_measure(plan) is not None
    )


def _describe(plan: TablePlan, data: pd.DataFrame, measure: str, n_withheld: int) -> str:
    meta = plan.table.meta
    unit = "%" if measure == "pct_of_all" else f" {meta.unit}"
    sentences = []
    for breakdown, part in data.groupby("breakdown", sort=False):
        top = part.sort_values(["value", "category_order"], ascending=[False, True]).iloc[0]
        where = "" if breakdown == "All" else f" among {str(breakdown).lower()}"
        value = f"{top['value']:.1f}" if measure == "pct_of_all" else f"{int(top['value']):,}"
        sentences.append(
            f"The largest published category{where} is {top['category']} ({value}{unit})."
        )
    if n_withheld:
        cells = "cell is" if n_withheld == 1 else "cells are"
        sentences.append(
            f"{n_withheld} {cells} withheld by disclosure control and not charted; "
            "see the symbols in the table."
        )
    return " ".join(sentences)


def build_chart(plan: TablePlan, settings: ChartSettings) -> Chart | None:
    """Draw the chart of one table, or ``None`` when it has nothing to chart."""
    picked = chart_measure(plan)
    if picked is None:
        return None
    measure, axis_title = picked
    meta = plan.table.meta
    rows = plan.frame
    published = rows[rows[measure].notna()]
    n_withheld = int(rows[measure].isna().sum())
    data = pd.DataFrame(
        {
            "breakdown": published["breakdown"].astype(str),
            "category": published["category"].astype(str),
            "category_order": published["category_order"].astype(int),
            "value": published[measure].astype(float),
        }
    )
    category_sort = list(dict.fromkeys(rows["category"].astype(str)))
    breakdown_sort = list(dict.fromkeys(rows["breakdown"].astype(str)))
    n_categories = len(category_sort)
    # the data go on the layer, not on each mark, so Altair need not compare copies of them
    base = alt.Chart().encode(
        y=alt.Y("category:N", sort=category_sort, title=meta.category_label),
        x=alt.X("value:Q", title=axis_title),
    )
    bars = base.mark_bar(color=settings.colour)
    labels = base.mark_text(align="left", dx=3, color="#0b0c0c").encode(
        text=alt.Text("value:Q", format=".1f" if measure == "pct_of_all" else ",d")
    )
    layered = alt.layer(bars, labels, data=data).properties(
        width=settings.width, height=settings.bar_height * n_categories
    )
    chart: alt.TopLevelMixin
    if len(breakdown_sort) > 1:
        chart = layered.facet(
            row=alt.Row(
                "breakdown:N",
                sort=breakdown_sort,
                title=meta.breakdown_label or "Breakdown",
                header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"),
            )
        )
    else:
        chart = layered
    chart = chart.configure(font="arial, sans-serif").configure_axis(
        labelFontSize=12, titleFontSize=12, labelLimit=220
    )
    spec = chart.to_dict(validate=False)
    svg = vlc.vegalite_to_svg(spec)
    what = "percentage of all" if measure == "pct_of_all" else "number"
    by = f", in separate panels by {meta.breakdown_label.lower()}" if meta.breakdown_label else ""
    alt_text = f"Bar chart of {meta.title.lower()}: {what} by {meta.category_label.lower()}{by}."
    return Chart(
        table_id=plan.table_id,
        file_stem=plan.file_stem,
        svg=svg,
        spec_json=json.dumps(spec, indent=1, sort_keys=True, default=str),
        alt_text=alt_text,
        description=_describe(plan, data, measure, n_withheld),
        n_withheld=n_withheld,
    )
