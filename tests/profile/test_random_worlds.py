"""Random worlds: counts recomputed independently, and the properties every table keeps.

The reference recount (tests/profile/reference.py) is plain Python over the fixture rows;
the properties hold for every table: additive categories add up to the denominator in every
breakdown, breakdowns add up to All, "Not recorded" is always a row, and it is non-zero
whenever some unit lacks a value.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbo.profile.settings import DEFAULT_GROUP_SIZE_BANDS, ProfileSettings
from gbo.schema import codes
from tests.profile.outputs import Outputs, run_profile
from tests.profile.reference import Reference
from tests.profile.world import World, random_world


def _check_reference(out: Outputs, world: World) -> None:
    ref = Reference(world)
    s = ProfileSettings()
    assert out.cells("offenders_sex") == ref.offenders_sex()
    assert out.cells("offenders_age_band") == ref.age_band("offenders", s.offender_age_bands)
    assert out.cells("victims_age_band") == ref.age_band("victims", s.victim_age_bands)
    assert out.cells("offenders_ethnicity_5") == ref.ethnicity_5("offenders")
    assert out.cells("victims_ethnicity_5") == ref.ethnicity_5("victims")
    assert out.cells("scale_cocad") == ref.offences_by("cocad_category", codes.COCAD)
    assert out.cells("context_location") == ref.offences_by("location_type", codes.LOCATION_TYPES)
    assert out.cells("context_methods") == ref.methods()
    assert out.cells("scale_offences_by_year") == ref.offences_by_year()
    assert out.cells("victims_looked_after") == ref.looked_after()
    assert out.cells("outcomes_group") == ref.outcomes()
    assert out.cells("victims_vulnerability") == ref.victims_vulnerability()
    assert out.cells("groups_size") == ref.groups_size(DEFAULT_GROUP_SIZE_BANDS)
    assert out.cells("groups_online") == ref.groups_online()
    journeys = ref.journeys()
    identified = out.table("journeys_identification")
    assert sum(
        r["count"]
        for r in identified
        if r["breakdown"] == "All" and r["category"].startswith("Identified")
    ) == len(journeys)
    at_first = [j for j in journeys.values() if j["n_prior"] == 0]
    assert out.cells("journeys_identification").get(
        ("All", "Identified at first contact"), 0
    ) == len(at_first)
    days = [j["days"] for j in journeys.values()]
    median = out.statistic("journeys_time_to_identification", "All", "median")
    assert median["n"] == len(days)
    if days:
        assert median["value"] == pytest.approx(statistics.median(days))
    for agency in {a for j in journeys.values() for a in j["agencies"]}:
        n = sum(agency in j["agencies"] for j in journeys.values())
        assert out.cell("journeys_contacts_agency", "All", agency)["count"] == n


def _check_properties(out: Outputs) -> None:
    # the age statistics describe the people the age band table places in a band
    for table_id in ("offenders_age_band", "victims_age_band"):
        for s in out.statistics:
            if s["table_id"] == table_id and s["statistic"] == "median":
                cells = [r for r in out.rows if r["table_id"] == table_id
                         and r["breakdown"] == s["breakdown"]]  # fmt: skip
                recorded = sum(r["count"] for r in cells if r["category"] != codes.NOT_RECORDED)
                assert s["n"] == recorded, (table_id, s["breakdown"], s["n"], recorded)
    # aggregates only: no category or breakdown is a pseudonym of a person, record or offence
    pseudonym = ("per_", "rec_", "off_", "grp_", "unlinked:")
    assert not [r for r in out.rows if r["category"].startswith(pseudonym)]
    assert not [r for r in out.rows if r["breakdown"].startswith(pseudonym)]
    assert not [s for s in out.statistics if s["breakdown"].startswith(pseudonym)]
    for table_id, meta in out.metadata.items():
        if meta["kind"] != "counts":
            continue
        rows = out.table(table_id)
        breakdowns = {r["breakdown"] for r in rows}
        for breakdown in breakdowns:
            cells = [r for r in rows if r["breakdown"] == breakdown]
            not_recorded = [r for r in cells if r["is_not_recorded"]]
            assert len(not_recorded) == 1, (table_id, breakdown)
            assert not_recorded[0]["category"] == "Not recorded"
            denominator = cells[0]["denominator"]
            assert all(r["denominator"] == denominator for r in cells)
            if meta["is_additive"]:
                assert sum(r["count"] for r in cells) == denominator, (table_id, breakdown)
            else:
                assert all(r["count"] <= denominator for r in cells)
            assert all(
                r["ci_lower"] is None or r["ci_lower"] <= r["pct_of_all"] <= r["ci_upper"]
                for r in cells
            )
        if meta["is_additive"] and "All" in breakdowns and len(breakdowns) > 1:
            totals: dict[str, int] = {}
            for r in rows:
                if r["breakdown"] != "All":
                    totals[r["category"]] = totals.get(r["category"], 0) + r["count"]
            for r in rows:
                if r["breakdown"] == "All":
                    assert totals.get(r["category"], 0) == r["count"], (table_id, r["category"])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_match_an_independent_recount(tmp_path: Path, seed: int) -> None:
    world = random_world(seed, n_people=60, n_offences=45)
    out = run_profile(tmp_path, world)
    _check_reference(out, world)
    _check_properties(out)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_people=st.integers(0, 25),
    n_offences=st.integers(0, 20),
    p_missing=st.sampled_from([0.0, 0.3, 1.0]),
)
def test_not_recorded_is_never_dropped(
    seed: int, n_people: int, n_offences: int, p_missing: float
) -> None:
    world = random_world(seed, n_people, n_offences, p_missing)
    with tempfile.TemporaryDirectory() as tmp:
        out = run_profile(Path(tmp), world)
    _check_properties(out)
    _check_reference(out, world)
    # when any offender lacks a sex, "Not recorded" says so
    ref = Reference(world)
    missing_sex = sum(1 for p in ref.offender_status if ref.person[p]["sex"] is None)
    assert out.cell("offenders_sex", "All", "Not recorded")["count"] == missing_sex
