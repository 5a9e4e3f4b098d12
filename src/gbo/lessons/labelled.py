"""The labelled case review digests that train, tune and test the classifier.

``data/labelled_reviews.csv`` holds one row per paragraph of short digests written, in
paraphrase, from the published findings of case reviews and inquiries: its document, the
split the document belongs to (train, dev or test, fixed by document before any tuning),
the kind of paragraph (title, metadata, heading, reference, finding, negated, good_practice,
hedged), the first-pass themes, the themes after a second reading, and a note where the two
differ. ``data/other_hands_reviews.csv`` holds, in the same columns and all in the train
split, digests of invented reviews written and labelled by other hands (helper sessions given
only the taxonomy, each asked for another style), with the themes each negated, good-practice
or hedged paragraph denies, praises or leaves open: one author's digests alone taught the
coder one author's wording. ``data/published_wording_reviews.csv`` (:data:`PUBLISHED_WORDING`)
holds, in the same columns and all in the train split, 152 digests that paraphrase real
published reports closely, in their authors' wording: 26 written as training data (stop 43),
the 55 of outside sets v6, v8, v9 and v10 (since stop 49) and the 71 of outside sets v11 to
v16 (since stop 52), each set spent as a judge first. They are not among the labelled
documents: they train the theme models, the polarity gate and the denied-theme models (since
stop 52; not the form model), and a run can leave them out (``train_on_published_wording``,
:data:`TRAIN_ON_PUBLISHED_WORDING`, :func:`published_wording_documents`). They raise F1 on
people's wording and a little the themes given to denials (docs/methodology/lessons.md, "Two
coders").
``data/sealed_reviews.csv`` holds, in the same columns, a *sealed* split of digests of other
reviews and inquiries, written and labelled (with a second pass) before the coder was last
changed. It is read only to report a score: never for training, thresholds or any choice of
setting.
``data/practice_statements.csv`` holds sentences of good practice and review procedure that
carry no theme (training only). The negation probes live with the tests; the first (tuned)
one is also copied into ``polarity_statements.csv`` to train the polarity gate
(gbo.lessons.polarity), the others are never read in training.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SPLITS = ("train", "dev", "test")
TRAINING_SPLITS = ("train", "dev")  # what models are fitted on; the test split only scores
SEALED = "sealed"
OTHER_HANDS = "other_hands_reviews.csv"
FILES = ("labelled_reviews.csv", OTHER_HANDS, "sealed_reviews.csv")
PUBLISHED_WORDING = "published_wording_reviews.csv"  # not among FILES: not the form model
# whether the coder learns from PUBLISHED_WORDING unless told otherwise: yes since stop 46,
# when a rule written beforehand chose it on a never-read set (docs/methodology/lessons-history.md)
TRAIN_ON_PUBLISHED_WORDING = True
# the spent outside sets in PUBLISHED_WORDING (docs/methodology/spent-sets/), each by the
# prefixes of its digests' doc_id: scored as outside sets by a fit without each
SPENT_SETS = {f"v{n}": (f"p{n}a_", f"p{n}b_") for n in (6, *range(8, 17))}
BODY_KINDS = ("finding", "negated", "good_practice", "hedged")
# every kind of paragraph a digest has: its apparatus, then the body
PARAGRAPH_KINDS = ("title", "metadata", "heading", "reference", *BODY_KINDS)
DENYING_KINDS = BODY_KINDS[1:]  # paragraphs that name the themes they deny, praise or leave open


@dataclass(frozen=True)
class LabelledParagraph:
    doc_id: str
    source: str
    split: str
    line: int
    kind: str
    first_pass: frozenset[str]
    themes: frozenset[str]
    text: str
    # the themes a negated or good-practice paragraph denies or praises, where the file
    # records them (the other hands' digests and an analyst's own may; the first author's do not)
    denied: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LabelledDocument:
    doc_id: str
    source: str
    split: str
    paragraphs: tuple[LabelledParagraph, ...]

    @property
    def themes(self) -> frozenset[str]:
        return frozenset(t for p in self.paragraphs for t in p.themes)

    @property
    def denied_only(self) -> frozenset[str]:
        """Themes the digest denies or praises and never states as a failing: any of them
        the coder gives the document is a denied theme assigned."""
        return frozenset(t for p in self.paragraphs for t in p.denied) - self.themes

    def as_text(self) -> str:
        """The digest as a plain text review: one paragraph per block, headings marked."""
        blocks = [("# " if p.kind == "heading" else "") + p.text for p in self.paragraphs]
        return "\n\n".join(blocks) + "\n"


def theme_ids(value: str | None) -> frozenset[str]:
    """The theme ids of a field that separates them with ``|`` (none when empty)."""
    return frozenset(t.strip() for t in (value or "").split("|") if t.strip())


@lru_cache(maxsize=1)
def labelled_paragraphs() -> tuple[LabelledParagraph, ...]:
    """Every labelled paragraph: the train, dev and test digests, then the sealed ones."""
    return tuple(p for name in FILES for p in _read(name))


@lru_cache(maxsize=len(FILES) + 1)
def _read(name: str) -> tuple[LabelledParagraph, ...]:
    data = resources.files("gbo.lessons") / "data" / name
    with data.open(encoding="utf-8") as fh:
        return tuple(
            LabelledParagraph(
                r["doc_id"],
                r["source"],
                r["split"],
                int(r["line"]),
                r["kind"],
                theme_ids(r["first_pass"]),
                theme_ids(r["themes"]),
                r["text"],
                theme_ids(r.get("denied")),
            )
            for r in csv.DictReader(fh)
        )


def _documents(paragraphs: Iterable[LabelledParagraph]) -> list[LabelledDocument]:
    grouped: dict[str, list[LabelledParagraph]] = defaultdict(list)
    for para in paragraphs:
        grouped[para.doc_id].append(para)
    return [
        LabelledDocument(doc_id, paras[0].source, paras[0].split, tuple(paras))
        for doc_id, paras in grouped.items()
    ]


def labelled_documents(split: str | None = None) -> list[LabelledDocument]:
    """The digests, in file order, of one split (or all, the sealed split included)."""
    return [d for d in _documents(labelled_paragraphs()) if split is None or d.split == split]


def published_wording_documents() -> list[LabelledDocument]:
    """The digests in published wording (:data:`PUBLISHED_WORDING`), all in the train split,
    for a classifier asked to learn from them too."""
    return _documents(_read(PUBLISHED_WORDING))


@lru_cache(maxsize=1)
def other_hands_ids() -> frozenset[str]:
    """The documents of ``other_hands_reviews.csv``."""
    return frozenset(p.doc_id for p in _read(OTHER_HANDS))


@lru_cache(maxsize=1)
def practice_statements() -> tuple[str, ...]:
    """Good-practice and procedural sentences with no theme (negated ones left out)."""
    data = resources.files("gbo.lessons") / "data" / "practice_statements.csv"
    with data.open(encoding="utf-8") as fh:
        return tuple(r["text"] for r in csv.DictReader(fh) if r["kind"] != "negated")
