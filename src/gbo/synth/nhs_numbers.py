"""Synthetic NHS numbers: from the range NHS England keeps for testing, for a declared share.

Every number starts ``999``, a range never issued to a patient, and carries a valid modulus
11 check digit (see :mod:`gbo.schema.nhs_number`), so no real person's number can appear.
The range holds 909,090 valid numbers besides ``9999999999`` (one digit repeated, which
looks like a dummy and is left out). Numbers are drawn without replacement, one per person
who has one, so no two people share a number. Which people have one is declared
(``nhs_numbers.people``): by default every person while the range lasts; in a larger
generation (beyond about 1.38 million records) a random 909,090 of them, so the size of a
generation is not limited by the range. People without a number have none on any record.

An agency record carries its person's number with the agency's declared share; a declared
share of the recorded numbers has two adjacent unequal digits swapped, a keying error the
check digit always catches.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.errors import GboError
from gbo.schema.nhs_number import NEVER_ISSUED, WEIGHTS

TEST_RANGE_FIRST_NINE = 999_000_000  # the first nine digits of the lowest test number
TEST_RANGE_SIZE = 1_000_000  # nine-digit starts from 999000000 to 999999999
NOT_RECORDED = -1
_PLACES = 10 ** np.arange(9, -1, -1, dtype=np.int64)  # value of each of the ten digits


def check_digits(first_nine: np.ndarray) -> np.ndarray:
    """The check digit of each nine-digit integer (10 where it is never issued)."""
    digits = (first_nine[:, None] // _PLACES[1:]) % 10
    total = digits @ np.asarray(WEIGHTS, dtype=np.int64)
    checks: np.ndarray = (11 - total % 11) % 11
    return checks


@lru_cache(maxsize=1)
def numbers_in_test_range() -> np.ndarray:
    """Every valid ten-digit number of the test range, ascending (no one-digit repeats);
    read-only, as it is shared."""
    first_nine = TEST_RANGE_FIRST_NINE + np.arange(TEST_RANGE_SIZE, dtype=np.int64)
    checks = check_digits(first_nine)
    numbers = first_nine * 10 + checks
    keep = (checks != NEVER_ISSUED) & (numbers != 9_999_999_999)
    valid: np.ndarray = numbers[keep]
    valid.flags.writeable = False
    return valid


def draw_nhs_numbers(
    rng: np.random.Generator, n: int, pool: np.ndarray | None = None
) -> np.ndarray:
    """``n`` different NHS numbers of ``pool`` (by default the whole test range), in random
    order."""
    pool = numbers_in_test_range() if pool is None else pool
    if n > len(pool):
        raise GboError(
            f"{n:,} NHS numbers were asked for, more than the {len(pool):,} in the range "
            "reserved for testing",
            hint="lower synth.nhs_numbers.people (the share of people who have a number), or "
            "leave it unset so that it is fitted to the range",
        )
    drawn: np.ndarray = pool[rng.choice(len(pool), size=n, replace=False)]
    return drawn


def holders_count(n_people: int, share: float | None, pool_size: int | None = None) -> int:
    """How many of ``n_people`` have an NHS number: ``share`` of them when declared, else
    all of them or as many as the pool (by default the test range) holds, whichever is
    fewer."""
    if share is None:
        return min(n_people, len(numbers_in_test_range()) if pool_size is None else pool_size)
    return round(share * n_people)


def shard_pool(index: int, count: int) -> np.ndarray:
    """The part of the test range kept for shard ``index`` of ``count`` (every ``count``-th
    number), so that shards generated apart never share a number; one shard has it all."""
    return numbers_in_test_range()[index::count]


def allocate_nhs_numbers(
    rng: np.random.Generator, n_people: int, share: float | None, pool: np.ndarray | None = None
) -> np.ndarray:
    """Each person's NHS number (int64), ``NOT_RECORDED`` for those who have none.

    Numbers come from ``pool`` (by default the whole test range). When everybody has one,
    the draw is exactly :func:`draw_nhs_numbers` (earlier generations are reproduced number
    for number); otherwise the holders are a random ``holders_count`` of the people, each
    with a different number."""
    k = holders_count(n_people, share, None if pool is None else len(pool))
    if k == n_people:
        return draw_nhs_numbers(rng, n_people, pool)
    numbers = np.full(n_people, NOT_RECORDED, dtype=np.int64)
    holders = rng.choice(n_people, size=k, replace=False)
    numbers[holders] = draw_nhs_numbers(rng, k, pool)
    return numbers


def swap_adjacent_digits(rng: np.random.Generator, numbers: np.ndarray) -> np.ndarray:
    """Each number with one pair of adjacent, unequal digits swapped (chosen at random)."""
    if len(numbers) == 0:
        return numbers.copy()
    digits = (numbers[:, None] // _PLACES) % 10
    unequal = digits[:, :-1] != digits[:, 1:]
    # A random pair among the unequal ones: every number drawn has at least one.
    where = np.argmax(np.where(unequal, rng.random(unequal.shape), -1.0), axis=1)
    rows = np.arange(len(numbers))
    left, right = digits[rows, where], digits[rows, where + 1]
    digits[rows, where], digits[rows, where + 1] = right, left
    swapped: np.ndarray = digits @ _PLACES
    return swapped


def record_nhs_numbers(
    rng: np.random.Generator, true_numbers: np.ndarray, share: float, keying_error_rate: float
) -> np.ndarray:
    """The NHS number on each record (``NOT_RECORDED`` where the record has none, and always
    where its person has none)."""
    n = len(true_numbers)
    recorded = np.where(rng.random(n) < share, true_numbers, NOT_RECORDED)
    mistyped = np.flatnonzero((recorded != NOT_RECORDED) & (rng.random(n) < keying_error_rate))
    recorded[mistyped] = swap_adjacent_digits(rng, recorded[mistyped])
    return recorded


def format_nhs_numbers(numbers: np.ndarray, separator: str | None) -> pa.Array:
    """NHS numbers as text: ten digits, or grouped 3-3-4 with ``separator``; null where not
    recorded."""
    digits = pc.cast(pa.array(numbers, mask=numbers == NOT_RECORDED), pa.string())
    if separator is None:
        return digits
    parts = [pc.utf8_slice_codeunits(digits, start, stop) for start, stop in ((0, 3), (3, 6))]
    return pc.binary_join_element_wise(
        *parts, pc.utf8_slice_codeunits(digits, 6, 10), pa.scalar(separator)
    )
