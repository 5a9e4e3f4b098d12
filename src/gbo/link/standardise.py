"""Turning identity records into the standardised columns the linkage model compares.

Input: a table with the identity columns of :data:`gbo.schema.tables.IDENTITY` (any subset of
the optional ones). Output: one row per record with ``unique_id`` and the columns listed in
:data:`STANDARD_COLUMNS`. The result holds identifiers: it lives in memory only.

Names repeat far more than records do, so every name function runs once per distinct value
and the results are mapped back onto the records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from gbo.link.dates import DateRules, standardise_dates_of_birth
from gbo.link.names import (
    family_name_parts,
    fold_name,
    nickname_relations,
    phonetic_key,
    spelling_variants,
    split_given_names,
)

STANDARD_COLUMNS = (
    "unique_id",
    "agency",
    "given_name",
    "given_names_all",
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
)

_POSTCODE_JUNK = re.compile(r"[^A-Z0-9]")
_HOUSE_NUMBER = re.compile(r"\b(\d+[a-z]?)\b")
_SEX_CODES = {"F": "F", "M": "M", "O": "O", "FEMALE": "F", "MALE": "M"}


def _distinct_map(values: pd.Series, func: Any) -> pd.Series:
    """Apply ``func`` once per distinct value of ``values`` and map back."""
    filled = values.astype("object").where(values.notna(), None)
    uniques = pd.unique(filled.to_numpy())
    lookup = {u: func(u) for u in uniques}
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


def _with_variants(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
        for variant in spelling_variants(name):
            if variant not in out:
                out.append(variant)
    return out


def normalise_postcode(value: Any) -> str | None:
    """Upper-case postcode without spaces; ``None`` when empty or shorter than 4 characters."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = _POSTCODE_JUNK.sub("", str(value).upper())
    return text if len(text) >= 4 else None


def _address_parts(postcode: str | None, address: Any) -> tuple[str | None, ...]:
    """(address key, house number, street letters) of one address."""
    if not isinstance(address, str) or not address.strip():
        return (f"{postcode}|" if postcode else None), None, None
    folded = fold_name(address) or None
    number_match = _HOUSE_NUMBER.search(address.lower())
    house = number_match.group(1) if number_match else None
    place = house or (folded or "")[:24]
    if postcode:
        return f"{postcode}|{place}", house, folded
    return (f"|{folded}" if folded else None), house, folded


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype="object")


def standardise_identity(
    table: pa.Table | pd.DataFrame,
    *,
    id_column: str = "record_pid",
    rules: DateRules | None = None,
) -> pd.DataFrame:
    """Standardised comparison columns for every identity record (see module docstring)."""
    df = table.to_pandas() if isinstance(table, pa.Table) else table.reset_index(drop=True)
    out = pd.DataFrame({"unique_id": df[id_column].astype(str)})
    out["agency"] = _column(df, "agency").astype("object")

    given_tokens = _distinct_map(_column(df, "given_name"), split_given_names)
    middle_tokens = _distinct_map(_column(df, "middle_names"), split_given_names)
    family = _distinct_map(_column(df, "family_name"), family_name_parts)
    aliases = _column(df, "aliases").to_numpy()

    first_names: list[str | None] = []
    given_all: list[list[str]] = []
    family_whole: list[str | None] = []
    family_all: list[list[str]] = []
    for tokens, middle, (whole, parts), alias_list in zip(
        given_tokens.to_numpy(), middle_tokens.to_numpy(), family.to_numpy(), aliases, strict=True
    ):
        first = tokens[0] if tokens else (middle[0] if middle else "")
        first_names.append(first or None)
        family_whole.append(whole or None)
        if alias_list is None or len(alias_list) == 0:
            given_all.append(_with_variants([first, *tokens[1:], *middle]))
            family_all.append(_with_variants([whole, *parts]))
            continue
        alias_given, alias_family = _alias_forms(alias_list)
        given_all.append(_with_variants([first, *tokens[1:], *middle, *alias_given]))
        family_all.append(_with_variants([whole, *parts, *alias_family]))

    out["given_name"] = first_names
    out["given_names_all"] = given_all
    out["given_nicknames"] = _distinct_map(
        out["given_name"], lambda n: list(nickname_relations(n or ""))
    )
    out["given_dm"] = _distinct_map(out["given_name"], lambda n: phonetic_key(n or "") or None)
    out["family_name"] = family_whole
    out["family_names_all"] = family_all
    out["family_dm"] = _distinct_map(out["family_name"], lambda n: phonetic_key(n or "") or None)
    out["family_keys"] = pd.Series(
        [sorted({phonetic_key(n) for n in names if n}) or None for names in family_all],
        dtype="object",
    )

    dates = standardise_dates_of_birth(
        _column(df, "dob"),
        _column(df, "dob_precision"),
        _column(df, "age_recorded"),
        _column(df, "age_recorded_on"),
        rules,
    )
    for col in dates.columns:
        out[col] = dates[col].to_numpy()
    year_key = dates["birth_year"].fillna(dates["birth_year_max"])
    out["birth_decade"] = (year_key // 10).astype("Int64")

    out["sex"] = _distinct_map(
        _column(df, "sex"), lambda s: _SEX_CODES.get(str(s).strip().upper()) if s else None
    )
    postcode = _distinct_map(_column(df, "postcode"), normalise_postcode)
    out["postcode"] = postcode
    district = _column(df, "postcode_district").astype("object")
    derived = postcode.map(lambda p: p[:-3] if isinstance(p, str) else None)
    out["postcode_district"] = district.where(district.notna(), derived).map(
        lambda d: _POSTCODE_JUNK.sub("", str(d).upper()) or None if d is not None else None
    )
    parts = [
        _address_parts(p, a)
        for p, a in zip(postcode.to_numpy(), _column(df, "address"), strict=True)
    ]
    out["address_key"] = [p[0] for p in parts]
    out["house"] = [p[1] for p in parts]
    out["street"] = [p[2] for p in parts]
    return out[list(STANDARD_COLUMNS)]
