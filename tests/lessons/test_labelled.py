"""The labelled digests: splits fixed by document, the sealed split kept apart from training."""

from __future__ import annotations

import csv
from pathlib import Path

from gbo.lessons.evaluation import read_register, versioned_probe_files
from gbo.lessons.labelled import (
    PARAGRAPH_KINDS,
    SEALED,
    SPLITS,
    labelled_documents,
    labelled_paragraphs,
)
from gbo.lessons.taxonomy import load_taxonomy
from gbo.lessons.training_data import training_examples

SEALED_PROBE = Path(__file__).parents[1] / "data/lessons/negation_probe_sealed.csv"


def test_the_sealed_split_is_its_own_documents_and_sources() -> None:
    sealed = labelled_documents(SEALED)
    others = [d for s in SPLITS for d in labelled_documents(s)]
    assert len(sealed) >= 10
    assert not {d.doc_id for d in sealed} & {d.doc_id for d in others}
    assert not {d.source for d in sealed} & {d.source for d in others}
    assert all(d.themes for d in sealed)


def test_every_label_is_a_theme_and_every_paragraph_has_a_kind() -> None:
    ids = set(load_taxonomy().ids)
    for p in labelled_paragraphs():
        assert p.kind in PARAGRAPH_KINDS, (p.doc_id, p.line)
        assert p.themes <= ids and p.first_pass <= ids, (p.doc_id, p.line)
        assert bool(p.themes) == (p.kind == "finding"), (p.doc_id, p.line)


def test_no_sealed_text_is_a_training_example() -> None:
    sealed = {p.text for p in labelled_paragraphs() if p.split == SEALED}
    for example in training_examples(load_taxonomy()):
        assert not any(example.text in text for text in sealed), example.text


def test_the_sealed_probe_is_new_wording() -> None:
    folder = SEALED_PROBE.parent
    with SEALED_PROBE.open(encoding="utf-8") as fh:
        sealed = [r["text"] for r in csv.DictReader(fh)]
    seen: set[str] = set()
    for name in ("negation_probe.csv", "negation_probe_holdout.csv"):
        with (folder / name).open(encoding="utf-8") as fh:
            seen |= {r["text"] for r in csv.DictReader(fh)}
    assert len(sealed) >= 25
    assert not set(sealed) & seen


def test_no_probe_scored_as_a_test_is_read_in_training() -> None:
    """The first probe and the versioned probes the register (``probes.toml``) lists as
    tuned on or read train the polarity gate; the held-out, sealed and fresh probes, every
    other versioned probe (with its controls; found by file name, so a new probe is covered
    when it is written), the apparatus probe and the digests written by other hands
    (``outside_digests_v<n>.csv``) are scored and never read, so none of their
    sentences may be a training clause, a training line of the apparatus model or a statement
    of the denied-theme models, and the test digests' text is never a training example
    either."""
    from gbo.lessons.apparatus_form import training_lines
    from gbo.lessons.polarity import polarity_examples, theme_statements

    folder = SEALED_PROBE.parent
    scored: set[str] = set()
    paths = [folder / f"negation_probe_{name}.csv" for name in ("holdout", "sealed", "fresh")]
    versioned = versioned_probe_files(folder)
    # every versioned probe the register does not list as tuned on or read is never read
    used = {p.version for p in read_register(folder / "probes.toml") if p.use != "never read"}
    paths += [p for n, p in versioned if n not in used]
    paths += sorted(folder.glob("outside_digests_v*.csv"))
    assert len(paths) >= 3 + 2 * 5  # v15 to v19 at least, each with its controls
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            scored |= {r["text"] for r in csv.DictReader(fh)}
    with (folder / "apparatus_probe.csv").open(encoding="utf-8") as fh:
        scored |= {r["text"] for r in csv.DictReader(fh)}
    taxonomy = load_taxonomy()
    trained = {e.text for e in polarity_examples(taxonomy, published_wording=True)}
    trained |= {e.text for e in training_examples(taxonomy)}
    trained |= {text for text, _, _ in training_lines()}
    trained |= {s.text for s in theme_statements()}  # the denied-theme models' statements
    assert not scored & trained
    test_text = {p.text for p in labelled_paragraphs() if p.split == "test"}
    assert not test_text & trained


def test_the_digests_in_published_wording_train_the_coder_unless_told_not() -> None:
    """The digests in their authors' wording (26 written in stop 43, 55 of spent outside sets
    added in stop 49, 71 in stop 52) are a valid digests file, share no paragraph with any
    evaluation or development set, and train the theme models, the polarity gate and the
    denied-theme models by default, and nothing when told not to."""
    from importlib import resources

    from gbo.lessons.digest_file import read_digests
    from gbo.lessons.findings import is_apparatus
    from gbo.lessons.labelled import PUBLISHED_WORDING, published_wording_documents
    from gbo.lessons.polarity import digest_denials, polarity_examples

    taxonomy = load_taxonomy()
    with resources.as_file(resources.files("gbo.lessons") / "data" / PUBLISHED_WORDING) as path:
        documents = read_digests(path, taxonomy.ids)
    assert len(documents) >= 152
    texts = {p.text for d in documents for p in d.paragraphs if p.kind != "heading"}
    root = Path(__file__).parents[2]
    evaluation = sorted((root / "tests/data/lessons").glob("outside_digests_v*.csv"))
    evaluation += sorted((root / "benchmarks/data").glob("dev_digests_d*.csv"))
    assert len(evaluation) >= 7
    for each in evaluation:
        with each.open(encoding="utf-8") as fh:
            assert not texts & {" ".join(r["text"].split()) for r in csv.DictReader(fh)}
    held = {
        p.text for d in labelled_documents() if d.split in ("test", SEALED) for p in d.paragraphs
    }
    assert not texts & held
    assert not {d.doc_id for d in documents} & {d.doc_id for d in labelled_documents()}
    alone = training_examples(taxonomy, published_wording=False)
    gate_alone = polarity_examples(taxonomy, published_wording=False)
    trained = {e.text for e in alone} | {e.text for e in gate_alone}
    assert not texts & trained
    gate = polarity_examples(taxonomy, published_wording=True)
    assert {e.group for e in gate} - {e.group for e in gate_alone} == {d.doc_id for d in documents}
    by_default = training_examples(taxonomy)
    assert {e.group for e in by_default} - {e.group for e in alone} == {d.doc_id for d in documents}
    assert {d.doc_id for d in published_wording_documents()} == {d.doc_id for d in documents}
    # every body paragraph that denies a theme teaches the denied-theme models (stop 52): a
    # finding also states its own themes; none of them when told not to. A paragraph the
    # filters read as apparatus is never coded, so it teaches nothing either (one does).
    denials = digest_denials(published_wording=True)
    assert not digest_denials(published_wording=False)
    denying = [p for d in documents for p in d.paragraphs if p.denied]
    kept = [p for p in denying if not is_apparatus(p.text)]
    assert len(denying) - len(kept) <= 2
    assert sorted((s.text, s.themes, s.denied) for s in denials) == sorted(
        (p.text, p.themes if p.kind == "finding" else frozenset(), p.denied) for p in kept
    )
    assert len(denials) >= 200
