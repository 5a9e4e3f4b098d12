"""The analyst's commentary: Markdown files, rendered in the GOV.UK style and checked.

One file per bulletin section (``<section id>.md``) in the commentary folder, plus
``main-points.md``: when that file exists its bullet points replace the drafted main points
(start from the drafted ``main-points.md`` written beside the bulletin, then keep, edit or
drop). Raw HTML in the Markdown is not rendered, and what is rendered is sanitised.

Numbers are checked, so commentary cannot say more than the tables do:

* every number must be a published figure (a count, total, percentage, interval bound,
  statistic or a number in a category label), a table or note number ("table 12"), a
  year of the period the release covers, or the level of a confidence interval ("95% CI");
* a whole number from 1 to the disclosure threshold less one is refused as a count (write
  "fewer than 5" instead), unless it is a percentage, a decimal or a table or note number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gbo.bulletin.figures import NUMBER_IN_TEXT, as_decimal
from gbo.errors import PublishError

MAIN_POINTS_FILE = "main-points.md"
REFERENCE_BEFORE = re.compile(r"(?:table|note|tables|notes|section)\s*$", re.IGNORECASE)
PERCENT_AFTER = re.compile(r"^\s*(?:%|per ?cent)", re.IGNORECASE)
CONFIDENCE_LEVEL = re.compile(r"^\s*%\s*(?:confidence|CI\b)", re.IGNORECASE)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "h3", "h4", "blockquote", "code"}
GOVUK_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "blockquote_open": "govuk-inset-text",
}


@dataclass(frozen=True)
class NumberRules:
    """What commentary may quote: the published numbers, the period, the threshold."""

    published: frozenset[Decimal]
    years: frozenset[int]
    threshold: int
    n_references: int


@dataclass(frozen=True)
class Commentary:
    """One commentary file: its section, its Markdown and its rendered, sanitised HTML."""

    section: str
    path: Path
    markdown: str
    html: str

    def bullet_points(self) -> list[str]:
        """The bullet points of a main points file, as plain Markdown lines."""
        return [
            line.lstrip()[2:].strip()
            for line in self.markdown.splitlines()
            if line.lstrip().startswith(("- ", "* "))
        ]


def period_years(period: str) -> frozenset[int]:
    """Every year from the first to the last year written in the period text."""
    years = [int(y) for y in YEAR.findall(period)]
    return frozenset(range(min(years), max(years) + 1)) if years else frozenset()


def check_numbers(text: str, rules: NumberRules, path: Path) -> None:
    """Refuse a number that is not published, or a small count, naming the file and line."""
    for line_number, line in enumerate(text.splitlines(), start=1):
        for match in NUMBER_IN_TEXT.finditer(line):
            written = match.group(0).rstrip(",")
            value = as_decimal(written)
            if value is None:
                continue
            before, after = line[: match.start()], line[match.end() :]
            is_reference = bool(REFERENCE_BEFORE.search(before)) and value == value.to_integral()
            if is_reference and 1 <= value <= rules.n_references:
                continue
            if CONFIDENCE_LEVEL.match(after) and value in (90, 95, 99):
                continue
            is_whole = value == value.to_integral() and "." not in written
            is_percent = bool(PERCENT_AFTER.match(after))
            if is_whole and not is_percent and 1 <= value < rules.threshold:
                raise PublishError(
                    f"line {line_number}: '{written}' reads as a count below the disclosure "
                    f"threshold of {rules.threshold}",
                    hint=f"write 'fewer than {rules.threshold}' instead",
                    path=path,
                )
            if value in rules.published:
                continue
            if is_whole and int(value) in rules.years:
                continue
            raise PublishError(
                f"line {line_number}: '{written}' is not a figure published in any table",
                hint="quote figures exactly as the tables show them, or remove the number",
                path=path,
            )


def _add_classes(tokens: list[Token]) -> None:
    for token in tokens:
        css = GOVUK_CLASSES.get(token.type)
        if token.type == "heading_open":
            level = min(max(int(token.tag[1:]) + 2, 3), 4)
            token.tag = f"h{level}"
            css = "govuk-heading-m" if level == 3 else "govuk-heading-s"
        elif token.type == "heading_close":
            token.tag = f"h{min(max(int(token.tag[1:]) + 2, 3), 4)}"
        if css:
            token.attrSet("class", css)
        if token.children:
            _add_classes(token.children)


def render_markdown(text: str) -> str:
    """Markdown as GOV.UK-styled HTML: raw HTML is escaped, the result sanitised."""
    md = MarkdownIt("commonmark", {"html": False})
    tokens = md.parse(text)
    _add_classes(tokens)
    html = md.renderer.render(tokens, md.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"*": {"class"}, "a": {"href"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )


def load_commentary(
    folder: Path, section_ids: list[str], rules: NumberRules
) -> dict[str, Commentary]:
    """Every commentary file in ``folder``, checked; a file for no section is an error."""
    if not folder.is_dir():
        raise PublishError(
            "the commentary folder does not exist",
            hint="create it, or unset publish.bulletin.commentary_dir",
            path=folder,
        )
    known = set(section_ids) | {MAIN_POINTS_FILE.removesuffix(".md")}
    found: dict[str, Commentary] = {}
    for path in sorted(folder.glob("*.md")):
        section = path.stem
        if section not in known:
            raise PublishError(
                f"'{path.name}' names no section of the bulletin",
                hint="name commentary files after a section: " + ", ".join(sorted(known)),
                path=path,
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise PublishError("commentary must be UTF-8 text", path=path) from exc
        check_numbers(text, rules, path)
        found[section] = Commentary(section, path, text, render_markdown(text))
    return found
