"""The whole linkage on small made-up tables: accuracy, the false-merge guard, nicknames."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from gbo.link.clusters import find_weak_links
from gbo.link.linkage import LinkageResult, link_records
from gbo.link.quality import cluster_scores
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from tests.link.identities import make_identities

SMALL = LinkSettings(u_max_pairs=2e5, em_max_pairs=None, threads=1)


@pytest.fixture(scope="module")
def linked() -> tuple[LinkageResult, pd.DataFrame, pd.DataFrame]:
    identity, truth = make_identities(400, seed=11)
    standard = standardise_identity(identity)
    return link_records(standard, SMALL), standard.to_pandas(), truth


@pytest.mark.slow
def test_small_linkage_is_precise_and_finds_most_links(
    linked: tuple[LinkageResult, pd.DataFrame, pd.DataFrame],
) -> None:
    result, _, truth = linked
    scores = cluster_scores(result.clusters, truth)
    assert scores.precision >= 0.98
    assert scores.recall >= 0.8
    assert set(result.clusters["unique_id"]) == set(truth["unique_id"])


@pytest.mark.slow
def test_moving_house_does_not_make_a_near_certain_non_match(
    linked: tuple[LinkageResult, pd.DataFrame, pd.DataFrame],
) -> None:
    result, _, _ = linked
    address = next(c for c in result.model["comparisons"] if c["output_column_name"] == "address")
    moved = address["comparison_levels"][-1]
    assert moved["fix_m_probability"] is True
    assert moved["m_probability"] == SMALL.address_moved_m
    moved_pairs = result.pairs[result.pairs["gamma_address"] == 0]
    exact_forename = result.level_labels["forename"]
    exact_level = next(g for g, label in exact_forename.items() if label == "exact")
    exact = moved_pairs[
        (moved_pairs["gamma_forename"] == exact_level)
        & (moved_pairs["gamma_dob"] == result.pairs["gamma_dob"].max())
    ]
    assert not exact.empty
    assert (exact["match_probability"] > 0.9).all()


def _person(pid: str, given: str, family: str, dob: date, sex: str, pc: str) -> dict[str, object]:
    return {"record_pid": pid, "agency": "police", "given_name": given, "family_name": family,
            "dob": dob, "dob_precision": "day", "sex": sex, "postcode": pc,
            "address": "4 Mill Road"}  # fmt: skip


@pytest.mark.slow
def test_father_and_son_with_one_name_and_address_are_not_merged() -> None:
    identity, _ = make_identities(300, seed=5)
    extra = pd.DataFrame(
        [
            _person("rec_f000000000000001", "John", "Oakes", date(1970, 3, 4), "M", "QA1 1AA"),
            _person("rec_f000000000000002", "John", "Oakes", date(1970, 3, 4), "M", "QA1 1AA"),
            _person("rec_f000000000000003", "John", "Oakes", date(2004, 8, 19), "M", "QA1 1AA"),
        ]
    )
    result = link_records(standardise_identity(pd.concat([identity, extra])), SMALL)
    cluster = result.clusters.set_index("unique_id")["cluster_id"]
    assert cluster["rec_f000000000000001"] == cluster["rec_f000000000000002"]
    assert cluster["rec_f000000000000001"] != cluster["rec_f000000000000003"]


def test_a_weak_bridge_between_conflicting_records_is_cut() -> None:
    records = pd.DataFrame(
        {
            "unique_id": ["a", "b", "c", "d"],
            "sex": ["F", "F", "M", "M"],
            "birth_year_min": [2001, 2001, 2001, 2001],
            "birth_year_max": [2001, 2001, 2001, 2001],
        }
    )
    links = pd.DataFrame(
        {
            "unique_id_l": ["a", "b", "c"],
            "unique_id_r": ["b", "c", "d"],
            "match_probability": [0.99999, 0.992, 0.99999],
        }
    )
    weak = find_weak_links(links, records, LinkSettings())
    assert weak[["unique_id_l", "unique_id_r", "conflict"]].values.tolist() == [["b", "c", "sex"]]
    assert weak["is_cut"].tolist() == [True]
    flag_only = find_weak_links(links, records, LinkSettings(cut_conflicting_weak_links=False))
    assert flag_only["is_cut"].tolist() == [False]


def test_strong_links_are_never_weak() -> None:
    records = pd.DataFrame(
        {"unique_id": ["a", "b"], "sex": ["F", "M"], "birth_year_min": [1990, 1990]}
    ).assign(birth_year_max=1990)
    links = pd.DataFrame({"unique_id_l": ["a"], "unique_id_r": ["b"], "match_probability": [1.0]})
    assert find_weak_links(links, records, LinkSettings()).empty


@pytest.mark.slow
def test_a_shared_nhs_number_overrides_the_distant_birth_veto() -> None:
    identity, _ = make_identities(300, seed=5)
    pair = [
        _person("rec_f000000000000011", "Anna", "Oakes", date(1990, 3, 4), "F", "QA1 1AA"),
        _person("rec_f000000000000012", "Anna", "Oakes", date(2009, 3, 4), "F", "QA1 1AA"),
    ]
    without = pd.DataFrame(pair)
    with_nhs = without.assign(nhs_number=["999 123 4561", "9991234561"])
    clusters = {}
    for name, extra in (("without", without), ("with", with_nhs)):
        result = link_records(standardise_identity(pd.concat([identity, extra])), SMALL)
        cluster = result.clusters.set_index("unique_id")["cluster_id"]
        clusters[name] = cluster["rec_f000000000000011"] == cluster["rec_f000000000000012"]
    assert clusters == {"without": False, "with": True}


def test_agreeing_nhs_numbers_keep_a_weak_link_across_a_date_conflict() -> None:
    records = pd.DataFrame(
        {"unique_id": ["a", "b"], "sex": ["F", "F"], "birth_year_min": [1990, 2009]}
    ).assign(birth_year_max=lambda d: d["birth_year_min"])
    links = pd.DataFrame({"unique_id_l": ["a"], "unique_id_r": ["b"], "match_probability": [0.995]})
    cut = find_weak_links(links.assign(nhs_number_agrees=False), records, LinkSettings())
    kept = find_weak_links(links.assign(nhs_number_agrees=True), records, LinkSettings())
    assert (cut["conflict"].tolist(), cut["is_cut"].tolist()) == (["dob"], [True])
    assert (kept["conflict"].tolist(), kept["is_cut"].tolist()) == (["dob"], [False])


def test_scoring_in_chunks_scores_the_same_pairs(
    linked: tuple[LinkageResult, pd.DataFrame, pd.DataFrame],
) -> None:
    from gbo.link.model import LinkageModel
    from gbo.link.ordering import content_ids

    result, standard, _ = linked
    records, _ = content_ids(pa.Table.from_pandas(standard, preserve_index=False))

    def scored(chunks: int) -> pd.DataFrame:
        model = LinkageModel(records, SMALL.model_copy(update={"predict_chunks": chunks}))
        model.load(result.model)
        pairs: pd.DataFrame = model.predict().to_pandas()
        return pairs.sort_values(["unique_id_l", "unique_id_r"]).reset_index(drop=True)

    whole, pieces = scored(1), scored(3)
    assert len(whole) > 100
    pd.testing.assert_frame_equal(whole, pieces, check_exact=False, rtol=1e-9)
