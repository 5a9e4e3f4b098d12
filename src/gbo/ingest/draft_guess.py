"""Guesses for a drafted mapping: the header row, each column's field, date formats, codes.

Every guess is a starting point for a person to review, never a silent decision: the
drafted mapping says in comments what was guessed and what could not be placed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from gbo.ingest.code_hints import closest_codes
from gbo.ingest.crosswalks import crosswalk_entry, translate_ho_code
from gbo.ingest.date_formats import format_precision, format_shape
from gbo.ingest.ho_subclass import parse_ho_subclass
from gbo.schema import codes

# (table, canonical column) -> header words that suggest it, most specific first. A header
# matches when, lower-cased with punctuation as spaces, it equals or contains a pattern.
FIELD_PATTERNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("person_record", "nhs_number", ("nhs number", "nhs no", "nhs")),
    ("person_record", "dob", ("date of birth", "dob", "birth date", "born", "d o b")),
    ("person_record", "given_name", ("forename", "first name", "given name", "firstname")),
    ("person_record", "middle_names", ("middle name", "middle names")),
    ("person_record", "family_name", ("surname", "last name", "family name", "lastname")),
    ("person_record", "aliases", ("alias", "aka", "also known as")),
    ("person_record", "ethnicity_officer", ("officer defined", "ic code", "ic ethnicity")),
    ("person_record", "ethnicity_self", ("self defined ethnicity", "ethnicity", "sde")),
    ("person_record", "sex", ("sex", "gender")),
    ("person_record", "nationality", ("nationality",)),
    ("person_record", "postcode", ("postcode", "post code")),
    ("person_record", "address", ("address",)),
    ("person_record", "age_recorded", ("age",)),
    (
        "person_record",
        "local_id",
        (
            "person id",
            "person ref",
            "nominal",
            "child ref",
            "child id",
            "client id",
            "urn",
            "subject id",
            "person",
            "local id",
        ),
    ),  # fmt: skip
    (
        "offence",
        "ho_offence_code",
        ("ho offence", "home office", "ho code", "ho class", "offence code", "offence class"),
    ),
    ("offence", "crime_ref", ("crime ref", "crime number", "crime no", "crn", "occurrence")),
    (
        "offence",
        "first_date",
        ("committed from", "date from", "offence date", "first date", "start date", "from date"),
    ),  # fmt: skip
    ("offence", "last_date", ("committed to", "date to", "last date", "end date", "to date")),
    ("offence", "outcome_code", ("outcome",)),
    ("offence", "location_type", ("location type", "location")),
    ("offence", "is_cse_flagged", ("cse flag", "cse")),
    ("involvement", "role", ("role", "involvement")),
    ("event", "event_date", ("contact date", "event date", "referral date")),
    ("event", "event_type", ("contact type", "event type", "contact", "event")),
]
CODE_FIELDS = {
    "sex",
    "ethnicity_self",
    "ethnicity_officer",
    "ho_offence_code",
    "outcome_code",
    "location_type",
    "role",
    "event_type",
}
# Values that mean "not recorded" in most exports.
NULL_LIKE = {"", "unknown", "not known", "n/k", "nk", "not stated", "not recorded", "u"}
DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%d %B %Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%m/%Y",
    "%b %Y",
    "%b-%y",
    "%Y",
)


def words(text: str) -> str:
    """Lower-case words of a header: ``PersonID`` and ``HOCode`` are ``person id``, ``ho code``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", spaced.lower()).split())


def guess_field(header: str, taken: set[tuple[str, str]]) -> tuple[str, str] | None:
    """The (table, canonical column) a header most likely holds, not already taken."""
    name = words(header)
    for table, column, patterns in FIELD_PATTERNS:
        if (table, column) in taken:
            continue
        for pattern in patterns:
            if name == pattern or re.search(rf"\b{re.escape(pattern)}\b", name):
                return table, column
    return None


#: Headers of a column holding whole names ("GARSIDE, Jack"): split with name_part.
WHOLE_NAME_HEADERS = frozenset(
    {"name", "full name", "person name", "nominal name", "subject name", "client name",
     "child name", "names"}
)  # fmt: skip


def is_whole_name_header(header: str) -> bool:
    return words(header) in WHOLE_NAME_HEADERS


def guess_name_order(values: list[str]) -> str:
    """How a column of whole names writes them: family_comma_given when most hold a comma;
    family_given when most begin with a word in capitals followed by one that is not
    (GARSIDE Jack); else given_family."""
    if not values:
        return "family_comma_given"
    if sum("," in v for v in values) * 2 >= len(values):
        return "family_comma_given"

    def family_first(value: str) -> bool:
        tokens = value.split()
        return len(tokens) > 1 and tokens[0].isupper() and not tokens[-1].isupper()

    return "family_given" if sum(map(family_first, values)) * 2 > len(values) else "given_family"


OFFENCE_CODE = ("offence", "ho_offence_code")
SAMPLE_VALUES = 200  # distinct values looked at to tell an offence code column


def looks_like_ho_codes(values: list[str]) -> bool:
    """Most distinct values are Home Office offence codes (letter codes, class/subclass
    numbers or their descriptions), whatever the header says."""
    distinct = set(list(dict.fromkeys(values))[:SAMPLE_VALUES])
    if not distinct:
        return False
    known = sum(
        1 for v in distinct if parse_ho_subclass(v) is not None or crosswalk_entry(v) is not None
    )
    return known >= 0.8 * len(distinct)


def looks_like_header(cells: list[str], width: int) -> bool:
    """A row that names the columns: nearly full, distinct, and mostly not numbers or dates."""
    filled = [c.strip() for c in cells if c and c.strip()]
    if width == 0 or len(filled) < max(2, 0.8 * width) or len(set(filled)) < len(filled):
        return False
    data_like = sum(1 for c in filled if re.fullmatch(r"[\d\s/.:-]+", c))
    return data_like <= len(filled) // 4


def find_header_row(rows: list[list[str]]) -> int:
    """The 1-based row of the header among the first rows of a file (1 if unsure)."""
    counts = Counter(
        sum(1 for c in r if c and c.strip()) for r in rows if any(c.strip() for c in r)
    )
    if not counts:
        return 1
    width = max(counts)
    for index, row in enumerate(rows):
        if looks_like_header(row, width):
            return index + 1
    return 1


def _matches(value: str, fmt: str) -> bool:
    if not re.fullmatch(format_shape(fmt), value):
        return False
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class DateGuess:
    formats: list[str]  # formats seen, whole dates first, four-digit years first
    unread: int  # values no format reads


def guess_date_formats(values: list[str]) -> DateGuess | None:
    """The formats a column's values are written in (None if it does not look like dates)."""
    seen: Counter[str] = Counter()
    unread = 0
    for value in values:
        found = next((f for f in DATE_FORMATS if _matches(value, f)), None)
        if found is None:
            unread += 1
        else:
            seen[found] += 1
    if not seen or sum(seen.values()) < 0.5 * len(values):
        return None
    order = {f: i for i, f in enumerate(DATE_FORMATS)}
    formats = sorted(seen, key=lambda f: (format_precision(f) != "day", order[f]))
    return DateGuess(formats, unread)


def guess_code(value: str, column: str) -> tuple[str, str] | None:
    """(gbo code, how it was found) for an agency value: '' is not recorded; how is
    ``code``, ``label``, ``crosswalk``, ``not recorded`` or ``closest`` (to check)."""
    text = value.strip()
    if words(text) in NULL_LIKE or text.lower() in NULL_LIKE:
        return "", "not recorded"
    labels = codes.CODE_LISTS.get(column, {})
    if column == "ho_offence_code":
        code = translate_ho_code(text)
        if code:
            return code, "crosswalk"
        if crosswalk_entry(text) is not None or parse_ho_subclass(text) is not None:
            return None  # a Home Office code with no gbo code: never a guess by spelling
    upper = text.upper()
    if upper in labels:
        return upper, "code"
    for code, label in labels.items():
        if words(label) == words(text):
            return code, "label"
    if column == "sex" and words(text) in {"female", "girl", "woman", "f"}:
        return "F", "label"
    if column == "sex" and words(text) in {"male", "boy", "man", "m"}:
        return "M", "label"
    close = closest_codes(text, column, n=1, cutoff=0.65)
    return (close[0], "closest") if close else None
