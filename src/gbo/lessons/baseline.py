"""The similarity-to-definitions baseline the classifier replaced, kept to be measured
against it on the same test split (``gbo lessons evaluate --baseline``).

Each theme's centre is the normalised mean embedding of its definition and exemplars; a
sentence's similarity to a theme is the mean of its cosine similarity to the centre and to
the nearest exemplar; the most similar theme is assigned when that reaches the threshold.
No negation handling and no keyword cues: the method as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gbo.lessons.coding import Code
from gbo.lessons.embedding import Embedder, single_embedder
from gbo.lessons.negation import Sentence
from gbo.lessons.taxonomy import Taxonomy

THRESHOLD = 0.5


class SimilarityBaseline:
    def __init__(self, taxonomy: Taxonomy, model: Embedder | None = None) -> None:
        self.taxonomy = taxonomy
        self.embedder = model or single_embedder("minilm")  # the model the method was measured with
        centres, exemplars, owners = [], [], []
        for i, theme in enumerate(taxonomy.themes):
            vectors = self.embedder.embed([theme.definition, *theme.exemplars])
            centre = vectors.mean(axis=0)
            centres.append(centre / np.linalg.norm(centre))
            exemplars.append(vectors)
            owners += [i] * len(vectors)
        self.centres = np.vstack(centres)
        self.exemplars = np.vstack(exemplars)
        self.owner = np.asarray(owners)

    def code(self, sentences: Sequence[Sentence]) -> list[list[Code]]:
        texts = [s.text for s in sentences]
        if not texts:
            return []
        vectors = self.embedder.embed(texts)
        to_exemplars = vectors @ self.exemplars.T
        nearest = np.stack(
            [to_exemplars[:, self.owner == k].max(axis=1) for k in range(len(self.centres))],
            axis=1,
        )
        sims = (vectors @ self.centres.T + nearest) / 2
        ids = self.taxonomy.ids
        found: list[list[Code]] = []
        for row in sims:
            best = int(np.argmax(row))
            hit = row[best] >= THRESHOLD
            found.append([Code(ids[best], "similarity", float(row[best]))] if hit else [])
        return found
