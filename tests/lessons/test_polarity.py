"""The polarity gate's inputs: negation scope marked word by word, and its labelled clauses."""

from __future__ import annotations

import csv
from pathlib import Path

from gbo.lessons.evaluation import probe_file, read_probe, read_register
from gbo.lessons.negation import analyse
from gbo.lessons.polarity import (
    polarity_examples,
    polarity_statements,
    scope_text,
    theme_statements,
)
from gbo.lessons.taxonomy import load_taxonomy

PROBES = Path(__file__).parents[1] / "data/lessons"
# the read probes: they train the gate (since stop 32) and the denied-theme models (stop 34)
READ_PROBES = [p.version for p in read_register(PROBES / "probes.toml") if p.use == "read"]
# the training probes of stop 39: they train the denied-theme models alone, not the gate
TRAINING_PROBES = sorted(PROBES.glob("training_probe_tp[0-9].csv"))


def _labelled(paths: list[Path]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Text -> (themes, denied) of every statement of the probe files and their controls."""
    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for path in paths:
        for each in (path, path.with_name(f"{path.stem}_controls.csv")):
            if each.exists():
                found |= {s.text: (s.themes, s.denied) for s in read_probe(each)}
    return found


def test_words_in_a_negators_scope_are_marked() -> None:
    (denied,) = analyse("The parents' concerns were not ignored.")
    assert "not_ignored" in denied.marked
    (failing,) = analyse("Information was not shared, and nobody followed up the referral.")
    assert scope_text(failing.affirmed_marked) == "shared followed up the referral"
    (plain,) = analyse("Records were complete and the flag was applied consistently.")
    assert scope_text(plain.affirmed_marked) == ""


def test_a_scope_ends_at_a_clause_boundary_and_at_and() -> None:
    (sentence,) = analyse("Concerns were not ignored and were acted on within a day.")
    assert scope_text(sentence.marked) == "ignored"


def test_a_scope_runs_on_past_as_but_not_past_a_clause_opened_by_it() -> None:
    (treated,) = analyse("The girls were at no stage regarded as willing participants.")
    assert scope_text(treated.marked) == "stage regarded as willing participants"
    (result,) = analyse("No referral was made as a result of the visit.")
    assert scope_text(result.marked) == "referral was made"


def test_a_clause_negex_drops_keeps_its_marks_out_of_the_affirmed_text() -> None:
    (sentence,) = analyse("The review found no wilful neglect, but a worrying lack of curiosity.")
    assert "neglect" not in sentence.affirmed_marked
    assert "not_neglect" in sentence.marked


def test_the_labelled_clauses_cover_both_sides_and_every_source() -> None:
    examples = polarity_examples(load_taxonomy(), published_wording=True)
    sources = {e.source for e in examples}
    assert sources == {
        "digest",
        "practice",
        "taxonomy",
        "contrast set",
        "contrast set 2",
        "tuned probe",
        "read probe",
    }
    failing = sum(e.failing for e in examples)
    assert 0.3 < failing / len(examples) < 0.7
    assert all(e.marked for e in examples)


def test_each_contrast_group_states_a_failing_and_its_opposite() -> None:
    groups: dict[str, set[bool]] = {}
    for group, source, failing, _ in polarity_statements():
        if source.startswith("contrast set"):
            groups.setdefault(group, set()).add(failing)
    assert len(groups) >= 220
    assert all(sides == {True, False} for sides in groups.values())


def test_the_read_probes_train_the_gate_as_they_are_labelled() -> None:
    """Every denial, good-practice and hedged sentence of the read probes is a
    statement that is not failing, every positive control a failing, and their mixed
    sentences (both at once) are left out."""
    trained = {
        text: failing
        for _, source, failing, text in polarity_statements()
        if source == "read probe"
    }
    expected: dict[str, bool] = {}
    for n in READ_PROBES:
        with probe_file(PROBES, n).open(encoding="utf-8") as fh:
            expected |= {r["text"]: False for r in csv.DictReader(fh) if r["kind"] != "mixed"}
        controls = probe_file(PROBES, n, controls=True)
        if controls.exists():
            with controls.open(encoding="utf-8") as fh:
                expected |= {r["text"]: True for r in csv.DictReader(fh)}
    assert trained == expected


def test_the_read_and_training_probes_name_the_themes_they_state_and_deny_as_labelled() -> None:
    """Every sentence of the read probes and the training probes, mixed ones included,
    carries the themes its file gives it (gbo.lessons.denied_themes), and nothing else does."""
    labelled = {s.text: (s.themes, s.denied) for s in theme_statements()}
    expected = _labelled([probe_file(PROBES, n) for n in READ_PROBES] + TRAINING_PROBES)
    assert labelled == {
        text: pair for text, pair in expected.items() if pair != (frozenset(), frozenset())
    }
    assert sum(bool(denied) for _, denied in labelled.values()) > 700


def test_the_training_probes_never_train_the_gate() -> None:
    """Four training probes of 120 statements and 50 controls each are in the statements,
    and none of them reaches the gate's training rows."""
    assert len(TRAINING_PROBES) == 4
    training = _labelled(TRAINING_PROBES)
    assert len(training) == 4 * 170
    assert set(training) <= {s.text for s in theme_statements()}
    gate = {text for _, _, _, text in polarity_statements()}
    assert not gate & set(training)
    assert not any(source == "training probe" for _, source, _, _ in polarity_statements())
