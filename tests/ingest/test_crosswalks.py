"""The Home Office offence crosswalk: its class/subclass parser and its shipped tables."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gbo.ingest.crosswalks import (
    LETTER_CODES,
    SUBCLASSES,
    CrosswalkEntry,
    crosswalk,
    crosswalk_table,
    crosswalk_translation,
    translate_ho_code,
)
from gbo.ingest.ho_subclass import format_ho_subclass, ho_subclass_spellings, parse_ho_subclass
from gbo.ingest.ingest_run import ingest_sources
from gbo.ingest.settings import IngestSettings, SourceSettings
from gbo.schema import codes

classes = st.integers(min_value=0, max_value=999)
subclasses = st.integers(min_value=0, max_value=99)
spaces = st.sampled_from(["", " ", "  ", "\t"])


@given(classes, subclasses, spaces, spaces)
def test_every_spelling_reads_back_as_its_class_and_subclass(
    ho_class: int, subclass: int, before: str, after: str
) -> None:
    spellings = ho_subclass_spellings(ho_class, subclass)
    assert format_ho_subclass(ho_class, subclass) in spellings
    assert f"{ho_class:03d}{subclass:02d}" in spellings  # five digits, no slash
    for spelling in spellings:
        assert parse_ho_subclass(before + spelling + after) == (ho_class, subclass)


@given(st.text(alphabet="0123456789/ ", max_size=8))
def test_the_parser_reads_only_the_listed_spellings(text: str) -> None:
    parsed = parse_ho_subclass(text)
    if parsed is not None:
        assert text.strip() in ho_subclass_spellings(*parsed)


@given(st.integers(min_value=0, max_value=9999))
def test_four_digits_without_a_slash_are_refused(number: int) -> None:
    # 1916 could be 019/16 or 191/6.
    assert parse_ho_subclass(f"{number:04d}") is None


@given(st.sampled_from(sorted({e.code for e in crosswalk_table(LETTER_CODES)})))
def test_letter_codes_are_not_class_subclass_numbers(code: str) -> None:
    assert parse_ho_subclass(code) is None
    assert parse_ho_subclass("0" + code) is None


def test_subclass_table_is_canonical_and_translates_to_gbo_codes() -> None:
    entries = crosswalk_table(SUBCLASSES)
    assert len({e.code for e in entries}) == len(entries)
    for entry in entries:
        assert re.fullmatch(r"\d{3}/\d{2}", entry.code), entry.code
        assert entry.gbo_code is None or entry.gbo_code in codes.HO_OFFENCES
        assert entry.basis, entry.code


def test_every_entry_of_both_tables_has_a_known_gbo_code_or_none() -> None:
    for entry in crosswalk("home_office_offences"):
        assert entry.gbo_code is None or entry.gbo_code in codes.HO_OFFENCES


@given(st.sampled_from([e for e in crosswalk_table(SUBCLASSES) if e.gbo_code]), st.data())
def test_each_spelling_of_a_subclass_translates_to_its_gbo_code(
    entry: CrosswalkEntry, data: st.DataObject
) -> None:
    parsed = parse_ho_subclass(entry.code)
    assert parsed is not None
    spelling = data.draw(st.sampled_from(sorted(ho_subclass_spellings(*parsed))))
    assert crosswalk_translation("home_office_offences")[spelling] == entry.gbo_code
    assert translate_ho_code(f" {spelling} ") == entry.gbo_code


def test_rape_subclasses_match_gbo_codes_by_meaning_not_by_letter() -> None:
    """The victim's sex and age band in each translated rape subclass are those of the gbo
    code's own label (gbo's 19C-19F are the Home Office's 19D, 19E, 19G and 19H)."""
    for entry in crosswalk_table(SUBCLASSES):
        if not entry.code.startswith("019/") or entry.gbo_code is None:
            continue
        label = codes.HO_OFFENCES[entry.gbo_code].lower()
        text = entry.description.lower()
        sex = "female" if "female" in label else "male"
        assert re.search(rf"\b{sex}\b", text), entry
        age = "13" if "under 13" in label else "16"
        assert f"under {age}" in text, entry
    assert translate_ho_code("19D") == "19C"
    assert translate_ho_code("19C") is None  # the Home Office's 19C: aged 16 and over
    assert translate_ho_code("019/16") == "19D"  # rape of a female child under 13
    assert translate_ho_code("019/08") is None  # a female aged 16 or over


def test_no_spelling_means_two_gbo_codes() -> None:
    seen: dict[str, str] = {}
    for entry in crosswalk("home_office_offences"):
        if entry.gbo_code is None:
            continue
        parsed = parse_ho_subclass(entry.code)
        spellings = ho_subclass_spellings(*parsed) if parsed else {entry.code, "0" + entry.code}
        for spelling in spellings:
            assert seen.setdefault(spelling, entry.gbo_code) == entry.gbo_code, spelling


def test_a_description_meaning_several_codes_is_not_read() -> None:
    translation = crosswalk_translation("home_office_offences")
    # Class 86 with no subclass is 86; "Possession of extreme pornographic images" is none.
    assert "Possession of extreme pornographic images (description shortened)" not in translation
    assert translation["Possession of indecent photograph of a child"] == "86"


MAPPING = """
mapping_version = 1
agency = "police"
crosswalks = { ho_offence_code = "home_office_offences" }

[codes.ho_offence_code]
"019/00" = "19C"  # the analyst checked these records

[[tables]]
target = "offence"
[tables.columns]
crime_ref = "Ref"
ho_offence_code = "Code"
"""


def test_ingest_reads_home_office_codes_by_meaning(tmp_path: Path) -> None:
    values = ["19D", "019d", "19C", "019/16", "19/16", "01916", "1916", "019/08", "019/00"]
    data = tmp_path / "crimes.csv"
    data.write_text(
        "Ref,Code\n" + "".join(f"C{i},{v}\n" for i, v in enumerate(values)), encoding="utf-8"
    )
    mapping = tmp_path / "police.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    run = ingest_sources(
        [SourceSettings(agency="police", path=data, mapping=mapping)],
        IngestSettings(reference_date=date(2025, 6, 30)),
    )
    read = {o["crime_ref"]: o["ho_offence_code"] for o in run.output.tables["offence"].to_pylist()}
    by_value = {values[int(ref[1:])]: code for ref, code in read.items()}
    assert by_value == {
        "19D": "19C", "019d": "19C", "019/16": "19D", "19/16": "19D", "01916": "19D",
        "019/00": "19C",  # the mapping's own entry comes first
    }  # fmt: skip
    rejected = {
        values[row - 2]: r["rule"]
        for r in run.output.rejected_row.to_pylist()
        for row in [int(r["source_row"])]
    }
    # The Home Office's 19C (aged 16 and over) is not gbo's 19C; 1916 is ambiguous.
    assert rejected == {"19C": "unknown_code", "1916": "unknown_code", "019/08": "unknown_code"}
