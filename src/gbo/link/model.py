"""The linkage model: Splink over standardised identity records, trained with guards.

:class:`LinkageModel` is the library entry point used by the link stage and by the FEBRL
benchmark alike: give it a table of standardised records (:mod:`gbo.link.standardise`) and
it registers them with the chosen backend, trains (prior, u by random sampling, optional m
seeding from labelled pairs, EM passes), checks and corrects the trained values
(:mod:`gbo.link.guards`), scores blocked pairs and clusters them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker, SettingsCreator, block_on

from gbo.errors import LinkageError
from gbo.link.backend import dialect_of, make_database_api
from gbo.link.blocks import GuardedBlocking, guarded_blocking
from gbo.link.comparisons import TermFrequency, build_comparisons
from gbo.link.guards import ModelCheck, check_model, renormalise_fixed_m
from gbo.link.model_transfer import model_for_dialect
from gbo.link.settings import BlockingRuleSettings, LinkSettings
from gbo.link.spark_sql import spark_settings_dict

COMPARISON_NAMES = ("forename", "surname", "dob", "sex", "address", "nhs_number")
TF_COMPARISONS = ("forename", "surname")  # exact matches adjusted for how common the name is
_SPLINK_LOGGERS = ("splink",)


@dataclass
class TrainingReport:
    """What training did: its passes, the checks on the result and the seeding."""

    passes: list[str] = field(default_factory=list)
    checks: list[ModelCheck] = field(default_factory=list)
    n_labels: int = 0
    seeded_from_labels: bool = False
    probability_two_random_records_match: float | None = None


def _quiet_splink() -> None:
    for name in _SPLINK_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)  # unseen levels: see guards.py


def splink_rule(rule: BlockingRuleSettings) -> Any:
    """One declared blocking rule in Splink's form."""
    if rule.sql:
        return rule.sql
    if rule.explode:
        return block_on(*rule.columns, arrays_to_explode=list(rule.explode))
    return block_on(*rule.columns)


def splink_settings(settings: LinkSettings) -> SettingsCreator:
    """The Splink settings (comparisons and prediction blocking rules) of gbo's model."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=build_comparisons(
            dialect_of(settings),
            settings.address_moved_m,
            TermFrequency(settings.tf_adjustment_weight, settings.tf_minimum_u_value),
        ),
        blocking_rules_to_generate_predictions=[
            splink_rule(rule) for rule in settings.blocking_rules
        ],
        retain_matching_columns=True,
        # The per-comparison match weights (mw_*) give each pair its waterfall for review.
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
        max_iterations=20,
    )


def backend_settings(settings: LinkSettings) -> SettingsCreator | dict[str, Any]:
    """:func:`splink_settings` in the SQL of the configured backend: as built for DuckDB;
    for Spark, with its identifiers quoted the Spark way (:mod:`gbo.link.spark_sql`)."""
    creator = splink_settings(settings)
    if dialect_of(settings) == "spark":
        return spark_settings_dict(creator)
    return creator


def backend_settings_dict(settings: LinkSettings) -> dict[str, Any]:
    built = backend_settings(settings)
    if isinstance(built, dict):
        return built
    return {**built.create_settings_dict(dialect_of(settings)), "sql_dialect": dialect_of(settings)}


class LinkageModel:
    """gbo's Splink model over one table of standardised identity records."""

    def __init__(self, records: pa.Table, settings: LinkSettings) -> None:
        if records.num_rows == 0:
            raise LinkageError("there are no person records to link")
        if pc.count_distinct(records.column("unique_id")).as_py() != records.num_rows:
            raise LinkageError("record pseudonyms are not unique in the identity table")
        _quiet_splink()
        # The block-size guard (gbo.link.blocks) may add key columns and replace rules; the
        # model blocks on what it returns (the declared rules stay in the caller's settings).
        self.blocking: GuardedBlocking = guarded_blocking(
            records, settings.blocking_rules, settings.max_block_size
        )
        settings = settings.model_copy(update={"blocking_rules": self.blocking.rules})
        self.settings = settings
        self.db_api = make_database_api(settings)
        self._records = self.db_api.register(self.blocking.records, dataset_display_name="records")
        self.linker = Linker(self._records, backend_settings(settings), log_level=None)
        self.report = TrainingReport()

    # ----- training -------------------------------------------------------------------
    def train(self, labels: pd.DataFrame | None = None) -> TrainingReport:
        """Estimate the prior, u, (optionally) m from labels, then m by EM; then check it."""
        s, training = self.settings, self.linker.training
        try:
            training.estimate_probability_two_random_records_match(
                [block_on(*s.prior_rule)], recall=s.prior_recall
            )
        except ValueError as exc:
            raise LinkageError(f"the prior could not be estimated: {exc}") from exc
        self._check_prior()
        self.report.passes.append("prior from deterministic rule")
        # The whole sample for every comparison, in four chunks: Splink's default stops as
        # soon as every level was seen 100 times, which gbo's rare levels (swapped names,
        # middle names) never are, so it ran ten chunks after a probe anyway, yet took the
        # common levels (sex) from the probe alone. One chunk was faster still but held all
        # two million pairs in memory at once (+0.4 GB).
        training.estimate_u_using_random_sampling(
            max_pairs=s.u_max_pairs, seed=s.seed, num_chunks=4, min_count_per_level=None
        )
        self.report.passes.append(f"u by random sampling ({s.u_max_pairs:.0e} pairs)")
        if labels is not None and len(labels) >= s.min_labels_for_seeding:
            table = self.db_api.register(pa.Table.from_pandas(labels, preserve_index=False))
            training.estimate_m_from_pairwise_labels(table)  # type: ignore[no-untyped-call]
            self.report.n_labels = len(labels)
            self.report.seeded_from_labels = True
            self.report.passes.append(f"m seeded from {len(labels)} labelled pairs")
        for rule in s.training_blocking_rules:
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    block_on(*rule), max_pairs=s.em_max_pairs
                )
            except Exception as exc:  # Splink raises plain exceptions for empty blocks
                raise LinkageError(
                    f"EM training blocked on {', '.join(rule)} failed: {exc}",
                    hint="within those blocks the model found too few pairs, or pairs too "
                    "alike, to learn from (a small extract, or one agency's records alone, "
                    "where the records sharing a date of birth are mostly twins and "
                    "siblings): link a larger extract or several agencies together, or set "
                    "link.training_blocking_rules to blocks that hold many pairs of records "
                    "of the same person",
                ) from exc
            self.report.passes.append(f"EM blocked on {', '.join(rule)}")
        self._apply_checks()
        return self.report

    def _check_prior(self) -> None:
        """Stop, naming the cause, when the prior rule's estimate cannot start EM.

        Splink sets the prior to exactly 0 when no two records agree on every column of the
        rule (it only logs a warning), and EM then takes the logarithm of 0: a bare "math
        domain error" from the first EM pass, whatever its blocks. That happens when the
        records that should match lack one of the rule's columns, e.g. an agency whose names
        were mapped only as ``aliases`` (no given_name or family_name of its own).
        """
        prior = float(self.linker.misc.save_model_to_json()["probability_two_random_records_match"])
        if 0.0 < prior < 1.0:
            return
        rule = ", ".join(self.settings.prior_rule)
        found = "no two records agree" if prior <= 0 else "every pair of records agrees"
        raise LinkageError(
            f"the prior (the share of record pairs that match) cannot be estimated: {found} "
            f"on all of link.prior_rule ({rule}); records with every one of those columns: "
            f"{self._records_with_prior_columns()}",
            hint="the rule can only pair records that have all of those columns, and a "
            "name mapped only to aliases gives a record neither given_name nor family_name: "
            "map the forename and surname (a column holding whole names is split with "
            "name_part, see docs/mapping-files.md), or set link.prior_rule to columns that "
            "records of the same person share",
        )

    def _records_with_prior_columns(self) -> str:
        """Per agency, how many records have a value in every column of the prior rule."""
        records = self.blocking.records
        complete = pa.repeat(pa.scalar(True), records.num_rows)
        for name in self.settings.prior_rule:
            if name in records.column_names:
                complete = pc.and_(complete, pc.is_valid(records.column(name)))
        agency = (
            pc.fill_null(records.column("agency"), "no agency")
            if "agency" in records.column_names
            else pa.repeat(pa.scalar("no agency"), records.num_rows)
        )
        counts = (
            pa.table({"agency": agency, "complete": pc.cast(complete, pa.int64())})
            .group_by("agency")
            .aggregate([("complete", "sum"), ("complete", "count")])
            .sort_by("agency")
            .to_pylist()
        )
        return ", ".join(
            f"{c['agency']} {c['complete_sum']} of {c['complete_count']}" for c in counts
        )

    def _apply_checks(self) -> None:
        u_unseen = 1.0 / self.settings.u_max_pairs
        model = renormalise_fixed_m(self.linker.misc.save_model_to_json())
        checked, findings = check_model(model, self.settings.m_floor, u_unseen=u_unseen)
        self.report.checks = findings
        self.report.probability_two_random_records_match = checked.get(
            "probability_two_random_records_match"
        )
        fatal = [f for f in findings if f.check in {"m_degenerate_low", "weight_inverted"}]
        if fatal and self.settings.fail_on_degenerate_model:
            raise LinkageError(
                f"the trained model failed {len(fatal)} check(s): "
                + "; ".join(f"{f.comparison}/{f.level}: {f.check}" for f in fatal),
                hint="see model.json and docs/methodology/linkage.md; or set "
                "link.fail_on_degenerate_model = false to continue with corrected values",
            )
        self.linker = Linker(self._records, checked, log_level=None)

    def load(self, model: dict[str, Any]) -> None:
        """Use an already trained model (e.g. one saved as model.json), trained on either
        backend: its values are moved onto this backend's SQL when the dialects differ."""
        dialect = dialect_of(self.settings)
        target = backend_settings_dict(self.settings)
        moved = model_for_dialect(model, target, dialect)
        # Block on this data's rules: the guard's key columns are made for each data set.
        rules = "blocking_rules_to_generate_predictions"
        moved = {**moved, rules: target[rules]}
        self.linker = Linker(self._records, moved, log_level=None)

    def close(self) -> None:
        """Let the DuckDB database go, with every table Splink made in it (gigabytes at ten
        million records, held otherwise until the model is collected); a Spark session is
        left running."""
        con = getattr(self.db_api, "_con", None)
        if isinstance(con, duckdb.DuckDBPyConnection):
            con.close()

    def model_json(self) -> dict[str, Any]:
        return dict(self.linker.misc.save_model_to_json())

    @property
    def prior(self) -> float:
        return float(self.model_json()["probability_two_random_records_match"])

    def set_prior(self, prior: float) -> None:
        """Use ``prior`` from now on (m and u unchanged); see :mod:`gbo.link.prior`."""
        # Set where Splink's own training sets it: building a new Linker would validate
        # every comparison's SQL again (over a second).
        self.linker._settings_obj._probability_two_random_records_match = prior
        self.report.probability_two_random_records_match = prior

    # ----- scoring ----------------------------------------------------------------------
    def predict(self) -> pa.Table:
        """Score every blocked pair; keep pairs at or above ``predict_min_probability``."""
        threshold = self.settings.predict_min_probability or None
        chunks = self.settings.predict_chunks if self.settings.predict_chunks > 1 else None
        frame = self.linker.inference.predict(
            threshold_match_probability=threshold,
            num_chunks_left=chunks,
            num_chunks_right=chunks,
        )
        keep = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
        keep += [f"gamma_{c}" for c in COMPARISON_NAMES]
        # Each comparison's weight in the pair's waterfall, its frequency adjustment included.
        keep += [
            f"mw_{c} + coalesce(mw_tf_adj_{c}, 0) as mw_{c}" if c in TF_COMPARISONS else f"mw_{c}"
            for c in COMPARISON_NAMES
        ]
        # Only pseudonyms, weights and levels leave the database: never the compared values.
        selected = self.linker.misc.query_sql(  # type: ignore[no-untyped-call]
            f"select {', '.join(keep)} from {frame.physical_name}", output_type="splink_df"
        )
        table = selected.as_pyarrow_table()
        selected.drop_table_from_database_and_remove_from_cache()
        frame.drop_table_from_database_and_remove_from_cache()
        return table

    def level_labels(self) -> dict[str, dict[int, str]]:
        """For each comparison, gamma value -> level label (for readable evidence)."""
        labels: dict[str, dict[int, str]] = {}
        for comparison in self.model_json()["comparisons"]:
            levels = comparison["comparison_levels"]
            name = comparison["output_column_name"]
            non_null = [lv for lv in levels if not lv.get("is_null_level")]
            labels[name] = {-1: "null"}
            for i, level in enumerate(non_null):
                labels[name][len(non_null) - 1 - i] = str(level.get("label_for_charts"))
        return labels
