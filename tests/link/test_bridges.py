"""Every bridge's two sides at once give the answer of taking each bridge apart on its own."""

from __future__ import annotations

import random

import igraph as ig
import pandas as pd
import pytest

from gbo.link.bridges import bridge_conflicts
from gbo.link.reliability import ALWAYS, Reliability


def _one_by_one(graph: ig.Graph, edge: int, records: pd.DataFrame, reliable: Reliability) -> str:
    """The bridge taken apart on its own: its two sides' sexes and birth years."""
    a, b = graph.es[edge].tuple
    cut = graph.copy()
    cut.delete_edges([edge])
    side_a, side_b = records.iloc[cut.subcomponent(a)], records.iloc[cut.subcomponent(b)]
    sex_a, sex_b = set(side_a["sex"].dropna()), set(side_b["sex"].dropna())
    if reliable.sex_reliable and sex_a and sex_b and not sex_a & sex_b:
        return "sex"
    if not reliable.dates_reliable:
        return ""
    lo_a, hi_a = side_a["birth_year_min"].min(), side_a["birth_year_max"].max()
    lo_b, hi_b = side_b["birth_year_min"].min(), side_b["birth_year_max"].max()
    if not any(pd.isna(v) for v in (lo_a, hi_a, lo_b, hi_b)) and (
        lo_a > hi_b + 1 or lo_b > hi_a + 1
    ):
        return "dob"
    return ""


def _graph(seed: int) -> tuple[ig.Graph, pd.DataFrame]:
    rng = random.Random(seed)
    n = rng.randint(2, 60)
    edges = set()
    for _ in range(rng.randint(1, n + 10)):
        a, b = rng.sample(range(n), 2)
        edges.add((min(a, b), max(a, b)))
    graph = ig.Graph(n=n, edges=sorted(edges))
    years = [rng.choice([None, 1980, 1981, 1983, 1990]) for _ in range(n)]
    records = pd.DataFrame(
        {
            "sex": [rng.choice(["F", "M", "O", None]) for _ in range(n)],
            "birth_year_min": [None if y is None else y - rng.choice([0, 1]) for y in years],
            "birth_year_max": years,
        }
    )
    return graph, records.astype({"birth_year_min": float, "birth_year_max": float})


@pytest.mark.parametrize("seed", range(60))
def test_all_bridges_at_once_agree_with_one_by_one(seed: int) -> None:
    graph, records = _graph(seed)
    bridges = graph.bridges()
    pick = random.Random(seed)
    chosen = [e for e in bridges if pick.random() < 0.8]
    for reliable in (ALWAYS, Reliability(0.0, None, 0.02)):
        expected = [_one_by_one(graph, e, records, reliable) for e in chosen]
        assert bridge_conflicts(graph, chosen, records, reliable) == expected


def test_no_bridges_no_answers() -> None:
    graph, records = _graph(1)
    assert bridge_conflicts(graph, [], records, ALWAYS) == []
