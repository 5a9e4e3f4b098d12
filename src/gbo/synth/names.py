"""Name pools and the variant tables that corrupt recorded names.

Pools are taken from Faker's person providers for several locales (their plain lists of
given and family names, read directly so no Faker randomness is involved) plus the members
of the transliteration sets below. Every person draws from the same pools with the same
weights, whatever their other characteristics.

Each pool carries variant tables: for a name at position ``i``, the variants are
``values[offsets[i]:offsets[i + 1]]``. Typing errors are made once per pool name, nicknames
come from the ``nicknames`` package, and transliteration variants from the sets below, so a
million records are corrupted by indexing, without a loop per record.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
import numpy as np
from nicknames import NickNamer

LOCALES = (
    "en_GB",
    "en_IE",
    "en_IN",
    "en_NG",
    "it_IT",
    "es_ES",
    "pt_PT",
    "fr_FR",
    "de_DE",
    "pl_PL",
    "ro_RO",
    "sk_SK",
    "cs_CZ",
    "hu_HU",
    "tr_TR",
)

# Spellings of one name that arise from transliteration or regional convention.
MALE_SETS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed"),
    ("Ahmed", "Ahmad", "Ahmet"),
    ("Yusuf", "Yousef", "Yusef", "Youssef"),
    ("Hussain", "Hussein", "Husain", "Hossain"),
    ("Abdul", "Abdel", "Abdoul"),
    ("Omar", "Umar", "Omer"),
    ("Aleksandr", "Alexander", "Oleksandr", "Aleksander"),
    ("Sergei", "Sergey", "Serhiy"),
    ("Dmitri", "Dmitry", "Dmitriy"),
    ("Yuri", "Yury", "Iurii"),
    ("Yevgeny", "Evgeny", "Evgeni"),
    ("Mikhail", "Mykhailo", "Michail"),
    ("Sean", "Shaun", "Shawn"),
    ("Stephen", "Steven"),
    ("Mohsin", "Muhsin"),
    ("Rahim", "Raheem"),
)
FEMALE_SETS: tuple[tuple[str, ...], ...] = (
    ("Aisha", "Ayesha", "Aysha", "Aishah"),
    ("Fatima", "Fatimah", "Fatma"),
    ("Mariam", "Maryam", "Miriam", "Meryem"),
    ("Natalia", "Natalya", "Nataliya"),
    ("Yulia", "Julia", "Iuliia"),
    ("Siobhan", "Shivaun", "Shevaun"),
    ("Zainab", "Zaynab", "Zeynep"),
    ("Khadija", "Khadijah", "Hatice"),
    ("Katherine", "Catherine", "Kathryn"),
    ("Leah", "Lea", "Lia"),
)
FAMILY_SETS: tuple[tuple[str, ...], ...] = (
    ("Chaudhry", "Choudhury", "Chowdhury", "Chaudhary"),
    ("Siddiqui", "Siddiqi", "Siddiqui"),
    ("Rahman", "Rehman"),
    ("Qureshi", "Kureshi", "Qureishi"),
    ("Iqbal", "Ikbal"),
    ("Hussain", "Hussein", "Husain"),
    ("Ivanov", "Ivanoff"),
    ("Kowalczyk", "Kowalczik"),
    ("Nowak", "Novak"),
    ("Shevchenko", "Schevchenko", "Sevcenko"),
    ("Mohammed", "Muhammad", "Mohamed"),
    ("O'Brien", "OBrien", "O Brien"),
    ("McDonald", "MacDonald", "Mcdonald"),
)


@dataclass(frozen=True)
class VariantTable:
    """Variants of each pool name: ``values[offsets[i]:offsets[i + 1]]``."""

    offsets: np.ndarray
    values: np.ndarray

    @classmethod
    def build(cls, variants: Sequence[Sequence[str]]) -> VariantTable:
        counts = np.fromiter((len(v) for v in variants), dtype=np.int64, count=len(variants))
        offsets = np.zeros(len(variants) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        values = np.array([name for v in variants for name in v] or [""], dtype=object)
        return cls(offsets, values)

    def count(self, index: np.ndarray) -> np.ndarray:
        count: np.ndarray = self.offsets[index + 1] - self.offsets[index]
        return count

    def pick(self, index: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """One variant per index (the index must have at least one variant)."""
        count = self.count(index)
        picked: np.ndarray = self.values[self.offsets[index] + (uniform * count).astype(np.int64)]
        return picked


@dataclass(frozen=True)
class NamePool:
    """Names with draw weights and their variants."""

    names: np.ndarray
    probabilities: np.ndarray
    typos: VariantTable
    nicknames: VariantTable
    transliterations: VariantTable

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class NamePools:
    given_female: NamePool
    given_male: NamePool
    family: NamePool


def _provider_names(locale: str, attributes: Iterable[str]) -> list[str]:
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ModuleNotFoundError:
        return []
    provider = module.Provider
    names: list[str] = []
    for attribute in attributes:
        values = getattr(provider, attribute, None)
        if values is not None and len(values) > 10:
            names.extend(str(v) for v in values)
    return names


def make_typos(name: str) -> list[str]:
    """A few typing errors of a name: a dropped, a doubled, a transposed and a wrong letter."""
    if len(name) < 3:
        return [name + name[-1:]]
    middle = len(name) // 2
    vowels = "aeiou"
    swap = name[:middle] + name[middle + 1] + name[middle] + name[middle + 2 :]
    wrong = name[:-1] + ("e" if name[-1] != "e" else "a")
    for i, ch in enumerate(name[1:], start=1):
        if ch in vowels:
            wrong = name[:i] + vowels[(vowels.index(ch) + 1) % 5] + name[i + 1 :]
            break
    typos = [name[:middle] + name[middle + 1 :], name[:middle] + name[middle] + name[middle:], swap]
    typos.append(wrong)
    return [t for t in dict.fromkeys(typos) if t != name]


def _variant_lookup(sets: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    lookup: dict[str, list[str]] = {}
    for members in sets:
        unique = list(dict.fromkeys(members))
        for name in unique:
            lookup.setdefault(name, []).extend(n for n in unique if n != name)
    return lookup


def _nicknames(names: Sequence[str]) -> list[list[str]]:
    namer = NickNamer()
    result = []
    for name in names:
        found = sorted(namer.nicknames_of(name.lower())) if name.isascii() else []
        result.append([n.capitalize() for n in found[:6] if n != name.lower()])
    return result


DEFAULT_FREQUENCY_SEED = 20240607


def _build_pool(
    names: Sequence[str], sets: Sequence[Sequence[str]], *, given: bool, frequency_seed: int
) -> NamePool:
    unique = list(dict.fromkeys(n.strip() for n in [*names, *(m for s in sets for m in s)]))
    unique = [n for n in unique if n and " " not in n.strip("'")]
    lookup = _variant_lookup(sets)
    ranks = np.arange(len(unique), dtype=np.float64)
    # Zipf-like weights over a fixed shuffle, so that some names are common and many rare.
    order = np.random.default_rng(frequency_seed).permutation(len(unique))
    weights = 1.0 / (ranks[order] + 25.0)
    return NamePool(
        names=np.array(unique, dtype=object),
        probabilities=weights / weights.sum(),
        typos=VariantTable.build([make_typos(n) for n in unique]),
        nicknames=VariantTable.build(_nicknames(unique) if given else [[] for _ in unique]),
        transliterations=VariantTable.build([lookup.get(n, []) for n in unique]),
    )


def alike_names(source: NamePool, target: NamePool) -> np.ndarray:
    """For each name of ``source``, the index of the most alike other name in ``target``
    (Jaro-Winkler >= 0.8, the same first letter: Daniel -> Danielle), or -1 where none is."""
    by_initial: dict[str, list[int]] = {}
    for index, name in enumerate(target.names):
        by_initial.setdefault(name[:1].lower(), []).append(index)
    alike = np.full(len(source), -1, dtype=np.int64)
    for index, name in enumerate(source.names):
        lowered = name.lower()
        best, best_score = -1, 0.8
        for candidate in by_initial.get(lowered[:1], []):
            other = str(target.names[candidate]).lower()
            if other == lowered:
                continue
            score = jellyfish.jaro_winkler_similarity(lowered, other)
            if score >= best_score:
                best, best_score = candidate, score
        alike[index] = best
    return alike


@lru_cache(maxsize=2)
def load_name_pools(frequency_seed: int = DEFAULT_FREQUENCY_SEED) -> NamePools:
    """The name pools (built once per process and seed).

    ``frequency_seed`` decides which names are common: another seed gives the same names
    with other frequencies (a held-out generator setting).
    """
    female: list[str] = []
    male: list[str] = []
    family: list[str] = []
    for locale in LOCALES:
        female += _provider_names(locale, ("first_names_female",))
        male += _provider_names(locale, ("first_names_male",))
        family += _provider_names(locale, ("last_names", "last_names_male"))
    return NamePools(
        given_female=_build_pool(female, FEMALE_SETS, given=True, frequency_seed=frequency_seed),
        given_male=_build_pool(male, MALE_SETS, given=True, frequency_seed=frequency_seed),
        family=_build_pool(family, FAMILY_SETS, given=False, frequency_seed=frequency_seed),
    )
