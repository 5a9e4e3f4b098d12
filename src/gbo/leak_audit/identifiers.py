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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.leak_audit.hashed import MASK_BITS, HashedIdentifiers
from gbo.manifest import STAGE_STATUSES
from gbo.schema import codes
from gbo.schema.nhs_number import N_DIGITS

TOKEN = re.compile(r"[0-9a-z]+")
MIN_ID_CHARS = 5
MIN_NAME_PART_CHARS = 3
MASKED = "\x00"  # stands for a word of gbo's own fixed text; no identifier token matches it


def tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(text.lower()))


@dataclass
class IdentifierSet:
    """Normalised identifier values, with the kind of each (never the value) for reports.

    The strong identifiers are held as hashes in sorted arrays, looked up exactly
    (:mod:`gbo.leak_audit.hashed`), with an index from the hash of each identifier's first
    token to the token lengths of the identifiers starting with it, so that
    :meth:`find_strong` looks up only the few lengths that can match at each position of a
    text: one pass over the text, whatever the number of identifiers. Name parts and short
    serials, looked up whole, are plain sets.
    """

    strong: HashedIdentifiers = field(default_factory=HashedIdentifiers)
    name_parts: set[tuple[str, ...]] = field(default_factory=set)
    serials: dict[tuple[str, ...], str] = field(default_factory=dict)
    _cell_words: tuple[tuple[int, int], frozenset[str]] | None = None

    def worth_checking(self, values: pa.Array) -> pa.Array:
        """Which of ``values`` (strings) can hold an identifier, as a boolean mask, worked
        out a column at a time: a value not wholly ASCII; a value whose words are a name
        part or short serial (a cell that is one); a value with a word that may start a
        strong identifier of no more words than the value has from that word on (the
        windows :meth:`find_strong_many` would look up). Every other value gives no
        finding, whatever :func:`tokens` makes of it, so a scan may skip it. (What is looked
        up is the column's distinct words, never the identifiers themselves.)"""
        lowered = pc.ascii_lower(values)
        words = pc.utf8_trim_whitespace(pc.replace_substring_regex(lowered, r"[^0-9a-z]+", " "))
        split = pc.split_pattern(words, " ")
        flat = pc.list_flatten(split)
        distinct = pc.unique(flat)
        word_hashes = self.strong.hashes(distinct.to_pylist())
        at = pc.index_in(flat, value_set=distinct).to_numpy()  # each word's place in distinct
        word_masks = self.strong.masks(word_hashes)[at]
        hit = np.flatnonzero(word_masks)
        bits = word_masks[hit]
        sizes = pc.fill_null(pc.list_value_length(split), 0).to_numpy()
        ends = np.cumsum(sizes)
        rows = pc.list_parent_indices(split).to_numpy()[hit]
        room = ends[rows] - hit  # the words from each hit to the end of its value
        allowed = np.where(
            room >= MASK_BITS,
            np.uint64(np.iinfo(np.uint64).max),
            (np.uint64(1) << (np.minimum(room, MASK_BITS - 1) + 1).astype(np.uint64)) - 1,
        )
        bits &= allowed
        # An identifier of two words or more starting here must also match the next word.
        longer = (bits & ~np.uint64(0b11)) != 0
        ahead = hit[longer] + 1  # within the value: a length of two or more fits
        pair = np.zeros(len(hit), bool)
        pair[longer] = self.strong.pairs_begin(word_hashes[at[hit[longer]]], word_hashes[at[ahead]])
        starts = np.zeros(len(values), dtype=bool)
        starts[rows[((bits & np.uint64(0b10)) != 0) | pair]] = True
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
        if self.keeps_as_strong(toks, kind, min_chars):
            self.strong.add_tokens(toks, kind)

    def keeps_as_strong(self, toks: tuple[str, ...], kind: str, min_chars: int) -> bool:
        """Whether ``toks`` is a strong identifier; a short serial is kept as one here."""
        if toks and is_short_serial(toks):
            self.serials.setdefault(toks, kind)
            return False
        return bool(toks) and len("".join(toks)) >= min_chars

    def strong_kind(self, toks: tuple[str, ...]) -> str | None:
        """The kind of the strong identifier made of exactly ``toks``, or None."""
        return self.strong.kind_of(toks)

    def find_strong(self, toks: tuple[str, ...]) -> str | None:
        """The kind of the shortest identifier in ``toks`` (the first one, if several are
        as short), or None."""
        return self.find_strong_many([toks])[0]

    def find_strong_many(self, texts: Sequence[tuple[str, ...]]) -> list[str | None]:
        """:meth:`find_strong` for each of many token sequences, looked up together.

        All their tokens are hashed and looked up in the first-token index at once; each
        token that begins some identifier gives the windows (its place, a length of an
        identifier starting with it) that fit in its own sequence, and all the windows are
        looked up at once (:meth:`HashedIdentifiers.kinds_of`). A sequence's answer is its
        match of fewest tokens, the first of those. Linear in the number of tokens, with a
        few vectorised calls per batch rather than per sequence."""
        found: list[str | None] = [None] * len(texts)
        sizes = np.fromiter(map(len, texts), np.int64, len(texts))
        flat = list(chain.from_iterable(texts))
        if not flat:
            return found
        firsts = self.strong.hashes(flat)
        masks = self.strong.masks(firsts)
        begins = np.flatnonzero(masks)
        if not len(begins):
            return found
        text_of_token = np.repeat(np.arange(len(texts)), sizes)
        # The tokens from each begin to the end of its own text.
        room = np.cumsum(sizes)[text_of_token[begins]] - begins
        places, lengths = self._windows(begins, masks[begins], firsts[begins], room)
        windows = [
            tuple(flat[b : b + n]) for b, n in zip(places.tolist(), lengths.tolist(), strict=True)
        ]
        kinds = self.strong.kinds_of(windows)
        hits = [i for i, kind in enumerate(kinds) if kind is not None]
        if not hits:
            return found
        text_of = text_of_token[places[hits]]
        # Fewest tokens first, then the first place: the first hit of each text is its answer.
        for i in np.lexsort((places[hits], lengths[hits], text_of)).tolist():
            text = int(text_of[i])
            if found[text] is None:
                found[text] = kinds[hits[i]]
        return found

    def _windows(
        self, begins: np.ndarray, bits: np.ndarray, firsts: np.ndarray, room: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The (place, length) of every window worth looking up: a length of an identifier
        starting with the token at the place, no longer than the room left in its text."""
        places: list[np.ndarray] = []
        lengths: list[np.ndarray] = []
        present = int(np.bitwise_or.reduce(bits))
        for n in range(1, MASK_BITS):
            if present >> n & 1:
                fits = (bits & np.uint64(1 << n)).astype(bool) & (room >= n)
                places.append(begins[fits])
                lengths.append(np.full(int(fits.sum()), n, np.int64))
        if present >> MASK_BITS & 1:
            for i in np.flatnonzero(bits & np.uint64(1 << MASK_BITS)).tolist():
                fit = [n for n in self.strong.long_lengths(int(firsts[i])) if n <= room[i]]
                places.append(np.full(len(fit), begins[i], np.int64))
                lengths.append(np.array(fit, np.int64))
        return np.concatenate(places), np.concatenate(lengths)

    def find_in_text(self, toks: tuple[str, ...]) -> str | None:
        """:meth:`find_strong`, with the words of gbo's own fixed sentences masked (looked
        for only when something is found, which is rare)."""
        return self.find_in_texts([toks])[0]

    def find_in_texts(self, texts: Sequence[tuple[str, ...]]) -> list[str | None]:
        """:meth:`find_in_text` for each of many token sequences, looked up together."""
        found = self.find_strong_many(texts)
        again = [i for i, kind in enumerate(found) if kind is not None]
        masked = {i: m for i in again if (m := mask_fixed_text(texts[i])) != texts[i]}
        for i, kind in zip(masked, self.find_strong_many(list(masked.values())), strict=True):
            found[i] = kind
        return found

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
