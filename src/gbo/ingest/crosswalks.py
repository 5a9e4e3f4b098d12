"""Shipped crosswalks: published code lists translated to gbo's codes once, for everyone.

``home_office_offences`` translates the two ways police exports write a Home Office offence
to gbo's ``ho_offence_code`` codes, by meaning:

* the letter codes of police recorded crime (``19D`` "Rape of a female child under 16"),
  from the Home Office's *Police recorded crime and outcomes open data tables*;
* the class/subclass numbers of the Home Office offence classification (``019/16``), for
  the sexual offence classes and class 86, from the Ministry of Justice's published copy
  of the classification (see :data:`TABLES` for the source, version and licence).

gbo's own letter codes are not the Home Office's (gbo's ``19C`` is the Home Office's
``19D``), which is why the crosswalk exists: never translate by the letters. Home Office
codes with no gbo code (offences against adults, repealed offences, a rape whose victim's
age the subclass does not give) are listed with none and a reason, so that a mapping check
names them rather than guessing.

A mapping uses it with ``crosswalks = { ho_offence_code = "home_office_offences" }``; the
mapping's own ``[codes.*]`` entries take precedence over it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gbo.ingest.ho_subclass import ho_subclass_spellings, parse_ho_subclass


@dataclass(frozen=True)
class CrosswalkTable:
    """One shipped data file of a crosswalk, with where it came from."""

    file: str
    title: str
    source: str
    version: str
    licence: str


LETTER_CODES = CrosswalkTable(
    file="home_office_offences.csv",
    title="Home Office offence codes (police recorded crime)",
    source="Home Office, Police recorded crime and outcomes open data tables (offence code "
    "and offence description), following the Home Office Counting Rules for recorded "
    "crime; class 86 from the Counting Rules' Miscellaneous Crimes against Society",
    version="as taken into gbo's code list 2026.1 (the year of the tables was not recorded); "
    "every code and description agrees with the ONS crime offence hierarchy in "
    "ONSdigital/dp-hierarchy-builder, cmd/hierarchy-transformer/output/crime/hierarchy.cypher "
    "(commit 8a4c66685543366df978623e719e35e0b9f50fed)",
    licence="Open Government Licence v3.0 (Crown copyright)",
)
SUBCLASSES = CrosswalkTable(
    file="home_office_subclasses.csv",
    title="Home Office offence class/subclass numbers",
    source="the Home Office offence classification (class, subclass and description) as "
    "published by the Ministry of Justice in ministryofjustice/hmpps-manage-offences-api, "
    "src/main/resources/migration/common/V73__seed_risk_actuarial_ho_code_table.sql; the "
    "rows of the sexual offence classes and of class 86. Its numbering agrees with the "
    "subclasses printed in the Home Office Counting Rules (for example 1/1, 4/10, 15/00 "
    "and 24/17 to 24/19)",
    version="commit 01ce1e767969a51f99472f61772b25a6f5e0e917 (20 July 2026)",
    licence="MIT licence, Crown copyright (Ministry of Justice); the classification is "
    "Crown copyright (Home Office)",
)
TABLES: dict[str, tuple[CrosswalkTable, ...]] = {
    "home_office_offences": (LETTER_CODES, SUBCLASSES),
}


@dataclass(frozen=True)
class CrosswalkEntry:
    code: str
    description: str
    gbo_code: str | None
    basis: str = ""


def normalise_ho_code(value: str) -> str:
    """``019D`` and ``19d`` are ``19D``."""
    text = value.strip().upper()
    return re.sub(r"^0+(?=\d)", "", text)


@cache
def crosswalk_table(table: CrosswalkTable) -> tuple[CrosswalkEntry, ...]:
    """The entries of one shipped data file."""
    text = resources.files("gbo.ingest.data").joinpath(table.file).read_text("utf-8")
    return tuple(
        CrosswalkEntry(
            row["ho_code"], row["ho_description"], row["gbo_code"] or None, row.get("basis", "")
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def crosswalk(name: str) -> tuple[CrosswalkEntry, ...]:
    """The entries of a shipped crosswalk, every table of it."""
    return tuple(entry for table in TABLES[name] for entry in crosswalk_table(table))


@cache
def crosswalk_translation(name: str) -> dict[str, str]:
    """Agency value -> gbo code for every entry that has a gbo code: each spelling of its
    code (leading zeros or not, class/subclass with or without the slash) and its
    description, where that description means one gbo code only."""
    found: dict[str, str] = {}
    by_description: dict[str, set[str | None]] = {}
    for entry in crosswalk(name):
        by_description.setdefault(entry.description, set()).add(entry.gbo_code)
        if entry.gbo_code is None:
            continue
        for spelling in _spellings(entry.code):
            found[spelling] = entry.gbo_code
    for description, gbo_codes in by_description.items():
        if len(gbo_codes) == 1 and None not in gbo_codes:
            found.setdefault(description, str(next(iter(gbo_codes))))
    return found


@cache
def crosswalk_unplaced(name: str) -> frozenset[str]:
    """Every spelling of a code the crosswalk lists with no gbo code. A column read through
    the crosswalk must not read these as gbo codes of the same spelling (the Home Office's
    ``19C``, a rape of a woman aged 16 or over, is not gbo's ``19C``)."""
    placed = crosswalk_translation(name)
    return frozenset(
        spelling
        for entry in crosswalk(name)
        if entry.gbo_code is None
        for spelling in _spellings(entry.code)
        if spelling not in placed
    )


@cache
def _entries_by_key(name: str) -> dict[str, CrosswalkEntry]:
    """Code and description -> entry (the first entry of a repeated description)."""
    found: dict[str, CrosswalkEntry] = {}
    for entry in crosswalk(name):
        found.setdefault(entry.code, entry)
    for entry in crosswalk(name):
        found.setdefault(entry.description, entry)
    return found


def crosswalk_entry(text: str, name: str = "home_office_offences") -> CrosswalkEntry | None:
    """The crosswalk's entry for a value, however its code is spelt (None if not listed)."""
    parsed = parse_ho_subclass(text)
    key = f"{parsed[0]:03d}/{parsed[1]:02d}" if parsed else normalise_ho_code(text)
    entries = _entries_by_key(name)
    return entries.get(key) or entries.get(text.strip())


def translate_ho_code(text: str, name: str = "home_office_offences") -> str | None:
    """The gbo code the crosswalk gives a value, however its code is spelt."""
    translation = crosswalk_translation(name)
    parsed = parse_ho_subclass(text)
    if parsed is not None:
        return translation.get(f"{parsed[0]:03d}/{parsed[1]:02d}")
    return translation.get(normalise_ho_code(text)) or translation.get(text.strip())


def _spellings(code: str) -> set[str]:
    parsed = parse_ho_subclass(code)
    if parsed is not None:
        return ho_subclass_spellings(*parsed)
    found = {code, "0" + code}
    if len(code) < 4:
        found.add("00" + code)
    return found
