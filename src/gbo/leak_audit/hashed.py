"""Strong identifiers held as 64-bit hashes in sorted arrays, confirmed exactly on a hit.

At ten million records the strong identifiers (full names in three orders, agency ids,
record keys, postcodes, addresses, NHS numbers in three spellings, crime references) are
about a hundred million token sequences: some 25 GB as Python tuples of strings. Here each
is kept as three numbers: the hash of its token tuple, the *source* it came from and its
place in that source, in arrays sorted by hash (13 bytes an identifier). A source holds the
distinct values it was made from (an Arrow array, far smaller than the tuples) and
rebuilds the token tuple of any place exactly.

A lookup is exact:

* a token tuple whose hash is not in the array is not an identifier (equal tuples have equal
  hashes), so nothing is missed;
* when the hash is there, every identifier with that hash is rebuilt from its source and
  compared with the tuple, so a hash collision never gives a finding, and the kind reported
  is that of the first identifier added with exactly those tokens, as before.

The hashes are Python's own (``hash`` of a tuple of strings: SipHash keyed afresh in every
process, so nobody can make a collision in advance). An index from the hash of an
identifier's first token to the token lengths of the identifiers starting with it lets a
text be scanned in one pass; a collision there only costs an extra lookup. A second index,
of the hashes of the first *two* tokens of every identifier of two tokens or more, lets a scan
pass over a word that begins some identifier (a given name such as ``Per``) when the word
after it begins none of them; a collision there too only costs a lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

Tokens = tuple[str, ...]
#: Token lengths below this are kept as bits of a mask; this one and longer ones beside it.
MASK_BITS = 63
#: Mixes the hashes of two tokens into one (numbers wrap around in 64 bits).
PAIR_FACTOR = np.uint64(0x9E3779B97F4A7C15)


def pair_hashes(firsts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """One number for each pair of token hashes (the same pair always gives the same one)."""
    mixed: np.ndarray = firsts.astype(np.uint64) * PAIR_FACTOR + seconds.astype(np.uint64)
    return mixed


@dataclass
class Source:
    """Identifiers of one kind made from a list of values: ``tokens_of(values[i])`` is the
    identifier at place ``i``. ``values`` is anything indexable (an Arrow array, a list)."""

    kind: str
    values: Sequence[object] | np.ndarray
    tokens_of: Callable[[object], Tokens]

    def tokens_at(self, index: int) -> Tokens:
        value = self.values[index]
        as_py = getattr(value, "as_py", None)  # an Arrow scalar
        return self.tokens_of(as_py() if as_py is not None else value)


def _same(value: object) -> Tokens:
    return value  # type: ignore[return-value]


@dataclass
class _Pending:
    """Identifiers added since the arrays were last sorted: whole batches as arrays
    (hash, source, place, first-token hash, length, second-token hash or 0), single ones in
    the lists."""

    batches: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    hashes: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    firsts: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    seconds: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.hashes) + sum(len(b[0]) for b in self.batches)

    def arrays(self) -> tuple[np.ndarray, ...]:
        single = (
            np.array(self.hashes, np.int64),
            np.array(self.sources, np.uint16),
            np.array(self.places, np.int64),
            np.array(self.firsts, np.int64),
            np.array(self.lengths, np.int64),
            np.array(self.seconds, np.int64),
        )
        parts = [*self.batches, single]
        return tuple(np.concatenate([b[i] for b in parts]) for i in range(6))


class HashedIdentifiers:
    """Token tuples (with a kind each) in sorted hash arrays; see the module docstring."""

    def __init__(self, hash_function: Callable[[object], int] = hash) -> None:
        #: The hash of a token tuple or of a single token (tests give a weak one, to make
        #: collisions happen).
        self.hash = hash_function
        self.sources: list[Source] = []
        self._loose: dict[str, int] = {}  # kind -> its source of tuples added one by one
        self._pending = _Pending()
        self._hash = np.empty(0, np.int64)
        self._source = np.empty(0, np.uint16)
        self._place = np.empty(0, np.int64)
        self._first = np.empty(0, np.int64)
        self._mask = np.empty(0, np.uint64)
        self._long: dict[int, set[int]] = {}
        self._pairs = np.empty(0, np.uint64)

    def __len__(self) -> int:
        return len(self._hash) + len(self._pending)

    def add_source(self, source: Source) -> int:
        """Register a source; its identifiers are added with :meth:`add`."""
        self.sources.append(source)
        if len(self.sources) > np.iinfo(np.uint16).max:
            raise ValueError("too many identifier sources")
        return len(self.sources) - 1

    def add(self, source: int, place: int, toks: Tokens) -> None:
        """The identifier ``toks``, rebuilt by ``sources[source]`` at ``place``."""
        pending = self._pending
        pending.hashes.append(self.hash(toks))
        pending.sources.append(source)
        pending.places.append(place)
        pending.firsts.append(self.hash(toks[0]))
        pending.lengths.append(len(toks))
        pending.seconds.append(self.hash(toks[1]) if len(toks) > 1 else 0)

    def add_many(self, source: int, places: Sequence[int], toks: Sequence[Tokens]) -> None:
        """Many identifiers of one source at once (kept as arrays, not Python numbers)."""
        if not toks:
            return
        self._pending.batches.append(
            (
                np.fromiter(map(self.hash, toks), np.int64, len(toks)),
                np.full(len(toks), source, np.uint16),
                np.asarray(places, np.int64),
                np.fromiter((self.hash(t[0]) for t in toks), np.int64, len(toks)),
                np.fromiter(map(len, toks), np.int64, len(toks)),
                np.fromiter((self.hash(t[1]) if len(t) > 1 else 0 for t in toks), np.int64),
            )
        )

    def add_tokens(self, toks: Tokens, kind: str) -> None:
        """One identifier given as its tokens (kept as they are, in a source of its kind)."""
        number = self._loose.get(kind)
        if number is None:
            number = self.add_source(Source(kind, [], _same))
            self._loose[kind] = number
        values = self.sources[number].values
        assert isinstance(values, list)
        values.append(toks)
        self.add(number, len(values) - 1, toks)

    def _built(self) -> None:
        if not len(self._pending):
            return
        new_hash, new_source, new_place, firsts, lengths, seconds = self._pending.arrays()
        self._pending = _Pending()
        hashes = np.concatenate([self._hash, new_hash])
        # Stable: among equal hashes, the identifier added first stays first.
        order = np.argsort(hashes, kind="stable")
        self._hash = hashes[order]
        del hashes
        self._source = np.concatenate([self._source, new_source])[order]
        self._place = np.concatenate([self._place, new_place])[order]
        del order, new_hash, new_source, new_place
        several = lengths > 1
        pairs = np.concatenate([self._pairs, pair_hashes(firsts[several], seconds[several])])
        self._pairs = np.unique(pairs)
        del pairs, seconds, several
        long = lengths >= MASK_BITS
        for first, n in zip(firsts[long], lengths[long], strict=True):
            self._long.setdefault(int(first), set()).add(int(n))
        bits = np.left_shift(np.uint64(1), np.minimum(lengths, MASK_BITS).astype(np.uint64))
        firsts = np.concatenate([self._first, firsts])
        bits = np.concatenate([self._mask, bits])
        order = np.argsort(firsts, kind="stable")
        firsts, bits = firsts[order], bits[order]
        starts = np.flatnonzero(np.r_[True, firsts[1:] != firsts[:-1]])
        self._first = firsts[starts]
        self._mask = np.bitwise_or.reduceat(bits, starts) if len(bits) else bits

    def kind_of(self, toks: Tokens) -> str | None:
        """The kind of the first identifier added with exactly these tokens, or None."""
        self._built()
        key = self.hash(toks)
        low = int(np.searchsorted(self._hash, key, side="left"))
        if low == len(self._hash) or self._hash[low] != key:
            return None
        high = int(np.searchsorted(self._hash, key, side="right"))
        for i in range(low, high):
            source = self.sources[int(self._source[i])]
            if source.tokens_at(int(self._place[i])) == toks:
                return source.kind
        return None

    def hashes(self, values: Sequence[object]) -> np.ndarray:
        """The hashes of these tokens (or token tuples), as an array."""
        return np.fromiter(map(self.hash, values), np.int64, len(values))

    def masks(self, first_hashes: np.ndarray) -> np.ndarray:
        """For each first-token hash, the token lengths of the identifiers that may start
        with that token, as bits of a ``uint64`` (bit ``n`` for length ``n`` below
        :data:`MASK_BITS`; bit :data:`MASK_BITS` for the longer ones, given by
        :meth:`long_lengths`); 0 where no identifier starts with it. A length too many is
        harmless: its lookup finds nothing."""
        self._built()
        if not len(self._first):
            return np.zeros(len(first_hashes), np.uint64)
        place = np.minimum(np.searchsorted(self._first, first_hashes), len(self._first) - 1)
        found: np.ndarray = np.where(self._first[place] == first_hashes, self._mask[place], 0)
        return found.astype(np.uint64, copy=False)

    def pairs_begin(self, first_hashes: np.ndarray, second_hashes: np.ndarray) -> np.ndarray:
        """For each pair of token hashes, whether some identifier of two tokens or more may
        begin with those two tokens (boolean array; never False where one does)."""
        self._built()
        if not len(self._pairs):
            return np.zeros(len(first_hashes), bool)
        keys = pair_hashes(first_hashes, second_hashes)
        place = np.minimum(np.searchsorted(self._pairs, keys), len(self._pairs) - 1)
        found: np.ndarray = self._pairs[place] == keys
        return found

    def long_lengths(self, first_hash: int) -> tuple[int, ...]:
        """The token lengths of :data:`MASK_BITS` or more of the identifiers that may start
        with the token of this hash, shortest first."""
        return tuple(sorted(self._long.get(first_hash, ())))

    def kinds_of(self, many: Sequence[Tokens]) -> list[str | None]:
        """:meth:`kind_of` for many token tuples at once: their hashes are looked up in one
        vectorised search, and only the tuples whose hash is there are confirmed."""
        self._built()
        out: list[str | None] = [None] * len(many)
        if not many or not len(self._hash):
            return out
        keys = self.hashes(many)
        place = np.minimum(np.searchsorted(self._hash, keys), len(self._hash) - 1)
        for i in np.flatnonzero(self._hash[place] == keys).tolist():
            out[i] = self.kind_of(many[i])
        return out

    def starts(self, first_hashes: np.ndarray) -> np.ndarray:
        """Which of these first-token hashes begin some identifier (boolean array)."""
        starting: np.ndarray = self.masks(first_hashes) != 0
        return starting

    def kinds(self) -> set[str]:
        """The kinds of the identifiers held, as lookups report them: for tests and small
        sets."""
        return {str(self.kind_of(toks)) for toks in self.identifiers()}

    def identifiers(self, kind: str | None = None) -> Iterator[Tokens]:
        """Every identifier held (whose kind, as lookups report it, is ``kind``), rebuilt
        from its source: for tests and small sets, never for a scan."""
        self._built()
        for source, place in zip(self._source.tolist(), self._place.tolist(), strict=True):
            toks = self.sources[source].tokens_at(place)
            if kind is None or self.kind_of(toks) == kind:
                yield toks
