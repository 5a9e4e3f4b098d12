"""Measuring the coder: per-theme and micro precision, recall and F1 by document on the
labelled digests (each split apart), and false positives on a negation probe.

Documents are measured through the real pipeline: each digest is written as a text file
into a temporary library and read, filtered, split and coded exactly as a user's review
would be. A document's predicted themes are those of any of its assignments.
"""

from __future__ import annotations

import csv
import tempfile
import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from gbo.errors import LessonsError
from gbo.lessons.analysis import SentenceCoder, code_library, finding_passages
from gbo.lessons.csv_input import numbered_rows, theme_id_field
from gbo.lessons.labelled import LabelledDocument
from gbo.lessons.library import read_library
from gbo.lessons.negation import analyse_many
from gbo.lessons.scores import Scores, document_scores, score_sets
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import Taxonomy
from gbo.lessons.uncertainty import Interval, clustered_share_interval, micro_f1_interval


@dataclass(frozen=True)
class ProbeStatement:
    statement_id: str
    kind: str
    text: str
    # a "mixed" statement joins a real finding to a negated clause: the themes it truly
    # carries, and the theme its negated clause would suggest (both empty for the rest)
    themes: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()


def coded_paragraphs(
    taxonomy: Taxonomy,
    documents: Sequence[LabelledDocument],
    settings: LessonsSettings,
    coder: SentenceCoder | None = None,
) -> list[dict[str, frozenset[int]]]:
    """Per digest, each theme the pipeline finds in it and where: the indexes (in
    ``paragraphs``) of the paragraphs it is found in. The digest is written as a text review,
    one block per paragraph, so the reader's paragraph n is the digest's paragraph n - 1."""
    with tempfile.TemporaryDirectory(prefix="gbo-lessons-eval-") as folder:
        library = Path(folder)
        with (library / "library.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "title", "area", "year", "review_type"])
            for doc in documents:
                (library / f"{doc.doc_id}.txt").write_text(doc.as_text(), encoding="utf-8")
                writer.writerow([f"{doc.doc_id}.txt", doc.source, "", "", ""])
        entries = read_library(library)
        coding = code_library(entries, taxonomy, settings, {}, coder=coder)
    by_file: dict[str, dict[str, set[int]]] = {f"{d.doc_id}.txt": {} for d in documents}
    for a in coding.assignments:
        found = by_file[str(a["file"])].setdefault(str(a["theme_id"]), set())
        found.add(int(str(a["paragraph"])) - 1)
    return [
        {t: frozenset(where) for t, where in by_file[f"{d.doc_id}.txt"].items()} for d in documents
    ]


def predict_documents(
    taxonomy: Taxonomy,
    documents: Sequence[LabelledDocument],
    settings: LessonsSettings,
    coder: SentenceCoder | None = None,
) -> list[frozenset[str]]:
    """The themes the pipeline finds in each digest."""
    return [frozenset(c) for c in coded_paragraphs(taxonomy, documents, settings, coder)]


def denied_assigned(
    documents: Sequence[LabelledDocument], predicted: Sequence[frozenset[str]]
) -> tuple[int, int]:
    """Of the themes each document only denies or praises (``denied_only``), how many the
    coder gave it, and how many there are."""
    pairs = list(zip(documents, predicted, strict=True))
    return sum(len(d.denied_only & p) for d, p in pairs), sum(len(d.denied_only) for d, _ in pairs)


def denied_assigned_on_denial(
    documents: Sequence[LabelledDocument], coded: Sequence[dict[str, frozenset[int]]]
) -> int:
    """Of the denied themes assigned (:func:`denied_assigned`), how many were found in a
    paragraph that denies them: the denial itself misread, rather than a finding elsewhere in
    the document given a theme the document denies (a confusion of neighbouring themes)."""
    return sum(
        any(t in d.paragraphs[i].denied for i in where[t])
        for d, where in zip(documents, coded, strict=True)
        for t in d.denied_only & where.keys()
    )


@dataclass(frozen=True)
class DigestScores:
    """How the coder did on labelled digests, by document (:func:`digest_scores`)."""

    micro: Scores
    on_denial: int  # of the denied themes given, found in the paragraph that denies them
    per_document: tuple[Scores, ...]  # each document's counts, which sum to ``micro``
    # each document's (denied themes given, themes it only denies)
    denied_per_document: tuple[tuple[int, int], ...]

    @property
    def denied_given(self) -> int:
        """Themes a document only denies, given all the same (summed over documents)."""
        return sum(given for given, _ in self.denied_per_document)

    @property
    def denied(self) -> int:
        """Themes a document only denies (summed over documents)."""
        return sum(total for _, total in self.denied_per_document)

    @cached_property
    def f1_interval(self) -> Interval | None:
        return micro_f1_interval(self.per_document)

    @property
    def denied_interval(self) -> Interval | None:
        """The share of denied themes given, documents as clusters."""
        return clustered_share_interval(self.denied_per_document)

    def figures(self) -> str:
        """Precision, recall and micro-F1 with its interval."""
        f1 = self.f1_interval
        return (
            f"precision {self.micro.precision:.3f}, recall {self.micro.recall:.3f}, micro-F1 "
            f"{self.micro.f1:.3f}" + (f" (95% interval {f1.text()})" if f1 else "")
        )

    def line(self) -> str:
        """:meth:`figures`, and the denied themes given with their share's interval."""
        denied = self.denied_interval
        return (
            f"{self.figures()}; {self.denied_given} of {self.denied} denied themes given"
            + (f" (share {denied.text()})" if denied else "")
            + f", {self.on_denial} on their denial"
        )


def digest_scores(
    ids: Sequence[str],
    documents: Sequence[LabelledDocument],
    coded: Sequence[dict[str, frozenset[int]]],
) -> DigestScores:
    """Micro-averaged scores by document and the denied themes given, from where the coder
    found each theme in each document (:func:`coded_paragraphs`)."""
    predicted = [frozenset(c) for c in coded]
    gold = [d.themes for d in documents]
    _, micro = score_sets(ids, gold, predicted)
    return DigestScores(
        micro,
        denied_assigned_on_denial(documents, coded),
        tuple(document_scores(ids, gold, predicted)),
        tuple(denied_assigned([d], [p]) for d, p in zip(documents, predicted, strict=True)),
    )


# the kinds of probe statement; a theme given to one of the first three is a false positive
PROBE_KINDS = ("negated", "good", "hedged", "mixed", "affirmed")
NOT_FAILING = frozenset(PROBE_KINDS[:3])
PROBE_COLUMNS = ("statement_id", "kind", "text")


def read_probe(path: Path, known: Collection[str] | None = None) -> list[ProbeStatement]:
    """Probe statements: columns statement_id, kind (one of :data:`PROBE_KINDS`) and text,
    and optionally themes (what the statement states as failings) and denied (what it
    denies, praises or hedges), theme ids separated by ``|`` and checked against ``known``
    when it is given. A fault is an error naming the file, row and column."""
    if not path.is_file():
        raise LessonsError(
            "negation probe not found",
            hint="pass --probe with a CSV of statement_id, kind, text",
            path=path,
        )
    rows = numbered_rows(
        path,
        PROBE_COLUMNS,
        "probe",
        "a probe has the columns statement_id, kind and text, and may have themes and denied",
    )
    found: list[ProbeStatement] = []
    seen: set[str] = set()
    for row, r in rows:
        statement_id, kind = ((r.get(c) or "").strip() for c in ("statement_id", "kind"))
        text = r.get("text") or ""
        if not statement_id or statement_id in seen:
            problem = "empty" if not statement_id else f"{statement_id!r} is used twice"
            raise LessonsError(f"row {row}, column statement_id: {problem}", path=path)
        seen.add(statement_id)
        if kind not in PROBE_KINDS:
            raise LessonsError(
                f"row {row}, column kind: {kind!r} is not a kind of statement",
                hint=f"use one of {', '.join(PROBE_KINDS)}",
                path=path,
            )
        if not text.strip():
            raise LessonsError(f"row {row}, column text: empty", path=path)
        themes = theme_id_field(r.get("themes"), row, "themes", known, path)
        denied = theme_id_field(r.get("denied"), row, "denied", known, path)
        if themes & denied:
            raise LessonsError(
                f"row {row}, columns themes and denied: {', '.join(sorted(themes & denied))} "
                "is both stated and denied",
                path=path,
            )
        if themes and kind in NOT_FAILING:
            raise LessonsError(
                f"row {row}, column themes: a {kind} statement states no failing",
                hint="put the theme ids it speaks of in denied, or make it mixed",
                path=path,
            )
        found.append(ProbeStatement(statement_id, kind, text, themes, denied))
    return found


class VersionedProbe(BaseModel):
    """One versioned negation probe of a register (``probes.toml``): how far it has been
    used and the figures the coder is held to on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    use: Literal["tuned", "read", "never read"]
    status: str
    rows: int
    most_false_positives: int
    least_control_themes: int | None = None  # None: the probe has no positive controls


def probe_file(folder: Path, version: int, controls: bool = False) -> Path:
    """A versioned probe's file (``negation_probe_v<n>.csv``) or its positive controls'."""
    return folder / f"negation_probe_v{version}{'_controls' if controls else ''}.csv"


def versioned_probe_files(folder: Path) -> list[tuple[int, Path]]:
    """Every versioned probe file of a folder, controls included, with its version."""
    return [(int(p.stem.split("_")[2][1:]), p) for p in folder.glob("negation_probe_v*.csv")]


def read_register(path: Path) -> list[VersionedProbe]:
    """The ``[[probe]]`` tables of a register of versioned probes, in version order."""
    try:
        with path.open("rb") as fh:
            tables = tomllib.load(fh).get("probe", [])
        probes = [VersionedProbe.model_validate(t) for t in tables]
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise LessonsError(
            f"the probe register cannot be read: {exc}",
            hint="give each [[probe]] a version, use, status, rows and most_false_positives",
            path=path,
        ) from exc
    return sorted(probes, key=lambda p: p.version)


def probe_themes(statements: Sequence[ProbeStatement], coder: SentenceCoder) -> list[set[str]]:
    """The themes coded in each probe statement."""
    analysed = analyse_many([s.text for s in statements])
    flat = [sentence for sentences in analysed for sentence in sentences]
    owner = [i for i, sentences in enumerate(analysed) for _ in sentences]
    themes: list[set[str]] = [set() for _ in statements]
    for i, codes in zip(owner, coder(flat), strict=True):
        themes[i].update(c.theme_id for c in codes)
    return themes


def probe_false_positives(
    statements: Sequence[ProbeStatement], coder: SentenceCoder
) -> list[tuple[ProbeStatement, list[str]]]:
    """Probe statements given a theme they do not carry (any theme, for a negated, hedged
    or good-practice statement), with those themes."""
    found = probe_themes(statements, coder)
    return [
        (s, sorted(t - s.themes)) for s, t in zip(statements, found, strict=True) if t - s.themes
    ]


@dataclass(frozen=True)
class MixedScores:
    statements: int
    themes_found: int  # of the themes the mixed statements carry
    themes_wanted: int
    denied_assigned: int  # themes of a negated clause that were assigned


def mixed_scores(statements: Sequence[ProbeStatement], coder: SentenceCoder) -> MixedScores:
    """How the mixed statements of a probe fare: their real themes found, denied ones given."""
    mixed = [s for s in statements if s.kind == "mixed"]
    found = probe_themes(mixed, coder)
    return MixedScores(
        len(mixed),
        sum(len(t & s.themes) for s, t in zip(mixed, found, strict=True)),
        sum(len(s.themes) for s in mixed),
        sum(len(t & s.denied) for s, t in zip(mixed, found, strict=True)),
    )


def apparatus_coded(
    lines: Sequence[str],
    taxonomy: Taxonomy,
    settings: LessonsSettings,
    coder: SentenceCoder | None = None,
) -> tuple[list[str], list[str]]:
    """Apparatus lines (titles, citations, metadata ...) read as one document through the real
    pipeline: those that reach the coder as sentences, and those given any theme."""
    with tempfile.TemporaryDirectory(prefix="gbo-lessons-apparatus-") as folder:
        library = Path(folder)
        (library / "apparatus.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        entries = read_library(library)
        found, _ = finding_passages(entries)
        coding = code_library(entries, taxonomy, settings, {}, coder=coder)
    paragraphs = entries[0].document.paragraphs if entries[0].document else []
    number = {p.number: p.text for p in paragraphs}
    passed = sorted({number[p.paragraph] for p in found})
    coded = sorted({number[int(str(a["paragraph"]))] for a in coding.assignments})
    return passed, coded


@dataclass(frozen=True)
class ControlScores:
    statements: int
    themes_found: int  # of the themes the affirmed statements carry
    themes_wanted: int
    none_found: int  # statements given none of their themes

    @property
    def recall(self) -> float:
        return self.themes_found / self.themes_wanted if self.themes_wanted else 1.0


def control_scores(statements: Sequence[ProbeStatement], coder: SentenceCoder) -> ControlScores:
    """How a probe's positive controls (affirmed findings labelled with their themes, worded
    with the same cues as its denials) fare: their themes found."""
    wanted = [s for s in statements if s.themes]
    found = probe_themes(wanted, coder)
    return ControlScores(
        len(wanted),
        sum(len(t & s.themes) for s, t in zip(wanted, found, strict=True)),
        sum(len(s.themes) for s in wanted),
        sum(not t & s.themes for s, t in zip(wanted, found, strict=True)),
    )


LIST_LEAD = "The panel's findings on this part of the case are summarised in the list below."


def list_item_themes(
    items: Sequence[str],
    taxonomy: Taxonomy,
    settings: LessonsSettings,
    coder: SentenceCoder | None = None,
) -> list[set[str]]:
    """Bullet items read through the real pipeline as a list in a text file (a lead-in
    sentence, then one item per line with no blank line between them, as a review lays
    out a list): the themes coded in each item."""
    with tempfile.TemporaryDirectory(prefix="gbo-lessons-list-") as folder:
        library = Path(folder)
        text = (
            LIST_LEAD
            + "\n\n"
            + "\n".join(items)
            + "\n\nThe review then turned to the next period.\n"
        )
        (library / "list.txt").write_text(text, encoding="utf-8")
        coding = code_library(read_library(library), taxonomy, settings, {}, coder=coder)
    squash = [" ".join(i.lstrip("-•*– ").split()) for i in items]
    found: list[set[str]] = [set() for _ in items]
    for a in coding.assignments:
        evidence = " ".join(str(a["evidence"]).lstrip("-•*– ").split())
        for k, item in enumerate(squash):
            if evidence and (evidence in item or item in evidence):
                found[k].add(str(a["theme_id"]))
    return found
