"""Apparatus known by its form (word shapes), behind the rules of gbo.lessons.findings."""

from __future__ import annotations

import numpy as np

from gbo.lessons.apparatus_form import (
    THRESHOLD,
    FormModel,
    looks_like_apparatus,
    shapes,
    training_lines,
)
from gbo.lessons.labelled import other_hands_ids


def test_words_become_shapes_and_short_lower_case_words_stay() -> None:
    assert shapes("Jay, A. (2014) was not") == "<s> Xxx , X. ( dddd ) was not </s>"


def test_out_of_fold_no_digest_finding_comes_near_the_threshold() -> None:
    from sklearn.model_selection import GroupKFold

    rows = training_lines()
    texts = [r[0] for r in rows]
    apparatus = np.array([r[1] for r in rows])
    groups = [r[2] for r in rows]
    found = np.zeros(len(rows))
    for fit, held in GroupKFold(n_splits=5).split(texts, groups=groups):
        model = FormModel().fit([texts[i] for i in fit], list(apparatus[fit]))
        found[held] = model.probability([texts[i] for i in held])
    digest = np.array([":" not in g and g != "taxonomy" for g in groups])
    first = np.array([g not in other_hands_ids() for g in groups])
    assert found[~apparatus & digest & first].max() < THRESHOLD - 0.3
    # the other hands' digests (stop 38) come nearer, but none within 0.2 of the threshold
    assert found[~apparatus & digest].max() < THRESHOLD - 0.2
    assert (found[~apparatus] >= THRESHOLD).sum() <= 1  # one taxonomy definition, a list
    assert (found[apparatus] >= THRESHOLD).mean() > 0.6


def test_citations_and_footnotes_the_rules_miss_are_caught_by_form() -> None:
    lines = [
        "[9] Home Office. Guidance on missing children. London, 2014.",
        "Table 7: Strategy meetings held, by quarter, 2017-18.",
        "The police did not pass on the intelligence they held about the adults.",
        "Nobody asked the young person what she wanted to happen.",
    ]
    assert looks_like_apparatus(lines) == [True, True, False, False]
