"""Loading and checking mapping files; the JSON Schema of the format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbo.errors import MappingError
from gbo.ingest.mapping_files import load_mapping, mapping_json_schema
from tests.ingest.exports import POLICE_MAPPING


def test_toml_and_yaml_give_the_same_mapping(tmp_path: Path, police_mapping: Path) -> None:
    from_toml = load_mapping(police_mapping)
    import tomllib

    as_yaml = tmp_path / "police.yaml"
    as_yaml.write_text(yaml.safe_dump(tomllib.loads(POLICE_MAPPING)), encoding="utf-8")
    assert load_mapping(as_yaml) == from_toml
    assert from_toml.agency == "police"
    assert [t.target for t in from_toml.tables] == ["person_record", "offence", "involvement"]


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        """
agency = "police"
delimiter = ";;"
date_formats = ["%d/%m"]
partial_date_formats = ["%d/%m/%Y"]
[codes.role]
Victim = "VICTUM"
[[tables]]
target = "involvement"
columns = { offence_key = "Ref", hair = "Hair", role = { codes = "roles", column = "R" } }
skip_if_blank = ["nothing"]
""",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = caught.value.render()
    assert str(path) in message
    for fragment in (
        "delimiter",
        "'%d/%m' has no year",
        "put it in date_formats",
        "no column 'hair'",
        "codes names 'roles'",
        "needs a column for record_key",
        "skip_if_blank",
        # [codes.role] is read by no column: role reads the (missing) translation roles
        "codes.role: no mapped column reads this translation: the mapped role column reads "
        "codes.roles",
    ):
        assert fragment in message
    assert "9 problems" in message
    assert "VICTUM" in message


def test_shape_errors_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "agency: police\nencoding: 12\nmapping_version: 3\ntables:\n  - target: crimes\n"
        "    columns: {}\nextra_key: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = caught.value.render()
    for fragment in ("mapping_version", "tables.0.target", "extra_key", "encoding"):
        assert fragment in message


def test_unreadable_mapping_files(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="not found"):
        load_mapping(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("agency = ", encoding="utf-8")
    with pytest.raises(MappingError, match="not valid TOML"):
        load_mapping(broken)
    other = tmp_path / "mapping.ini"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(MappingError, match="unknown mapping file type"):
        load_mapping(other)


def test_json_schema_describes_the_format() -> None:
    schema = mapping_json_schema()
    json.dumps(schema)
    assert schema["title"] == "gbo agency mapping file"
    assert {"agency", "tables", "codes", "date_formats"} <= set(schema["properties"])
    assert "TableMapping" in schema["$defs"]


_names = st.sampled_from(
    [
        "local_id",
        "dob",
        "sex",
        "role",
        "record_key",
        "offence_key",
        "crime_ref",
        "marker",
        "event_type",
        "hair",
        "given_name",
        "methods",
    ]
)
_values: st.SearchStrategy[Any] = st.one_of(
    st.text(max_size=8), st.integers(), st.none(), st.lists(st.text(max_size=4), max_size=2)
)
_table = st.fixed_dictionaries(
    {
        "target": st.sampled_from(["person_record", "offence", "involvement", "event", "nope"]),
        "columns": st.dictionaries(
            _names,
            st.one_of(
                st.text(max_size=6),
                st.fixed_dictionaries(
                    {"column": st.text(max_size=5)}, optional={"codes": st.text(max_size=4)}
                ),
            ),
            max_size=4,
        ),
    },
    optional={"skip_if_blank": st.lists(_names, max_size=2), "sheet": st.text(max_size=4)},
)
_mapping = st.fixed_dictionaries(
    {"agency": st.text(min_size=1, max_size=6), "tables": st.lists(_table, max_size=3)},
    optional={
        "delimiter": st.text(max_size=2),
        "date_formats": st.lists(
            st.sampled_from(["%d/%m/%Y", "%Y", "%m/%Y", "%q", "x"]), max_size=2
        ),
        "codes": st.dictionaries(
            _names, st.dictionaries(st.text(max_size=4), _values, max_size=2), max_size=2
        ),
        "encoding": st.sampled_from(["auto", "cp1252", "klingon"]),
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_mapping)
def test_any_mapping_loads_or_gives_a_mapping_error(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        mapping = load_mapping(path)
    except MappingError as error:
        assert str(path) in error.render()
    else:
        assert mapping.agency == data["agency"]


# Each mistake below makes a translation that no column reads; the check names the section.
UNREAD_TRANSLATIONS = """
agency = "police"
crosswalks = { ho_ofence_code = "home_office_offences" }
[codes.sex]
Male = "M"
[codes.ethnicty_officer]
IC1 = "IC1"
[codes.is_cse_flagged]
Y = "yes"
[codes.nationality]
British = "GBR"
[codes.roles]
[[tables]]
target = "person_record"
columns = { local_id = "Person URN", sex = "Gender", ethnicity_officer = "Officer Ethnicity" }
[[tables]]
target = "offence"
columns = { crime_ref = "Crime Reference", is_cse_flagged = "CSE Flag" }
"""


def test_a_translation_no_mapped_column_reads_is_an_error_naming_its_section(
    tmp_path: Path,
) -> None:
    path = tmp_path / "police_typo.toml"
    path.write_text(UNREAD_TRANSLATIONS, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = caught.value.render()
    assert message.startswith(f"{path}: invalid mapping file (4 problems):")
    lines = {line.strip().split(":")[0]: line.strip() for line in message.splitlines()[1:]}
    # a misspelt name: the closest column (or translation) that reads one is suggested
    assert "did you mean 'ethnicity_officer'?" in lines["codes.ethnicty_officer"]
    assert "did you mean 'ho_offence_code'?" in lines["crosswalks.ho_ofence_code"]
    # a yes/no column reads its truthy values, never a translation
    assert (
        "is_cse_flagged is a yes/no column, which reads no translation"
        in (lines["codes.is_cse_flagged"])
    )
    # a column that would read it, but is not mapped
    assert "nationality is not mapped" in lines["codes.nationality"]
    assert "map it among the columns of the person_record table" in lines["codes.nationality"]
    # the translations read, and an empty table (it translates nothing), are not problems
    assert "codes.sex" not in lines and "codes.roles" not in lines


def test_a_translation_named_by_a_columns_codes_option_is_read(tmp_path: Path) -> None:
    path = tmp_path / "police.toml"
    path.write_text(
        'agency = "police"\n[codes.gender]\nMale = "M"\n[[tables]]\ntarget = "person_record"\n'
        'columns = { local_id = "URN", sex = { column = "Gender", codes = "gender" } }\n',
        encoding="utf-8",
    )
    assert load_mapping(path).codes == {"gender": {"Male": "M"}}
    path.write_text(
        path.read_text().replace(
            "local_id", 'dob = { column = "DOB", codes = "gender" }, local_id'
        ),
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match="codes does not apply: dob is a date column"):
        load_mapping(path)


# person_record's columns that read a translation (code and text columns), written out here
# rather than taken from gbo, and some that do not (keys, dates, numbers, yes/no, aliases).
READ = {
    "given_name", "family_name", "sex", "ethnicity_self", "ethnicity_officer", "nationality",
    "postcode", "nhs_number", "local_authority",
}  # fmt: skip
NOT_READ = {"dob", "age_recorded", "is_looked_after", "aliases", "record_key"}


@settings(max_examples=120, deadline=None)
@given(
    mapped=st.sets(st.sampled_from(sorted(READ | NOT_READ - {"record_key"}))),
    translations=st.dictionaries(
        st.one_of(
            st.sampled_from(sorted(READ | NOT_READ | {"sexx", "ethnicty_self", "gender"})),
            st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
        ),
        st.booleans(),  # whether the translation has an entry
        max_size=5,
    ),
)
def test_exactly_the_unread_translations_are_reported(
    mapped: set[str], translations: dict[str, bool]
) -> None:
    from gbo.ingest.mapping_files import check_mapping_meaning
    from gbo.schema.mapping import AgencyMapping

    columns = {"local_id": "URN", **{name: name.title() for name in mapped}}
    mapping = AgencyMapping.model_validate(
        {
            "agency": "care",
            "codes": {name: {"N/K": ""} if full else {} for name, full in translations.items()},
            "tables": [{"target": "person_record", "columns": columns}],
        }
    )
    reported = {p.split(":")[0] for p in check_mapping_meaning(mapping)}
    unread = {name for name, full in translations.items() if full and name not in mapped & READ}
    assert reported == {f"codes.{name}" for name in unread}
