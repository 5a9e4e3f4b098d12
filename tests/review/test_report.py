"""Reading the report: anchors found, uploaded HTML sanitised so no script can run."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.errors import ReviewError
from gbo.review.bundle.report import read_report, sanitise_fragment
from gbo.review.sample_bundle import sample_report


def no_images(tag: str, src: str) -> None:
    return None


def test_sample_report_anchors_sections_and_tables_in_order() -> None:
    html, _ = sample_report()
    anchors = read_report(html, no_images)
    sections = [a.anchor_id for a in anchors if a.kind == "section"]
    tables = {a.anchor_id: a.section_id for a in anchors if a.kind == "table"}
    assert sections == ["scale", "characteristics", "offenders", "victims", "journeys"]
    assert tables["offenders_age"] == "characteristics"
    assert [a.order for a in anchors] == sorted(a.order for a in anchors)
    part = next(a for a in anchors if a.anchor_id == "characteristics")
    assert part.title == "Characteristics" and part.is_top_level
    assert 'class="govuk-table"' in part.html
    offenders = next(a for a in anchors if a.anchor_id == "offenders")
    assert offenders.title == "Offenders" and not offenders.is_top_level
    figures = [a for a in anchors if a.kind == "figure"]
    assert [(f.anchor_id, f.title) for f in figures] == [
        ("scale-figure-1", "Recorded offences by year")
    ]
    scale = next(a for a in anchors if a.anchor_id == "scale")
    assert 'data-figure-id="scale-figure-1"' in scale.html


HOSTILE = """<html><body><section id="s"><h2 onclick="steal()">Heading</h2>
<script>alert(1)</script><style>body{display:none}</style>
<p style="position:fixed">Text <a href="javascript:alert(1)">bad</a> <a href="#t">inside</a>
<a href="http://example.org/">plain http</a></p>
<iframe src="https://example.org"></iframe><form action="/x"><input name="q"></form>
<img src="x" onerror="alert(1)"><svg><script>alert(2)</script></svg>
<table data-table-id="t" onmouseover="x()"><caption>T</caption><tr><td>1</td></tr></table>
</section></body></html>"""


def test_hostile_markup_is_removed() -> None:
    section = read_report(HOSTILE, no_images)[0]
    html = section.html.lower()
    for forbidden in (
        "<script",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "<style",
        "style=",
        "<iframe",
        "<form",
        "<input",
        "<svg",
        "http://",
    ):
        assert forbidden not in html, forbidden
    assert 'href="#report-t"' in html
    assert "<img" not in html  # its source is not a file of the bundle


def test_images_point_at_the_app_only_when_the_resolver_allows() -> None:
    html = '<section id="s"><img src="../charts/a.svg" alt="A chart"></section>'
    anchors = read_report(html, lambda tag, src: "/files/charts/a.svg" if "charts" in src else None)
    assert '<img src="/files/charts/a.svg" alt="A chart"' in anchors[0].html


def test_ids_are_prefixed_so_they_cannot_clash_with_the_page() -> None:
    html = '<section id="s"><p id="main-content">x</p></section>'
    assert 'id="report-main-content"' in read_report(html, no_images)[0].html


def test_report_without_sections_is_refused() -> None:
    with pytest.raises(ReviewError, match="no <section> with an id"):
        read_report("<html><body><p>Nothing</p></body></html>", no_images)


def test_duplicate_table_anchor_is_refused() -> None:
    html = (
        '<section id="s"><table data-table-id="t"></table>'
        '<table data-table-id="t"></table></section>'
    )
    with pytest.raises(ReviewError, match="share the anchor"):
        read_report(html, no_images)


def test_anchor_that_is_not_a_plain_identifier_is_refused() -> None:
    with pytest.raises(ReviewError, match="plain identifier"):
        read_report('<section id="a b&quot;"><p>x</p></section>', no_images)


TAGS = st.sampled_from(
    [
        "p",
        "script",
        "img",
        "a",
        "iframe",
        "svg",
        "style",
        "table",
        "td",
        "object",
        "embed",
        "math",
        "template",
        "div",
        "section",
    ]
)
ATTRS = st.sampled_from(
    [
        'onload="x()"',
        'onclick="x()"',
        'href="javascript:x()"',
        'src="x"',
        'style="x"',
        'srcdoc="<script>x()</script>"',
        'formaction="x"',
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TAGS, ATTRS, st.text(max_size=20)), max_size=12))
def test_sanitised_fragments_never_carry_active_content(parts: list[tuple[str, str, str]]) -> None:
    html = "".join(f"<{tag} {attr}>{text}</{tag}>" for tag, attr, text in parts)
    cleaned = sanitise_fragment(html, no_images).lower()
    assert not re.search(r"<(script|iframe|svg|style|object|embed|math|template)\b", cleaned)
    assert not re.search(r"\son[a-z]+=", cleaned)
    assert "javascript:" not in cleaned and "srcdoc" not in cleaned and "style=" not in cleaned


def test_links_to_bundle_files_point_at_the_app_and_others_are_dropped() -> None:
    from gbo.review.uploads import file_resolver

    resolve = file_resolver(7, 2, {"csv/t1.csv", "charts/c.svg", "report/index.html"})
    html = (
        '<section id="s"><a href="../csv/t1.csv">CSV</a><a href="../../etc/passwd">x</a>'
        '<a href="mailto:x@example.org">m</a><img src="../csv/t1.csv" alt="not an image">'
        '<img src="../charts/c.svg" alt="chart"></section>'
    )
    cleaned = read_report(html, resolve)[0].html
    assert 'href="/publications/7/versions/2/files/csv/t1.csv"' in cleaned
    assert "passwd" not in cleaned and "mailto" not in cleaned
    assert cleaned.count("<img") == 1
    assert 'src="/publications/7/versions/2/files/charts/c.svg"' in cleaned
