"""The HTML report: GOV.UK Design System markup rendered from Jinja2 templates.

Sections carry stable ``id``s (summary, methodology, quality, one per characteristics
topic, journeys, group-rule, caveats, lessons) and every table a ``data-table-id``; the
review app anchors reviewers' comments on them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from gbo.disclosure.linkage_facts import RUN_DIAGNOSTICS
from gbo.disclosure.sensitivity_control import control_group_sensitivity
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import is_symbol
from gbo.profile.population import ALONE, IN_GROUP
from gbo.profile.tidy import ALL
from gbo.publish.assets import AssetFiles
from gbo.publish.charts import Chart
from gbo.publish.displayed_tables import PublishedTable
from gbo.publish.html_tables import (
    Cell,
    HeaderCell,
    HtmlTable,
    TableBlock,
    flatten_items,
    format_value,
    frame_table,
    table_block,
)
from gbo.publish.inputs import Publication
from gbo.publish.plan import PublicationPlan
from gbo.publish.settings import PublishSettings
from gbo.schema.agencies import agencies_phrase

TOPICS = {
    "scale": "Scale",
    "offenders": "Offenders",
    "groups": "Offending groups",
    "victims": "Victims",
    "context": "Context of offending",
    "outcomes": "Outcomes",
    "baseline": "Rates against the population",
}
QUALITY_PAGE = "data-quality.html"
# labels of the linkage facts that count records, persons or links (the rest are rates,
# thresholds and scores: a precision of 1 is not a count of one)
COUNT_LABELS = ("Number of", "Persons by")


def _controlled_items(items: list[tuple[str, str]], threshold: int) -> list[tuple[str, str]]:
    """Label/text facts with every whole-number count of 1 to threshold - 1 said as such."""
    out = []
    for label, text in items:
        digits = text.replace(",", "")
        is_count = label.startswith(COUNT_LABELS)
        if is_count and digits.isdigit() and 0 < int(digits) < threshold:
            text = f"fewer than {threshold}"
        out.append((label, text))
    return out


def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("gbo.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_block(block: TableBlock) -> str:
    """One table with its notes, chart and symbols, as an HTML fragment."""
    return template_environment().get_template("table_block.html.j2").render(block=block)


@dataclass
class ReportContext:
    """Everything the report template prints."""

    title: str
    is_synthetic: bool
    release_date: str
    next_release: str
    period: str
    organisation: str
    contact_email: str
    run_id: str
    code_version: str
    n_tables: int
    contents: list[tuple[str, str]]
    headline: list[tuple[str, str]]
    downloads: list[tuple[str, str]]
    methodology: list[str]
    definitions: list[tuple[str, str]]
    symbols_table: HtmlTable
    notes: list[tuple[int, str]]
    caveats: list[str]
    about: list[tuple[str, str]]
    completeness: HtmlTable | None = None
    quality_page: str | None = None
    linkage: list[tuple[str, str]] | None = None
    quality_blocks: list[TableBlock] = field(default_factory=list)
    agencies: str = "the agencies in this run"
    characteristics: list[tuple[str, str, list[TableBlock]]] = field(default_factory=list)
    journeys: list[TableBlock] = field(default_factory=list)
    group_rule: list[tuple[str, str]] | None = None
    group_rule_description: str = ""
    sensitivity: HtmlTable | None = None
    lessons: list[TableBlock] = field(default_factory=list)
    excerpts: list[tuple[str, list[tuple[str, str, str]]]] | None = None
    has_csv: bool = True
    main_points: list[Any] = field(default_factory=list)
    bulletin_page: str | None = None
    commentary: list[tuple[str, str, Markup]] = field(default_factory=list)


HEADLINES = (
    ("offenders", "Offenders"),
    ("victims", "Victims"),
    ("groups", "Offending groups"),
    ("context", "Offences"),
)


def _headline(plan: PublicationPlan) -> list[tuple[str, str]]:
    """How many offenders, victims, groups and offences the tables cover.

    Each figure is the published column total (denominator) of the ``All`` breakdown of the
    first table of its section that has one, so it has been through disclosure control.
    """
    items = []
    for section, label in HEADLINES:
        for entry in plan.tables:
            if entry.is_statistics or entry.table.meta.section != section:
                continue
            rows = entry.frame[entry.frame["breakdown"] == "All"]
            if not rows.empty:
                shown = str(rows["denominator_display"].iloc[0])
                items.append((label, f"{shown} (table {entry.number})"))
                break
    return items


def disclosure_threshold(publication: Publication) -> int | None:
    """The threshold below which counts were withheld, as the disclosure stage recorded it."""
    config = publication.disclosure_config
    value = next(
        (config[k] for k in ("threshold", "primary_threshold", "min_count") if k in config), None
    )
    return int(value) if value is not None else None


def _methodology(publication: Publication) -> list[str]:
    threshold = disclosure_threshold(publication)
    rule = (
        f"Counts below {threshold} are withheld"
        if threshold is not None
        else "Small counts are withheld"
    )
    return [
        "Records of people, offences and agency contacts from "
        f"{agencies_phrase(publication.agencies)} were checked, pseudonymised, and linked "
        "into people with a "
        "probabilistic record linkage model. Offenders who offended together were joined "
        "into offending groups by the group rule described below.",
        "Each table counts people (or groups, offences or case reviews, as its unit says). "
        "'Not recorded' is always shown as a category: percentages are given of everyone "
        "and of those whose characteristic was recorded. Intervals are Wilson score 95% "
        "confidence intervals.",
        f"{rule} ([c]). Further cells are withheld where a withheld cell could otherwise be "
        "worked out by subtraction from totals or other tables, and an audit solves a linear "
        "programme to prove that no withheld cell can be narrowed down. Percentages and "
        "intervals are withheld with their counts.",
    ]


def _themes_withheld(tables: list[PublishedTable]) -> set[str]:
    """Themes with a withheld count in any lessons table (any area, year or status)."""
    out: set[str] = set()
    for table in tables:
        if table.meta.section != "lessons" or table.rows.empty:
            continue
        for category, display in zip(
            table.rows["category"], table.rows["count_display"], strict=True
        ):
            if not str(display).replace(",", "").split(" ")[0].isdigit():
                out.add(str(category))
    return out


def _excerpts(
    frame: pd.DataFrame | None, tables: list[PublishedTable]
) -> list[tuple[str, list[tuple[str, str, str]]]] | None:
    """Quotations by theme, each citing its review.

    Each citation names a review that shows the theme, so the number of reviews cited is a
    lower bound on the theme's count in every lessons table (by area and year too). A
    theme's excerpts are published only when none of its counts is withheld: a lower bound
    on a withheld count could narrow it below the protection interval.
    """
    if frame is None or frame.empty:
        return None
    themes: dict[str, list[tuple[str, str, str]]] = {}
    label_col = "theme_label" if "theme_label" in frame else "theme_id"
    withheld = _themes_withheld(tables)
    frame = frame[~frame[label_col].astype(str).isin(withheld)]
    if frame.empty:
        return None
    for record in frame.to_dict("records"):
        page = record.get("page")
        page_text = "" if page is None or pd.isna(page) else str(int(page))
        themes.setdefault(str(record.get(label_col, "Theme")), []).append(
            (str(record.get("document_title", "Case review")), page_text, str(record["excerpt"]))
        )
    return list(themes.items())


def _symbols_table(symbols: dict[str, str]) -> HtmlTable:
    return HtmlTable(
        table_id="symbols",
        caption="Symbols used in the tables",
        headers=[HeaderCell("Symbol"), HeaderCell("Meaning")],
        rows=[[Cell(s, is_header=True), Cell(m)] for s, m in symbols.items()],
    )


# the configured rule's figures in the sensitivity table -> where the tables publish them:
# (table, category; None: the table's denominator)
CONFIGURED_RULE_FIGURES = {
    "n_groups": ("groups_size", None),
    "n_offenders_in_groups": ("offenders_group_status", IN_GROUP),
    "n_offenders_not_in_groups": ("offenders_group_status", ALONE),
}


def configured_rule_shown(publication: Publication) -> dict[str, bool]:
    """For each of the configured rule's figures the tables publish, whether they show it
    (:func:`gbo.disclosure.sensitivity_control.control_group_sensitivity`)."""
    by_id = {t.table_id: t.rows for t in publication.tables}
    shown: dict[str, bool] = {}
    for column, (table_id, category) in CONFIGURED_RULE_FIGURES.items():
        rows = by_id.get(table_id)
        if rows is None or rows.empty:
            continue
        rows = rows[rows["breakdown"] == ALL]
        if category is None:
            display = rows["denominator_display"]
        else:
            display = rows.loc[rows["category"] == category, "count_display"]
        if len(display):
            shown[column] = not is_symbol(str(display.iloc[0]))
    return shown


def build_context(
    publication: Publication,
    plan: PublicationPlan,
    charts: dict[str, Chart],
    settings: PublishSettings,
    downloads: list[tuple[str, str]],
) -> ReportContext:
    blocks: dict[str, list[TableBlock]] = {}
    for entry in plan.tables:
        block = table_block(
            entry,
            publication.symbols,
            plan.notes.texts,
            charts.get(entry.table_id),
            has_csv=settings.write_csv,
        )
        blocks.setdefault(entry.table.meta.section, []).append(block)
    characteristics = [
        (f"characteristics-{key}", heading, blocks[key])
        for key, heading in TOPICS.items()
        if key in blocks
    ]
    contents = [("summary", "Summary"), ("methodology", "Methodology and definitions")]
    contents += [("quality", "Data quality and linkage quality")]
    contents += [(anchor, heading) for anchor, heading, _ in characteristics]
    contents += [
        ("journeys", "Victims' journeys"),
        ("group-rule", "The group rule and its sensitivity"),
        ("caveats", "Caveats"),
        ("lessons", "Lessons from case reviews"),
        ("about-this-run", "About this release"),
    ]
    definitions = [
        (f"Table {e.number}: {e.title}", e.table.meta.definition or e.table.meta.population)
        for e in plan.tables
        if not e.is_statistics and (e.table.meta.definition or e.table.meta.population)
    ]
    completeness = None
    if publication.completeness is not None and not publication.completeness.empty:
        completeness = frame_table(
            publication.completeness,
            "quality_completeness",
            "Share of records with each item recorded, by agency",
        )
    # counts outside the tables (linkage and group diagnostics) follow the same threshold
    disclosure = DisclosureSettings.model_validate(publication.disclosure_config)
    threshold = disclosure.threshold
    sensitivity = None
    if publication.group_sensitivity is not None and not publication.group_sensitivity.empty:
        sensitivity = frame_table(
            control_group_sensitivity(
                publication.group_sensitivity,
                threshold,
                configured_rule_shown(publication),
                disclosure.rounding_base,
                disclosure.protection,
            ),
            "group_sensitivity",
            "Offending groups under other group rules",
        )
    about = [
        ("Run id", publication.run_id),
        ("Code version", publication.code_version),
        ("Synthetic data", format_value("is_synthetic", publication.is_synthetic)[0]),
    ] + [
        (f"Stage: {name}", status or "not recorded") for name, status in publication.stages.items()
    ]
    return ReportContext(
        agencies=agencies_phrase(publication.agencies),
        title=publication.title,
        is_synthetic=publication.is_synthetic,
        release_date=f"{publication.release_date:%d %B %Y}",
        next_release=settings.next_release,
        period=settings.period or publication.period,
        organisation=settings.organisation,
        contact_email=settings.contact_email,
        run_id=publication.run_id,
        code_version=publication.code_version,
        n_tables=len(plan.tables),
        contents=contents,
        headline=_headline(plan),
        downloads=downloads,
        methodology=_methodology(publication),
        definitions=definitions,
        symbols_table=_symbols_table(publication.symbols),
        notes=[(i + 1, text) for i, text in enumerate(plan.notes.texts)],
        caveats=list(settings.caveats),
        about=about,
        completeness=completeness,
        quality_page=QUALITY_PAGE if publication.quality_page else None,
        linkage=(
            _controlled_items(
                flatten_items(publication.linkage_quality, skip=RUN_DIAGNOSTICS), threshold
            )
            if publication.linkage_quality
            else None
        ),
        quality_blocks=blocks.get("quality", []),
        characteristics=characteristics,
        journeys=blocks.get("journeys", []),
        group_rule=(
            flatten_items(publication.group_rule, skip=frozenset({"description"}))
            if publication.group_rule
            else None
        ),
        group_rule_description=str((publication.group_rule or {}).get("description") or ""),
        sensitivity=sensitivity,
        lessons=blocks.get("lessons", []),
        excerpts=_excerpts(publication.excerpts, publication.tables),
        has_csv=settings.write_csv,
    )


def write_report(
    report_dir: Path,
    publication: Publication,
    context: ReportContext,
    charts: dict[str, Chart],
    assets: AssetFiles,
) -> Path:
    """Write ``index.html`` (with its charts and the data quality page) into ``report_dir``."""
    chart_dir = report_dir / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    for chart in charts.values():
        (chart_dir / f"{chart.file_stem}.svg").write_text(chart.svg, encoding="utf-8")
    if publication.quality_page is not None:
        shutil.copyfile(publication.quality_page, report_dir / QUALITY_PAGE)
    template = template_environment().get_template("report.html.j2")
    html = template.render(r=context, assets=assets)
    index = report_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    return index
