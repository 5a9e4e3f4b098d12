"""What the journeys tables' definitions tell a reader about their figures, declared to
disclosure control.

The journeys section describes the same children from two populations: the identified
victims (tables of contacts before identification, time to identification) and the victims
known to agencies, identified or not (their ``Identified`` and ``Known, not identified``
columns). A reader of the definitions knows that

- the ``Identified`` column of a known-victims table is every identified victim, counted the
  same way as the identified victims' own table of the same measure, category by category;
- the ``Known, not identified`` column is the journeys table's category of that name;
- "identified at first contact" is the band of no earlier contact, in three tables, and so
  is the ``Not recorded`` of the agencies and the types of earlier contacts (a victim with
  no earlier contact has neither); the ``Not recorded`` of the agencies of contacts after
  identification is likewise the band of no contact after it (found by the red team of
  stop 60: "None" was worked out from it, then "5 to 9" from the rest);
- a victim known but never identified has at least one contact, so the no-contact band of
  that column is empty.

The shared figures are declared as ``same_figures`` (one figure wherever it is published,
gbo.disclosure.linear_system; used only where the true figures agree), the empty band as a
structural zero (``[z]``, gbo.disclosure.primary).

The numbers of contacts before identification are published by agency and by type of
contact. Where the types an agency records are recorded by no other agency, its total is
their sum, and a reader who adds up the figures sees it; such sums are declared as
``statistics_sums`` (gbo.disclosure.statistics_relations), so that a withheld total is never
the only one of its sum. Every contact before identification is one of an identified
victim's earlier contacts, so all the agencies' (or all the types') contacts add up to the
mean number of earlier contacts times its n: declared too (``total_of``), so that the sum
never gives back a mean withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gbo.profile.journey_base import (
    IDENTIFIED,
    IDENTIFIED_AT_FIRST,
    KNOWN_NOT_IDENTIFIED,
    NOT_IDENTIFIED,
)
from gbo.profile.journey_categories import agency_categories, contact_type_categories
from gbo.profile.journey_measures import after_identification
from gbo.profile.journey_stats import CONTACTS_AFTER, CONTACTS_BEFORE, contact_sums
from gbo.profile.population import VICTIM_GROUP, VICTIM_OTHER, Profile
from gbo.profile.settings import Band
from gbo.profile.tidy import ALL, TidyTable
from gbo.schema import codes

JOURNEYS = "journeys_identification"
PRIOR = "journeys_prior_contacts"
TIME = "journeys_time_to_identification"
# a known-victims table whose Identified column is an identified-victims table's All column
KNOWN_AS_IDENTIFIED = {
    "journeys_known_contacts": PRIOR,
    "journeys_known_agency": "journeys_contacts_agency",
}
KNOWN_TABLES = (*KNOWN_AS_IDENTIFIED, "journeys_age_first_contact")
# tables with a category "identified at first contact", by the identified victims' breakdown
FIRST_CONTACT_TABLES = (JOURNEYS, TIME)
# multi-response tables of the agencies (types) of victims' earlier contacts, whose "Not
# recorded" is the victims with none: the no-contact band of the prior contacts
NO_EARLIER_CONTACT_TABLES = ("journeys_contacts_agency", "journeys_contacts_event_type")
# contacts after identification: the agencies' "Not recorded" is the no-contact band
AFTER, AFTER_AGENCY = "journeys_contacts_after", "journeys_contacts_after_agency"

# one figure: (table, breakdown, category), the category None for the breakdown's total
Figure = tuple[str, str, str | None]


def _no_contact_band(bands: Sequence[Band]) -> str | None:
    """The label of the band that holds exactly no contacts, if the bands have one."""
    return next((label for label, low, high in bands if low == 0 and high == 0), None)


def same_journey_figures(
    by_id: Mapping[str, TidyTable], contact_bands: Sequence[Band]
) -> list[tuple[Figure, Figure]]:
    """Pairs of figures that count the same people by the tables' definitions."""

    def has(figure: Figure) -> bool:
        table = by_id.get(figure[0])
        if table is None or figure[1] not in table.breakdowns:
            return False
        return figure[2] is None or figure[2] in table.categories

    pairs: list[tuple[Figure, Figure]] = []
    for known, identified in KNOWN_AS_IDENTIFIED.items():
        if known in by_id and identified in by_id:
            for category in (None, *by_id[identified].categories):
                pairs.append(((known, IDENTIFIED, category), (identified, ALL, category)))
    for known in KNOWN_TABLES:
        pairs.append(((known, NOT_IDENTIFIED, None), (JOURNEYS, ALL, KNOWN_NOT_IDENTIFIED)))
    none = _no_contact_band(contact_bands)
    if none is not None:
        for breakdown in (ALL, VICTIM_GROUP, VICTIM_OTHER):
            for table in FIRST_CONTACT_TABLES:
                pairs.append(((table, breakdown, IDENTIFIED_AT_FIRST), (PRIOR, breakdown, none)))
            for table in NO_EARLIER_CONTACT_TABLES:
                pairs.append(((table, breakdown, codes.NOT_RECORDED), (PRIOR, breakdown, none)))
            pairs.append(((AFTER_AGENCY, breakdown, codes.NOT_RECORDED), (AFTER, breakdown, none)))
    return [(a, b) for a, b in pairs if has(a) and has(b)]


def declare_journey_figures(
    metadata: dict[str, Any], by_id: Mapping[str, TidyTable], contact_bands: Sequence[Band]
) -> None:
    """Add the journeys tables' shared figures and their empty band to their metadata."""
    for (table, breakdown, category), other in same_journey_figures(by_id, contact_bands):
        if table in metadata:
            metadata[table].setdefault("same_figures", []).append([breakdown, category, *other])
    none = _no_contact_band(contact_bands)
    known = by_id.get("journeys_known_contacts")
    if (
        none is not None
        and known is not None
        and NOT_IDENTIFIED in known.breakdowns
        and none in known.categories
        and known.count(NOT_IDENTIFIED, none) == 0
        and known.table_id in metadata
    ):
        # a victim known to agencies but never identified has at least one contact
        metadata[known.table_id].setdefault("structural_zeros", []).append([NOT_IDENTIFIED, none])


def declare_contact_sums(metadata: dict[str, Any], profile: Profile) -> None:
    """Declare the sums of contact totals (``statistics_sums`` of the agency table: the
    statistic and each sum's members as ``[table, breakdown]``, the agencies' first), and,
    where all the agencies' (or all the types') contacts add up to the identified victims'
    earlier contacts, that sum as the total of their mean (``total_of``: ``[table,
    breakdown, statistic]``, the mean whose n times it is the sum)."""
    agency_table, type_table = "journeys_contacts_agency", "journeys_contacts_event_type"
    if agency_table not in metadata or type_table not in metadata:
        return
    sides = {
        "agency": (agency_table, agency_categories(profile).labels),
        "kind": (type_table, contact_type_categories().labels),
    }
    entries: list[dict[str, Any]] = [
        {"statistic": CONTACTS_BEFORE, "members": [list(m) for m in members]}
        for members in contact_sums(profile, sides)
    ]
    earlier = profile.scalar(
        "SELECT coalesce(sum(n_prior), 0) FROM j_person WHERE identified_on IS NOT NULL"
    )
    for column, (table, labels) in sides.items():
        counted = profile.scalar(f"SELECT count(*) FROM j_prior WHERE {column} IS NOT NULL")
        if earlier > 0 and counted == earlier:
            members = sorted(
                {labels.get(str(v), codes.NOT_RECORDED) for v in _values(profile, column)}
            )
            entries.append(
                {
                    "statistic": CONTACTS_BEFORE,
                    "members": [[table, m] for m in members],
                    "total_of": [PRIOR, ALL, "mean"],
                }
            )
    if entries:
        metadata[agency_table]["statistics_sums"] = entries
    _declare_after_total(metadata, profile)


def _declare_after_total(metadata: dict[str, Any], profile: Profile) -> None:
    """The agencies' contacts after identification add up to the identified victims' later
    contacts, the mean of their number times its n, where every later contact has its agency
    (``total_of``; the fifth red team of stop 61 worked the withheld mean out from them)."""
    if AFTER_AGENCY not in metadata:
        return
    later = profile.scalar(
        "SELECT coalesce(sum(n_after), 0) FROM j_person WHERE identified_on IS NOT NULL"
    )
    counted = profile.scalar("SELECT count(*) FROM j_after WHERE agency IS NOT NULL")
    if later == 0 or counted != later:
        return
    labels = after_identification(agency_categories(profile)).labels
    members = sorted(
        {labels.get(str(v), codes.NOT_RECORDED) for v in _values(profile, "agency", "j_after")}
    )
    metadata[AFTER_AGENCY].setdefault("statistics_sums", []).append(
        {
            "statistic": CONTACTS_AFTER,
            "members": [[AFTER_AGENCY, m] for m in members],
            "total_of": [AFTER, ALL, "mean"],
        }
    )


def _values(profile: Profile, column: str, source: str = "j_prior") -> list[object]:
    rows = profile.con.execute(
        f"SELECT DISTINCT {column} FROM {source} WHERE {column} IS NOT NULL"
    ).fetchall()
    return [v for (v,) in rows]
