"""A version's report split into pages, made readable, rendered once and kept in memory.

The stored report is a list of top-level sections, each sanitised at upload. For reading it
is split into pages at its ``h2`` headings, whatever the report's layout: a page is a
``<section id>`` that holds an ``h2`` of its own (not one of a nested section). A top-level
section that has its own ``h2``, or any text, table or image outside its nested pages, is one
page, so nothing is ever left out; one that only wraps sections with ``h2`` headings (such as
a *Characteristics* part holding a section per topic) is split into those sections.

On each page every table sits in a scrolling region that the keyboard can reach
(``tabindex="0"``, ``role="region"`` and a label naming the table), every table and figure
has its own *comment* link beside it, and in-page links to a part on another page point at
that page. A version's report never changes (its content hash is fixed), so the pages are
built once per version and process and kept (the few most recently read versions).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import lxml.html
from django.urls import reverse
from django.utils.html import escape
from lxml import etree

from gbo.review.bundle.report import ID_PREFIX, figure_title
from gbo.review.models import Anchor, Version

RENDER_VERSION = "1"  # change when the rendering below changes: part of every cache key and ETag
KEEP_VERSIONS = 12


@dataclass
class ReportPage:
    """One page of the report: a section holding an ``h2``, or a whole top-level section."""

    page_id: str
    title: str
    top_level_id: str
    html: str = ""


@dataclass
class ReportPages:
    """The pages of one version's report, and where each anchor and element id is."""

    pages: list[ReportPage]
    page_of_anchor: dict[str, str] = field(default_factory=dict)
    page_of_element: dict[str, str] = field(default_factory=dict)

    def page(self, page_id: str) -> ReportPage | None:
        return next((p for p in self.pages if p.page_id == page_id), None)

    def neighbours(self, page_id: str) -> tuple[ReportPage | None, ReportPage | None]:
        ids = [p.page_id for p in self.pages]
        i = ids.index(page_id)
        return (self.pages[i - 1] if i else None), (self.pages[i + 1] if i + 1 < len(ids) else None)


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _inner_html(element: lxml.html.HtmlElement) -> str:
    parts = [escape(element.text or "")]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in element)
    return "".join(parts)


def _unprefixed(element_id: str) -> str:
    return element_id.removeprefix(ID_PREFIX)


def _owner(element: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for ancestor in element.iterancestors():
        if ancestor is root or (ancestor.tag == "section" and ancestor.get("id")):
            return ancestor
    return root


def _outside(root: lxml.html.HtmlElement, pages: set[lxml.html.HtmlElement]) -> bool:
    """Whether the root holds text or media outside the given page sections."""

    def walk(element: lxml.html.HtmlElement) -> bool:
        if (element.text or "").strip():
            return True
        for child in element:
            if child in pages:
                if (child.tail or "").strip():
                    return True
                continue
            if child.tag in ("table", "img", "figure") or walk(child):
                return True
            if (child.tail or "").strip():
                return True
        return False

    return walk(root)


def split_pages(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page elements of one top-level section (``root`` stands for the section itself)."""
    owners: list[lxml.html.HtmlElement] = []
    for heading in root.iter("h2"):
        owner = _owner(heading, root)
        if owner not in owners:
            owners.append(owner)
    if not owners or root in owners:
        return [root]
    outermost = [o for o in owners if not any(a in owners for a in o.iterancestors())]
    return [root] if _outside(root, set(outermost)) else outermost


def _wrap_table(table: lxml.html.HtmlElement, label: str) -> lxml.html.HtmlElement:
    region = lxml.html.Element(
        "div",
        {"class": "gbo-table-scroll", "role": "region", "tabindex": "0", "aria-label": label},
    )
    tail, table.tail = table.tail, None
    table.addprevious(region)
    region.append(table)
    region.tail = tail
    return region


def _comment_action(after: lxml.html.HtmlElement, href: str, what: str, title: str) -> None:
    action = lxml.html.fragment_fromstring(
        f'<p class="govuk-body-s gbo-comment-action"><a class="govuk-link" href="{escape(href)}">'
        f'Comment on this {what}<span class="govuk-visually-hidden">: {escape(title)}</span>'
        "</a></p>"
    )
    tail, after.tail = after.tail, None
    after.addnext(action)
    action.tail = tail


def _readable(page: lxml.html.HtmlElement, comment_url: str | None) -> None:
    """Tables in labelled keyboard-scrollable regions; a comment link by each table and figure."""
    for number, table in enumerate(list(page.iter("table")), start=1):
        caption = table.find("caption")
        title = _text(caption) if caption is not None and _text(caption) else f"Table {number}"
        region = _wrap_table(table, f"Table: {title}"[:300])
        table_id = table.get("data-table-id")
        if comment_url and table_id:
            _comment_action(region, f"{comment_url}?anchor=table:{quote(table_id)}", "table", title)
    for figure in list(page.iter("figure")):
        figure_id = figure.get("data-figure-id")
        if comment_url and figure_id:
            title = figure_title(figure, figure_id)[:200]
            _comment_action(
                figure, f"{comment_url}?anchor=figure:{quote(figure_id)}", "figure", title
            )


def _link_across_pages(
    page: lxml.html.HtmlElement, here: str, pages: ReportPages, base: str
) -> None:
    for link in page.iter("a"):
        href = link.get("href") or ""
        if not href.startswith("#"):
            continue
        target = pages.page_of_element.get(href[1:])
        if target is not None and target != here:
            link.set("href", f"{base}{quote(target)}/{href}")


def build_pages(
    version: Version, sections: Iterable[Anchor], anchors: Iterable[Anchor], *, can_comment: bool
) -> ReportPages:
    """Split and prepare a version's report (``sections``: its top-level anchors with HTML)."""
    number, pk = version.number, version.publication_id
    comment_url = reverse("review:comment_new", args=[pk, number]) if can_comment else None
    base = reverse("review:version_section", args=[pk, number, "x"])[: -len("x/")]
    pages = ReportPages(pages=[])
    trees: list[tuple[ReportPage, lxml.html.HtmlElement]] = []
    first_of_section: dict[str, str] = {}
    for section in sections:
        root = lxml.html.fragment_fromstring(section.html or "<p></p>", create_parent="div")
        for element in split_pages(root):
            page_id = section.anchor_id if element is root else _unprefixed(element.get("id", ""))
            heading = next(element.iter("h2"), None)
            title = _text(heading) if heading is not None and _text(heading) else section.title
            page = ReportPage(page_id=page_id, title=title[:300], top_level_id=section.anchor_id)
            pages.pages.append(page)
            trees.append((page, element))
            first_of_section.setdefault(section.anchor_id, page_id)
            pages.page_of_anchor[f"section:{page_id}"] = page_id
            for inner in element.iter():
                if inner.get("id"):
                    pages.page_of_element[inner.get("id")] = page_id
                for kind, attribute in (("table", "data-table-id"), ("figure", "data-figure-id")):
                    if inner.get(attribute):
                        pages.page_of_anchor[f"{kind}:{inner.get(attribute)}"] = page_id
                if inner.tag == "section" and inner.get("id"):
                    pages.page_of_anchor[f"section:{_unprefixed(inner.get('id'))}"] = page_id
    for anchor in anchors:
        if anchor.key not in pages.page_of_anchor and anchor.section_id in first_of_section:
            pages.page_of_anchor[anchor.key] = first_of_section[anchor.section_id]
    for page, element in trees:
        _readable(element, comment_url)
        _link_across_pages(element, page.page_id, pages, base)
        page.html = _inner_html(element)
    return pages


_cache: OrderedDict[tuple[int, str, bool], ReportPages] = OrderedDict()
_lock = threading.Lock()


def report_pages(version: Version, *, can_comment: bool) -> ReportPages:
    """The version's pages, built on first use in this process and kept (content is fixed)."""
    key = (version.pk, version.content_hash + RENDER_VERSION, can_comment)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    anchors = list(version.anchors.order_by("order"))
    built = build_pages(
        version, [a for a in anchors if a.is_top_level], anchors, can_comment=can_comment
    )
    with _lock:
        _cache[key] = built
        while len(_cache) > KEEP_VERSIONS * 2:
            _cache.popitem(last=False)
    return built
