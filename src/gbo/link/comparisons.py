"""The comparisons of gbo's linkage model, as Splink ``CustomComparison`` objects in SQL.

Six comparisons, each made of ordered levels (the first level whose condition holds is the
one a pair falls in):

* **forename** - names swapped with surname, exact with a middle name in common, exact with
  middle names that differ (both recorded), exact, any recorded form (middle names, aliases,
  transliteration variants) in common, a direct nickname relation (not transitive),
  Jaro-Winkler >= 0.92, same double-metaphone code, initial only, Jaro-Winkler >= 0.8, one
  name in the other's other place with the remaining names alike, one name in the other's
  other place, else;
* **surname** - swapped, exact, any form in common (hyphen parts, aliases, variants),
  Jaro-Winkler >= 0.92, same double-metaphone code, Jaro-Winkler >= 0.8, else;
* **dob** - exact, day and month swapped, same year and month where one date is partial,
  one keystroke apart, same year and month with another day, same year where one date is
  partial, same year, birth-year ranges within a year where one side is only an age, else;
* **sex** - same, different;
* **address** - ONE comparison for the changing address: same postcode, house and street,
  same postcode and house, same postcode, same house number on a similar street, same
  house number with one or two postcode characters keyed wrongly, same district,
  different. "Different" has a fixed m (people move), so it can lower a match weight a
  little but never make a near-certain non-match;
* **nhs_number** - exact, one or two digits differ, else (null for most police records).

Ethnicity and nationality never appear here or in blocking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect


@dataclass(frozen=True)
class SqlFunctions:
    """The SQL function names that differ between Splink backends."""

    jaro_winkler: str
    keystrokes: str  # (string, string) -> number of differing characters
    overlap: str  # (array, array) -> bool
    contains: str  # (array, element) -> bool
    size: str  # (array) -> number of elements

    @classmethod
    def for_dialect(cls, dialect: str) -> SqlFunctions:
        d = SplinkDialect.from_string(dialect)
        if dialect == "spark":
            overlap, contains = "arrays_overlap", "array_contains"
        else:
            overlap, contains = "list_has_any", "list_contains"
        # Hamming distance (differing characters at the same place): DuckDB has it, and on
        # Spark gbo's session defines it as a SQL function (gbo.link.spark_session).
        keystrokes = "hamming"
        size = "size" if dialect == "spark" else "len"
        return cls(d.jaro_winkler_function_name, keystrokes, overlap, contains, size)


Level = dict[str, Any]


def _level(sql: str, label: str, **extra: Any) -> Level:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


@dataclass(frozen=True)
class TermFrequency:
    """How far the frequency of a name moves the weight of an exact match (Splink's own
    ``tf_adjustment_weight`` and ``tf_minimum_u_value``).

    A weight of 1 applies the full adjustment: an exact match on a name one record in fifty
    carries is worth log2(m / 0.02), so "William Smith" at a new address can fall below the
    threshold while "Zoltan Nagy" never does, and missed links pile up in the groups with
    the commonest names. A weight below 1 keeps part of the adjustment; ``minimum_u`` caps
    what a very rare name (often a typing slip that made a unique string) can add.
    """

    weight: float = 1.0
    minimum_u: float = 0.0


def _tf(column: str, tf: TermFrequency) -> dict[str, Any]:
    """Term-frequency adjustment: an exact match on a rare name counts for more (bounded)."""
    out: dict[str, Any] = {"tf_adjustment_column": column, "tf_adjustment_weight": tf.weight}
    if tf.minimum_u > 0:
        out["tf_minimum_u_value"] = tf.minimum_u
    return out


def _null(col: str) -> Level:
    return _level(f'"{col}_l" IS NULL OR "{col}_r" IS NULL', "null", is_null_level=True)


ELSE = _level("ELSE", "else")
# m = u for a level that carries no evidence. Small, so that the m and u values of the
# comparison's other levels (which sum to 1 with it) are barely changed by it.
NEUTRAL = 1e-4
_CROSSED_SQL = '"given_name_l" = "family_name_r" OR "family_name_l" = "given_name_r"'
CROSSED = _level(_CROSSED_SQL, "equals the other's other name")
# The same fact seen from the surname side: neutral there, so one shared name (in swapped
# positions) is counted once, under forename, not twice.
CROSSED_NEUTRAL = _level(
    _CROSSED_SQL,
    "equals the other's other name (scored under forename)",
    m_probability=NEUTRAL,
    u_probability=NEUTRAL,
    fix_m_probability=True,
    fix_u_probability=True,
)


def _swapped(f: SqlFunctions) -> str:
    """Forename and surname recorded the other way round (a keying slip allowed in each)."""
    return (
        # The cheap first-letter test spares the string metrics on most non-matching pairs.
        '(substr("given_name_l", 1, 1) = substr("family_name_r", 1, 1) '
        'OR substr("family_name_l", 1, 1) = substr("given_name_r", 1, 1)) '
        f'AND {f.jaro_winkler}("given_name_l", "family_name_r") >= 0.88 '
        f'AND {f.jaro_winkler}("family_name_l", "given_name_r") >= 0.88 '
        'AND "given_name_l" <> "given_name_r"'
    )


NEAR_SWAP_LABEL = "equals the other's other name, the other names similar"


def _near_swap(f: SqlFunctions) -> str:
    """One name in the other's other place, the two remaining names alike (Jaro-Winkler at
    least 0.8): a name-order slip together with a typing slip or a short form, which the
    swapped level (0.88 both ways) misses. Twins with a name-order slip fall in "equals the
    other's other name" below, because their forenames are unrelated."""
    return (
        f'("given_name_l" = "family_name_r" '
        f'AND {f.jaro_winkler}("family_name_l", "given_name_r") >= 0.8) '
        f'OR ("family_name_l" = "given_name_r" '
        f'AND {f.jaro_winkler}("given_name_l", "family_name_r") >= 0.8)'
    )


def _any_in_common(f: SqlFunctions, column: str) -> str:
    """Any element shared; single-form lists were already compared by the exact level."""
    return (
        f'({f.size}("{column}_l") > 1 OR {f.size}("{column}_r") > 1) '
        f'AND {f.overlap}("{column}_l", "{column}_r")'
    )


def forename_comparison(f: SqlFunctions, tf: TermFrequency) -> cl.CustomComparison:
    jw = f'{f.jaro_winkler}("given_name_l", "given_name_r")'
    levels: list[ComparisonLevelCreator | Level] = [
        _null("given_name"),
        _level(_swapped(f), "swapped with surname"),
        # Middle names, when both records state them, confirm or contradict an exact forename.
        _level(
            '"given_name_l" = "given_name_r" '
            f'AND {f.overlap}("given_middles_l", "given_middles_r")',
            "exact, a middle name agrees",
            **_tf("given_name", tf),
        ),
        _level(
            '"given_name_l" = "given_name_r" AND "given_middles_l" IS NOT NULL '
            'AND "given_middles_r" IS NOT NULL',
            "exact, middle names differ",
            **_tf("given_name", tf),
        ),
        _level('"given_name_l" = "given_name_r"', "exact", **_tf("given_name", tf)),
        _level(_any_in_common(f, "given_names_all"), "any form in common"),
        _level(
            f'{f.contains}("given_nicknames_l", "given_name_r") '
            f'OR {f.contains}("given_nicknames_r", "given_name_l")',
            "nickname",
        ),
        _level(f"{jw} >= 0.92", "jaro-winkler >= 0.92"),
        _level('"given_dm_l" = "given_dm_r"', "same phonetic code"),
        _level(
            '(length("given_name_l") = 1 OR length("given_name_r") = 1) '
            'AND substr("given_name_l", 1, 1) = substr("given_name_r", 1, 1)',
            "initial",
        ),
        _level(f"{jw} >= 0.8", "jaro-winkler >= 0.8"),
        _level(_near_swap(f), NEAR_SWAP_LABEL),
        CROSSED,
        ELSE,
    ]
    return cl.CustomComparison(levels, output_column_name="forename")


def surname_comparison(f: SqlFunctions, tf: TermFrequency) -> cl.CustomComparison:
    jw = f'{f.jaro_winkler}("family_name_l", "family_name_r")'
    levels: list[ComparisonLevelCreator | Level] = [
        _null("family_name"),
        # Scored once, under forename; neutral here so a swap is not counted twice.
        _level(
            _swapped(f),
            "swapped with forename (scored under forename)",
            m_probability=NEUTRAL,
            u_probability=NEUTRAL,
            fix_m_probability=True,
            fix_u_probability=True,
        ),
        _level('"family_name_l" = "family_name_r"', "exact", **_tf("family_name", tf)),
        _level(_any_in_common(f, "family_names_all"), "any form in common"),
        _level(f"{jw} >= 0.92", "jaro-winkler >= 0.92"),
        _level('"family_dm_l" = "family_dm_r"', "same phonetic code"),
        _level(f"{jw} >= 0.8", "jaro-winkler >= 0.8"),
        CROSSED_NEUTRAL,
        ELSE,
    ]
    return cl.CustomComparison(levels, output_column_name="surname")


def dob_comparison(f: SqlFunctions) -> cl.CustomComparison:
    levels: list[ComparisonLevelCreator | Level] = [
        _level(
            '"birth_year_min_l" IS NULL OR "birth_year_min_r" IS NULL', "null", is_null_level=True
        ),
        _level('"dob_iso_l" = "dob_iso_r"', "exact"),
        _level('"dob_iso_l" = "dob_swap_r"', "day and month swapped"),
        _level(
            '("dob_iso_l" IS NULL OR "dob_iso_r" IS NULL) AND "dob_ym_l" = "dob_ym_r"',
            "same year and month (a partial date)",
        ),
        _level(f'{f.keystrokes}("dob_iso_l", "dob_iso_r") <= 1', "one keystroke apart"),
        # Two full dates in one month whose days differ by more than a keystroke: weaker
        # than a partial date that agrees as far as it goes (siblings born close together).
        _level('"dob_ym_l" = "dob_ym_r"', "same year and month, another day"),
        _level(
            '("dob_iso_l" IS NULL OR "dob_iso_r" IS NULL) AND "birth_year_l" = "birth_year_r"',
            "same year (a partial date)",
        ),
        _level('"birth_year_l" = "birth_year_r"', "same year"),
        # Only where a side knows its birth year from an age, not a date: two recorded
        # dates a year apart are two people (siblings), not one.
        _level(
            '("birth_year_l" IS NULL OR "birth_year_r" IS NULL) '
            'AND "birth_year_min_l" <= "birth_year_max_r" + 1 '
            'AND "birth_year_min_r" <= "birth_year_max_l" + 1',
            "birth years within a year (an age)",
        ),
        ELSE,
    ]
    return cl.CustomComparison(levels, output_column_name="dob")


def sex_comparison() -> cl.CustomComparison:
    levels: list[ComparisonLevelCreator | Level] = [
        _null("sex"),
        _level('"sex_l" = "sex_r"', "same"),
        _level("ELSE", "different"),
    ]
    return cl.CustomComparison(levels, output_column_name="sex")


def address_comparison(f: SqlFunctions, moved_m: float) -> cl.CustomComparison:
    levels: list[ComparisonLevelCreator | Level] = [
        _level(
            '("address_key_l" IS NULL AND "postcode_district_l" IS NULL) '
            'OR ("address_key_r" IS NULL AND "postcode_district_r" IS NULL)',
            "null",
            is_null_level=True,
        ),
        _level(
            '"address_key_l" = "address_key_r" AND "street_l" = "street_r"',
            "same postcode, house and street",
        ),
        _level('"address_key_l" = "address_key_r"', "same postcode and house"),
        _level('"postcode_l" = "postcode_r"', "same postcode"),
        _level(
            f'"house_l" = "house_r" AND {f.jaro_winkler}("street_l", "street_r") >= 0.9',
            "same house number, similar street",
        ),
        # The same house with a postcode keyed wrongly: one or two characters differ,
        # two swapped among them (3728 / 3782). Hamming distance, not an edit distance: it
        # is cheap enough for every scored pair.
        _level(
            '"house_l" = "house_r" AND length("postcode_l") = length("postcode_r") '
            f'AND {f.keystrokes}("postcode_l", "postcode_r") <= 2',
            "same house number, postcode slip",
        ),
        _level('"postcode_district_l" = "postcode_district_r"', "same district"),
        _level("ELSE", "different (moved)", m_probability=moved_m, fix_m_probability=True),
    ]
    return cl.CustomComparison(levels, output_column_name="address")


def nhs_number_comparison(f: SqlFunctions) -> cl.CustomComparison:
    levels: list[ComparisonLevelCreator | Level] = [
        _null("nhs_number"),
        _level('"nhs_number_l" = "nhs_number_r"', "exact"),
        _level(
            f'length("nhs_number_l") = length("nhs_number_r") '
            f'AND {f.keystrokes}("nhs_number_l", "nhs_number_r") <= 2',
            "one or two digits differ",
        ),
        ELSE,
    ]
    return cl.CustomComparison(levels, output_column_name="nhs_number")


def build_comparisons(
    dialect: str, moved_m: float, tf: TermFrequency | None = None
) -> list[ComparisonCreator | Level]:
    """The six comparisons of the model, in the SQL of the given Splink dialect."""
    f = SqlFunctions.for_dialect(dialect)
    tf = tf or TermFrequency()
    return [
        forename_comparison(f, tf),
        surname_comparison(f, tf),
        dob_comparison(f),
        sex_comparison(),
        address_comparison(f, moved_m),
        nhs_number_comparison(f),
    ]
