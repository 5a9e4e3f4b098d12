"""The trained classifier on the labelled digests. Fitting takes about a minute of CPU, once
per test session into a fresh cache folder (the classifier is also kept per process); one
more fit checks that training is reproducible and that a damaged cache is refitted."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from gbo.lessons import denied_themes, theme_location
from gbo.lessons.analysis import default_coder, trained_classifier
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.coding import Code, code_sentences
from gbo.lessons.digest_file import read_digests
from gbo.lessons.evaluation import (
    apparatus_coded,
    control_scores,
    denied_assigned,
    list_item_themes,
    mixed_scores,
    predict_documents,
    probe_false_positives,
    probe_file,
    read_probe,
    read_register,
    score_sets,
)
from gbo.lessons.labelled import labelled_documents
from gbo.lessons.model_cache import ClassifierCache
from gbo.lessons.negation import analyse
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy

pytestmark = pytest.mark.slow
# Regression guards at the measured figures (see docs/methodology/lessons.md and
# lessons-history.md): they assert the level measured, not the level aimed for. The default
# coder's theme models learn from the digests in published wording too since stop 46, and
# every learned part reads all-mpnet-base-v2 since stop 47; the guards of the coders before
# then are in git history, and MiniLM's are kept below for the lighter option.
# Test split: 17 digests, micro-F1 0.814 at the end of stop 28 (0.833 before it), 0.820 at
# the end of stop 32, 0.814 at the end of stop 34 (the denied-theme models drop one right
# theme), 0.820 with the digests in published wording (stop 46), 0.857 over mpnet (stop 47);
# the probes still have false positives.
MIN_TEST_F1 = 0.85
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
# published wording (stop 46); 65 over mpnet (stop 47)
MIN_READ_MIXED_THEMES = 65
MIN_V7_LISTED_CONTROL_THEMES = 3  # of the 5 themes of its bullet items, read as a list
# digests written by other hands and never read (README_outside_digests_v<n>.md): least
# micro-F1 by document and most denied themes assigned, by the default coder as measured in
# stop 47 (docs/methodology/lessons-history.md has each set's first score and its history).
# v1, v3, v4 and v5 are in the taxonomy's wording; v6 to v10 paraphrase published reports in
# their authors' wording (v10, written in stop 46, judged the change of sentence model in
# stop 47)
OUTSIDE_GUARDS = {
    1: (0.83, 6), 3: (0.82, 4), 4: (0.82, 2), 5: (0.82, 10), 6: (0.65, 4), 7: (0.67, 7),
    8: (0.63, 1), 9: (0.67, 4), 10: (0.70, 3),
}  # fmt: skip
# the lighter coder over all-MiniLM-L6-v2 (encoder = "minilm", the default until stop 47),
# trained on the digests in published wording too: least micro-F1 on the test split (0.820),
# and on the sets in people's wording least micro-F1 and most denied themes assigned
MINILM_MIN_TEST_F1 = 0.82
MINILM_GUARDS = {6: (0.58, 1), 7: (0.64, 4), 8: (0.52, 2), 9: (0.63, 4), 10: (0.58, 4)}
# the MiniLM coder trained on the taxonomy's wording alone (the default until stop 46) on the
# sets in people's wording: least micro-F1 and most denied themes assigned
TAXONOMY_WORDING_GUARDS = {6: (0.42, 1), 7: (0.48, 2), 8: (0.33, 2), 9: (0.50, 2)}
TAXONOMY = load_taxonomy()
DATA = Path(__file__).parents[1] / "data/lessons"
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


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> LessonsSettings:
    return LessonsSettings(cache_folder=tmp_path_factory.mktemp("classifier-cache"))


@pytest.fixture(scope="module")
def classifier(settings: LessonsSettings) -> ThemeClassifier:
    return trained_classifier(TAXONOMY, settings)


@pytest.fixture(scope="module")
def minilm_settings(tmp_path_factory: pytest.TempPathFactory) -> LessonsSettings:
    """The lighter option, in a cache folder of its own (the cache tests damage theirs)."""
    return LessonsSettings(
        encoder="minilm", cache_folder=tmp_path_factory.mktemp("minilm-classifier-cache")
    )


@pytest.fixture(scope="module")
def minilm_classifier(minilm_settings: LessonsSettings) -> ThemeClassifier:
    return trained_classifier(TAXONOMY, minilm_settings)


def test_the_splits_are_by_document_and_fixed() -> None:
    splits = {d.doc_id: d.split for d in labelled_documents()}
    assert len(splits) >= 40
    assert sum(s == "test" for s in splits.values()) == 17
    assert sum(s == "dev" for s in splits.values()) == 8


def test_the_fitted_classifier_is_saved_and_loaded(
    minilm_classifier: ThemeClassifier, minilm_settings: LessonsSettings
) -> None:
    """On the lighter coder (so are the next test's refits): saving and loading do not depend
    on the sentence model, and a fit of the default takes about six minutes."""
    classifier, settings = minilm_classifier, minilm_settings
    assert settings.cache_folder is not None
    cache = ClassifierCache(settings.cache_folder)
    loaded = ThemeClassifier(
        TAXONOMY, settings.classifier_seed, model=classifier.embedder, cache=cache
    )
    assert loaded.from_cache and loaded.key == classifier.key
    assert loaded.describe() == classifier.describe()
    texts = ["Referrals were not ignored.", "Referrals from the school were never followed up."]
    for mine, theirs in zip(
        loaded.probabilities(texts), classifier.probabilities(texts), strict=True
    ):
        assert np.allclose(mine, theirs, rtol=0, atol=1e-12)


def test_training_is_reproducible_and_a_damaged_cache_is_refitted(
    minilm_classifier: ThemeClassifier, minilm_settings: LessonsSettings
) -> None:
    classifier, settings = minilm_classifier, minilm_settings
    assert settings.cache_folder is not None
    for saved in settings.cache_folder.glob("classifier-*.npz"):
        saved.write_bytes(saved.read_bytes()[:200])  # cut short, as by a full disc
    cache = ClassifierCache(settings.cache_folder)
    again = ThemeClassifier(
        TAXONOMY, settings.classifier_seed, model=classifier.embedder, cache=cache
    )
    assert not again.from_cache
    assert again.tuning.thresholds == classifier.tuning.thresholds
    assert again.tuning.fingerprint == classifier.tuning.fingerprint
    assert again.tuning.failure_gate == classifier.tuning.failure_gate
    texts = ["Referrals from the school were never followed up by social care."]
    assert np.array_equal(again.probabilities(texts)[0], classifier.probabilities(texts)[0])
    assert np.array_equal(again.probabilities(texts)[1], classifier.probabilities(texts)[1])
    assert cache.load(classifier.key) is not None, "the refitted state was saved again"


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
    the failing clause rescued; since the read probes trained the gate (v10's S062) and the
    other hands' digests trained it too (v7's S048, stop 38) it lets both through whole."""
    for path, row, refused in ((V7_PROBE, "S048", False), (V10_PROBE, "S062", False)):
        statement = next(s for s in read_probe(path) if s.statement_id == row)
        sentences = analyse(statement.text)
        _, failure = classifier.probabilities(
            [s.affirmed_text for s in sentences], [s.affirmed_marked for s in sentences]
        )
        assert (failure < classifier.tuning.failure_gate).all() == refused, row
        codes = code_sentences(TAXONOMY, sentences, classifier)
        assert {c.theme_id for cs in codes for c in cs} == statement.themes, row


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


def _check_outside(settings: LessonsSettings, version: int, guards: tuple[float, int]) -> None:
    """The coder of ``settings`` on outside digests v<version>: least micro-F1, most denied
    themes assigned."""
    documents = read_digests(DATA / f"outside_digests_v{version}.csv", TAXONOMY.ids)
    coder, description = default_coder(TAXONOMY, settings)
    assert description is not None
    assert description["trained_on_published_wording"] is settings.train_on_published_wording
    predicted = predict_documents(TAXONOMY, documents, settings, coder)
    _, micro = score_sets(TAXONOMY.ids, [d.themes for d in documents], predicted)
    least_f1, most_denied = guards
    assert micro.f1 >= least_f1, (micro.precision, micro.recall, micro.f1)
    assert denied_assigned(documents, predicted)[0] <= most_denied


@pytest.mark.parametrize(("version", "guards"), sorted(OUTSIDE_GUARDS.items()))
def test_document_scores_on_digests_written_by_other_hands(
    classifier: ThemeClassifier, settings: LessonsSettings, version: int, guards: tuple[float, int]
) -> None:
    _check_outside(settings, version, guards)


@pytest.mark.parametrize(("version", "guards"), sorted(TAXONOMY_WORDING_GUARDS.items()))
def test_the_coder_trained_on_the_taxonomy_wording_alone_finds_fewer_themes_in_people_wording(
    minilm_settings: LessonsSettings, version: int, guards: tuple[float, int]
) -> None:
    assert guards[0] < MINILM_GUARDS[version][0]
    _check_outside(
        minilm_settings.model_copy(update={"train_on_published_wording": False}), version, guards
    )


def test_the_lighter_sentence_model_on_the_test_split_and_the_tuned_probe(
    minilm_settings: LessonsSettings,
) -> None:
    coder, description = default_coder(TAXONOMY, minilm_settings)
    assert description is not None and "all-MiniLM-L6-v2" in str(description["model"])
    documents = labelled_documents("test")
    predicted = predict_documents(TAXONOMY, documents, minilm_settings, coder)
    _, micro = score_sets(TAXONOMY.ids, [d.themes for d in documents], predicted)
    assert micro.f1 >= MINILM_MIN_TEST_F1, (micro.precision, micro.recall, micro.f1)
    false_positives = probe_false_positives(read_probe(PROBE), coder)
    assert len(false_positives) <= MAX_PROBE_FALSE_POSITIVES, false_positives


@pytest.mark.parametrize(("version", "guards"), sorted(MINILM_GUARDS.items()))
def test_the_lighter_sentence_model_finds_fewer_themes_in_people_wording(
    minilm_settings: LessonsSettings, version: int, guards: tuple[float, int]
) -> None:
    assert guards[0] < OUTSIDE_GUARDS[version][0]
    _check_outside(minilm_settings, version, guards)


def test_every_outside_digests_file_is_guarded() -> None:
    on_disk = {int(p.stem.rsplit("_v", 1)[1]) for p in DATA.glob("outside_digests_v*.csv")}
    assert on_disk == set(OUTSIDE_GUARDS)


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
