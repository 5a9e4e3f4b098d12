"""Following one source row through a run, for the key holder only.

From a source file and a row (its line number) or local id, or from a record or person
pseudonym seen in an output or the review app, :func:`trace_record` finds the record in the
encrypted ingest tables, computes its pseudonym with the run's key, finds its
person in ``03_link/person_record_map`` and that person's other records (named by source
file, line and local id, which only the key holder can see), and explains each scored pair
of the person's records with the match-weight waterfall of the saved Splink model
(``03_link/model.json``): the prior, then each comparison's weight at the level the pair
reached, adding up to the pair's match weight.

Nothing is written: the result is printed to the terminal by ``gbo trace`` and kept in
memory only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gbo.errors import GboError
from gbo.runfolder import RunFolder
from gbo.security import KeyRing, pseudonymise
from gbo.stages import stage_folder_name


class TraceError(GboError):
    """A trace that cannot be made (no such run, file, row or id)."""


@dataclass(frozen=True)
class SourceRef:
    agency: str
    source_file: str
    source_row: int
    local_id: str
    record_pid: str


@dataclass(frozen=True)
class WaterfallStep:
    comparison: str
    level: str
    match_weight: float


@dataclass
class PairTrace:
    record_pid_l: str
    record_pid_r: str
    match_weight: float
    match_probability: float
    accepted: str | None  # basis of the accepted link, None when not accepted
    steps: list[WaterfallStep] = field(default_factory=list)


@dataclass
class Trace:
    record: SourceRef
    person_pid: str | None
    others: list[SourceRef]
    pairs: list[PairTrace]


def _read_people(run: RunFolder, keys: KeyRing) -> pd.DataFrame:
    if not run.has_table("ingest", "person_record"):
        raise TraceError(
            "the run has no ingest output", hint="run the pipeline first", path=run.path
        )
    table = run.vault_table("ingest", "person_record", keys).select(
        ["agency", "source_file", "source_row", "local_id", "record_key"]
    )
    frame: pd.DataFrame = table.to_pandas()
    frame["record_pid"] = [pseudonymise(keys, "record", k, "rec") for k in frame["record_key"]]
    return frame


def _ref(row: pd.Series) -> SourceRef:
    return SourceRef(
        str(row["agency"]),
        str(row["source_file"]),
        int(row["source_row"]),
        str(row["local_id"]),
        str(row["record_pid"]),
    )


def find_record(
    people: pd.DataFrame, source_file: str, row: int | None, local_id: str | None
) -> pd.Series:
    """The person record from one source row (or with one local id) of a file."""
    here = people[people["source_file"] == source_file]
    if here.empty:
        files = ", ".join(sorted(people["source_file"].unique()))
        raise TraceError(
            f"no person records came from {source_file!r}",
            hint=f"the run's files are: {files}",
        )
    found = (
        here[here["source_row"] == row] if row is not None else here[here["local_id"] == local_id]
    )
    if found.empty:
        what = f"line {row}" if row is not None else f"local id {local_id!r}"
        raise TraceError(
            f"{source_file} has no accepted person record at {what}",
            hint=f"check {stage_folder_name('ingest')}/rejected_row.parquet: the row may have "
            "been rejected, or "
            "kept once under an earlier row with the same key",
        )
    return found.iloc[0]


def waterfall(model: dict[str, Any], pair: pd.Series) -> list[WaterfallStep]:
    """The prior and each comparison's match weight at the level the pair reached."""
    prior = float(model.get("probability_two_random_records_match", 0.0) or 0.0)
    steps = []
    if 0 < prior < 1:
        steps.append(WaterfallStep("prior", "", math.log2(prior / (1 - prior))))
    for comparison in model.get("comparisons", []):
        name = str(comparison.get("output_column_name", ""))
        gamma_column = f"gamma_{name}"
        if gamma_column not in pair.index or pd.isna(pair[gamma_column]):
            continue
        gamma = int(pair[gamma_column])
        levels = comparison.get("comparison_levels", [])
        scored = [lv for lv in levels if not lv.get("is_null_level")]
        if gamma < 0:
            steps.append(WaterfallStep(name, "null (no evidence)", 0.0))
            continue
        index = len(scored) - 1 - gamma
        if not 0 <= index < len(scored):
            continue
        level = scored[index]
        m, u = level.get("m_probability"), level.get("u_probability")
        weight = math.log2(m / u) if m and u else 0.0
        label = str(level.get("label_for_charts") or level.get("sql_condition", ""))
        steps.append(WaterfallStep(name, label, weight))
    return steps


def with_adjustments(steps: list[WaterfallStep], match_weight: float) -> list[WaterfallStep]:
    """The steps, plus one for what the levels alone do not explain (term-frequency
    adjustments of common names), so that the waterfall adds up to the pair's weight."""
    rest = match_weight - sum(s.match_weight for s in steps)
    if steps and abs(rest) > 0.005:
        return [*steps, WaterfallStep("adjustments", "term frequency and other", rest)]
    return steps


@dataclass(frozen=True)
class Lookup:
    """Which record to trace: a source file's row or local id, or a pseudonym."""

    source_file: str | None = None
    row: int | None = None
    local_id: str | None = None
    record_pid: str | None = None
    person_pid: str | None = None

    def check(self) -> None:
        ways = [
            self.row is not None or self.local_id is not None,
            self.record_pid is not None,
            self.person_pid is not None,
        ]
        if sum(ways) != 1 or (self.row is not None and self.local_id is not None):
            raise TraceError(
                "give exactly one of --row or --local-id (with the source file), "
                "--record-pid or --person-pid"
            )
        if ways[0] and self.source_file is None:
            raise TraceError("--row and --local-id need the source file, e.g. police.csv")


def find_by_pseudonym(
    people: pd.DataFrame, record_map: pd.DataFrame | None, lookup: Lookup
) -> pd.Series:
    """The person record with a record pseudonym, or the first record of a person's."""
    wanted = lookup.record_pid
    if lookup.person_pid is not None:
        mine = (
            record_map.loc[record_map["person_pid"] == lookup.person_pid, "record_pid"]
            if record_map is not None
            else pd.Series(dtype=str)
        )
        if mine.empty:
            raise TraceError(
                f"no person {lookup.person_pid!r} in this run",
                hint="person pseudonyms belong to one run (and its key): check the run folder",
            )
        wanted = str(sorted(mine)[0])
    found = people[people["record_pid"] == wanted]
    if found.empty:
        raise TraceError(
            f"no record {wanted!r} in this run",
            hint="record pseudonyms belong to one run (and its key): check the run folder "
            "and the vault key",
        )
    return found.iloc[0]


def trace_record(run_dir: Path, keys: KeyRing, lookup: Lookup) -> Trace:
    """Where one source row went in a run, and why its records were linked."""
    lookup.check()
    run = RunFolder(run_dir)
    people = _read_people(run, keys)
    linked = run.has_table("link", "person_record_map")
    record_map = run.table("link", "person_record_map").to_pandas() if linked else None
    if lookup.source_file is not None and (lookup.row is not None or lookup.local_id is not None):
        found = find_record(people, lookup.source_file, lookup.row, lookup.local_id)
    else:
        found = find_by_pseudonym(people, record_map, lookup)
    record = _ref(found)
    if record_map is None:
        return Trace(record, None, [], [])
    person = record_map.loc[record_map["record_pid"] == record.record_pid, "person_pid"]
    person_pid = str(person.iloc[0]) if len(person) else None
    members = set(record_map.loc[record_map["person_pid"] == person_pid, "record_pid"])
    others = [
        _ref(r)
        for _, r in people[people["record_pid"].isin(members - {record.record_pid})].iterrows()
    ]
    pairs: list[PairTrace] = []
    if run.has_table("link", "link_pair") and members:
        link_pairs = run.table("link", "link_pair").to_pandas()
        mine = link_pairs[
            link_pairs["record_pid_l"].isin(members) & link_pairs["record_pid_r"].isin(members)
        ]
        accepted = _accepted(run)
        model = _model(run)
        for _, pair in mine.iterrows():
            key = (str(pair["record_pid_l"]), str(pair["record_pid_r"]))
            pairs.append(
                PairTrace(
                    key[0],
                    key[1],
                    float(pair["match_weight"]),
                    float(pair["match_probability"]),
                    accepted.get(key) or accepted.get((key[1], key[0])),
                    with_adjustments(waterfall(model, pair), float(pair["match_weight"])),
                )
            )
    return Trace(record, person_pid, others, pairs)


def _accepted(run: RunFolder) -> dict[tuple[str, str], str]:
    if not run.has_table("link", "accepted_link"):
        return {}
    rows = run.table("link", "accepted_link").to_pylist()
    return {(str(r["record_pid_l"]), str(r["record_pid_r"])): str(r["basis"]) for r in rows}


def _model(run: RunFolder) -> dict[str, Any]:
    if not run.has_file("link", "model.json"):
        return {}
    data = run.read_json("link", "model.json")
    return data if isinstance(data, dict) else {}
