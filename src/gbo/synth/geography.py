"""Synthetic, neutral geography: areas, postcode-like strings and addresses.

Local authorities and police force areas are the neutral codes of
:mod:`gbo.schema.codes`. Postcode districts start with ``Q`` (no real UK postcode area does),
so a synthetic postcode can never be mistaken for a real one. Street names are plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.schema.codes import LOCAL_AUTHORITIES, POLICE_FORCES

LA_CODES = np.array(sorted(LOCAL_AUTHORITIES), dtype=object)
PFA_CODES = np.array(sorted(POLICE_FORCES), dtype=object)
DISTRICTS_PER_LA = 3
_DISTRICT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_STREET_WORDS = [
    "Alder",
    "Ash",
    "Aspen",
    "Beech",
    "Birch",
    "Cedar",
    "Cherry",
    "Elm",
    "Hazel",
    "Holly",
    "Juniper",
    "Larch",
    "Laurel",
    "Linden",
    "Maple",
    "Oak",
    "Pine",
    "Poplar",
    "Rowan",
    "Spruce",
    "Sycamore",
    "Willow",
    "Yew",
    "Heather",
    "Bracken",
    "Clover",
    "Fern",
    "Meadow",
    "Orchard",
    "Brook",
    "Mill",
    "Bridge",
    "Church",
    "Station",
    "Park",
    "Hill",
    "Valley",
    "Green",
    "Field",
    "Spring",
]
_STREET_KINDS = [
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Way",
    "Drive",
    "Grove",
    "Court",
    "Place",
    "Crescent",
    "Gardens",
]


def police_force_of(la_index: np.ndarray) -> np.ndarray:
    """The police force area index of each local authority index (three authorities each)."""
    force: np.ndarray = np.minimum(la_index // DISTRICTS_PER_LA, len(PFA_CODES) - 1)
    return force


def district_names() -> np.ndarray:
    """Postcode districts, ``DISTRICTS_PER_LA`` per local authority, in LA order."""
    names = []
    for d in range(len(LA_CODES) * DISTRICTS_PER_LA):
        names.append(f"Q{_DISTRICT_LETTERS[d // 9]}{d % 9 + 1}")
    return np.array(names, dtype=object)


@dataclass(frozen=True)
class Addresses:
    """One address per row: the line, the full postcode, its district and local authority."""

    line: np.ndarray
    postcode: np.ndarray
    district: np.ndarray
    la_index: np.ndarray


def draw_addresses(rng: np.random.Generator, la_index: np.ndarray) -> Addresses:
    """A random address in each given local authority."""
    n = len(la_index)
    districts = district_names()
    district_index = la_index * DISTRICTS_PER_LA + rng.integers(0, DISTRICTS_PER_LA, n)
    district = districts[district_index]
    sector = rng.integers(0, 10, n).astype(str).astype(object)
    letters = np.array(list(_UNIT_LETTERS), dtype=object)
    unit = letters[rng.integers(0, len(letters), n)] + letters[rng.integers(0, len(letters), n)]
    postcode = district + " " + sector + unit
    numbers = rng.integers(1, 200, n).astype(str).astype(object)
    words = np.array(_STREET_WORDS, dtype=object)[rng.integers(0, len(_STREET_WORDS), n)]
    kinds = np.array(_STREET_KINDS, dtype=object)[rng.integers(0, len(_STREET_KINDS), n)]
    line = numbers + " " + words + " " + kinds
    return Addresses(line=line, postcode=postcode, district=district, la_index=la_index)


def upper(values: np.ndarray) -> np.ndarray:
    """Upper-case text, keeping missing values."""
    return np.asarray(
        pc.utf8_upper(pa.array(values, type=pa.string())).to_numpy(zero_copy_only=False),
        dtype=object,
    )


def abbreviate_streets(values: np.ndarray) -> np.ndarray:
    """Road -> Rd, Street -> St, Avenue -> Ave: how some systems store address lines."""
    array = pa.array(values, type=pa.string())
    for word, short in (("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Close", "Cl")):
        array = pc.replace_substring(array, f" {word}", f" {short}")
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=object)
