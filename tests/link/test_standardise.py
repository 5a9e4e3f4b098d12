"""Table-level standardisation of identity records."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.link.standardise import (
    STANDARD_COLUMNS,
    standardise_addresses,
    standardise_identity,
)
from gbo.schema.nhs_number import meaningful_nhs_digits as standardise_nhs_number
from tests.link.identities import make_identities

names = st.one_of(st.none(), st.text(max_size=25))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(names, names, names, st.lists(st.text(max_size=20), max_size=2)),
                min_size=1, max_size=8))  # fmt: skip
def test_any_names_standardise_to_the_contract(
    rows: list[tuple[str | None, str | None, str | None, list[str]]],
) -> None:
    table = pd.DataFrame(
        {
            "record_pid": [f"rec_{i:016x}" for i in range(len(rows))],
            "agency": "police",
            "given_name": [r[0] for r in rows],
            "middle_names": [r[1] for r in rows],
            "family_name": [r[2] for r in rows],
            "aliases": [r[3] for r in rows],
        }
    )
    out = standardise_identity(table).to_pandas()
    assert list(out.columns) == list(STANDARD_COLUMNS)
    assert len(out) == len(rows)
    for given_name, forms in zip(out["given_name"], out["given_names_all"], strict=True):
        assert given_name is None or given_name in forms
    for whole, forms in zip(out["family_name"], out["family_names_all"], strict=True):
        assert whole is None or whole in forms


def test_aliases_and_variants_join_the_forms() -> None:
    table = pd.DataFrame(
        {
            "record_pid": ["rec_0000000000000001"],
            "agency": ["police"],
            "given_name": ["Mohamed"],
            "family_name": ["Smith-Jones"],
            "aliases": [["Mo Jones", "Bobby Khan"]],
            "dob": [date(2001, 2, 3)],
            "dob_precision": ["day"],
        }
    )
    row = standardise_identity(table).to_pandas().iloc[0]
    assert row["given_name"] == "mohamed"
    assert {"mohamed", "muhammad", "mo", "bobby"} <= set(row["given_names_all"])
    assert {"smithjones", "smith", "jones", "khan"} <= set(row["family_names_all"])
    assert row["dob_iso"] == "2001-02-03"


def test_given_names_of_a_split_whole_name_give_the_forename_and_middle_names() -> None:
    """A whole name "GARSIDE, Jack Andrew" split with name_part gives given_name
    "Jack Andrew": the first is compared as the forename, the rest as middle names."""
    table = pd.DataFrame(
        {
            "record_pid": ["rec_0000000000000001"],
            "agency": ["police"],
            "given_name": ["Jack Andrew"],
            "family_name": ["GARSIDE"],
        }
    )
    row = standardise_identity(table).to_pandas().iloc[0]
    assert (row["given_name"], list(row["given_middles"])) == ("jack", ["andrew"])
    assert row["family_name"] == "garside"


def test_addresses_key_on_postcode_and_house_number() -> None:
    out = standardise_addresses(
        pd.DataFrame(
            {
                "postcode": ["ls6 2ab", None, "QA1 9ZZ"],
                "address": ["12a Hyde Park Road", "Flat 3, Mill Lane", None],
            }
        )
    )
    assert out["address_key"].tolist() == ["LS62AB|12a", "|flat mill lane", "QA19ZZ|"]
    assert out["postcode_district"].tolist() == ["LS6", None, "QA1"]
    assert out["house"].tolist()[:2] == ["12a", "3"]


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=10, max_size=10),
    st.lists(st.sampled_from([" ", "-", ""]), min_size=9, max_size=9),
)
def test_nhs_numbers_keep_their_digits_however_they_are_spaced(
    digits: str, separators: list[str]
) -> None:
    spaced = "".join(d + s for d, s in zip(digits, [*separators, ""], strict=True))
    expected = None if len(set(digits)) == 1 else digits
    assert standardise_nhs_number(spaced) == expected
    assert standardise_nhs_number(digits) == expected


@pytest.mark.parametrize(
    "value", [None, float("nan"), "", "  ", "0000000000", "9999999999", "12-3"]
)
def test_blank_dummy_and_too_short_nhs_numbers_are_not_recorded(value: object) -> None:
    assert standardise_nhs_number(value) is None


def test_standardising_in_slices_gives_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, _ = make_identities(12, seed=3)
    identity = pa.Table.from_pandas(frame, preserve_index=False)
    whole = standardise_identity(identity)
    assert whole.num_rows > 3
    monkeypatch.setattr("gbo.link.standardise.SLICE_ROWS", 3)
    assert standardise_identity(identity).equals(whole)
    assert standardise_identity(identity.to_pandas()).equals(whole)
