"""The lessons taxonomy and its coding rules, shipped as versioned data files.

``data/taxonomy.csv`` holds the learning themes (id, label, title, definition);
``data/theme_rules.toml`` holds the taxonomy's version and, per theme, the keyword cues and
exemplar statements the coder uses. ``data/taxonomy_changelog.csv`` records every version and
what changed in it; its last row must be the version in ``theme_rules.toml``. The version is
recorded in every output.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from gbo.errors import LessonsError


@dataclass(frozen=True)
class Theme:
    theme_id: str
    label: str
    title: str
    definition: str
    keywords: tuple[re.Pattern[str], ...]
    exemplars: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    version: str
    date: str
    change: str


@dataclass(frozen=True)
class Taxonomy:
    version: str
    themes: tuple[Theme, ...]
    changelog: tuple[Change, ...]

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.theme_id == theme_id:
                return theme
        raise KeyError(theme_id)

    @property
    def ids(self) -> list[str]:
        return [t.theme_id for t in self.themes]


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as exc:
        raise LessonsError(f"bad regular expression in {where}: {exc}") from exc


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    data = resources.files("gbo.lessons") / "data"
    with (data / "taxonomy.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rules = tomllib.loads((data / "theme_rules.toml").read_text(encoding="utf-8"))
    themes = []
    for row in rows:
        rule = rules["themes"].get(row["theme_id"], {})
        themes.append(
            Theme(
                theme_id=row["theme_id"],
                label=row["label"],
                title=row["title"],
                definition=row["definition"],
                keywords=_compile(rule.get("keywords", []), f"theme {row['theme_id']}"),
                exemplars=tuple(rule.get("exemplars", [])),
            )
        )
    with (data / "taxonomy_changelog.csv").open(encoding="utf-8") as fh:
        changelog = tuple(Change(r["version"], r["date"], r["change"]) for r in csv.DictReader(fh))
    version = str(rules["version"])
    if not changelog or changelog[-1].version != version:
        raise LessonsError(
            f"taxonomy version {version} has no entry at the end of taxonomy_changelog.csv",
            hint="add a row saying what changed in this version",
        )
    return Taxonomy(version, tuple(themes), changelog)


def keyword_themes(taxonomy: Taxonomy, text: str) -> set[str]:
    """The themes whose keyword cues match the text."""
    return {t.theme_id for t in taxonomy.themes if any(k.search(text) for k in t.keywords)}
