"""Turning identity records into the standardised columns the linkage model compares.

Input: a table with the identity columns of :data:`gbo.schema.tables.IDENTITY` (any subset of
the optional ones). Output: one row per record with ``unique_id`` and the columns listed in
:data:`STANDARD_COLUMNS`. The result holds identifiers: it lives in memory only.

Names repeat far more than records do, so every name function runs once per distinct value
and the results are mapped back onto the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from gbo.duckdb_spill import spilling_connection
from gbo.link.dates import DateRules, standardise_dates_of_birth
from gbo.link.names import (
    family_name_parts,
    nickname_relations,
    phonetic_key,
    spelling_variants,
    split_given_names,
)
from gbo.schema.nhs_number import meaningful_nhs_digits

STANDARD_COLUMNS = (
    "unique_id",
    "agency",
    "given_name",
    "given_names_all",
    "given_middles",
    "given_nicknames",
    "given_dm",
    "family_name",
    "family_names_all",
    "family_dm",
    "family_keys",
    "dob_iso",
    "dob_swap",
    "dob_ym",
    "birth_year",
    "birth_year_min",
    "birth_year_max",
    "birth_decade",
    "dob_basis",
    "has_placeholder_dob",
    "sex",
    "postcode",
    "postcode_district",
    "address_key",
    "house",
    "street",
    "nhs_number",
)

_TEXT, _LIST, _YEAR = pa.string(), pa.list_(pa.string()), pa.int64()
STANDARD_SCHEMA = pa.schema(
    [
        pa.field(
            name,
            _LIST if name.endswith(("_all", "_nicknames", "_keys", "_middles")) else _TEXT,
        )
        for name in STANDARD_COLUMNS
    ]
)
for _name in ("birth_year", "birth_year_min", "birth_year_max", "birth_decade"):
    STANDARD_SCHEMA = STANDARD_SCHEMA.set(
        STANDARD_SCHEMA.get_field_index(_name), pa.field(_name, _YEAR)
    )
STANDARD_SCHEMA = STANDARD_SCHEMA.set(
    STANDARD_SCHEMA.get_field_index("has_placeholder_dob"),
    pa.field("has_placeholder_dob", pa.bool_()),
)
_SEX_CODES = {"F": "F", "M": "M", "O": "O", "FEMALE": "F", "MALE": "M"}


def _distinct_map(values: pd.Series, func: Any, cache: dict[Any, Any] | None = None) -> pd.Series:
    """Apply ``func`` once per distinct value of ``values`` (and of every slice that shares
    ``cache``) and map back."""
    filled = values.astype("object").where(values.notna(), None)
    # A plain dict, not pd.unique: pandas' hash table truncates strings at a NUL character.
    lookup = cache if cache is not None else {}
    for u in dict.fromkeys(filled.to_numpy()):
        if u not in lookup:
            lookup[u] = func(u)
    return pd.Series([lookup[v] for v in filled.to_numpy()], index=values.index, dtype="object")


def _alias_forms(aliases: Any) -> tuple[list[str], list[str]]:
    """Given-name and family-name forms of a record's aliases (full names)."""
    given: list[str] = []
    family: list[str] = []
    if aliases is None or (isinstance(aliases, float) and np.isnan(aliases)):
        return given, family
    for alias in aliases:
        tokens = split_given_names(alias)
        if not tokens:
            continue
        given.append(tokens[0])
        if len(tokens) > 1:
            whole, parts = family_name_parts(" ".join(tokens[1:]))
            family.extend([whole, *parts])
    return given, family


def _given_forms(key: str) -> tuple[str | None, list[str], list[str] | None]:
    """(first given name, every given-name form, middle names) of ``given<US>middle``."""
    given, _, middle = key.partition("\x1f")
    tokens, middles = split_given_names(given), split_given_names(middle)
    first = tokens[0] if tokens else (middles[0] if middles else "")
    rest = [m for m in [*tokens[1:], *middles] if m != first]
    return first or None, _with_variants([first, *tokens[1:], *middles]), rest or None


def _family_forms(raw: Any) -> tuple[str | None, list[str], str | None, list[str] | None]:
    """(whole family name, every form, its phonetic code, phonetic codes of every form)."""
    whole, parts = family_name_parts(raw if isinstance(raw, str) else None)
    forms = _with_variants([whole, *parts])
    keys = sorted({phonetic_key(n) for n in forms if n}) or None
    return whole or None, forms, phonetic_key(whole) or None, keys


def _with_variants(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
        for variant in spelling_variants(name):
            if variant not in out:
                out.append(variant)
    return out


_ADDRESS_SQL = r"""
with a as (
    select
        row_number() over () as row_no,
        upper(regexp_replace(coalesce(postcode, ''), '[^A-Za-z0-9]', '', 'g')) as pc,
        lower(strip_accents(coalesce(address, ''))) as addr,
        upper(regexp_replace(coalesce(postcode_district, ''), '[^A-Za-z0-9]', '', 'g')) as pd
    from addresses
), b as (
    select row_no, pd,
        case when length(pc) >= 4 then pc end as postcode,
        nullif(regexp_extract(addr, '\b([0-9]+[a-z]?)\b', 1), '') as house,
        nullif(trim(regexp_replace(regexp_replace(regexp_replace(
            addr, '[\s\-_/,;]+', ' ', 'g'), '[^a-z ]', '', 'g'), ' +', ' ', 'g')), '') as street
    from a
)
select
    postcode,
    coalesce(nullif(pd, ''),
             case when length(postcode) >= 5 then left(postcode, length(postcode) - 3) end)
        as postcode_district,
    case when postcode is not null then postcode || '|' || coalesce(house, left(street, 24), '')
         when street is not null then '|' || street end as address_key,
    house,
    street
from b order by row_no
"""


#: What the address query's database may hold before it spills (its result is a few columns).
ADDRESS_MEMORY_LIMIT = "2GB"


def standardise_addresses(df: pd.DataFrame) -> pd.DataFrame:
    """Postcode, district, address key, house number and street letters (in DuckDB).

    The postcode loses spaces and punctuation; the house number is the first number in the
    address; the street is the address's letters; the key is postcode + house number.
    """
    addresses = pa.table(
        {
            "postcode": pa.array(_column(df, "postcode").astype("object"), pa.string()),
            "address": pa.array(_column(df, "address").astype("object"), pa.string()),
            "postcode_district": pa.array(
                _column(df, "postcode_district").astype("object"), pa.string()
            ),
        }
    )
    con = spilling_connection(ADDRESS_MEMORY_LIMIT, "link-addresses")
    try:
        con.register("addresses", addresses)
        result: pd.DataFrame = con.sql(_ADDRESS_SQL).df()
        return result
    finally:
        con.close()


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype="object")


#: Records standardised at a time: every column is worked out record by record, so slices
#: give the same table, and only one slice's pandas working copy is held (at ten million
#: records the whole working copy took more than 15 GB).
SLICE_ROWS = 1_000_000


def standardise_identity(
    table: pa.Table | pd.DataFrame,
    *,
    id_column: str = "record_pid",
    rules: DateRules | None = None,
) -> pa.Table:
    """Standardised comparison columns for every identity record (see module docstring).

    Returned as Arrow, which holds a million records' name lists in a fraction of the memory
    pandas objects would take; the pandas working copy of each slice of :data:`SLICE_ROWS`
    records is freed as soon as the slice is done. The results of the name functions are
    shared between slices.
    """
    caches: dict[str, dict[Any, Any]] = {}
    n_rows = table.num_rows if isinstance(table, pa.Table) else len(table)
    slices = []
    for start in range(0, max(n_rows, 1), SLICE_ROWS):
        if isinstance(table, pa.Table):
            df = table.slice(start, SLICE_ROWS).to_pandas()
        else:
            df = table.iloc[start : start + SLICE_ROWS].reset_index(drop=True)
        slices.append(_standardise_slice(df, id_column, rules, caches))
        del df
    return pa.concat_tables(slices)


def _standardise_slice(
    df: pd.DataFrame,
    id_column: str,
    rules: DateRules | None,
    caches: dict[str, dict[Any, Any]],
) -> pa.Table:
    def cache(name: str) -> dict[Any, Any]:
        return caches.setdefault(name, {})

    out = pd.DataFrame({"unique_id": df[id_column].astype(str)})
    out["agency"] = _column(df, "agency").astype("object")

    given_key = _column(df, "given_name").fillna("").astype(str) + "\x1f"
    given_key = given_key + _column(df, "middle_names").fillna("").astype(str)
    given = _distinct_map(given_key, _given_forms, cache("given")).to_numpy()
    family = _distinct_map(_column(df, "family_name"), _family_forms, cache("family")).to_numpy()
    given_all: list[list[str]] = [g[1] for g in given]
    family_all: list[list[str]] = [f[1] for f in family]
    family_keys: list[list[str] | None] = [f[3] for f in family]
    aliases = _column(df, "aliases").to_numpy()
    for row, alias_list in enumerate(aliases):
        if alias_list is None or isinstance(alias_list, float) or len(alias_list) == 0:
            continue
        alias_given, alias_family = _alias_forms(alias_list)
        given_all[row] = _with_variants([*given_all[row], *alias_given])
        family_all[row] = _with_variants([*family_all[row], *alias_family])
        family_keys[row] = sorted({phonetic_key(n) for n in family_all[row] if n}) or None
    out["given_name"] = [g[0] for g in given]
    out["given_names_all"] = given_all
    out["given_middles"] = pd.Series([g[2] for g in given], index=out.index, dtype="object")
    out["family_name"] = [f[0] for f in family]
    out["family_names_all"] = family_all
    out["family_dm"] = [f[2] for f in family]
    out["family_keys"] = pd.Series(family_keys, index=out.index, dtype="object")
    out["given_nicknames"] = _distinct_map(
        out["given_name"], lambda n: list(nickname_relations(n or "")), cache("nicknames")
    )
    out["given_dm"] = _distinct_map(
        out["given_name"], lambda n: phonetic_key(n or "") or None, cache("given_dm")
    )

    dates = standardise_dates_of_birth(
        _column(df, "dob"),
        _column(df, "dob_precision"),
        _column(df, "age_recorded"),
        _column(df, "age_recorded_on"),
        rules,
    )
    for col in dates.columns:
        out[col] = dates[col].array
    year_key = dates["birth_year"].fillna(dates["birth_year_max"])
    out["birth_decade"] = (year_key // 10).astype("Int64")

    out["sex"] = _distinct_map(
        _column(df, "sex"), lambda s: _SEX_CODES.get(str(s).strip().upper()) if s else None
    )
    addresses = standardise_addresses(df)
    for col in addresses.columns:
        out[str(col)] = addresses[col].to_numpy()
    out["nhs_number"] = _distinct_map(_column(df, "nhs_number"), meaningful_nhs_digits)
    return pa.Table.from_pandas(
        out[list(STANDARD_COLUMNS)], schema=STANDARD_SCHEMA, preserve_index=False
    )
