"""Sentences drafted from published figures, one rule per kind of sentence.

Rules that keep the words as safe and as honest as the tables:

* every number in a sentence is a published figure of the table it names;
* a sentence is not drafted when a figure it needs is withheld or flagged;
* "most" is said only of a category that is more than half; no sentence ranks categories
  when a withheld category could outrank them;
* a difference between two groups is stated only when their 95% intervals do not overlap;
* a characteristic that is often not recorded (ethnicity above all) is described only with
  the share not recorded beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gbo.bulletin.figures import (
    CategoryFigures,
    PublishedFigures,
    as_decimal,
    numbers_in,
    published_numbers,
)
from gbo.bulletin.specs import PointSpec
from gbo.publish.plan import PublicationPlan, TablePlan

STATISTIC_NAMES = ("lower_quartile", "median", "upper_quartile")
CONFIDENCE_LEVEL = Decimal(95)


@dataclass(frozen=True)
class Sentence:
    """A drafted sentence and the published table it quotes."""

    text: str
    table_id: str  # the table's id (its statistics share it)
    table_number: int
    anchor: str
    is_main_point: bool
    figures: tuple[str, ...]

    @property
    def reference(self) -> str:
        return f"table {self.table_number}"


def _sentence(spec: PointSpec, entry: TablePlan, text: str, figures: list[str]) -> Sentence:
    return Sentence(
        text=text,
        table_id=entry.table.table_id,
        table_number=entry.number,
        anchor=entry.anchor,
        is_main_point=spec.is_main_point,
        figures=tuple(figures),
    )


def _interval(figures: CategoryFigures) -> str:
    return f"95% confidence interval {figures.lower}% to {figures.upper}%"


def _not_recorded_clause(
    spec: PointSpec, categories: list[CategoryFigures]
) -> tuple[str, list[str]]:
    """'; sex was not recorded for 4.0%', or '' when the share not recorded is withheld."""
    field = spec.field or "this"
    missing = [c for c in categories if c.is_not_recorded and c.count != "0"]
    if not missing and all(c.count == "0" for c in categories if c.is_not_recorded):
        return f"; {field} was recorded for all of them", []
    shares = [c.pct for c in missing]
    if any(s is None for s in shares):
        return "", []
    parts = [f"{c.category.lower()}: {c.pct}%" for c in missing] if len(missing) > 1 else []
    if len(missing) == 1:
        return f"; {field} was not recorded for {missing[0].pct}%", [str(missing[0].pct)]
    return f"; {field} was not known for some ({', '.join(parts)})", [str(s) for s in shares]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def draft_share(spec: PointSpec, figures: PublishedFigures) -> Sentence | None:
    found = figures.category(spec.table, spec.breakdown, spec.category)
    if found is None or not found.has_share or found.count is None or found.denominator is None:
        return None
    wording = spec.wording or f"recorded as {spec.category.lower()}"
    text = (
        f"{found.pct}% of {spec.subject} ({found.count} of {found.denominator}; "
        f"{_interval(found)}) were {wording}"
    )
    used = [found.pct, found.count, found.denominator, found.lower, found.upper]
    if spec.needs_completeness:
        clause, shares = _not_recorded_clause(spec, figures.categories(spec.table, spec.breakdown))
        if not clause:
            return None
        text += clause
        used += shares
    return _sentence(spec, found.table, _capitalise(text) + ".", [str(u) for u in used])


def draft_majority(spec: PointSpec, figures: PublishedFigures) -> Sentence | None:
    categories = figures.categories(spec.table, spec.breakdown)
    recorded = [c for c in categories if not c.is_not_recorded and c.has_share]
    majority = [c for c in recorded if (as_decimal(str(c.pct)) or 0) > 50]
    if len(majority) != 1:
        return None
    found = majority[0]
    clause, shares = _not_recorded_clause(spec, categories)
    if spec.needs_completeness and not clause:
        return None
    wording = spec.wording or f"recorded as {found.category.lower()}"
    text = f"Most {spec.subject} ({found.pct}%, {_interval(found)}) were {wording}{clause}."
    used = [str(found.pct), str(found.lower), str(found.upper), *shares]
    return _sentence(spec, found.table, text, used)


def draft_statistic(spec: PointSpec, figures: PublishedFigures) -> Sentence | None:
    found = {name: figures.statistic(spec.table, spec.breakdown, name) for name in STATISTIC_NAMES}
    median = found["median"]
    if median is None or median.value is None or median.n is None:
        return None
    unit = f" {spec.unit}" if spec.unit else ""
    counted = median.table.table.meta.unit
    text = f"The median {spec.subject} was {median.value}{unit} ({median.n} {counted} counted)"
    used = [median.value, median.n]
    lower, upper = found["lower_quartile"], found["upper_quartile"]
    if lower and upper and lower.value is not None and upper.value is not None:
        text += f"; half were between {lower.value} and {upper.value}{unit}"
        used += [lower.value, upper.value]
    return _sentence(spec, median.table, text + ".", used)


def _overlap(a: CategoryFigures, b: CategoryFigures) -> bool:
    a_low, a_high = as_decimal(str(a.lower)), as_decimal(str(a.upper))
    b_low, b_high = as_decimal(str(b.lower)), as_decimal(str(b.upper))
    if None in (a_low, a_high, b_low, b_high):
        return True
    return not (a_high < b_low or b_high < a_low)  # type: ignore[operator]


def draft_compare(spec: PointSpec, figures: PublishedFigures) -> Sentence | None:
    first = figures.category(spec.table, spec.breakdown, spec.category)
    second = figures.category(spec.table, spec.other_breakdown, spec.category)
    if first is None or second is None or not (first.has_share and second.has_share):
        return None
    wording = spec.wording or f"recorded as {spec.category.lower()}"
    verdict = (
        "their 95% confidence intervals overlap, so these figures show no clear difference"
        if _overlap(first, second)
        else "their 95% confidence intervals do not overlap"
    )
    text = (
        f"{first.pct}% of {spec.subject} ({_interval(first)}) were {wording}, against "
        f"{second.pct}% of {spec.other_subject} ({_interval(second)}); {verdict}."
    )
    used = [first.pct, first.lower, first.upper, second.pct, second.lower, second.upper]
    return _sentence(spec, first.table, _capitalise(text), [str(u) for u in used])


def draft_top(spec: PointSpec, figures: PublishedFigures) -> Sentence | None:
    categories = [
        c for c in figures.categories(spec.table, spec.breakdown) if not c.is_not_recorded
    ]
    if not categories:
        return None
    shown = [c for c in categories if c.count is not None]
    ranked = sorted(shown, key=lambda c: -(as_decimal(str(c.count)) or 0))[: spec.top]
    ranked = [c for c in ranked if (as_decimal(str(c.count)) or 0) > 0]
    if not ranked or ranked[0].denominator is None:
        return None
    items = [f"{c.category.lower()} ({c.count})" for c in ranked]
    listed = ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]
    lead = (
        "Of the categories with a published count, the most common"
        if len(shown) < len(categories)
        else "The most common"
    )
    text = f"{lead} {spec.subject} were {listed}, out of {ranked[0].denominator}."
    used = [str(c.count) for c in ranked] + [str(ranked[0].denominator)]
    return _sentence(spec, ranked[0].table, text, used)


DRAFTERS = {
    "share": draft_share,
    "majority": draft_majority,
    "statistic": draft_statistic,
    "compare": draft_compare,
    "top": draft_top,
}


def draft(spec: PointSpec, figures: PublishedFigures) -> Sentence | None:
    """The sentence a spec asks for, or None when its figures are not all published."""
    return DRAFTERS[spec.kind](spec, figures)


def unquoted_numbers(sentence: Sentence, plan: PublicationPlan) -> list[str]:
    """Numbers in a sentence that the table it names does not print (should be none)."""
    tables = PublicationPlan(
        [e for e in plan.tables if e.table.table_id == sentence.table_id], plan.notes
    )
    allowed = published_numbers(tables) | {CONFIDENCE_LEVEL}
    return [n for n in numbers_in(sentence.text) if as_decimal(n) not in allowed]
