"""Charts: offline SVG, text alternatives, and withheld cells never charted."""

from __future__ import annotations

import json
from pathlib import Path

from gbo.config import RunConfig
from gbo.publish.charts import build_chart, is_chartable
from gbo.publish.inputs import load_publication
from gbo.publish.plan import PublicationPlan, plan_publication
from gbo.publish.settings import ChartSettings
from gbo.runfolder import RunContext


def _plan(publish_dir: Path) -> PublicationPlan:
    ctx = RunContext(run_dir=publish_dir.parent, config=RunConfig(), stage="publish")
    return plan_publication(load_publication(ctx).tables)


def test_withheld_cells_are_not_charted(publish_dir: Path) -> None:
    spec = json.loads((publish_dir / "charts" / "offenders_sex.vl.json").read_text("utf-8"))
    (values,) = [v for v in spec["datasets"].values()]
    charted = {(v["breakdown"], v["category"]) for v in values}
    assert charted == {("In a group", "Male"), ("Alone", "Male")}
    svg = (publish_dir / "charts" / "offenders_sex.svg").read_text("utf-8")
    assert svg.startswith("<svg") and "http://" not in svg.replace("http://www.w3.org", "")


def test_chart_says_what_it_leaves_out(publish_dir: Path) -> None:
    plan = _plan(publish_dir)
    (entry,) = [e for e in plan.tables if e.table_id == "offenders_sex"]
    chart = build_chart(entry, ChartSettings())
    assert chart is not None
    assert chart.n_withheld == 4
    assert "4 cells are withheld by disclosure control and not charted" in chart.description
    assert chart.alt_text.startswith("Bar chart of offenders by sex")
    html = (publish_dir / "report" / "index.html").read_text("utf-8")
    assert f'alt="{chart.alt_text}"' in html


def test_statistics_and_excluded_sections_get_no_chart(publish_dir: Path) -> None:
    plan = _plan(publish_dir)
    settings = ChartSettings(sections=["offenders"])
    chartable = {e.table_id for e in plan.tables if is_chartable(e, settings)}
    assert chartable == {"offenders_sex", "offenders_ethnicity"}
    assert not (publish_dir / "charts" / "journeys_contacts_before_statistics.svg").exists()
    assert not is_chartable(plan.tables[0], ChartSettings(enabled=False))
