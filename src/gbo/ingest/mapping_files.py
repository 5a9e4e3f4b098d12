"""Loading mapping files (TOML or YAML) into :class:`AgencyMapping`, all problems at once.

Pydantic checks the shape of the file; :func:`check_mapping_meaning` then checks what the
shape cannot: that canonical columns exist in their table, that code translations name real
gbo codes and are each read by a mapped column (a misspelt ``[codes.*]`` section would
otherwise be ignored without a word), that every key column is mapped and that date formats
are usable. Every problem is collected and raised together as one :class:`MappingError`
naming the mapping file.
"""

from __future__ import annotations

import codecs
import difflib
import json
import tomllib
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import ValidationError

from gbo.errors import MappingError
from gbo.ingest.canonical_columns import (
    PROVENANCE_COLUMNS,
    REQUIRED_SOURCES,
    code_list_for,
    column_kind,
    is_list_column,
    mappable_columns,
    reads_translation,
)
from gbo.ingest.code_hints import unknown_code_hint
from gbo.ingest.date_formats import check_date_format
from gbo.schema import codes
from gbo.schema.mapping import (
    NAME_PART_COLUMNS,
    AgencyMapping,
    FieldSource,
    NameOrder,
    TableMapping,
)
from gbo.schema.tables import CANONICAL_TABLES


def mapping_json_schema() -> dict[str, Any]:
    """The JSON Schema of the mapping file format, for editors."""
    schema = AgencyMapping.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gbo agency mapping file"
    # The codes each translation may produce, so that an editor completes and checks them.
    code_tables: dict[str, Any] = {}
    for column in [*sorted(codes.CODE_LISTS), "nationality"]:
        valid = sorted(
            codes.nationalities() if column == "nationality" else codes.CODE_LISTS[column]
        )
        code_tables[column] = {
            "type": "object",
            "description": f'Agency value -> gbo {column} code (docs/codes.md); "" or null '
            "for not recorded.",
            "additionalProperties": {"anyOf": [{"enum": [*valid, ""]}, {"type": "null"}]},
        }
    schema["properties"]["codes"]["properties"] = code_tables
    return schema


def read_mapping_data(path: Path) -> dict[str, Any]:
    """Parse a TOML or YAML mapping file into plain data."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MappingError("mapping file not found", hint="check the path", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping file cannot be read: {exc}", path=path) from exc
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(text)
        else:
            raise MappingError(
                f"unknown mapping file type {suffix!r}",
                hint="name it .toml, .yaml or .yml",
                path=path,
            )
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"not valid TOML: {exc}", path=path) from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"not valid YAML: {exc}", path=path) from exc
    if not isinstance(data, dict):
        raise MappingError("a mapping file must hold a table of settings", path=path)
    return data


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_mapping(path: Path) -> AgencyMapping:
    """Read, validate and check a mapping file; every problem is reported together."""
    data = read_mapping_data(path)
    try:
        mapping = AgencyMapping.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {_where(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise MappingError(
            f"invalid mapping file ({len(lines)} problems):\n" + "\n".join(lines),
            hint="see docs/mapping-files.md, or `gbo mapping schema` for the format",
            path=path,
        ) from exc
    problems = check_mapping_meaning(mapping)
    if problems:
        raise MappingError(
            f"invalid mapping file ({len(problems)} problems):\n"
            + "\n".join(f"  {p}" for p in problems),
            hint="see docs/mapping-files.md",
            path=path,
        )
    return mapping


def field_source(spec: str | FieldSource) -> FieldSource:
    """A column mapping as a :class:`FieldSource` (a bare string names a source column)."""
    return FieldSource(column=spec) if isinstance(spec, str) else spec


def translation_name(canonical: str, source: FieldSource) -> str:
    return source.codes or canonical


def check_mapping_meaning(mapping: AgencyMapping) -> list[str]:
    """Problems that the file's shape cannot show, as lines naming where they are."""
    problems: list[str] = []
    if len(mapping.delimiter) != 1:
        problems.append("delimiter: must be one character")
    if mapping.encoding != "auto":
        try:
            codecs.lookup(mapping.encoding)
        except LookupError:
            problems.append(f"encoding: unknown text encoding {mapping.encoding!r}")
    for i, fmt in enumerate(mapping.date_formats):
        problems += [f"date_formats.{i}: {p}" for p in check_date_format(fmt, partial=False)]
    for i, fmt in enumerate(mapping.partial_date_formats):
        problems += [f"partial_date_formats.{i}: {p}" for p in check_date_format(fmt, partial=True)]
    used_translations: set[str] = set()
    for i, table in enumerate(mapping.tables):
        problems += _check_table(mapping, table, f"tables.{i}", used_translations)
    problems += _check_translations(mapping)
    problems += _check_unused_translations(mapping, used_translations)
    return problems


def _check_table(
    mapping: AgencyMapping, table: TableMapping, where: str, used: set[str]
) -> list[str]:
    problems: list[str] = []
    spec = CANONICAL_TABLES[table.target]
    allowed = set(mappable_columns(table.target))
    for canonical, raw in table.columns.items():
        here = f"{where}.columns.{canonical}"
        if canonical not in allowed:
            problems.append(
                f"{here}: {table.target} has no column {canonical!r}; "
                f"its columns are {', '.join(sorted(allowed))}"
            )
            continue
        source = field_source(raw)
        if (source.column is None) == (source.value is None):
            problems.append(f"{here}: give exactly one of column or value")
        if (
            source.codes is not None
            and source.codes not in mapping.codes
            and source.codes not in mapping.crosswalks
        ):
            problems.append(f"{here}: codes names {source.codes!r}, which is not in [codes]")
        if source.split is not None and not is_list_column(table.target, canonical):
            problems.append(f"{here}: split is only for list columns (aliases, methods)")
        problems += _check_name_part(canonical, source, here)
        if reads_translation(table.target, canonical):
            used.add(translation_name(canonical, source))
        elif source.codes is not None:
            used.add(source.codes)  # reported here, not again as an unused translation
            problems.append(f"{here}: codes does not apply: {_reads_none(table.target, canonical)}")
        if source.value is not None:
            problems += _check_constant(table.target, canonical, source.value, here, mapping)
    problems += _check_name_orders(table, where)
    mapped = set(table.columns)
    if table.flags is not None:
        target = table.flags.target_column
        if target not in spec.column_names or target in PROVENANCE_COLUMNS:
            problems.append(f"{where}.flags.target_column: {table.target} has no column {target!r}")
        else:
            mapped.add(target)
            known = code_list_for(table.target, target, mapping)
            for column, code in table.flags.columns.items():
                if known is not None and code not in known:
                    problems.append(
                        f"{where}.flags.columns.{column}: {code!r} is not a gbo code for "
                        f"{target}; {unknown_code_hint(code, target, known)}"
                    )
    for needed in REQUIRED_SOURCES[table.target]:
        if not any(name in mapped for name in needed):
            problems.append(
                f"{where}: {table.target} needs a column for {' or '.join(needed)}, "
                "which is not mapped"
            )
    for name in table.skip_if_blank:
        if name not in mapped:
            problems.append(f"{where}.skip_if_blank: {name!r} is not a mapped column")
    return problems


def _check_name_part(canonical: str, source: FieldSource, here: str) -> list[str]:
    """``name_part`` and ``name_order``: both or neither, from a column, into the name column
    of that part, and not with options for other kinds of column."""
    if source.name_part is None and source.name_order is None:
        return []
    if source.name_part is None or source.name_order is None:
        return [
            f"{here}: name_part and name_order go together: name_part is the part of the "
            f"whole name to take ({' or '.join(NAME_PART_COLUMNS)}), name_order how the "
            f"column writes names ({', '.join(get_args(NameOrder))})"
        ]
    problems: list[str] = []
    expected = NAME_PART_COLUMNS[source.name_part]
    if canonical != expected:
        wanted = {c: p for p, c in NAME_PART_COLUMNS.items()}
        problems.append(
            f"{here}: name_part = {source.name_part!r} goes into {expected}, not {canonical}"
            + (f"; use name_part = {wanted[canonical]!r}" if canonical in wanted else "")
        )
    if source.column is None:
        problems.append(f"{here}: name_part splits a source column: give column, not value")
    for option in ("codes", "split"):
        if getattr(source, option) is not None:
            problems.append(f"{here}: name_part cannot be combined with {option}")
    return problems


def _check_name_orders(table: TableMapping, where: str) -> list[str]:
    """Columns that split the same source column must read its names in the same order."""
    orders: dict[str, dict[str, str]] = {}
    for canonical, raw in table.columns.items():
        source = field_source(raw)
        if source.column is not None and source.name_part and source.name_order:
            orders.setdefault(source.column, {})[canonical] = source.name_order
    return [
        f"{where}.columns: {' and '.join(sorted(found))} split the source column {column!r} "
        f"with different name_order values ({', '.join(sorted(set(found.values())))}); "
        "give both the order the column writes names in"
        for column, found in orders.items()
        if len(set(found.values())) > 1
    ]


def _check_constant(
    target: str, canonical: str, value: str, where: str, mapping: AgencyMapping
) -> list[str]:
    known = code_list_for(target, canonical, mapping)
    if known is None or value in known:
        return []
    translation = mapping.codes.get(canonical, {})
    if value.strip().upper() in {k.strip().upper() for k in translation}:
        return []
    return [
        f"{where}: value {value!r} is not a gbo code for {canonical}; "
        f"{unknown_code_hint(value, canonical, known)}"
    ]


def _check_translations(mapping: AgencyMapping) -> list[str]:
    problems: list[str] = []
    for name, translation in mapping.codes.items():
        target = _column_of_translation(mapping, name)
        if target is None:
            continue
        known = code_list_for(target[0], target[1], mapping)
        if known is None:
            continue
        for agency_value, code in translation.items():
            if code and code not in known:
                problems.append(
                    f"codes.{name}.{json.dumps(agency_value)}: {code!r} is not a gbo code "
                    f"for {target[1]}; {unknown_code_hint(code, target[1], known)}"
                )
    return problems


def _column_of_translation(mapping: AgencyMapping, name: str) -> tuple[str, str] | None:
    """The (table, column) a named translation is used for, if it is used."""
    for table in mapping.tables:
        for canonical, raw in table.columns.items():
            if translation_name(canonical, field_source(raw)) == name:
                return table.target, canonical
    for spec in CANONICAL_TABLES.values():
        if name in spec.column_names:
            return spec.name, name
    return None


_KIND_NAMES = {
    "key": "an id or key",
    "date": "a date",
    "bool": "a yes/no",
    "int": "a number",
    "list": "a list",
    "text": "a text",
}


def _reads_none(table: str, column: str) -> str:
    """Why a column reads no translation (and, for a yes/no column, what it reads)."""
    kind = column_kind(table, column)
    text = f"{column} is {_KIND_NAMES.get(kind, 'a')} column, which reads no translation"
    if kind == "bool":
        text += " (its yes values are the column's `truthy`: y, yes, true, 1 unless set)"
    return text


def _canonical_columns(mapping: AgencyMapping) -> dict[str, str]:
    """Every column a mapping may fill, with a table that has it (a mapped table first)."""
    found: dict[str, str] = {}
    targets = [t.target for t in mapping.tables]
    for table in [*targets, *(t for t in CANONICAL_TABLES if t not in targets)]:
        for column in mappable_columns(table):
            found.setdefault(column, table)
    return found


def _check_unused_translations(mapping: AgencyMapping, used: set[str]) -> list[str]:
    """A translation (``[codes.*]``, or a crosswalk) that no mapped column reads is a mistake:
    a misspelt name, a column left unmapped, or a column that reads no translation. It would
    otherwise be ignored without a word, like a misspelt setting, which is an error too."""
    problems: list[str] = []
    canonical = _canonical_columns(mapping)
    readers = {c for c, table in canonical.items() if reads_translation(table, c)}
    mapped = {
        column: field_source(raw).codes
        for table in mapping.tables
        for column, raw in table.columns.items()
        if column in canonical
    }
    flagged = {t.flags.target_column for t in mapping.tables if t.flags is not None}
    # An empty [codes.*] table translates nothing, so nothing is lost by it (a draft leaves
    # one for each coded column whose values all need a decision).
    translations = [name for name, values in mapping.codes.items() if values]
    for section, names in (("codes", translations), ("crosswalks", [*mapping.crosswalks])):
        for name in names:
            if name in used:
                continue
            here = f"{section}.{name}"
            unused = f"{here}: no mapped column reads this " + (
                "translation" if section == "codes" else "crosswalk"
            )
            if name in canonical and name not in readers:
                problems.append(f"{here}: {_reads_none(canonical[name], name)}; remove {here}")
            elif name in mapped:
                problems.append(
                    f"{unused}: the mapped {name} column reads codes.{mapped[name]} "
                    f"(its codes option); move these entries there, or remove {here}"
                )
            elif name in flagged:
                problems.append(
                    f"{unused}: flags write their {name} codes themselves; remove {here}"
                )
            elif name in canonical:
                problems.append(
                    f"{unused}: {name} is not mapped; map it among the columns of the "
                    f"{canonical[name]} table, or remove {here}"
                )
            else:
                close = difflib.get_close_matches(name, sorted(used | readers), n=1)
                problems.append(
                    f"{unused}; did you mean {close[0]!r}?"
                    if close
                    else f"{unused}: a translation is read by the mapped column of its name, "
                    "or by a column whose codes option names it"
                )
    return problems
