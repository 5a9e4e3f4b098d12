"""Person pseudonyms and resolved attributes."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbo.link.bias import ethnicity_group
from gbo.link.persons import build_persons, person_pids
from gbo.security import KeyRing


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(list(range(6))))
def test_person_pids_do_not_depend_on_order_or_cluster_labels(
    keys: KeyRing, order: list[int]
) -> None:
    ids = [f"rec_{i:016x}" for i in range(6)]
    clusters = pd.DataFrame({"unique_id": ids, "cluster_id": ["x", "x", "y", "z", "z", "z"]})
    relabelled = clusters.iloc[order].assign(cluster_id=lambda d: d["cluster_id"] + "!")
    first = person_pids(clusters, keys).set_index("record_pid")["person_pid"]
    second = person_pids(relabelled, keys).set_index("record_pid")["person_pid"]
    assert first.sort_index().equals(second.sort_index())
    assert first.nunique() == 3
    assert all(p.startswith("per_") for p in first)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 5)), min_size=1, max_size=40))
def test_a_person_is_named_by_its_smallest_record_and_sized(
    keys: KeyRing, rows: list[tuple[int, int]]
) -> None:
    from gbo.security import pseudonymise

    chosen = dict(rows)  # one cluster per record
    clusters = pd.DataFrame(
        {
            "unique_id": [f"rec_{r:016x}" for r in chosen],
            "cluster_id": [f"c{c}" for c in chosen.values()],
        }
    )
    out = person_pids(clusters, keys)
    assert out["record_pid"].tolist() == clusters["unique_id"].tolist()
    for _, members in clusters.groupby("cluster_id"):
        expected = pseudonymise(keys, "person", min(members["unique_id"]), "per")
        mine = out[out["record_pid"].isin(members["unique_id"])]
        assert set(mine["person_pid"]) == {expected}
        assert set(mine["cluster_size"]) == {len(members)}


def test_attributes_resolve_by_the_documented_rules() -> None:
    record_map = pd.DataFrame(
        {"record_pid": ["a", "b", "c", "d", "e"], "person_pid": ["p", "p", "p", "q", "q"]}
    )
    records = pd.DataFrame(
        {
            "record_pid": ["a", "b", "c", "d", "e"],
            "agency": ["police", "health", "police", "police", "police"],
            "sex": ["F", "F", None, "M", "F"],
            "birth_year": [2005, 2005, 2006, 1990, 1990],
            "birth_year_is_estimated": [False, False, True, False, False],
            "ethnicity_self": ["W1", "W1", "A2", "B1", "A1"],
            "nationality": [None, None, None, "GBR", None],
        }
    )
    persons = build_persons(record_map, records).set_index("person_pid")
    p, q = persons.loc["p"], persons.loc["q"]
    assert (p["n_records"], p["agencies"], p["sex"], p["birth_year"]) == (
        3, ["health", "police"], "F", 2005,
    )  # fmt: skip
    assert p["ethnicity_self"] == "W1" and not p["has_conflicting_sex"]
    assert pd.isna(q["sex"]) and q["has_conflicting_sex"]
    assert pd.isna(q["ethnicity_self"])  # a tie is not recorded
    assert q["nationality"] == "GBR"


def test_ethnicity_groups_follow_the_ons_crosswalk() -> None:
    assert ethnicity_group("A2").startswith("Asian")
    assert ethnicity_group("NS") == "Not recorded"
    assert ethnicity_group(None) == "Not recorded"
