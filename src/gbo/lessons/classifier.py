"""A few-shot, multi-label theme classifier: sentence embeddings from a packaged sentence
model (gbo.lessons.embedding) and one seeded logistic regression per theme (scikit-learn,
one-vs-rest), behind a learned polarity gate (gbo.lessons.polarity) that keeps good practice
and denials uncoded.

It is trained on CPU, reproducibly, from data in the repository:

- the findings of the *train* and *dev* digests in ``data/labelled_reviews.csv`` (their
  good-practice sentences as examples of no theme), the theme-free
  ``practice_statements.csv``, and each theme's definition and exemplar statements; unless
  told otherwise (``published_wording``), the findings of the digests in published wording
  too (gbo.lessons.labelled), which the form model never learns from;
- the polarity gate on the labelled clauses of gbo.lessons.polarity, at its declared
  threshold (``polarity.GATE``);
- the denied-theme models (gbo.lessons.denied_themes) and the theme-location model
  (gbo.lessons.theme_location) on the read probes' theme labels, the digests' findings and,
  with the digests in published wording, their paragraphs that deny a theme;
- thresholds are chosen on out-of-fold predictions for every train and dev sentence (five
  folds by document, the theme-free statements and the taxonomy in every fit; see
  gbo.lessons.thresholds). The same out-of-fold predictions give the cross-validated
  micro-F1 by document reported with the classifier (``cross_validated``), once with the
  thresholds chosen on them (optimistic) and once with thresholds chosen on the other folds
  ("thresholds out of fold"), the figure by which settings are chosen. The *test* and
  *sealed* digests are never read here.

The fitted state is kept between runs (gbo.lessons.model_cache) under a key that hashes
everything the fit depends on, so a run refits only when the labelled data, the settings,
the model or a library changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from gbo.lessons import denied_themes, polarity, theme_location
from gbo.lessons.clause_gate import SUPPORT, veto_matrix, without_vetoed
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName, SentenceEmbedder, embedder
from gbo.lessons.labelled import (
    TRAIN_ON_PUBLISHED_WORDING,
    TRAINING_SPLITS,
    labelled_documents,
    published_wording_documents,
)
from gbo.lessons.model_cache import (
    Arrays,
    ClassifierCache,
    inputs_digest,
    model_key,
    state_key,
)
from gbo.lessons.negation import Sentence, analyse_many
from gbo.lessons.taxonomy import Taxonomy, keyword_themes
from gbo.lessons.theme_models import TFIDF_WEIGHT, ThemeModels, theme_labels
from gbo.lessons.thresholds import (
    FLOORS,
    FOLDS,
    GRID,
    SHRINK,
    Tuning,
    choose,
    document_f1,
    thresholds_out_of_fold,
)
from gbo.lessons.training_data import Example, fixed_examples, labelled_examples

Matrix = npt.NDArray[np.float64]
LOG = logging.getLogger(__name__)


class ThemeClassifier:
    """Trained at construction (about eight minutes on two cores), or loaded from ``cache``
    when a state fitted on the same inputs is there; deterministic for a given seed."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        seed: int = 7,
        c: float = 10.0,
        balanced: bool = False,
        model: SentenceEmbedder | None = None,
        cache: ClassifierCache | None = None,
        published_wording: bool = TRAIN_ON_PUBLISHED_WORDING,
        encoder: EncoderName = DEFAULT_ENCODER,
    ) -> None:
        self.taxonomy = taxonomy
        self.ids = taxonomy.ids
        self.seed, self.c, self.balanced = seed, c, balanced
        # the digests in published wording train the theme models too (not the gate or the
        # form model, which read the labelled documents alone: gbo.lessons.labelled)
        self.published_wording = published_wording
        self.embedder = model or embedder(encoder)
        labelled = labelled_examples(published_wording)
        train = labelled + fixed_examples(taxonomy)
        polar = polarity.polarity_examples(taxonomy, published_wording)
        inputs = self._inputs(train, polar)
        self.key = state_key(self.embedder.name, inputs)
        self.inputs_digest = inputs_digest(self.embedder.name, inputs)
        self.diagnostics: dict[str, npt.NDArray[Any]] = {}
        self.diagnostic_groups: list[str] = []
        self.diagnostic_clause_texts: list[str] = []
        self.from_cache = self._restored(cache)
        if self.from_cache:
            return
        if cache is None:
            self._fit(labelled, train, polar, cache)
            return
        # another process fitting the same inputs (a second run, a test worker) finishes
        # and saves first; this one then loads its state instead of fitting it again
        with cache.fitting(self.key):
            self.from_cache = self._restored(cache)
            if not self.from_cache:
                self._fit(labelled, train, polar, cache)
                cache.save(self.key, *self._state())

    def _restored(self, cache: ClassifierCache | None) -> bool:
        """Whether a state fitted on the same inputs was loaded from ``cache``."""
        loaded = cache.load(self.key) if cache is not None else None
        if loaded is None:
            return False
        try:
            self._restore(*loaded)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            LOG.warning("ignoring a classifier cache that does not fit (%s); refitting", exc)
            return False
        LOG.info("theme classifier loaded from %s", cache.folder if cache else "")
        return True

    def _inputs(
        self, train: Sequence[Example], polar: Sequence[polarity.PolarityExample]
    ) -> dict[str, object]:
        """Everything the fit depends on besides the model and library versions."""
        return {
            "taxonomy": [self.taxonomy.version, self.ids],
            "settings": [
                self.seed,
                self.c,
                self.balanced,
                TFIDF_WEIGHT,
                FOLDS,
                str(SHRINK),
                SUPPORT,
            ],
            "grids": [GRID.tolist(), list(FLOORS), polarity.GATE, polarity.C],
            "denials": [
                denied_themes.DENIED,
                denied_themes.C,
                denied_themes.MIN_EACH,
                *([s.text, sorted(s.themes), sorted(s.denied)] for s in self._denial_statements()),
            ],
            "locations": [theme_location.DROP, theme_location.C, theme_location.FEATURES],
            "themes": [[e.text, sorted(e.themes), e.group, e.clauses] for e in train],
            "polarity": [[e.text, e.marked, e.failing, e.group, e.source] for e in polar],
        }

    def _embed_training(self, texts: list[str], cache: ClassifierCache | None) -> Matrix:
        if cache is None:
            return self.embedder.embed(texts).astype(np.float64)
        # one store per single model, shared by every setting that reads it
        return np.hstack(
            [cache.embeddings(model_key(p.name), texts, p.embed) for p in self.embedder.parts]
        ).astype(np.float64)

    def _scope_vectors(self, marked: Sequence[str], vectors: Matrix) -> Matrix:
        """Embeddings of each clause's negated words (zero where there are none); ``vectors``
        holds those of the clauses that have some, in order."""
        scope = np.zeros((len(marked), self.embedder.dimension))
        rows = [i for i, m in enumerate(marked) if polarity.scope_text(m)]
        scope[rows] = vectors
        return scope

    def _fit(
        self,
        labelled: list[Example],
        train: list[Example],
        polar: list[polarity.PolarityExample],
        cache: ClassifierCache | None,
    ) -> None:
        from sklearn.model_selection import GroupKFold

        texts = [e.text for e in train]
        marked = [e.marked for e in polar]
        scopes = [polarity.scope_text(m) for m in marked if polarity.scope_text(m)]
        # the affirmed clauses of labelled sentences that have two or more (clause_gate)
        n = len(labelled)
        owner = [i for i, e in enumerate(labelled) for _ in e.clauses]
        clause_texts = [t for e in labelled for t, _ in e.clauses]
        clause_marked = [m for e in labelled for _, m in e.clauses]
        clause_scopes = [polarity.scope_text(m) for m in clause_marked if polarity.scope_text(m)]
        vectors = self._embed_training(
            texts + [e.text for e in polar] + scopes + clause_texts + clause_scopes, cache
        )
        x = vectors[: len(texts)]
        at = len(texts) + len(polar)
        xp = vectors[len(texts) : at]
        xs = self._scope_vectors(marked, vectors[at : at + len(scopes)])
        at += len(scopes)
        xc = vectors[at : at + len(clause_texts)]
        xcs = self._scope_vectors(clause_marked, vectors[at + len(clause_texts) :])
        y = theme_labels(train, self.ids)
        self.models = ThemeModels(self.seed, self.c, self.balanced).fit(texts, x, y)

        # the polarity gate (its out-of-fold probabilities give its figures)
        failing = np.array([e.failing for e in polar])
        clause_groups = [labelled[i].group for i in owner]
        polar_oof, clause_failure = polarity.out_of_fold_with(
            polar, xp, xs, self.seed, extra=(clause_marked, xc, xcs, clause_groups)
        )
        gate = polarity.GATE
        self.gate = polarity.PolarityGate(self.seed).fit(marked, xp, xs, failing.astype(int))
        self.denials, self.locations = self._fit_denials(labelled, x[:n], cache)

        # out-of-fold probabilities for every labelled sentence (and clause): folds by
        # document, the theme-free statements and the taxonomy always among the fitted rows
        groups = [e.group for e in labelled]
        out_of_fold = np.zeros((n, len(self.ids)))
        clause_probs = np.zeros((len(owner), len(self.ids)))
        for fit_rows, held_rows in GroupKFold(n_splits=FOLDS).split(x[:n], groups=groups):
            rows = np.concatenate([fit_rows, np.arange(n, len(train))])
            fold = ThemeModels(self.seed, self.c, self.balanced).fit(
                [texts[i] for i in rows], x[rows], y[rows]
            )
            out_of_fold[held_rows] = fold.predict([texts[i] for i in held_rows], x[held_rows])
            held = {groups[i] for i in held_rows}
            mine = [j for j, g in enumerate(clause_groups) if g in held]
            if mine:
                clause_probs[mine] = fold.predict([clause_texts[j] for j in mine], xc[mine])
        by_clause = {(e.group, e.text): p for e, p in zip(polar, polar_oof, strict=True)}
        failure = np.array([by_clause.get((e.group, e.text), 1.0) for e in labelled])
        keywords = self.keyword_matrix(texts[:n])
        # themes of a good-practice clause are vetoed (gbo.lessons.clause_gate) before the
        # thresholds are chosen, so that what is tuned is what runs
        vetoed = veto_matrix(n, owner, clause_probs, clause_failure, clause_texts, gate)
        probs, cues = without_vetoed(out_of_fold, keywords, vetoed)
        self.tuning = choose(probs, cues, y[:n], groups, self.ids, gate)
        self.thresholds = np.array([self.tuning.thresholds[t] for t in self.ids])
        assigned = self.assign(probs, failure, cues)
        honest = thresholds_out_of_fold(probs, failure, cues, y[:n], groups, self.ids, gate)
        without_veto = thresholds_out_of_fold(
            out_of_fold, failure, keywords, y[:n], groups, self.ids, gate
        )
        split_of = {d.doc_id: d.split for d in labelled_documents()}
        split_of |= {d.doc_id: d.split for d in published_wording_documents()}
        for name, wanted, found in (
            ("train+dev", TRAINING_SPLITS, assigned),
            ("dev", ("dev",), assigned),
            ("train+dev, thresholds out of fold", TRAINING_SPLITS, honest),
            ("train+dev, thresholds out of fold, no clause veto", TRAINING_SPLITS, without_veto),
        ):
            picked = [i for i, g in enumerate(groups) if split_of[g] in wanted]
            self.tuning.cross_validated[name] = round(
                document_f1(found[picked], y[picked], [groups[i] for i in picked]), 3
            )
        self.tuning.polarity = polarity.figures(polar, polar_oof, gate)
        # kept for diagnostics (not saved in the cache): out-of-fold scores and labels
        self.diagnostics = {
            "theme_probabilities": probs,
            "failure": failure,
            "keywords": cues,
            "labels": y[:n],
            "polarity": polar_oof,
            "whole_probabilities": out_of_fold,
            "vetoed": vetoed,
            "clause_probabilities": clause_probs,
            "clause_failure": clause_failure,
            "clause_owner": np.array(owner),
        }
        self.diagnostic_clause_texts = clause_texts
        self.diagnostic_groups = groups
        self.tuning.n_train = len(train)
        self.tuning.fingerprint = (
            f"{self.taxonomy.version}:{self.seed}:{self.c}:{self.balanced}:{self.key[:16]}"
        )

    def _denial_statements(self) -> tuple[polarity.Statement, ...]:
        """The labelled statements of themes stated or denied: the read probes', and the
        denying paragraphs of the digests in published wording when they train the coder."""
        return polarity.theme_statements() + polarity.digest_denials(self.published_wording)

    def _fit_denials(
        self, labelled: list[Example], x: Matrix, cache: ClassifierCache | None
    ) -> tuple[denied_themes.DeniedThemes, theme_location.ThemeLocation]:
        """The denied-theme models and the theme-location model, from the labelled statements
        (``_denial_statements``) and the digests' findings (``x``: the embeddings of
        ``labelled``)."""
        probes = self._denial_statements()
        rows = [i for i, e in enumerate(labelled) if e.themes]
        findings = [labelled[i] for i in rows]
        texts = [s.text for s in probes] + [e.text for e in findings]
        # each labelled text read as one sentence, whatever its punctuation
        sentences = [
            Sentence(text, tuple(c for s in parts for c in s.clauses))
            for text, parts in zip(texts, analyse_many(texts), strict=True)
        ]
        vectors = np.vstack([self._embed_training([s.text for s in probes], cache), x[rows]])
        stated = np.array(
            [[t in s.themes for t in self.ids] for s in probes]
            + [[t in e.themes for t in self.ids] for e in findings]
        )
        denied = np.array(
            [[t in s.denied for t in self.ids] for s in probes]
            + [[False] * len(self.ids) for _ in findings]
        )
        marked = [s.marked for s in sentences]
        denials = denied_themes.DeniedThemes(self.ids, self.seed).fit(
            marked, vectors, stated, denied
        )
        views = theme_location.sentence_views(
            sentences,
            lambda t, m: self.probabilities(t, m, lambda e: self._embed_training(e, cache)),
        )
        locations = theme_location.ThemeLocation(self.seed, polarity.GATE)
        return denials, locations.fit(views, stated, denied)

    def _state(self) -> tuple[dict[str, Any], Arrays]:
        arrays = {f"themes.{k}": v for k, v in self.models.state().items()}
        gate = self.gate.state()
        arrays |= {f"gate.{k}": v for k, v in gate.items()}
        arrays |= {f"denials.{k}": v for k, v in self.denials.state().items()}
        arrays |= {f"locations.{k}": v for k, v in self.locations.state().items()}
        return {"key": self.key, "tuning": asdict(self.tuning)}, arrays

    def _restore(self, meta: dict[str, Any], arrays: Arrays) -> None:
        def part(prefix: str) -> Arrays:
            return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}

        self.tuning = Tuning(**meta["tuning"])
        if sorted(self.tuning.thresholds) != sorted(self.ids):
            raise ValueError("the saved thresholds are for other themes")
        self.thresholds = np.array([self.tuning.thresholds[t] for t in self.ids])
        self.models = ThemeModels(self.seed, self.c, self.balanced).restore(part("themes."))
        if len(self.models.models) != len(self.ids):
            raise ValueError("the saved models are for other themes")
        self.gate = polarity.PolarityGate(self.seed).restore(part("gate."))
        self.denials = denied_themes.DeniedThemes(self.ids, self.seed).restore(part("denials."))
        self.locations = theme_location.ThemeLocation(self.seed, self.tuning.failure_gate).restore(
            part("locations.")
        )

    def assign(
        self, probs: Matrix, failure: npt.NDArray[np.float64], keywords: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.bool_]:
        """Which themes each text is given: its threshold reached, or a keyword cue and the
        keyword floor reached; nothing below the polarity gate."""
        found = (probs >= self.thresholds) | (keywords & (probs >= self.tuning.keyword_floor))
        return found & (failure >= self.tuning.failure_gate)[:, None]

    def keyword_matrix(self, texts: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Texts × themes: which themes' keyword cues each text matches."""
        cued = [keyword_themes(self.taxonomy, s) for s in texts]  # once per text
        return np.array([[t in c for t in self.ids] for c in cued], dtype=bool).reshape(
            len(texts), len(self.ids)
        )

    def probabilities(
        self,
        texts: Sequence[str],
        marked: Sequence[str] | None = None,
        embed: Callable[[list[str]], Matrix] | None = None,
    ) -> tuple[Matrix, npt.NDArray[np.float64]]:
        """Per text: each theme's probability, and the probability that it states a failing.
        ``marked`` is each text's words with negation scope marked (``Sentence.affirmed_marked``);
        without it the texts are analysed here. ``embed`` stands in for the embedder (the
        training embeddings' cache)."""
        if not texts:
            return np.zeros((0, len(self.ids))), np.zeros(0)
        if marked is None:
            marked = [
                " ".join(s.affirmed_marked for s in sentences)
                for sentences in analyse_many(list(texts))
            ]
        scopes = [polarity.scope_text(m) for m in marked if polarity.scope_text(m)]
        vectors = (embed or self.embedder.embed)([*texts, *scopes]).astype(np.float64)
        x = vectors[: len(texts)]
        scope = self._scope_vectors(marked, vectors[len(texts) :])
        return self.models.predict(texts, x), self.gate.predict(marked, x, scope)

    def denied(
        self, sentences: Sequence[Sentence], coded: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.bool_]:
        """Which coded themes (sentences × themes) each sentence only denies: the denied-theme
        models' probability reaches ``denied_themes.DENIED`` or the theme-location model's
        reaches ``theme_location.DROP``."""
        if not len(sentences):
            return np.zeros((0, len(self.ids)), dtype=bool)
        x = self.embedder.embed([s.text for s in sentences]).astype(np.float64)
        found = self.denials.predict([s.marked for s in sentences], x) >= denied_themes.DENIED
        for i, views in enumerate(theme_location.sentence_views(sentences, self.probabilities)):
            themes = np.flatnonzero(coded[i] & ~found[i])
            found[i, themes] = self.locations.predict(views, themes) >= theme_location.DROP
        return found

    def describe(self) -> dict[str, object]:
        return {
            "model": self.embedder.name,
            "classifier": f"one logistic regression per theme (scikit-learn, C={self.c:g}), seeded",
            "polarity_gate": (
                f"one logistic regression (scikit-learn, C={polarity.C:g}) over the clause's "
                "embedding, its negated words' embedding and its scope-marked words, seeded"
            ),
            "trained_on_published_wording": self.published_wording,
            "training_examples": self.tuning.n_train,
            "tuning_sentences": self.tuning.n_tune,
            "common_threshold": self.tuning.common_threshold,
            "keyword_floor": self.tuning.keyword_floor,
            "failure_gate": self.tuning.failure_gate,
            "denied_themes": (
                f"one logistic regression per theme (scikit-learn, C={denied_themes.C:g}) over "
                "the whole sentence's embedding and scope-marked words; a coded theme is "
                f"dropped at a probability of denial of {denied_themes.DENIED:g}"
            ),
            "theme_location": (
                f"one logistic regression (scikit-learn, C={theme_location.C:g}) over where in "
                "the sentence the classifier finds each coded theme; a coded theme is dropped "
                f"at a probability of denial of {theme_location.DROP:g}"
            ),
            "thresholds": self.tuning.thresholds,
            "fingerprint": self.tuning.fingerprint,
            "inputs_digest": self.inputs_digest,
            "cross_validated_micro_f1": self.tuning.cross_validated,
            "polarity_gate_out_of_fold": self.tuning.polarity,
        }


@lru_cache(maxsize=4)
def theme_classifier(
    taxonomy: Taxonomy,
    seed: int = 7,
    cache_folder: Path | None = None,
    published_wording: bool = TRAIN_ON_PUBLISHED_WORDING,
    encoder: EncoderName = DEFAULT_ENCODER,
) -> ThemeClassifier:
    """One trained classifier per taxonomy, seed, cache folder, training set and encoder per
    process; loaded from the cache folder when it holds a state fitted on the same inputs (no
    folder: no cache)."""
    cache = ClassifierCache(cache_folder) if cache_folder is not None else None
    return ThemeClassifier(
        taxonomy, seed, cache=cache, published_wording=published_wording, encoder=encoder
    )
