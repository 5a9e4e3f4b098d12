"""The HTML report: a golden table fragment, anchors for comments, and optional sections."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from gbo.config import RunConfig
from gbo.publish.charts import build_chart
from gbo.publish.html_tables import table_block
from gbo.publish.inputs import load_publication
from gbo.publish.plan import plan_publication
from gbo.publish.report import render_block
from gbo.publish.settings import PublishSettings
from gbo.runfolder import RunContext
from tests.publish.conftest import compare_golden, run_publish
from tests.publish.fixture_run import write_run_folder


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


def test_table_fragment_matches_golden(publish_dir: Path) -> None:
    run_dir = publish_dir.parent
    ctx = RunContext(run_dir=run_dir, config=RunConfig(), stage="publish")
    publication = load_publication(ctx)
    plan = plan_publication(publication.tables)
    (entry,) = [e for e in plan.tables if e.table_id == "offenders_sex"]
    chart = build_chart(entry, PublishSettings().charts)
    html = render_block(table_block(entry, publication.symbols, plan.notes.texts, chart))
    compare_golden("offenders_sex.html", html)


def test_every_table_and_section_carries_an_anchor(publish_dir: Path) -> None:
    html = (publish_dir / "report" / "index.html").read_text(encoding="utf-8")
    tags = parse(html)
    tables = [a for t, a in tags if t == "table"]
    assert len(tables) >= 9
    ids = [a.get("data-table-id") for a in tables]
    assert all(ids) and len(set(ids)) == len(ids)
    assert "offenders_sex" in ids and "journeys_contacts_before_statistics" in ids
    sections = [a for t, a in tags if t == "section"]
    assert all(a.get("id") for a in sections)
    section_ids = {a["id"] for a in sections}
    for required in ("summary", "methodology", "quality", "journeys", "group-rule", "caveats"):
        assert required in section_ids
    assert "lessons" in section_ids and "characteristics-offenders" in section_ids
    headers = [a for t, a in tags if t == "th"]
    assert all(a.get("scope") in ("col", "row") for a in headers)
    assert html.count("<caption") == len(tables)


def test_report_has_the_synthetic_banner_and_explains_symbols(publish_dir: Path) -> None:
    html = (publish_dir / "report" / "index.html").read_text(encoding="utf-8")
    assert 'id="synthetic-banner"' in html
    assert "made from synthetic data" in html
    assert "[c] confidential" in html
    assert "not available in this run" not in html


def test_report_links_only_local_assets(publish_dir: Path) -> None:
    report = publish_dir / "report"
    html = (report / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:href|src)="([^"#]+)"', html)
    assert refs
    for ref in refs:
        assert not ref.startswith(("http:", "https:", "//")), ref
        assert (report / ref).resolve().is_file(), f"{ref} is linked but missing"
    css = (report / "assets" / "govuk-frontend.min.css").read_text(encoding="utf-8")
    assert "url(/assets/" not in css
    for url in re.findall(r"url\(([^)]+)\)", css):
        assert (report / "assets" / url).is_file(), url


def test_optional_sections_say_they_are_not_available(tmp_path: Path) -> None:
    run_dir = write_run_folder(tmp_path / "run-minimal", optional_items=False)
    config = RunConfig.model_validate({"publish": {"write_ods": False, "write_csv": False}})
    publish_dir, result = run_publish(run_dir, config)
    html = (publish_dir / "report" / "index.html").read_text(encoding="utf-8")
    for what in (
        "The completeness table",
        "The full data quality page",
        "Linkage quality",
        "The group rule",
        "The sensitivity of groups to the rule",
        "Excerpts from case reviews",
    ):
        assert f"{what} not available in this run." in html
    assert not (publish_dir / "tables.ods").exists()
    assert not (publish_dir / "csv").exists() and "as CSV" not in html
    assert (publish_dir / "tables.xlsx").is_file()
    assert result.metrics["n_tables"] == 8


def test_summary_counts_come_from_published_totals(publish_dir: Path) -> None:
    html = (publish_dir / "report" / "index.html").read_text(encoding="utf-8")
    summary = html[html.index('id="summary"') : html.index('id="methodology"')]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary))
    assert "Offenders 236 (table 3)" in text
    assert "Victims 189 (table 5)" in text
    assert "Offending groups 41 (table 4)" in text
    assert "Offences" not in text.split("What the tables cover")[1].split("This publication")[0]


def test_report_can_leave_out_the_govuk_typeface(tmp_path: Path) -> None:
    from gbo.publish.assets import copy_assets

    copy_assets(tmp_path, govuk_typeface=False)
    css = (tmp_path / "assets" / "govuk-frontend.min.css").read_text(encoding="utf-8")
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    assert not (tmp_path / "assets" / "fonts").exists()
    assert (tmp_path / "assets" / "images" / "favicon.ico").is_file()
