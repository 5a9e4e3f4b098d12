"""Local authorities nest in police force areas: a release with both levels leaks without
the declared lookup (gbo.schema.codes.LOCAL_AUTHORITY_FORCE)."""

from __future__ import annotations

import numpy as np

from gbo.schema.codes import LOCAL_AUTHORITIES, LOCAL_AUTHORITY_FORCE, POLICE_FORCES
from gbo.synth.geography import LA_CODES, PFA_CODES, police_force_of
from tests.disclosure.factories import ALL
from tests.disclosure.tables import cell, one_table
from tests.disclosure.test_relation_families import _leaks_without_and_holds_with, _tables


def test_the_shipped_lookup_is_the_synthetic_geography() -> None:
    forces = police_force_of(np.arange(len(LA_CODES)))
    assert {str(la): str(PFA_CODES[f]) for la, f in zip(LA_CODES, forces, strict=True)} == (
        LOCAL_AUTHORITY_FORCE
    )
    assert set(LOCAL_AUTHORITY_FORCE) == set(LOCAL_AUTHORITIES)
    assert set(LOCAL_AUTHORITY_FORCE.values()) <= set(POLICE_FORCES)


def test_local_authorities_nest_in_police_force_areas() -> None:
    la = {
        ALL: {
            "Local authority 1": 40,
            "Local authority 2": 3,
            "Local authority 3": 30,
            "Local authority 4": 25,
            "Local authority 5": 22,
            "Local authority 6": 26,
        }
    }
    force = {ALL: {"Police force area 1": 73, "Police force area 2": 73}}
    rows, meta = _tables(
        one_table("by_la", la, margin_key="offences", classification="local_authority"),
        one_table("by_force", force, margin_key="offences", classification="police_force_area"),
    )
    published = _leaks_without_and_holds_with(rows, meta, "classification")
    assert cell(published, "by_la", ALL, "Local authority 2")["count_display"] == "[c]"
