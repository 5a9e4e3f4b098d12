"""The identifier values a leak scan looks for, read from a run's vault files.

Identifiers are normalised to tuples of lower-case alphanumeric tokens, so that
``"Smith,  JOHN"`` and ``"smith john"`` compare alike. Two sets are kept:

* **strong** identifiers, found anywhere in any text: full names (given + family, with and
  without middle names, either order), aliases, agency person ids and crime references,
  record keys, full postcodes, address lines and NHS numbers (as recorded, as digits alone
  and grouped 3-3-4);
* **name parts** (a given name or a family name alone), which identify nobody in running
  text but must never stand alone in a table cell. Parts that are also gbo vocabulary (a
  code or a code label, such as ``White``, or a stage status of the manifest, such as
  ``ran``), common English words (Faker's list of about a thousand, such as ``Same`` or
  ``Page``, which are also surnames) or shorter than three letters are left out;
* **short serial numbers**: an identifier of digits alone with fewer digits than an NHS
  number (a health patient id such as ``6113612``). At national scale most numbers of that
  length are somebody's serial, so inside running text (``repeats row 6113612 exactly``)
  such a number cannot be told from a row number or a count. It is found where it is the
  whole value of a table cell, JSON string or text node, which is where a leaked identifier
  column puts it. Identifiers with letters in them, and NHS numbers, are strong as above.

Sentences gbo writes from its own code (the titles, definitions and notes of the profile
tables) are not data: where one of them appears word for word, its words are masked
before the strong identifiers are looked for, so two neighbouring words of a fixed note
(``... no Roma code ...``) are not taken for somebody's full name. Words around the sentence,
and any other text, are searched as before.

Dates of birth are not scanned for: at any real scale every calendar date is somebody's
birthday, so a date in an output says nothing. They cannot reach an output by construction
(the pseudonymised tables carry a birth year only; see ``gbo.schema.tables``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.manifest import STAGE_STATUSES
from gbo.runfolder import RunFolder
from gbo.schema import codes
from gbo.schema.nhs_number import N_DIGITS, meaningful_nhs_digits
from gbo.security import KeyRing

TOKEN = re.compile(r"[0-9a-z]+")
MIN_ID_CHARS = 5
MIN_NAME_PART_CHARS = 3
MASKED = "\x00"  # stands for a word of gbo's own fixed text; no identifier token matches it


def tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(text.lower()))


@dataclass
class IdentifierSet:
    """Normalised identifier values, with the kind of each (never the value) for reports.

    Beside the identifiers it keeps an index from each identifier's first token to the
    token lengths of the identifiers starting with it, so that :meth:`find_strong` looks up
    only the few lengths that can match at each position of a text: one pass over the
    text, whatever the number of identifiers.
    """

    strong: dict[tuple[str, ...], str] = field(default_factory=dict)
    name_parts: set[tuple[str, ...]] = field(default_factory=set)
    serials: dict[tuple[str, ...], str] = field(default_factory=dict)
    lengths_by_first_token: dict[str, tuple[int, ...]] = field(default_factory=dict)
    max_tokens: int = 0
    _cell_words: tuple[tuple[int, int], frozenset[str]] | None = None

    def worth_checking(self, values: pa.Array) -> pa.Array:
        """Which of ``values`` (strings) can hold an identifier, as a boolean mask, worked
        out a column at a time: a value not wholly ASCII; a value whose words are a name
        part or short serial (a cell that is one); a value with a word that starts a strong
        identifier. Every other value gives no finding, whatever :func:`tokens` makes of it,
        so a scan may skip it. (The sets looked up in are the few distinct words of the
        column found in the identifiers, not the identifiers themselves.)"""
        lowered = pc.ascii_lower(values)
        words = pc.utf8_trim_whitespace(pc.replace_substring_regex(lowered, r"[^0-9a-z]+", " "))
        split = pc.split_pattern(words, " ")
        flat = pc.list_flatten(split)
        index = self.lengths_by_first_token
        starting = [w for w in pc.unique(flat).to_pylist() if w in index]
        hit_rows = pc.list_parent_indices(split).filter(
            pc.is_in(flat, value_set=pa.array(starting, pa.string()))
        )
        starts = np.zeros(len(values), dtype=bool)
        starts[hit_rows.to_numpy()] = True
        cells = self._cells()
        whole = [w for w in pc.unique(words).to_pylist() if w in cells]
        mask = pc.or_(
            pc.invert(pc.string_is_ascii(values)),
            pc.is_in(words, value_set=pa.array(whole, pa.string())),
        )
        return pc.or_(pc.fill_null(mask, False), pa.array(starts))

    def _cells(self) -> frozenset[str]:
        """Name parts and short serials, as their words joined by single spaces."""
        sizes = (len(self.name_parts), len(self.serials))
        if self._cell_words is None or self._cell_words[0] != sizes:
            joined = frozenset(" ".join(t) for t in (*self.name_parts, *self.serials))
            self._cell_words = (sizes, joined)
        return self._cell_words[1]

    def add_strong(self, value: object, kind: str, min_chars: int = MIN_ID_CHARS) -> None:
        if isinstance(value, str):
            self.add_strong_tokens(tokens(value), kind, min_chars)

    def add_strong_tokens(
        self, toks: tuple[str, ...], kind: str, min_chars: int = MIN_ID_CHARS
    ) -> None:
        """An identifier already split into tokens (the first kind given is kept)."""
        if toks and is_short_serial(toks):
            self.serials.setdefault(toks, kind)
            return
        if toks and toks not in self.strong and len("".join(toks)) >= min_chars:
            self.strong[toks] = kind
            known = self.lengths_by_first_token.get(toks[0], ())
            if len(toks) not in known:
                self.lengths_by_first_token[toks[0]] = tuple(sorted((*known, len(toks))))
            self.max_tokens = max(self.max_tokens, len(toks))

    def find_strong(self, toks: tuple[str, ...]) -> str | None:
        """The kind of the shortest identifier in ``toks`` (the first one, if several are
        as short), or None. Linear in the number of tokens."""
        best: tuple[int, str] | None = None
        index, strong, size = self.lengths_by_first_token, self.strong, len(toks)
        for start, token in enumerate(toks):
            for n in index.get(token, ()):
                if (best is not None and n >= best[0]) or start + n > size:
                    break
                kind = strong.get(toks[start : start + n])
                if kind is not None:
                    best = (n, kind)
                    break
            if best is not None and best[0] == 1:
                break
        return None if best is None else best[1]

    def find_in_text(self, toks: tuple[str, ...]) -> str | None:
        """:meth:`find_strong`, with the words of gbo's own fixed sentences masked (looked
        for only when something is found, which is rare)."""
        kind = self.find_strong(toks)
        if kind is None:
            return None
        masked = mask_fixed_text(toks)
        return kind if masked == toks else self.find_strong(masked)

    def add_name_part(self, value: object) -> None:
        if isinstance(value, str):
            toks = tokens(value)
            if toks and len("".join(toks)) >= MIN_NAME_PART_CHARS and toks not in _vocabulary():
                self.name_parts.add(toks)


def is_short_serial(toks: tuple[str, ...]) -> bool:
    """Digits alone, fewer of them than an NHS number has."""
    joined = "".join(toks)
    return len(joined) < N_DIGITS and joined.isdigit()


@lru_cache(maxsize=1)
def fixed_text() -> dict[str, tuple[tuple[str, ...], ...]]:
    """gbo's own fixed sentences as token sequences, indexed by their first token: the
    titles, definitions, populations and notes of the profile tables."""
    from gbo.profile.registry import TABLES

    texts: set[str] = set()
    for table in TABLES:
        texts.update((table.title, table.definition, table.population, *table.notes))
    found: dict[str, set[tuple[str, ...]]] = {}
    for text in texts:
        toks = tokens(text)
        if len(toks) > 1:
            found.setdefault(toks[0], set()).add(toks)
    return {first: tuple(sorted(seqs, key=len, reverse=True)) for first, seqs in found.items()}


def mask_fixed_text(toks: tuple[str, ...]) -> tuple[str, ...]:
    """``toks`` with every word of a fixed sentence found in it word for word replaced by
    :data:`MASKED` (the longest sentence at each place first)."""
    index = fixed_text()
    out = list(toks)
    start = 0
    while start < len(toks):
        for seq in index.get(toks[start], ()):
            if toks[start : start + len(seq)] == seq:
                out[start : start + len(seq)] = [MASKED] * len(seq)
                start += len(seq) - 1
                break
        start += 1
    return tuple(out)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[tuple[str, ...]]:
    """Every code and code label gbo itself writes (these are not identifiers), and the
    statuses the manifest gives a stage."""
    words: set[tuple[str, ...]] = {(status,) for status in STAGE_STATUSES}
    lists: list[dict[str, str]] = [*codes.CODE_LISTS.values(), codes.nationalities()]
    lists += [codes.ONS_GROUPS, {k: v[0] for k, v in codes.ONS_19.items()}, codes.OUTCOME_GROUPS]
    for mapping in lists:
        for code, label in mapping.items():
            words.add(tokens(code))
            words.add(tokens(label))
            words.update((t,) for t in tokens(label))
    from faker.providers.lorem.en_US import Provider as EnglishWords

    words.update((w,) for w in EnglishWords.word_list)
    return frozenset(words)


def _column(table: pa.Table, name: str) -> list[object]:
    return table[name].to_pylist() if name in table.column_names else []


def add_nhs_number(ids: IdentifierSet, value: object) -> None:
    """An NHS number as recorded, as its digits alone and in the usual 3-3-4 grouping (which
    also matches ``999-123-4567``). Values with fewer than six digits, or one digit repeated
    (a dummy such as ``0000000000``), identify nobody and are left out, as linkage does."""
    digits = meaningful_nhs_digits(value)
    if digits is None:
        return
    ids.add_strong(str(value), "NHS number")
    ids.add_strong(digits, "NHS number")
    if len(digits) == N_DIGITS:
        ids.add_strong(f"{digits[:3]} {digits[3:6]} {digits[6:]}", "NHS number")


def identifiers_from_tables(person_record: pa.Table, offence: pa.Table | None) -> IdentifierSet:
    """Collect identifiers from canonical ``person_record`` (and ``offence``) tables."""
    ids = IdentifierSet()
    given = _column(person_record, "given_name")
    middle = _column(person_record, "middle_names")
    family = _column(person_record, "family_name")
    # Names repeat (a person has several records; given names come from short lists), so
    # each distinct name is split into tokens once and each distinct name triple used once,
    # in the order of first appearance (the first kind given to an identifier is kept).
    split = {v: tokens(v) for v in dict.fromkeys([*given, *middle, *family]) if isinstance(v, str)}
    for part in dict.fromkeys([*given, *family]):
        ids.add_name_part(part)
    for g, m, f in dict.fromkeys(zip(given, middle, family, strict=True)):
        if isinstance(g, str) and isinstance(f, str):
            ids.add_strong_tokens(split[g] + split[f], "full name")
            ids.add_strong_tokens(split[f] + split[g], "full name")
            if isinstance(m, str):
                ids.add_strong_tokens(split[g] + split[m] + split[f], "full name")
    for aliases in _column(person_record, "aliases"):
        for alias in aliases if isinstance(aliases, list) else []:
            if isinstance(alias, str) and len(tokens(alias)) > 1:
                ids.add_strong(alias, "alias")
            else:
                ids.add_name_part(alias)
    for value in _column(person_record, "local_id"):
        ids.add_strong(value, "agency person id")
    for value in _column(person_record, "record_key"):
        ids.add_strong(value, "record key")
    for value in _column(person_record, "postcode"):
        ids.add_strong(value, "postcode")
        if isinstance(value, str):
            ids.add_strong(value.replace(" ", ""), "postcode")
    for value in _column(person_record, "address"):
        ids.add_strong(value, "address", min_chars=8)
    for value in _column(person_record, "nhs_number"):
        add_nhs_number(ids, value)
    if offence is not None:
        for value in _column(offence, "crime_ref"):
            ids.add_strong(value, "crime reference")
    return ids


def identifiers_from_run(keys: KeyRing, run_dir: Path) -> IdentifierSet:
    """Decrypt the ingest stage's canonical tables of a run and collect their identifiers."""
    run = RunFolder(run_dir)
    person = run.vault_table("ingest", "person_record", keys)
    has_offence = run.has_table("ingest", "offence")
    offence = run.vault_table("ingest", "offence", keys) if has_offence else None
    return identifiers_from_tables(person, offence)
