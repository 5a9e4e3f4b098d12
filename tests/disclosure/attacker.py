"""An outside reader's attack on a publication, written without gbo.

Nothing here imports gbo: the reader has only what a member of the public gets, the files of
a ``09_publish`` folder (CSV tables and statistics, both spreadsheets, every HTML page, the
notes, the charts' data, the main points), and public classifications written out below as
a reader would copy them from their sources (the ONS 2021 ethnic groups, the Home Office
offence groups, the local authority to police force area lookup). From those it builds one
system of linear relations, in the way a determined reader would:

* a table's categories add to its column total, unless the notes say it is not additive
  (then each count is at most the total);
* breakdowns that split a population (their totals add to ``All`` wherever all are shown)
  add to ``All`` cell by cell;
* tables with the same population line have the same ``All`` total and the same total for a
  breakdown of the same name; a category of one is the breakdown of the same name in
  another; a cell cross-tabulated both ways is one figure;
* "Identified victims" are the "Identification recorded" category of the victims;
* public hierarchies: ethnic categories nest in their groups, offence codes in offence
  groups, local authorities in police force areas;
* every percentage shown bounds its count given its total (by its rounding), and so does
  the "Recorded: p% of records have this item" line;
* in a multi-response table, each category at most the people with any, and together at
  least them; a table of the same people by how many categories they have bounds their sum
  (:mod:`.attacker_multi`);
* every number and bounded phrase of every published text (:mod:`.attacker_text`);
* the data quality page and the completeness notes (:mod:`tests.disclosure.attacker_pages`),
  the page's completeness against the tables of offences (:mod:`.attacker_fields`), and
  the linkage facts of the report and the page (:mod:`.attacker_linkage`);
* what the journeys tables' definitions say of their two populations and their statistics'
  ``n`` (:mod:`.attacker_journeys`); the comparisons with a baseline as exact relations on
  the columns they compare, and the looked-after victims as at least those with the marker
  (:mod:`.attacker_baseline`).

It solves, with scipy's HiGHS, the smallest and largest value of every ``[c]`` and reports
those narrower than the protection interval; it lists every count from 1 to k - 1 it can
see or work out by subtraction (text, statistics, spreadsheets, charts); and, from the
ranges solved, every column of a people table whose recorded members it can all place in
one category (:mod:`.attacker_attributes`).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from tests.disclosure.attacker_baseline import add_baseline
from tests.disclosure.attacker_fields import (
    add_fields_to_tables,
    add_margins,
    add_notes_to_tables,
    other_measures,
)
from tests.disclosure.attacker_groups import add_contained, add_groups
from tests.disclosure.attacker_journeys import (
    add_contact_sums,
    add_journeys,
    add_timeline,
    ranges_giving_back,
)
from tests.disclosure.attacker_linkage import add_linkage_facts
from tests.disclosure.attacker_multi import add_multi_response
from tests.disclosure.attacker_pages import (
    add_bias_groups,
    add_completeness_notes,
    add_population_notes,
    add_quality_page,
    add_quantiles,
    chart_values_withheld,
    differences_in_statistics,
    interval,
    means_giving_n_back,
    note_texts,
    small_counts_in_html_tables,
    small_counts_in_statistics,
    small_counts_in_text,
    spreadsheet_against_csv,
)
from tests.disclosure.attacker_text import published_texts, read_every_text

Key = tuple[str, ...]

# Public classifications, written out here as a reader would copy them from their sources
# (never imported from gbo).
# ONS Census 2021 ethnic group: 19 categories in 5 groups (ONS TS021).
_WHITE, _MIXED = "White", "Mixed or Multiple ethnic groups"
_ASIAN = "Asian, Asian British or Asian Welsh"
_BLACK = "Black, Black British, Black Welsh, Caribbean or African"
_OTHER = "Other ethnic group"
ETHNICITY_GROUP: dict[str, str] = {
    "English, Welsh, Scottish, Northern Irish or British": _WHITE,
    "Irish": _WHITE,
    "Gypsy or Irish Traveller": _WHITE,
    "Roma": _WHITE,
    "Any other White background": _WHITE,
    "White and Black Caribbean": _MIXED,
    "White and Black African": _MIXED,
    "White and Asian": _MIXED,
    "Any other Mixed or Multiple background": _MIXED,
    "Indian": _ASIAN,
    "Pakistani": _ASIAN,
    "Bangladeshi": _ASIAN,
    "Chinese": _ASIAN,
    "Any other Asian background": _ASIAN,
    "African": _BLACK,
    "Caribbean": _BLACK,
    "Any other Black, Black British or Caribbean background": _BLACK,
    "Arab": _OTHER,
    "Any other ethnic group": _OTHER,
}
# Home Office Counting Rules: offence code -> the group publications use.
_OFFENCE_GROUP_OF_CODE = {
    "19C": "Rape",
    "19D": "Rape",
    "19E": "Rape",
    "19F": "Rape",
    "17B": "Sexual assault",
    "20B": "Sexual assault",
    "21": "Sexual activity with a child",
    "22B": "Sexual activity with a child",
    "73": "Sexual activity with a child",
    "74": "Sexual activity with a child",
    "23": "Familial sexual offences",
    "71": "Sexual exploitation offences",
    "88A": "Grooming",
    "86": "Indecent images",
}
# The synthetic geography's public lookup: local authority n lies in police force area
# min((n - 1) // 3, 9) + 1 (three authorities to a force). With real codes a reader would use
# the ONS "Local Authority District to Community Safety Partnership to Police Force Area"
# lookup instead.
LA_LABEL = re.compile(r"Local authority (\d+)$")


def _force_of(label: str) -> str | None:
    found = LA_LABEL.match(label)
    return f"Police force area {min((int(found.group(1)) - 1) // 3, 9) + 1}" if found else None


@dataclass
class Attack:
    """Variables, relations and the withheld cells the reader wants to recover."""

    index: dict[Key, int] = field(default_factory=dict)
    parent: list[int] = field(default_factory=list)
    known: dict[Key, float] = field(default_factory=dict)
    withheld: set[Key] = field(default_factory=set)
    eq: list[dict[Key, float]] = field(default_factory=list)
    ub: list[tuple[dict[Key, float], float]] = field(default_factory=list)
    small_shown: list[str] = field(default_factory=list)
    # figures said as "fewer than k": their band, which the reader must not narrow
    banded: dict[Key, tuple[float, float]] = field(default_factory=dict)
    # "all but a few": complements of multi-response counts (a known gap, see
    # test_multi_response_complement.py), kept apart from the counts shown
    complements: list[str] = field(default_factory=list)
    # the reader's range of each withheld figure (by its variable's root), once solved
    ranges: dict[int, tuple[float, float]] = field(default_factory=dict)
    # the tables as read, which are about people, and which are additive
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)
    additive: dict[str, bool] = field(default_factory=dict)
    # the base the notes say counts are rounded to ("Counts are rounded to the nearest 5"),
    # 1 when they are not; and the threshold, below which no count above zero is shown
    rounding: int = 1
    threshold: int = 0
    # every percentage read, as (part, whole, percent, places, where): with rounding on, a
    # percentage of shown figures that only the true counts explain gives them back
    shares: list[tuple[dict[Key, float], dict[Key, float], float, int, str]] = field(
        default_factory=list
    )
    from_truth: list[str] = field(default_factory=list)
    # with rounding on, small counts shown whose true value the reader works out exactly
    pinned: list[Finding] = field(default_factory=list)
    # withheld statistics the reader works out exactly
    recovered: list[str] = field(default_factory=list)
    # withheld figures that may be withheld only for their share's sake (a note's "[c] of
    # 70" beside a page showing 70 of 70): a finding only where the reader's range is a
    # small count, 1 to k - 1, not where it is 0 or k and more
    unsure: set[Key] = field(default_factory=set)

    def var(self, key: Key) -> int:
        if key not in self.index:
            self.index[key] = len(self.parent)
            self.parent.append(len(self.parent))
        return self.index[key]

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def shown_range(self, key: Key, value: float) -> tuple[float, float]:
        """The true values a shown figure allows: itself, or with rounding on, the whole
        numbers that round half up to it (a multiple of the base; a figure that is not one
        was not rounded), and for a table's count above zero, at least the threshold."""
        base = self.rounding
        exact = key[0] == "contacts"  # numbers of contacts, not of people: never rounded
        if exact or base <= 1 or value == 0 or value % base or value != int(value):
            return value, value
        low, high = max(value - base // 2, 0.0), value + (base + 1) // 2 - 1
        if key[0] in ("cell", "den"):
            low = max(low, float(self.threshold))
        return low, high

    def same(self, a: Key, b: Key) -> None:
        ra, rb = self.root(self.var(a)), self.root(self.var(b))
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


DEFINED_SPLITS = (
    frozenset({"Group-based", "Lone offending", "No offender recorded"}),
    frozenset({"Group-based", "Not group-based"}),
)


def _number(text: object) -> float | None:
    if not isinstance(text, str):
        return None if text is None or (isinstance(text, float) and math.isnan(text)) else None
    text = text.replace(",", "").replace("[u]", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


def _sections(report: Path) -> dict[str, str]:
    """The text of each table's section of the HTML report, by table id."""
    text = report.read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for match in re.finditer(r'<section class="gbo-table-block" id="table-([^"]+)"', text):
        end = text.find("</section>", match.end())
        out[match.group(1).replace("-", "_")] = text[match.end() : end]
    return out


def _notes(report: Path) -> dict[str, str]:
    text = report.read_text(encoding="utf-8")
    return {
        m.group(1): html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        for m in re.finditer(r'id="note-(\d+)"[^>]*>(.*?)</(?:li|p|td|tr)>', text, re.S)
    }


def read_release(folder: Path) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for path in sorted((folder / "csv").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "count_display" in frame.columns:
            out[path.stem] = frame
    return out


def _hierarchies(tables: dict[str, pd.DataFrame]) -> list[tuple[dict[str, str], str]]:
    """Public classifications: (detail label -> group label, what it is)."""
    labels = {str(c) for frame in tables.values() for c in frame["category"]}
    offences = {
        label: _OFFENCE_GROUP_OF_CODE[label.split(" ")[0]]
        for label in labels
        if label.split(" ")[0] in _OFFENCE_GROUP_OF_CODE
    }
    forces = {label: force for label in labels if (force := _force_of(label))}
    return [(ETHNICITY_GROUP, "ethnicity"), (offences, "offence"), (forces, "geography")]


def build_attack(folder: Path, threshold: int, *, quantiles: bool = True) -> Attack:
    """The reader's system for the release in ``folder`` (a ``09_publish`` folder)."""
    tables = read_release(folder)
    sections = _sections(folder / "report" / "index.html")
    notes = _notes(folder / "report" / "index.html")
    population: dict[str, str] = {}
    recorded_share: dict[str, float] = {}
    additive: dict[str, bool] = {}
    for table_id in tables:
        block = sections.get(table_id, "")
        found = re.search(r"<strong>Population:</strong>\s*([^<]*)<", block)
        population[table_id] = html.unescape(found.group(1)).strip() if found else table_id
        share = re.search(r"<strong>Recorded:</strong>\s*([\d.]+)%", block)
        if share:
            recorded_share[table_id] = float(share.group(1))
        refs = re.findall(r'href="#note-(\d+)"', block)
        additive[table_id] = not any("Not additive" in notes.get(n, "") for n in refs)
    attack = attack_tables(tables, population, recorded_share, additive, threshold)
    attack.rounding = rounding_base(folder / "report" / "index.html")
    add_multi_response(attack, tables, additive, table_titles(folder))
    attack.small_shown += small_counts_in_pages(folder / "report", threshold)
    quality = folder / "report" / "data-quality.html"
    if quality.exists():
        add_quality_page(attack, quality, threshold)
        add_bias_groups(attack)
    published_notes = note_texts(folder)
    add_completeness_notes(attack, published_notes, threshold, other_measures(tables))
    add_population_notes(attack, published_notes)
    add_notes_to_tables(attack, published_notes, tables)
    add_linkage_facts(attack, folder, threshold)
    add_fields_to_tables(attack, tables)
    add_margins(attack, tables)
    add_journeys(attack, folder)
    add_contact_sums(attack, folder)
    add_timeline(attack)
    add_baseline(attack, folder)
    add_groups(attack)
    add_contained(attack)
    if quantiles:
        add_quantiles(attack, folder, tables)
    read_every_text(attack, folder, tables, threshold)
    attack.small_shown += small_counts_in_text(folder, threshold, published_texts(folder))
    attack.small_shown += small_counts_in_statistics(folder, threshold)
    attack.small_shown += small_counts_in_html_tables(folder, threshold)
    attack.small_shown += chart_values_withheld(folder, tables)
    attack.small_shown += spreadsheet_against_csv(folder, tables, threshold)
    attack.small_shown += differences_in_statistics(folder, tables, threshold)
    attack.complements += multi_response_complements(tables, additive, threshold)
    attack.from_truth += means_giving_n_back(attack, folder)
    attack.recovered += ranges_giving_back(folder)
    return attack


ROUNDING_NOTE = re.compile(r"Counts are rounded to the nearest (\d+)\b")


def rounding_base(report: Path) -> int:
    """The base the report's notes say counts are rounded to; 1 if they say none."""
    found = ROUNDING_NOTE.search(report.read_text(encoding="utf-8"))
    return int(found.group(1)) if found else 1


def table_titles(folder: Path) -> dict[str, str]:
    """Each table's title, from the release's manifest."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return {}
    entries = json.loads(manifest.read_text(encoding="utf-8")).get("tables", [])
    return {str(t["table_id"]): str(t.get("title", "")) for t in entries}


def multi_response_complements(
    tables: dict[str, pd.DataFrame], additive: dict[str, bool], threshold: int
) -> list[str]:
    """In a table where a person may count in several categories, each category splits its
    column in two: those with it and those without. A shown count and total give the
    second part: a count in its own right."""
    found: list[str] = []
    for table_id, frame in tables.items():
        if additive.get(table_id, True):
            continue
        for row in frame.itertuples(index=False):
            n, total = _number(row.count_display), _number(row.denominator_display)
            if n is not None and total is not None and 0 < total - n < threshold:
                found.append(
                    f"{table_id}: {row.breakdown} / {row.category}: {total - n:.0f} without"
                )
    return found


def small_counts_in_pages(report: Path, threshold: int) -> list[str]:
    """Whole numbers from 1 to k - 1 shown as counts in the report's pages: the values of
    summary lists (linkage diagnostics and the like) and the numeric cells of the data
    quality page, every figure of which is a count of rows or fields."""
    found: list[str] = []
    pages = {p.name: p.read_text(encoding="utf-8") for p in report.glob("*.html")}
    for name, text in pages.items():
        pairs = re.findall(
            r'__key">\s*([^<]*?)\s*</dt>\s*<dd class="govuk-summary-list__value">\s*([^<]*?)'
            r"\s*</dd>",
            text,
        )
        # the group rule's definition and the linkage thresholds are settings, not counts
        values = [v for k, v in pairs if not k.startswith(("Definition", "Thresholds"))]
        if name.startswith("data-quality"):
            values += re.findall(r'<td class="num">\s*([^<]*?)\s*</td>', text)
        for value in values:
            digits = value.replace(",", "")
            if digits.isdigit() and 0 < int(digits) < threshold:
                found.append(f"{name}: {value}")
    return found


def attack_tables(
    tables: dict[str, pd.DataFrame],
    population: dict[str, str],
    recorded_share: dict[str, float],
    additive: dict[str, bool],
    threshold: int,
) -> Attack:
    """The reader's system from published tables (display text only) and what the report
    says of each: its population line, its share recorded, whether it is additive."""
    attack = Attack(threshold=threshold)
    additive = dict(additive)
    attack.tables = tables
    # a table of offences or groups describes offences or groups, not a person's attribute
    attack.people = {
        t for t in tables if not population.get(t, "").startswith(("Offences", "Groups"))
    }
    for table_id, frame in tables.items():
        for _b, column in frame.groupby("breakdown"):
            counts = [_number(v) for v in column["count_display"]]
            total = _number(column["denominator_display"].iloc[0])
            if total is not None and sum(v for v in counts if v is not None) > total:
                additive[table_id] = False  # the categories overlap

    # the report defines these breakdowns as splitting All: every offence is group-based,
    # lone offending or has no offender recorded; every victim is group-based or not
    splits: set[frozenset[str]] = set(DEFINED_SPLITS)
    for table_id, frame in tables.items():
        for name in ("count_display", "denominator_display"):
            for value in frame[name]:
                number = _number(value)
                if number is not None and 0 < number < threshold:
                    attack.small_shown.append(f"{table_id}: {name} {value}")
        dens = frame.drop_duplicates("breakdown").set_index("breakdown")["denominator_display"]
        parts = [b for b in dens.index if b != "All"]
        values = [_number(dens[b]) for b in parts]
        whole = _number(dens["All"]) if "All" in dens.index else None
        shown = [v for v in values if v is not None]
        if parts and whole is not None and len(shown) == len(parts) and sum(shown) == whole:
            splits.add(frozenset(parts))

    breakdowns: dict[str, set[str]] = defaultdict(set)
    pairs: set[tuple[str, str, str]] = set()
    for table_id, frame in tables.items():
        pop = population[table_id]
        breakdowns[pop] |= set(frame["breakdown"]) - {"All"}
        pairs |= {(pop, b, c) for b, c in zip(frame["breakdown"], frame["category"], strict=True)}
    for table_id, frame in tables.items():
        pop = population[table_id]
        for row in frame.itertuples(index=False):
            b, c = str(row.breakdown), str(row.category)
            cell: Key = ("cell", table_id, b, c)
            den: Key = ("den", table_id, b)
            for key, display in ((cell, row.count_display), (den, row.denominator_display)):
                attack.var(key)
                number = _number(display)
                if number is not None:
                    attack.known[key] = number
                elif display == "[z]" and key[0] == "cell":
                    attack.known[key] = 0.0  # a structural zero: none by definition
                elif display == "[c]" and key[0] == "cell":
                    attack.withheld.add(key)
            # the same population under the same labels
            attack.same(den, ("pden", pop, b))
            # (not "Not recorded": a cross-tabulation's rows without one field are not
            # those without the other)
            if b == "All" and c in breakdowns[pop] and c != "Not recorded":
                attack.same(cell, ("pden", pop, c))
            elif (pop, c, b) in pairs:
                attack.same(cell, ("pcross", pop, *sorted((b, c))))
            _percent(attack, frame, row, cell, den)
        by_b: defaultdict[str, list[str]] = defaultdict(list)
        for row in frame.itertuples(index=False):
            by_b[str(row.breakdown)].append(str(row.category))
        for b, cats in by_b.items():
            den = ("den", table_id, b)
            relation: dict[Key, float]
            if additive[table_id]:
                relation = {("cell", table_id, b, c): 1.0 for c in cats}
                relation[den] = -1.0
                attack.eq.append(relation)
            else:
                for c in cats:
                    attack.ub.append(({("cell", table_id, b, c): 1.0, den: -1.0}, 0.0))
        parts = [b for b in by_b if b != "All"]
        if "All" in by_b and frozenset(parts) in splits:
            relation = {("den", table_id, b): 1.0 for b in parts}
            relation[("den", table_id, "All")] = -1.0
            attack.eq.append(relation)
            for c in by_b["All"]:
                relation = {("cell", table_id, b, c): 1.0 for b in parts if c in by_b[b]}
                relation[("cell", table_id, "All", c)] = -1.0
                attack.eq.append(relation)
        if table_id in recorded_share and additive[table_id]:
            head = "All" if "All" in by_b else next(iter(by_b))
            column = frame[frame["breakdown"] == head]
            nr = column[column["pct_of_recorded_display"] == "[z]"]["category"].tolist()
            p = recorded_share[table_id]
            # den - NR in [den * (p - 0.05) / 100, den * (p + 0.05) / 100]
            recorded: dict[Key, float] = {("den", table_id, head): 1.0}
            for c in nr:
                recorded[("cell", table_id, head, c)] = -1.0
            _interval(attack, recorded, ("den", table_id, head), p)
        if population[table_id].startswith("Identified victims"):
            attack.same(("den", table_id, "All"), ("pden", "identified", "All"))
        if table_id == "journeys_identification":
            attack.same(
                ("cell", table_id, "All", "Identification recorded"), ("pden", "identified", "All")
            )
    _nest(attack, tables, population)
    attack.additive = additive
    return attack


def _percent(attack: Attack, frame: pd.DataFrame, row: Any, cell: Key, den: Key) -> None:
    p = _number(row.pct_of_all_display)
    if p is not None:
        _interval(attack, {cell: 1.0}, den, p)
    q = _number(row.pct_of_recorded_display)
    if q is not None:
        table_id, b = cell[1], cell[2]
        column = frame[frame["breakdown"] == b]
        out = column[column["pct_of_recorded_display"] == "[z]"]["category"].tolist()
        recorded: dict[Key, float] = {den: 1.0}
        for c in out:
            recorded[("cell", table_id, b, c)] = -1.0
        interval(attack, {cell: 1.0}, recorded, q, 1)


def _interval(attack: Attack, part: dict[Key, float], whole: Key, p: float) -> None:
    interval(attack, part, {whole: 1.0}, p, 1)


def _nest(attack: Attack, tables: dict[str, pd.DataFrame], population: dict[str, str]) -> None:
    """Detail categories add to their group in a table of the same population and breakdown."""
    for mapping, _what in _hierarchies(tables):
        groups = set(mapping.values())
        detail = [t for t, f in tables.items() if set(f["category"]) & set(mapping)]
        coarse = [t for t, f in tables.items() if len(set(f["category"]) & groups) >= 2]
        for d in detail:
            for g in coarse:
                if population[d] != population[g] or d == g:
                    continue
                fd, fg = tables[d], tables[g]
                for b in set(fd["breakdown"]) & set(fg["breakdown"]):
                    cats = fd[fd["breakdown"] == b]["category"].tolist()
                    for group in groups:
                        members = [c for c in cats if mapping.get(c) == group]
                        if group not in set(fg[fg["breakdown"] == b]["category"]):
                            continue
                        relation: dict[Key, float] = {("cell", d, b, c): 1.0 for c in members}
                        relation[("cell", g, b, group)] = relation.get(("cell", g, b, group), 0) - 1
                        attack.eq.append(relation)
                    for c in set(cats) - set(mapping):
                        if c in set(fg[fg["breakdown"] == b]["category"]):
                            attack.same(("cell", d, b, c), ("cell", g, b, c))


@dataclass
class Finding:
    cell: Key
    low: float
    high: float


def _share_relation(
    attack: Attack,
    part: dict[Key, float],
    whole: dict[Key, float],
    p: float,
    places: int,
    slack: float,
) -> None:
    """part / whole within p -+ half a unit of its last decimal, each side loosened by
    ``slack``."""
    half = 0.5 * 10.0**-places
    high, low = (p + half + 1e-9) / 100, max(p - half - 1e-9, 0.0) / 100
    upper: dict[Key, float] = defaultdict(float)
    lower: dict[Key, float] = defaultdict(float)
    for key, k in part.items():
        upper[key] += k
        lower[key] -= k
    for key, k in whole.items():
        upper[key] -= high * k
        lower[key] += low * k
    attack.ub.append((dict(upper), slack))
    attack.ub.append((dict(lower), slack))


def settle_shares(attack: Attack) -> None:
    """Every percentage read becomes relations on the true counts.

    Without rounding a percentage is of the true counts. With rounding on the notes say it
    is of rounded figures, each within half a base of its true count, so the reader loosens
    it by that much on every count it names. Where all its counts are shown, the reader also
    asks whether rounded figures can give it at all: the shown ones, or the part and whole
    each rounded as one count. If none can, only the true counts do: the reader takes it as
    exact and lists it in ``from_truth``."""
    if not attack.shares:
        return
    known = {attack.root(attack.var(k)): (k, v) for k, v in attack.known.items()}
    base = attack.rounding

    def rounded_sums(relation: dict[Key, float]) -> set[float] | None:
        """What rounding could have made of the relation's sum, its counts all shown."""
        found = [known.get(attack.root(attack.var(k))) for k in relation]
        if any(f is None for f in found):
            return None
        shown, low, high = 0.0, 0.0, 0.0
        for k, f in zip(relation.values(), found, strict=True):
            assert f is not None
            lo, hi = attack.shown_range(*f)
            shown += k * f[1]
            low += k * (lo if k > 0 else hi)
            high += k * (hi if k > 0 else lo)
        first = math.ceil((low - base // 2) / base) * base
        return {shown, *np.arange(max(first, 0), high + (base + 1) // 2, base).tolist()}

    for part, whole, p, places, where in attack.shares:
        if base <= 1:
            _share_relation(attack, part, whole, p, places, 0.0)
            continue
        high = (p + 0.5 * 10.0**-places) / 100
        slack = base // 2 * (sum(map(abs, part.values())) + high * sum(map(abs, whole.values())))
        _share_relation(attack, part, whole, p, places, slack)
        parts, wholes = rounded_sums(part), rounded_sums(whole)
        if parts is None or wholes is None:
            continue
        half = 0.5 * 10.0**-places + 1e-9
        if not any(abs(100 * a / b - p) <= half for a in parts for b in wholes if b > 0):
            attack.from_truth.append(f"{where}: no rounded figures give it")
            _share_relation(attack, part, whole, p, places, 0.0)
    attack.shares.clear()


def solve(attack: Attack, protection: float) -> tuple[list[Finding], int]:
    """Ranges of the withheld cells narrower than ``protection``; and how many are withheld."""
    settle_shares(attack)
    for relation in [*attack.eq, *(u for u, _ in attack.ub)]:
        for key in relation:
            attack.var(key)
    roots = sorted({attack.root(i) for i in range(len(attack.parent))})
    column = {r: j for j, r in enumerate(roots)}
    n = len(roots)

    def col(key: Key) -> int:
        return column[attack.root(attack.var(key))]

    lower = np.zeros(n)
    upper = np.full(n, np.inf)
    for key, value in attack.known.items():
        j = col(key)
        low, high = attack.shown_range(key, value)
        lower[j] = max(lower[j], low)
        upper[j] = min(upper[j], high)
    conflicting = lower > upper + 1e-9
    if conflicting.any():
        raise AssertionError("the reader's equalities contradict the published figures")

    def matrix(rows: list[dict[Key, float]]) -> coo_matrix | None:
        r, c, v = [], [], []
        for i, relation in enumerate(rows):
            merged: dict[int, float] = defaultdict(float)
            for key, k in relation.items():
                merged[col(key)] += k
            for j, k in merged.items():
                if k != 0:
                    r.append(i)
                    c.append(j)
                    v.append(k)
        return coo_matrix((v, (r, c)), shape=(len(rows), n)).tocsr() if rows else None

    a_eq = matrix(attack.eq)
    a_ub = matrix([u for u, _ in attack.ub])
    b_ub = np.array([rhs for _, rhs in attack.ub])
    bounds = list(zip(lower, [None if math.isinf(u) else u for u in upper], strict=True))
    withheld_cols = {col(k) for k in attack.withheld}
    # with rounding on, the small counts shown, which the reader must not give back exactly
    small = (
        {
            col(k): k
            for k, v in attack.known.items()
            if k[0] == "cell" and 0 < v <= 2 * attack.threshold and attack.shown_range(k, v)[0] < v
        }
        if attack.rounding > 1
        else {}
    )
    targets = sorted(withheld_cols | {col(k) for k in attack.banded} | set(small))
    found: list[Finding] = []
    by_col = {col(k): k for k in sorted(attack.withheld)}
    band_of = {col(k): band for k, band in attack.banded.items()}
    by_col |= {col(k): k for k in attack.banded if col(k) not in by_col}
    for j in targets:
        ends = []
        for sense in (1.0, -1.0):
            objective = np.zeros(n)
            objective[j] = sense
            res = linprog(
                objective,
                A_ub=a_ub,
                b_ub=b_ub if a_ub is not None else None,
                A_eq=a_eq,
                b_eq=np.zeros(len(attack.eq)) if a_eq is not None else None,
                bounds=bounds,
                method="highs",
            )
            if res.status == 2:
                raise AssertionError("the reader's system is infeasible: " + res.message)
            ends.append(math.inf if res.status == 3 else sense * res.fun)
        # counts are whole numbers
        if math.isinf(ends[1]):
            attack.ranges[roots[j]] = (math.ceil(ends[0] - 1e-6), math.inf)
            continue
        low, high = math.ceil(ends[0] - 1e-6), math.floor(ends[1] + 1e-6)
        attack.ranges[roots[j]] = (low, high)
        band = band_of.get(j)
        if j in small and j not in withheld_cols and band is None:
            if low == high:
                attack.pinned.append(Finding(small[j], low, high))
            continue
        if band is not None and j not in withheld_cols:
            if low > band[0] or high < band[1]:  # narrower than "fewer than k" says
                found.append(Finding(by_col[j], low, high))
        elif high - low < protection and (
            by_col[j] not in attack.unsure or (high >= 1 and low <= protection - 1)
        ):
            found.append(Finding(by_col[j], low, high))
    return found, len(withheld_cols)
