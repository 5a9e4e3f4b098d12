"""Reading the report: split at h2 sections, readable tables, comment links, cached, ETag/304."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from gbo.review.bundle.report import read_report
from gbo.review.models import Thread
from gbo.review.report_pages import build_pages, report_pages, split_pages
from tests.review.conftest import Cast


def section_url(cast: Cast, part: str) -> str:
    return reverse("review:version_section", args=[cast.publication.pk, 1, part])


def test_the_report_is_split_at_sections_with_an_h2(cast: Cast) -> None:
    version = cast.publication.latest_version()
    assert version is not None
    pages = report_pages(version, can_comment=False)
    assert [p.page_id for p in pages.pages] == ["scale", "offenders", "victims", "journeys"]
    assert pages.page_of_anchor["section:characteristics"] == "offenders"
    assert pages.page_of_anchor["table:victims_age"] == "victims"
    assert pages.page_of_anchor["figure:scale-figure-1"] == "scale"
    overview = cast.client("reviewer").get(
        reverse("review:version_detail", args=[cast.publication.pk, 1])
    )
    html = overview.content.decode()
    for part in ("scale", "offenders", "victims", "journeys"):
        assert section_url(cast, part) in html
    assert "data-table-id" not in html  # the overview holds no report


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_a_page_has_scrolling_labelled_tables_and_a_comment_link_by_each(cast: Cast) -> None:
    response = cast.client("reviewer").get(section_url(cast, "scale"))
    page = lxml.html.document_fromstring(response.content)
    tables = page.xpath("//main//table[@data-table-id]")
    assert len(tables) == 2
    for table in tables:
        region = table.getparent()
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-label").startswith("Table: ")
        action = region.getnext()
        link = action.find(".//a")
        assert link.get("href").endswith(f"?anchor=table:{table.get('data-table-id')}")
        assert link.text_content().startswith("Comment on this table")
    figure = page.xpath("//main//figure")[0]
    assert "anchor=figure:scale-figure-1" in figure.getnext().find(".//a").get("href")
    analyst = cast.client("analyst").get(section_url(cast, "scale")).content.decode()
    assert "Comment on this table" not in analyst and 'role="region"' in analyst


def test_the_comment_link_fixes_the_part_no_long_dropdown(cast: Cast) -> None:
    url = reverse("review:comment_new", args=[cast.publication.pk, 1])
    client = cast.client("reviewer")
    fixed = client.get(url + "?anchor=table:scale_by_year").content.decode()
    assert "<select" not in fixed and "Table: Recorded offences by year" in fixed
    assert 'type="hidden" name="anchor" value="table:scale_by_year"' in fixed
    chooser = client.get(url + "?anchor=table:scale_by_year&choose=1").content.decode()
    assert "<optgroup" in chooser
    response = client.post(
        url + "?anchor=figure:scale-figure-1",
        {"anchor": "figure:scale-figure-1", "body": "A point on the chart."},
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.anchor_kind == "figure"
    back = client.get(response["Location"]).content.decode()
    assert section_url(cast, "scale") in back


def test_unknown_part_is_not_found(cast: Cast) -> None:
    assert cast.client("reviewer").get(section_url(cast, "nowhere")).status_code == 404


def test_a_page_answers_304_until_something_on_it_changes(cast: Cast) -> None:
    client = cast.client("reviewer")
    client.get(reverse("review:home"))  # as after signing in: the CSRF cookie is set
    first = client.get(section_url(cast, "offenders"))
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(section_url(cast, "offenders"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    other = client.post(
        reverse("review:comment_new", args=[cast.publication.pk, 1]),
        {"anchor": "table:victims_age", "body": "On another page."},
    )
    assert other.status_code == 302
    client.get(other["Location"])  # shows (and clears) the confirmation message
    assert client.get(section_url(cast, "offenders"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    here = client.post(
        reverse("review:comment_new", args=[cast.publication.pk, 1]),
        {"anchor": "table:offenders_age", "body": "On this page."},
    )
    client.get(here["Location"])
    changed = client.get(section_url(cast, "offenders"), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "On this page." in changed.content.decode()
    assert (
        cast.client("reviewer2")
        .get(section_url(cast, "offenders"), HTTP_IF_NONE_MATCH=changed["ETag"])
        .status_code
        == 200
    )


def test_the_report_is_rendered_once_per_version(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    version = cast.publication.latest_version()
    assert version is not None
    first = report_pages(version, can_comment=True)
    assert report_pages(version, can_comment=True) is first


def split(html: str) -> list[str]:
    return [e.get("id", "root") for e in split_pages(parse(html))]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<h2>Own</h2><section id="a"><h3>t</h3></section>', ["root"]),
        ('<section id="a"><h2>A</h2></section><section id="b"><h2>B</h2></section>', ["a", "b"]),
        ('<p>Intro</p><section id="a"><h2>A</h2></section>', ["root"]),
        ('<section id="a"><h2>A</h2><section id="b"><h2>B</h2></section></section>', ["a"]),
        ("<p>No headings at all</p>", ["root"]),
    ],
)
def test_splitting_is_generic(html: str, expected: list[str]) -> None:
    assert split(html) == expected


def test_links_to_another_page_point_at_it(cast: Cast) -> None:
    report = (
        '<html><body><section id="one"><h2>One</h2><p><a href="#two-note">see</a></p></section>'
        '<section id="two"><h2>Two</h2><p id="two-note">Note</p></section></body></html>'
    )
    anchors = read_report(report, lambda tag, src: None)
    version = cast.publication.latest_version()
    assert version is not None
    sections = [
        type("A", (), {"anchor_id": a.anchor_id, "title": a.title, "html": a.html})()
        for a in anchors
        if a.is_top_level
    ]
    pages = build_pages(version, sections, [], can_comment=False)
    assert section_url(cast, "two") + "#report-two-note" in pages.pages[0].html
