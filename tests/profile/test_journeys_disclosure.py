"""No journeys statistic about fewer people than the minimum reaches the published files;
what the definitions of the journeys and other tables say is declared to disclosure control.

The profile stage's outputs for the planted world (tests/profile/test_journeys.py) go
through the real disclosure control; every quartile, median, mean or total of the journeys
section resting on fewer than ``statistic_threshold`` people must come out withheld, and
the ones resting on enough people must still be shown.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.declared import NOT_HOLDING
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import is_symbol
from gbo.profile.group_relations import BANDED_SUMS, OFFENCE_MIX
from tests.profile.outputs import Outputs, run_profile
from tests.profile.test_journeys import planted_world

KEY = ["table_id", "breakdown", "statistic"]
# tables listing only the years seen (each listed year is declared at least 1)
YEAR_TABLES = (
    "scale_offences_by_year",
    "scale_victims_by_year",
    "scale_offenders_by_year",
    "scale_groups_by_year",
)
ALL_COLUMN = "All"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return run_profile(tmp_path_factory.mktemp("planted"), planted_world(), review_pairs=[])


@pytest.fixture(scope="module")
def controlled(out: Outputs) -> DisclosureResult:
    """The planted world's tables and statistics through the real disclosure control (the
    statistics' threshold is the default, 5)."""
    folder = Path(out.folder)
    rows = pq.read_table(folder / "tables.parquet").to_pandas()
    metadata = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    stats = pq.read_table(folder / "statistics.parquet").to_pandas()
    return control_disclosure(rows, metadata, DisclosureSettings(), stats)


def _published(out: Outputs, result: DisclosureResult) -> pd.DataFrame:
    """The journeys statistics as published, with their true n."""
    stats = pq.read_table(Path(out.folder) / "statistics.parquet").to_pandas()
    raw = stats[KEY + ["n"]].rename(columns={"n": "n_people"})
    merged = result.statistics.merge(raw, on=KEY, how="left", validate="one_to_one")
    journeys: pd.DataFrame = merged[merged["table_id"].str.startswith("journeys_")]
    return journeys


def test_no_journeys_statistic_on_few_people_is_published(
    out: Outputs, controlled: DisclosureResult
) -> None:
    minimum = DisclosureSettings().min_statistic_n
    assert minimum == 5
    journeys, log = _published(out, controlled), controlled.log
    few = journeys[journeys["n_people"] < minimum]
    enough = journeys[(journeys["n_people"] >= minimum) & journeys["value"].notna()]
    assert len(few) > 20
    assert few["value_display"].map(is_symbol).all()
    assert few["value"].isna().all() and few["ci_lower"].isna().all()
    # the victims counted in the sensitivity table (7) rest on enough people: not withheld
    # for the threshold, but because the tables withhold the victims' total in a world this
    # small (the count it would give back)
    raw = journeys.merge(log.rename(columns={"category": "statistic"}), on=KEY, how="left")
    sensitivity = raw[(raw["table_id"] == "journeys_sensitivity") & (raw["n_people"] >= minimum)]
    assert len(sensitivity) > 0
    assert not (sensitivity["rule"] == "statistic_threshold").any()
    assert (enough["n_people"] >= minimum).all()


def test_the_two_journeys_populations_are_declared_one_and_hold_on_the_truth(
    out: Outputs,
) -> None:
    """The known victims' Identified column is the identified victims, their never-identified
    column the journeys category, and "at first contact" the no-contact band: declared, and
    true of the figures."""
    folder = Path(out.folder)
    rows = pq.read_table(folder / "tables.parquet").to_pandas()
    metadata = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    count = {(r.table_id, r.breakdown, r.category): r.count for r in rows.itertuples()}
    total = {(r.table_id, r.breakdown, None): r.denominator for r in rows.itertuples()}
    figures = count | total
    declared = [
        (table, *entry)
        for table, meta in metadata.items()
        for entry in meta.get("same_figures") or []
    ]
    kinds = {(t, b, o, ob) for t, b, _, o, ob, _ in declared}
    assert ("journeys_known_contacts", "Identified", "journeys_prior_contacts", "All") in kinds
    assert ("journeys_known_agency", "Identified", "journeys_contacts_agency", "All") in kinds
    assert ("journeys_age_first_contact", "Known, not identified",
            "journeys_identification", "All") in kinds  # fmt: skip
    assert ("journeys_time_to_identification", "All", "journeys_prior_contacts", "All") in kinds
    # the red team of stop 60: victims with no earlier (later) contact are the "Not recorded"
    # of the agencies and types of earlier (later) contacts
    for table in ("journeys_contacts_agency", "journeys_contacts_event_type"):
        for breakdown in ("All", "Group-based", "Not group-based"):
            assert (table, breakdown, "journeys_prior_contacts", breakdown) in kinds
    assert ("journeys_contacts_after_agency", "All", "journeys_contacts_after", "All") in kinds
    for table, breakdown, category, other, other_breakdown, other_category in declared:
        a, b = (table, breakdown, category), (other, other_breakdown, other_category)
        assert figures[a] == figures[b], (a, b)
    zeros = metadata["journeys_known_contacts"]["structural_zeros"]
    assert zeros == [["Known, not identified", "None"]]
    assert count[("journeys_known_contacts", "Known, not identified", "None")] == 0
    # the statistics of time to identification describe the table's own people (0 days for
    # those identified at first contact), so their n is its column total, not a category of
    # another table
    assert "statistics_n_is" not in metadata["journeys_time_to_identification"]


def test_a_figure_of_both_populations_is_shown_or_withheld_alike(
    out: Outputs, controlled: DisclosureResult
) -> None:
    metadata = json.loads((Path(out.folder) / "tables.json").read_text(encoding="utf-8"))
    result = controlled
    shown = {
        (r.table_id, r.breakdown, r.category): str(r.count_display)
        for r in result.tables.itertuples()
    }
    pairs = [
        ((table, breakdown, category), (other, other_breakdown, other_category))
        for table, meta in metadata.items()
        for breakdown, category, other, other_breakdown, other_category in meta.get("same_figures")
        or []
        if category is not None and other_category is not None
    ]
    assert pairs
    withheld = 0
    for a, b in pairs:
        assert shown[a] == shown[b], (a, b, shown[a], shown[b])
        withheld += is_symbol(shown[a])
    assert withheld > 0  # the planted world is small: some of them are withheld


def test_other_sections_declare_what_their_definitions_say(out: Outputs) -> None:
    """Outside the journeys: a victim with the looked-after marker is counted as looked
    after, and each comparison with a baseline names the columns it is worked from."""
    folder = Path(out.folder)
    rows = pq.read_table(folder / "tables.parquet").to_pandas()
    metadata = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    count = {(r.table_id, r.breakdown, r.category): r.count for r in rows.itertuples()}
    relations = metadata["victims_looked_after"]["relations"]
    assert {tuple(t[1] for t in r["terms"]) for r in relations} >= {(ALL_COLUMN, ALL_COLUMN)}
    for relation in relations:
        total = sum(count[(t, b, c)] * k for t, b, c, k in relation["terms"])
        assert total <= relation["at_most"], relation["description"]
    compared = {t: m["statistics_of"] for t, m in metadata.items() if "statistics_of" in m}
    assert compared, "no comparison with a baseline was made"
    for source, columns in compared.values():
        assert source in metadata and columns


def _figures(out: Outputs) -> dict[tuple[str, str, str | None], int]:
    """Every cell and column total of the tables."""
    rows = pq.read_table(Path(out.folder) / "tables.parquet").to_pandas()
    figures: dict[tuple[str, str, str | None], int] = {}
    for r in rows.itertuples():
        figures[(r.table_id, r.breakdown, r.category)] = int(r.count)
        total = (r.table_id, r.breakdown, None)
        figures[total] = figures.get(total, 0) + int(r.count)
    return figures


def test_the_groups_and_year_tables_declare_what_their_definitions_say(
    out: Outputs, controlled: DisclosureResult
) -> None:
    """Group sizes bound the offenders in a group, victims per group the group-based
    victims, a group's offence mix its group-based offences; a listed year was seen. Each
    holds on the truth, so the real control uses it."""
    figures = _figures(out)
    metadata = json.loads((Path(out.folder) / "tables.json").read_text(encoding="utf-8"))
    declaring = [*BANDED_SUMS, OFFENCE_MIX[0], *YEAR_TABLES]
    relations = {t: metadata[t].get("relations", []) for t in declaring if t in metadata}
    assert relations and all(relations.values()), relations
    descriptions = set()
    for relation in (r for rs in relations.values() for r in rs):
        total = sum(figures[(t, b, c)] * k for t, b, c, k in relation["terms"])
        assert total <= relation["at_most"], relation["description"]
        descriptions.add(relation["description"])
    refused = {w.removeprefix(NOT_HOLDING) for w in controlled.warnings}
    assert not descriptions & refused


def test_contact_totals_that_add_up_are_declared_and_never_withheld_alone(
    out: Outputs, controlled: DisclosureResult
) -> None:
    """Each agency's contacts are the sum of the contact types only it records: declared,
    true of the figures, and never one of them withheld alone."""
    folder = Path(out.folder)
    metadata = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    stats = pq.read_table(folder / "statistics.parquet").to_pandas()
    value = {(r.table_id, r.breakdown, r.statistic): r.value for r in stats.itertuples()}
    published = controlled.statistics.set_index(KEY)["value_display"]
    sums = metadata["journeys_contacts_agency"]["statistics_sums"]
    agencies = {b for entry in sums for t, b in entry["members"] if t.endswith("agency")}
    assert len(agencies) >= 2
    n = {(r.table_id, r.breakdown, r.statistic): r.n for r in stats.itertuples()}
    totals = [entry for entry in sums if "total_of" in entry]
    assert len(totals) == 2  # the agencies' contacts, and the types'
    for entry in sums:
        keys = [(t, b, entry["statistic"]) for t, b in entry["members"]]
        if "total_of" in entry:
            # they add up to the mean number of earlier contacts times its n
            mean = tuple(entry["total_of"])
            assert sum(value[k] for k in keys) == pytest.approx(value[mean] * n[mean])
            assert not (
                is_symbol(published[mean]) and not any(is_symbol(published[k]) for k in keys)
            )
            continue
        sides = [[k for k in keys if k[0].endswith("agency")], [k for k in keys if "event" in k[0]]]
        assert all(sides) and sum(len(s) for s in sides) == len(keys)
        assert sum(value[k] for k in sides[0]) == sum(value[k] for k in sides[1])
        assert sum(is_symbol(published[k]) for k in keys) != 1


def test_the_contacts_after_identification_add_up_to_their_mean(
    out: Outputs, controlled: DisclosureResult
) -> None:
    """The fifth red team of stop 61 worked the withheld mean of later contacts out from the
    agencies' totals: declared, true of the figures, and never all shown beside it withheld."""
    folder = Path(out.folder)
    metadata = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    stats = pq.read_table(folder / "statistics.parquet").to_pandas()
    value = {(r.table_id, r.breakdown, r.statistic): r.value for r in stats.itertuples()}
    n = {(r.table_id, r.breakdown, r.statistic): r.n for r in stats.itertuples()}
    published = controlled.statistics.set_index(KEY)["value_display"]
    (entry,) = metadata["journeys_contacts_after_agency"]["statistics_sums"]
    keys = [(t, b, entry["statistic"]) for t, b in entry["members"]]
    mean = tuple(entry["total_of"])
    assert mean == ("journeys_contacts_after", "All", "mean")
    assert sum(value[k] for k in keys) == pytest.approx(value[mean] * n[mean])
    assert not (is_symbol(published[mean]) and not any(is_symbol(published[k]) for k in keys))
