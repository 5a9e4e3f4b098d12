"""The report inside a bundle, read into anchors (sections and tables) with sanitised HTML.

The uploaded HTML is never served as it is. Each top-level ``<section id>`` is cut out,
cleaned by an allow-list sanitiser (nh3, the Ammonia sanitiser: no scripts, styles, event
handlers, forms, frames or foreign links), its ids prefixed so they cannot clash with the
app's own page, GOV.UK classes added, and images pointed at the app's file view. Sections and
``data-table-id`` tables become the anchors that comments attach to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
import nh3
from lxml import etree

from gbo.bundle.format import REPORT_PATH
from gbo.errors import ReviewError

ANCHOR_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,199}$")
ID_PREFIX = "report-"
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "br",
    "caption",
    "code",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "table": {"data-table-id"},
    "figure": {"data-figure-id"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
}
GOVUK_CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "table": "govuk-table",
    "caption": "govuk-table__caption govuk-table__caption--m",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "details": "govuk-details",
    "summary": "govuk-details__summary",
    "a": "govuk-link",
    "img": "gbo-report-image",
}


@dataclass(frozen=True)
class ReportAnchor:
    """A section or table of the report; ``html`` is set on top-level sections only."""

    kind: str
    anchor_id: str
    title: str
    section_id: str
    order: int
    is_top_level: bool
    html: str = ""


def refuse_report(message: str) -> ReviewError:
    return ReviewError(
        f"The report in this bundle cannot be reviewed: {message}.",
        hint=f"{REPORT_PATH} must mark each section with an id and each table with a data-table-id",
    )


def _text(element: lxml.html.HtmlElement, limit: int = 300) -> str:
    return " ".join(element.text_content().split())[:limit]


def _title_of(element: lxml.html.HtmlElement, fallback: str) -> str:
    label = " ".join((element.get("aria-label") or "").split())
    if label:
        return label[:300]
    first = ("caption",) if element.tag == "table" else ()
    for tag in (*first, "h1", "h2", "h3", "h4", "caption"):
        found = element.find(f".//{tag}")
        if found is not None and _text(found):
            return _text(found)
    return fallback


FileUrl = Callable[[str, str], str | None]
"""``(tag, relative path) -> URL`` of a bundle file in the app, or None to drop it."""


def make_attribute_filter(file_url: FileUrl) -> Callable[..., str | None]:
    """Prefix ids and fragment links; point images and file links at the app; drop the rest."""

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("id", "headers"):
            return " ".join(ID_PREFIX + v for v in value.split())
        if tag == "a" and attribute == "href":
            if value.startswith("#"):
                return "#" + ID_PREFIX + value[1:]
            return value if value.startswith("https://") else file_url("a", value)
        if tag == "img" and attribute == "src":
            return file_url("img", value)
        return value

    return attribute_filter


IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def sanitise_fragment(html: str, file_url: FileUrl) -> str:
    """Allow-list sanitising of one report fragment (see the module docstring)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "template", "noscript"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=make_attribute_filter(file_url),
        url_schemes={"https"},
        url_relative="pass_through",
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"class": cls} for tag, cls in GOVUK_CLASSES.items()},
        strip_comments=True,
    )
    return IMAGE_WITHOUT_SOURCE.sub("", cleaned)


def _inner_html(element: lxml.html.HtmlElement) -> str:
    parts = [element.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in element)
    return "".join(parts)


def read_report(html: str, file_url: FileUrl) -> list[ReportAnchor]:
    """The anchors of a report, top-level sections with their sanitised HTML, in page order."""
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, no_network=True, huge_tree=False)
        document = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        raise refuse_report("the HTML cannot be parsed") from None
    anchors: list[ReportAnchor] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, anchor_id: str, **fields: object) -> None:
        if not ANCHOR_ID.match(anchor_id):
            raise refuse_report(
                f"a {kind} anchor is not a plain identifier (letters, digits, -_.:)"
            )
        if (kind, anchor_id) in seen:
            raise refuse_report(f"two {kind}s share the anchor {anchor_id}")
        seen.add((kind, anchor_id))
        anchors.append(ReportAnchor(kind=kind, anchor_id=anchor_id, order=len(anchors), **fields))  # type: ignore[arg-type]

    top_level = [
        s for s in document.iter("section") if s.get("id") and not _has_section_ancestor(s)
    ]
    if not top_level:
        raise refuse_report("it has no <section> with an id")
    for section in top_level:
        _name_figures(section)
    for section in top_level:
        section_id = section.get("id", "")
        add(
            "section",
            section_id,
            title=_title_of(section, section_id),
            section_id=section_id,
            is_top_level=True,
            html=sanitise_fragment(_inner_html(section), file_url),
        )
        for inner in section.iter("section", "table", "figure"):
            if inner is section:
                continue
            if inner.tag == "section" and inner.get("id"):
                add(
                    "section",
                    inner.get("id", ""),
                    title=_title_of(inner, inner.get("id", "")),
                    section_id=section_id,
                    is_top_level=False,
                )
            elif inner.tag == "figure" and inner.get("data-figure-id"):
                figure_id = inner.get("data-figure-id", "")
                add(
                    "figure",
                    figure_id,
                    title=figure_title(inner, figure_id),
                    section_id=section_id,
                    is_top_level=False,
                )
            elif inner.tag == "table" and inner.get("data-table-id"):
                table_id = inner.get("data-table-id", "")
                add(
                    "table",
                    table_id,
                    title=_title_of(inner, table_id),
                    section_id=section_id,
                    is_top_level=False,
                )
    return anchors


def _name_figures(section: lxml.html.HtmlElement) -> None:
    """Give each figure without a ``data-figure-id`` one, from the nearest id around it.

    ``<id>-figure-<n>`` (n counting that element's figures) is stable between versions that
    keep their sections, so comment threads on a figure carry over like those on a table.
    """
    counts: dict[str, int] = {}
    for figure in section.iter("figure"):
        if figure.get("data-figure-id"):
            continue
        holder = next(
            (a.get("id") for a in figure.iterancestors() if a.get("id")), section.get("id", "")
        )
        if figure.get("id"):
            figure.set("data-figure-id", figure.get("id", ""))
            continue
        counts[holder] = counts.get(holder, 0) + 1
        figure.set("data-figure-id", f"{holder}-figure-{counts[holder]}")


def figure_title(figure: lxml.html.HtmlElement, fallback: str) -> str:
    caption = figure.find(".//figcaption")
    if caption is not None and _text(caption):
        return _text(caption)
    image = figure.find(".//img")
    alt = " ".join((image.get("alt") or "").split()) if image is not None else ""
    return alt[:300] or fallback


def _has_section_ancestor(element: lxml.html.HtmlElement) -> bool:
    return any(a.tag == "section" and a.get("id") for a in element.iterancestors())
