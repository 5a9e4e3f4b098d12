"""Settings of the link stage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from gbo.link.spark_settings import SparkSettings
from gbo.settings_base import Settings


class BlockingRuleSettings(Settings):
    """One blocking rule: records are compared when they agree on every listed column."""

    columns: list[str] = Field(
        default_factory=list, description="Standardised columns that must be equal."
    )
    explode: list[str] = Field(
        default_factory=list,
        description="Array columns to explode first, so that sharing any element is enough.",
    )
    sql: str = Field(
        "",
        description="Instead of columns: a Splink blocking condition in SQL on l. and r., "
        "e.g. 'l.given_dm = r.family_dm and l.family_dm = r.given_dm'.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> BlockingRuleSettings:
        if bool(self.columns) == bool(self.sql):
            raise ValueError("give either columns or sql for a blocking rule")
        return self


def _default_blocking() -> list[BlockingRuleSettings]:
    return [
        BlockingRuleSettings(columns=["family_keys", "dob_ym"], explode=["family_keys"]),
        BlockingRuleSettings(columns=["given_dm", "dob_iso"]),
        BlockingRuleSettings(columns=["given_dm", "family_dm"]),
        BlockingRuleSettings(columns=["dob_iso", "postcode"]),
        BlockingRuleSettings(columns=["postcode", "given_dm"]),
        BlockingRuleSettings(columns=["postcode", "family_dm"]),
        BlockingRuleSettings(columns=["family_dm", "dob_swap"]),
        # A misspelt family name together with a day/month swap, or with a day slip.
        BlockingRuleSettings(columns=["given_dm", "dob_swap"]),
        BlockingRuleSettings(columns=["given_dm", "dob_ym"]),
        BlockingRuleSettings(columns=["dob_iso", "house"]),
        BlockingRuleSettings(columns=["address_key"]),
        BlockingRuleSettings(columns=["nhs_number"]),
        BlockingRuleSettings(sql="l.given_dm = r.family_dm and l.family_dm = r.given_dm"),
        # One name in the other's other place, the other name changed (a short form, a typing
        # slip), the full date of birth the same. Two one-way rules, so that each is an
        # equality join (an OR would compare every pair).
        BlockingRuleSettings(sql="l.given_dm = r.family_dm and l.dob_iso = r.dob_iso"),
        BlockingRuleSettings(sql="l.family_dm = r.given_dm and l.dob_iso = r.dob_iso"),
    ]


def _default_training() -> list[list[str]]:
    return [["dob_iso"], ["given_dm", "family_dm"]]


class LinkSettings(Settings):
    """Settings of the link stage."""

    backend: Literal["duckdb", "spark"] = Field(
        "duckdb",
        description="Splink backend: duckdb (embedded, default) or spark (needs pyspark).",
    )
    match_threshold: float = Field(
        0.99,
        gt=0,
        lt=1,
        description="Match probability at or above which two records are the same person, "
        "when target_precision is not set.",
    )
    target_precision: float | None = Field(
        0.999,
        gt=0,
        lt=1,
        description="Choose the match threshold from the model's own estimates: the lowest "
        "of 0.9, 0.95, 0.98, 0.99, 0.995, 0.999 (and not below min_match_threshold) at which "
        "the estimated precision of the links (the mean match probability of the pairs at or "
        "above it) reaches this. None: use match_threshold as given.",
    )
    min_match_threshold: float = Field(
        0.9,
        gt=0,
        lt=1,
        description="The lowest threshold target_precision may choose: no pair whose own "
        "probability is below this is linked by the model (the estimate can be optimistic: "
        "see docs/methodology/linkage.md).",
    )
    review_min_probability: float = Field(
        0.5, ge=0, lt=1, description="Lower end of the grey zone sent to clerical review."
    )
    review_max_probability: float = Field(
        0.999, gt=0, le=1, description="Upper end (exclusive) of the grey zone."
    )
    strong_link_probability: float = Field(
        0.999,
        gt=0,
        le=1,
        description="Links below this are weak: a cluster held together by one is flagged.",
    )
    cut_conflicting_weak_links: bool = Field(
        True,
        description="Cut a weak link that is the only bridge between records whose sex or "
        "full date of birth conflict (a false-merge guard); otherwise only flag it.",
    )
    refuse_conflicting_joins: bool = Field(
        True,
        description="Build persons strongest link first and refuse a model link that would "
        "put records whose recorded sex, or birth years (more than a year apart), conflict "
        "into one person (only for attributes the data record reliably); refused links go "
        "to clerical review.",
    )
    max_birth_year_gap: int | None = Field(
        3,
        ge=0,
        description="Two records whose birth years are further apart than this (and whose "
        "dates share nothing, not even one keystroke) are never linked by the model, however "
        "well names and address agree (a parent and child of one name at one address); "
        "a clerical match decision still links them. None turns the rule off.",
    )
    conflict_guard_max_disagreement: float = Field(
        0.02,
        ge=0,
        le=1,
        description="The guards that act on a conflicting date of birth or sex (the "
        "birth-year veto, the household guard's sex clause, cutting conflicting weak links) "
        "act only while the trained model says at most this share of true matches disagree "
        "on that attribute (m of the date comparison's 'else' level, of the sex "
        "comparison's 'different' level); where records of one person often carry a wholly "
        "different date or sex, the model's weights decide alone. Likewise the household "
        "guard treats unrelated forenames as the twin signature without a recorded sex only "
        "while m of the forename comparison's 'else' level is at most this. For sex and "
        "forenames the share is counted on anchor pairs (the same NHS number; for sex also "
        "the same names and date of birth) where at least 50 of them record it, since twins "
        "the model takes for matches inflate the trained share.",
    )
    household_guard: bool = Field(
        True,
        description="Never link by the model two records with the same family name and the "
        "same date of birth whose forenames are not the same, a variant, a nickname, a "
        "similar spelling or the other's middle name, or whose recorded sex differs (the "
        "signature of twins and siblings); such pairs go to clerical review instead.",
    )
    tf_adjustment_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of Splink's term-frequency adjustment applied to exact name "
        "matches (1: full). Below 1, common names stay linkable at a new address.",
    )
    tf_minimum_u_value: float = Field(
        1e-5,
        ge=0,
        lt=1,
        description="Floor on the u value of an exact name match after the frequency "
        "adjustment: caps what a very rare name string adds.",
    )
    predict_min_probability: float = Field(
        0.01,
        ge=0,
        lt=1,
        description="Scored pairs below this probability are not kept (saves memory).",
    )
    predict_chunks: int = Field(
        1,
        ge=1,
        le=64,
        description="Score the candidate pairs in this many pieces on each side (the records "
        "split by a hash of their ids; pieces x pieces chunks, each found, deduplicated and "
        "scored on its own): the same pairs, in less memory at a time. 1: in one piece.",
    )
    blocking_rules: list[BlockingRuleSettings] = Field(
        default_factory=_default_blocking,
        description="Blocking rules that choose which pairs are scored.",
    )
    max_block_size: int | None = Field(
        20,
        ge=2,
        description="Block-size guard: a rule on columns does not compare the records of a "
        "key (block) shared by more than this many records, so that each rule makes at most "
        "this many / 2 pairs per record and the pairs scored grow about linearly with the "
        "records; those records are still compared where another rule puts them together. "
        "None turns the guard off (see docs/methodology/linkage.md).",
    )
    training_blocking_rules: list[list[str]] = Field(
        default_factory=_default_training,
        description="Blocking rules for the EM training passes (columns that must be equal).",
    )
    prior_rule: list[str] = Field(
        default_factory=lambda: ["given_name", "family_name", "dob_iso"],
        description="Deterministic rule used to estimate the share of pairs that match.",
    )
    prior_recall: float = Field(
        0.6, gt=0, le=1, description="Assumed recall of prior_rule among true matches."
    )
    reestimate_prior: bool = Field(
        True,
        description="After training, re-estimate the prior from the scored pairs (the sum "
        "of their match probabilities over all pairs, repeated until it settles) instead of "
        "keeping the one implied by prior_recall.",
    )
    u_max_pairs: float = Field(
        2e6, gt=0, description="Random pairs sampled to estimate u probabilities."
    )
    em_max_pairs: float | None = Field(
        2e6, description="Cap on blocked pairs used in each EM pass (None: all)."
    )
    address_moved_m: float = Field(
        0.3,
        gt=0,
        lt=1,
        description="Fixed m of 'address differs': the share of true matches recorded at a "
        "different address. Fixed, not trained, because people move and EM otherwise learns "
        "m near 0 (see docs/methodology/linkage.md).",
    )
    m_floor: float = Field(
        0.001,
        gt=0,
        lt=0.5,
        description="Smallest m allowed for a non-null level; lower trained values are "
        "flagged as degenerate and raised to this floor.",
    )
    fail_on_degenerate_model: bool = Field(
        False, description="Stop the stage (instead of warning) when a model check fails."
    )
    decisions_file: Path | None = Field(
        None,
        description="Clerical review decisions (CSV) applied on every run and used as labels; "
        "filled by `gbo link import-decisions`.",
    )
    min_labels_for_seeding: int = Field(
        20, ge=1, description="Match decisions needed before m is seeded from labels."
    )
    ground_truth_file: Path | None = Field(
        None,
        description="Synthetic ground truth (CSV or Parquet with agency, local_id, person_id) "
        "for precision/recall; only for synthetic data.",
    )
    age_reference_year: int = Field(
        2025, description="Year at whose end ages are taken for the bias audit's age bands."
    )
    seed: int = Field(42, description="Random seed for sampling in training.")
    duckdb_memory_limit: str = Field(
        "2GB", description="DuckDB memory limit; DuckDB spills to disk above it."
    )
    threads: int | None = Field(None, ge=1, description="DuckDB threads (None: all cores).")
    spark: SparkSettings = Field(
        default_factory=SparkSettings,
        description="The Spark backend's master, memory, partitions and checkpoint folder.",
    )

    @model_validator(mode="after")
    def _check_bands(self) -> LinkSettings:
        if self.review_min_probability >= self.review_max_probability:
            raise ValueError("review_min_probability must be below review_max_probability")
        if self.predict_min_probability > self.review_min_probability:
            raise ValueError("predict_min_probability must not exceed review_min_probability")
        return self
