"""The bulletin page: main points, a few short sections with a chart each, and the annex.

Written to ``report/bulletin.html`` beside the full report (``index.html``), whose tables
it links to, so any table is two clicks from the bulletin's first screen. The drafted main
points are also written as Markdown (``main-points.md``) for the analyst to keep, edit or
drop in the commentary folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from gbo.bulletin.commentary import (
    MAIN_POINTS_FILE,
    Commentary,
    NumberRules,
    load_commentary,
    period_years,
    render_markdown,
)
from gbo.bulletin.figures import PublishedFigures, published_numbers
from gbo.bulletin.sentences import Sentence, draft, unquoted_numbers
from gbo.bulletin.settings import BulletinSettings
from gbo.bulletin.specs import BulletinPlan, load_plan
from gbo.errors import PublishError
from gbo.publish.charts import Chart
from gbo.publish.plan import PublicationPlan

BULLETIN_PAGE = "bulletin.html"
REPORT_PAGE = "index.html"


@dataclass(frozen=True)
class Point:
    """A sentence as the page shows it: text, and a link to the table it quotes."""

    html: Markup
    table_label: str = ""
    href: str = ""


@dataclass(frozen=True)
class ChartView:
    src: str
    alt_text: str
    description: str
    table_label: str
    href: str


@dataclass
class SectionView:
    id: str
    heading: str
    points: list[Point]
    chart: ChartView | None = None
    commentary: Markup | None = None
    tables: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Bulletin:
    """Everything the bulletin page (and the report's main points) shows."""

    main_points: list[Point]
    main_points_by_analyst: bool
    sections: list[SectionView]
    drafted: list[Sentence]

    def markdown(self) -> str:
        """The drafted main points as a commentary file to start from."""
        lines = [
            "<!-- Drafted by gbo from the published tables. Keep, edit or drop each",
            "     point, then save as main-points.md in the commentary folder. -->",
            "",
        ]
        lines += [f"- {s.text} (table {s.table_number})" for s in self.drafted if s.is_main_point]
        return "\n".join(lines) + "\n"


def _point(sentence: Sentence) -> Point:
    return Point(
        html=Markup.escape(sentence.text),
        table_label=f"Table {sentence.table_number}",
        href=f"{REPORT_PAGE}#{sentence.anchor}",
    )


def _inline(markdown: str) -> Markup:
    html = render_markdown(markdown).strip()
    if html.startswith('<p class="govuk-body">') and html.endswith("</p>"):
        html = html[len('<p class="govuk-body">') : -len("</p>")]
    return Markup(html)  # noqa: S704 - sanitised by nh3 in render_markdown


def _chart_view(plan: PublicationPlan, charts: dict[str, Chart], table_id: str) -> ChartView | None:
    chart = charts.get(table_id)
    entries = [e for e in plan.for_table(table_id) if not e.is_statistics]
    if chart is None or not entries:
        return None
    entry = entries[0]
    return ChartView(
        src=f"charts/{chart.file_stem}.svg",
        alt_text=chart.alt_text,
        description=chart.description,
        table_label=f"Table {entry.number}: {entry.title}",
        href=f"{REPORT_PAGE}#{entry.anchor}",
    )


def _section_tables(plan: PublicationPlan, table_ids: list[str]) -> list[tuple[str, str]]:
    links = []
    for table_id in dict.fromkeys(table_ids):
        for entry in plan.for_table(table_id):
            links.append((f"Table {entry.number}: {entry.title}", f"{REPORT_PAGE}#{entry.anchor}"))
    return links


def number_rules(plan: PublicationPlan, period: str, threshold: int) -> NumberRules:
    n_notes = len(plan.notes.texts)
    return NumberRules(
        published=frozenset(published_numbers(plan)),
        years=period_years(period),
        threshold=threshold,
        n_references=max(len(plan.tables), n_notes),
    )


def build_bulletin(
    plan: PublicationPlan,
    charts: dict[str, Chart],
    settings: BulletinSettings,
    *,
    period: str,
    threshold: int,
) -> Bulletin:
    """Draft every sentence of the plan, read the commentary, and lay out the sections."""
    bulletin_plan: BulletinPlan = load_plan(settings.plan_file)
    figures = PublishedFigures(plan)
    rules = number_rules(plan, period, threshold)
    commentary: dict[str, Commentary] = {}
    if settings.commentary_dir is not None:
        commentary = load_commentary(
            settings.commentary_dir, [s.id for s in bulletin_plan.sections], rules
        )
    drafted: list[Sentence] = []
    sections: list[SectionView] = []
    for spec in bulletin_plan.sections:
        sentences = [s for s in (draft(p, figures) for p in spec.points) if s is not None]
        for sentence in sentences:
            stray = unquoted_numbers(sentence, plan)
            if stray:
                raise PublishError(
                    f"bulletin sentence for table {sentence.table_number} quotes "
                    f"{', '.join(stray)}, which that table does not publish",
                    hint="this is a fault in gbo's bulletin plan; report it",
                )
        drafted += sentences
        note = commentary.get(spec.id)
        if not sentences and note is None:
            continue
        sections.append(
            SectionView(
                id=spec.id,
                heading=spec.heading,
                points=[_point(s) for s in sentences],
                chart=_chart_view(plan, charts, spec.chart) if spec.chart else None,
                commentary=Markup(note.html) if note else None,  # noqa: S704 - sanitised
                tables=_section_tables(plan, [spec.chart] + [p.table for p in spec.points]),
            )
        )
    analyst = commentary.get(MAIN_POINTS_FILE.removesuffix(".md"))
    if analyst is not None:
        main_points = [Point(html=_inline(text)) for text in analyst.bullet_points()]
    else:
        main = [s for s in drafted if s.is_main_point][: settings.max_main_points]
        main_points = [_point(s) for s in main]
    return Bulletin(main_points, analyst is not None, sections, drafted)


def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("gbo.bulletin", "templates"),
                jinja2.PackageLoader("gbo.publish", "templates"),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def write_bulletin(
    report_dir: Path, bulletin: Bulletin, report: Any, assets: Any, plan: PublicationPlan
) -> Path:
    """Write ``bulletin.html`` beside the full report; ``report`` is its ReportContext."""
    tables = [(f"Table {e.number}: {e.title}", f"{REPORT_PAGE}#{e.anchor}") for e in plan.tables]
    html = (
        template_environment()
        .get_template("bulletin.html.j2")
        .render(b=bulletin, r=report, assets=assets, tables=tables)
    )
    path = report_dir / BULLETIN_PAGE
    path.write_text(html, encoding="utf-8")
    return path
