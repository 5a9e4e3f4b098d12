"""Standardising one name: folding, titles, parts, spelling variants, nicknames, phonetic keys.

Every function here takes and returns plain strings, so that the table-level code can apply
it once per distinct value (names repeat a lot) rather than once per record.

* :func:`fold_name` turns any script into lower-case ASCII letters and single spaces
  (``anyascii`` transliterates, so "Zoë" and "Zoe", "Мария" and "Mariya" meet).
* :func:`split_given_names` drops titles and splits a given-name field into tokens.
* :func:`family_name_parts` keeps a double-barrelled or hyphenated surname whole *and* as its
  parts, because agencies record "Smith-Jones", "Smith Jones", "Smith" or "Jones".
* :func:`spelling_variants` maps a name to the canonical forms of its transliteration
  variant group (Mohammed / Muhammad / Mohamed ...), from ``name_variants.csv``.
* :func:`nickname_relations` gives the names directly related to a name in the ``nicknames``
  package. The relation is deliberately *not* closed transitively: Rob~Robert and Rob~Robin
  does not make Robert~Robin.
* :func:`phonetic_key` is the primary double-metaphone code.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from anyascii import anyascii
from doublemetaphone import doublemetaphone
from nicknames import NickNamer

TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady",
        "rev", "revd", "fr", "master", "mstr", "jr", "jnr", "junior", "sr", "snr", "senior",
        "ii", "iii", "iv",
    }
)  # fmt: skip

_NOT_LETTERS = re.compile(r"[^a-z ]+")
# Characters that separate words; any other non-letter (apostrophes, full stops, the "?" a
# lossy encoding leaves for a letter it cannot hold) is dropped without splitting the word.
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/,;]+")
# Values that mean "no name" rather than a name.
PLACEHOLDER_NAMES = frozenset(
    {"unknown", "not known", "unk", "nk", "na", "n a", "none", "nil", "null", "xxx", "x", "tbc"}
)


def fold_name(value: str | None) -> str:
    """Lower-case ASCII letters separated by single spaces; "" for no name.

    Hyphens, slashes and spaces separate words; anything else that is not a letter is
    dropped (O'Brien -> obrien; "Ya?attin", from an export that lost a letter, -> yaattin).
    """
    if not value:
        return ""
    text = _SEPARATORS.sub(" ", anyascii(value).lower())
    text = _NOT_LETTERS.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return "" if text in PLACEHOLDER_NAMES else text


def split_given_names(value: str | None) -> list[str]:
    """Given-name tokens without titles or placeholders, in recorded order."""
    return [t for t in fold_name(value).split(" ") if t and t not in TITLES]


def family_name_parts(value: str | None) -> tuple[str, list[str]]:
    """The whole family name (parts joined, no spaces) and its parts.

    "Smith-Jones" -> ("smithjones", ["smith", "jones"]); "O'Brien" -> ("obrien", []);
    "van der Berg" -> ("vanderberg", ["berg"]) (short particles are not parts on their own).
    """
    tokens = [t for t in fold_name(value).split(" ") if t and t not in TITLES]
    if not tokens:
        return "", []
    whole = "".join(tokens)
    parts = [t for t in tokens if len(t) > 3 or t not in _PARTICLES] if len(tokens) > 1 else []
    return whole, [p for p in parts if p != whole]


_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "di", "del", "la", "le", "du", "al", "el", "bin",
     "ibn", "mac", "mc", "st", "ten", "ter", "bint", "abu"}
)  # fmt: skip


@cache
def _variant_groups() -> dict[str, tuple[str, ...]]:
    """Folded name -> canonical forms of every variant group it belongs to."""
    groups: dict[str, set[str]] = {}
    text = resources.files("gbo.link").joinpath("name_variants.csv").read_text("utf-8")
    for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        canonical = fold_name(row["canonical"]).replace(" ", "")
        for name in [row["canonical"], *row["variants"].split("|")]:
            key = fold_name(name).replace(" ", "")
            if key:
                groups.setdefault(key, set()).add(canonical)
    return {k: tuple(sorted(v)) for k, v in groups.items()}


def spelling_variants(name: str) -> tuple[str, ...]:
    """Canonical forms of the transliteration variant groups of a folded name (may be empty)."""
    return _variant_groups().get(name, ())


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def nickname_relations(name: str) -> tuple[str, ...]:
    """Names one step away from ``name`` in the nicknames package (both directions).

    Not transitive by construction: only direct nickname/canonical relations of this name.
    """
    if not name:
        return ()
    namer = _nicknamer()
    related = {fold_name(n).replace(" ", "") for n in namer.nicknames_of(name)}
    related |= {fold_name(n).replace(" ", "") for n in namer.canonicals_of(name)}
    related.discard(name)
    related.discard("")
    return tuple(sorted(related))


@cache
def phonetic_key(name: str) -> str:
    """Primary double-metaphone code of a folded name ("" for no name)."""
    if not name:
        return ""
    primary, _alternate = doublemetaphone(name.replace(" ", ""))
    return str(primary)
