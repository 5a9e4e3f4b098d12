"""The default trained classifier (over all-mpnet-base-v2) on the labelled digests and the
probes. Fitting takes about eight minutes on two cores when the user's cache does not hold it
(a clean machine); the classifier is also kept per process. The lighter MiniLM coder, and the
cache and the reproducibility of a fit, are tested in test_classifier_minilm.py; the guards
on the outside digest sets in test_classifier_outside.py."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from gbo.lessons import denied_themes, theme_location
from gbo.lessons.analysis import default_coder
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.coding import Code, code_sentences
from gbo.lessons.evaluation import (
    apparatus_coded,
    control_scores,
    list_item_themes,
    mixed_scores,
    predict_documents,
    probe_false_positives,
    probe_file,
    read_probe,
    read_register,
)
from gbo.lessons.labelled import labelled_documents
from gbo.lessons.negation import analyse
from gbo.lessons.scores import score_sets
from gbo.lessons.settings import LessonsSettings
from tests.lessons.outside_sets import DATA, TAXONOMY

pytestmark = pytest.mark.slow
# Regression guards at the measured figures (see docs/methodology/lessons.md and
# lessons-history.md): they assert the level measured, not the level aimed for. The default
# coder's theme models learn from the digests in published wording too since stop 46 (since
# stop 49 with the spent outside sets v6, v8, v9 and v10 among them, since stop 52 with v11 to
# v16 too, which also teach the gate and the denied-theme models), and every learned part
# reads all-mpnet-base-v2 since stop 48 (judged in stop 47); the guards of the coders before
# then are in git history, and MiniLM's are kept for the lighter option in
# test_classifier_minilm.py.
# Test split: 17 digests, micro-F1 0.814 at the end of stop 28 (0.833 before it), 0.820 at
# the end of stop 32, 0.814 at the end of stop 34 (the denied-theme models drop one right
# theme), 0.820 with the digests in published wording (stop 46), 0.857 over mpnet (stop 47),
# 0.880 with the spent sets in people's wording in training (stop 49), 0.878 with v11 to v16
# too (stop 52); the probes still have false positives.
MIN_TEST_F1 = 0.87
MAX_PROBE_FALSE_POSITIVES = 0  # the polarity gate is trained on this probe
MAX_HELD_OUT_PROBE_FALSE_POSITIVES = 0  # never tuned on; a guard against getting worse
# never tuned on; a guard, not a target (1 before mpnet, stop 47)
MAX_SEALED_PROBE_FALSE_POSITIVES = 2
# written before the polarity gate; never tuned on. 2 until stop 38, when training on digests
# by other hands found more themes everywhere and two more of its denials; 2 again over mpnet
MAX_FRESH_PROBE_FALSE_POSITIVES = 2
MAX_V6_DENIED_THEMES = 0  # themes of a negated clause given to v6's mixed statements
MAX_V7_DENIED_THEMES = 0
# real themes found in the mixed statements of the read probes v6 to v10 (of 86): 38 before
# sentences refused by the gate as a whole were rescued from their failing clauses (stop 30),
# 44 after, 43 since the read probes train the gate (stop 32), 42 since the theme-location
# model (stop 36: it drops a theme that the good-practice half of a sentence shares with its
# failing half; docs/methodology/lessons-history.md); the guard then stayed at 42 while the
# coder trained on the taxonomy's wording reached 56 (stops 38-40); 54 with the digests in
# published wording (stop 46); 65 over mpnet (stop 47), and still with the spent sets in
# people's wording (stop 49), 64 since the gate and the denied-theme models learn from them
# too (stop 52)
MIN_READ_MIXED_THEMES = 64
MIN_V7_LISTED_CONTROL_THEMES = 3  # of the 5 themes of its bullet items, read as a list
PROBE = DATA / "negation_probe.csv"
HELD_OUT_PROBE = DATA / "negation_probe_holdout.csv"
SEALED_PROBE = DATA / "negation_probe_sealed.csv"
FRESH_PROBE = DATA / "negation_probe_fresh.csv"
# the versioned probes, how far each has been used and its guards
VERSIONED = read_register(DATA / "probes.toml")


def versioned(n: int) -> Path:
    return probe_file(DATA, n)


def controls_of(n: int) -> Path:
    return probe_file(DATA, n, controls=True)


V6_PROBE, V7_PROBE, V10_PROBE = versioned(6), versioned(7), versioned(10)
V7_CONTROLS = controls_of(7)
APPARATUS_PROBE = DATA / "apparatus_probe.csv"


def test_the_splits_are_by_document_and_fixed() -> None:
    splits = {d.doc_id: d.split for d in labelled_documents()}
    assert len(splits) >= 40
    assert sum(s == "test" for s in splits.values()) == 17
    assert sum(s == "dev" for s in splits.values()) == 8


def test_a_negated_clause_leaves_the_affirmed_finding(classifier: ThemeClassifier) -> None:
    sentence = (
        "The review saw no evidence of wilful neglect by any organisation, but there was a "
        "worrying lack of professional curiosity and follow-through."
    )
    codes = code_sentences(TAXONOMY, analyse(sentence), classifier)
    assert {c.theme_id for c in codes[0]} == {"T07"}


def test_a_good_practice_clause_does_not_hide_the_failing_beside_it(
    classifier: ThemeClassifier,
) -> None:
    """Mixed statements of the read probes: the failing clause's theme is coded and the good
    practice's is not. Both used to be pulled below the gate by the good-practice clause, and
    the failing clause rescued; once the read probes trained the gate (v10's S062) and the
    other hands' digests trained it too (v7's S048, stop 38), the MiniLM coder let both through
    whole. Over mpnet (stop 47) the gate refuses v7's S048 as a whole again and its failing
    clause is rescued; v10's S062 passes whole and also gets earlier learning not implemented
    (T19), a theme it neither states nor denies ("in the year since the review ... still not
    been offered any training")."""
    for path, row, refused in ((V7_PROBE, "S048", True), (V10_PROBE, "S062", False)):
        statement = next(s for s in read_probe(path) if s.statement_id == row)
        sentences = analyse(statement.text)
        _, failure = classifier.probabilities(
            [s.affirmed_text for s in sentences], [s.affirmed_marked for s in sentences]
        )
        assert (failure < classifier.tuning.failure_gate).all() == refused, row
        codes = {c.theme_id for cs in code_sentences(TAXONOMY, sentences, classifier) for c in cs}
        assert statement.themes <= codes, row
        assert not codes & statement.denied, row


def test_a_theme_the_sentence_only_denies_is_dropped(
    classifier: ThemeClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coded themes are those the classifier and the gate give less those the denied-theme
    models or the theme-location model find denied, and on the read probe v14 both rules drop
    some."""
    sentences = [x for s in read_probe(versioned(14)) for x in analyse(s.text)]
    codes = code_sentences(TAXONOMY, sentences, classifier)
    index = {t: k for k, t in enumerate(classifier.ids)}

    def matrix(found: list[list[Code]]) -> npt.NDArray[np.bool_]:
        given = np.zeros((len(sentences), len(classifier.ids)), dtype=bool)
        for i, cs in enumerate(found):
            given[i, [index[c.theme_id] for c in cs]] = True
        return given

    def dropped(denied: float, drop: float) -> npt.NDArray[np.bool_]:
        monkeypatch.setattr(denied_themes, "DENIED", denied)
        monkeypatch.setattr(theme_location, "DROP", drop)
        return classifier.denied(sentences, undropped)

    rules = (denied_themes.DENIED, theme_location.DROP)
    monkeypatch.setattr(denied_themes, "DENIED", 1.01)
    monkeypatch.setattr(theme_location, "DROP", 1.01)
    undropped = matrix(code_sentences(TAXONOMY, sentences, classifier))
    assert not dropped(1.01, 1.01).any()
    by_themes, by_location = dropped(rules[0], 1.01), dropped(1.01, rules[1])
    denied = dropped(*rules)
    assert (matrix(codes) == (undropped & ~denied)).all()
    assert (denied == by_themes | by_location).all()
    assert by_themes.any() and by_location.any()


def test_document_scores_on_the_test_split(
    classifier: ThemeClassifier, settings: LessonsSettings
) -> None:
    documents = labelled_documents("test")
    coder, description = default_coder(TAXONOMY, settings)
    assert description is not None and "all-mpnet-base-v2" in str(description["model"])
    predicted = predict_documents(TAXONOMY, documents, settings, coder)
    _, micro = score_sets(TAXONOMY.ids, [d.themes for d in documents], predicted)
    assert micro.f1 >= MIN_TEST_F1, (micro.precision, micro.recall, micro.f1)


def test_negation_probe(classifier: ThemeClassifier, settings: LessonsSettings) -> None:
    coder, _ = default_coder(TAXONOMY, settings)
    statements = read_probe(PROBE)
    assert len(statements) >= 80
    false_positives = probe_false_positives(statements, coder)
    assert len(false_positives) <= MAX_PROBE_FALSE_POSITIVES, false_positives
    held_out = read_probe(HELD_OUT_PROBE)
    assert len(held_out) >= 20
    false_positives = probe_false_positives(held_out, coder)
    assert len(false_positives) <= MAX_HELD_OUT_PROBE_FALSE_POSITIVES, false_positives
    # probe, its size (None: not checked), most false positives; then mixed statements,
    # most themes of a denied clause given
    for path, size, most in (
        (SEALED_PROBE, None, MAX_SEALED_PROBE_FALSE_POSITIVES),
        (FRESH_PROBE, 40, MAX_FRESH_PROBE_FALSE_POSITIVES),
        *((versioned(p.version), p.rows, p.most_false_positives) for p in VERSIONED),
    ):
        statements = read_probe(path)
        assert size is None or len(statements) == size, path.name
        false_positives = probe_false_positives(statements, coder)
        assert len(false_positives) <= most, (path.name, len(false_positives))
    for path, size, most in (
        (V6_PROBE, 13, MAX_V6_DENIED_THEMES),
        (V7_PROBE, 12, MAX_V7_DENIED_THEMES),
    ):
        mixed = mixed_scores(read_probe(path), coder)
        assert mixed.statements == size
        assert mixed.denied_assigned <= most, (path.name, mixed)
    read = [mixed_scores(read_probe(p), coder) for p in map(versioned, range(6, 11))]
    assert sum(m.themes_wanted for m in read) == 86
    assert sum(m.themes_found for m in read) >= MIN_READ_MIXED_THEMES, read


def test_positive_controls_keep_their_themes(
    classifier: ThemeClassifier, settings: LessonsSettings
) -> None:
    """Affirmed findings worded with the v7 probe's cues keep their themes (a guard against
    fixes that only suppress), also when their bullet items are read as a list."""
    coder, _ = default_coder(TAXONOMY, settings)
    controls = read_probe(V7_CONTROLS)
    for probe in VERSIONED:
        if probe.least_control_themes is not None:
            found = control_scores(read_probe(controls_of(probe.version)), coder).themes_found
            assert found >= probe.least_control_themes, (probe.version, found)
    bullets = [s for s in controls if s.text[:1] in "-•"]
    themes = list_item_themes([s.text for s in bullets], TAXONOMY, settings, coder)
    found = sum(len(t & s.themes) for s, t in zip(bullets, themes, strict=True))
    assert found >= MIN_V7_LISTED_CONTROL_THEMES


def test_no_line_of_the_apparatus_probe_is_coded(
    classifier: ThemeClassifier, settings: LessonsSettings
) -> None:
    """Page furniture, contents entries, footnotes, citations and metadata (never tuned on):
    one line reaches the coder as a sentence, none is coded."""
    with APPARATUS_PROBE.open(encoding="utf-8", newline="") as fh:
        lines = [r["text"] for r in csv.DictReader(fh)]
    coder, _ = default_coder(TAXONOMY, settings)
    passed, coded = apparatus_coded(lines, TAXONOMY, settings, coder)
    assert len(lines) >= 25
    assert len(passed) <= 1, passed
    assert coded == []


def test_thresholds_come_from_out_of_fold_predictions(classifier: ThemeClassifier) -> None:
    assert set(classifier.tuning.cross_validated) == {
        "train+dev",
        "dev",
        "train+dev, thresholds out of fold",
        "train+dev, thresholds out of fold, no clause veto",
    }
    assert all(0.0 < f1 <= 1.0 for f1 in classifier.tuning.cross_validated.values())
    assert classifier.describe()["cross_validated_micro_f1"] == classifier.tuning.cross_validated
    assert 0.5 < classifier.tuning.polarity["balanced accuracy"] <= 1.0
