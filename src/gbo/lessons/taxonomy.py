"""The lessons taxonomy and its coding rules, shipped as versioned data files.

``data/taxonomy.csv`` holds the learning themes (id, label, title, definition);
``data/theme_rules.toml`` holds, per theme, the keyword rules and exemplar statements the
coders use, and the negation cues. Both carry the version recorded in every output.
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
class Taxonomy:
    version: str
    themes: tuple[Theme, ...]
    negation_cues: tuple[re.Pattern[str], ...]

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
    negation = _compile(rules["negation"]["cues"], "negation cues")
    return Taxonomy(str(rules["version"]), tuple(themes), negation)
