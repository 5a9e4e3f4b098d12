"""Clerical review decisions: reading, checking, merging into the store, and as labels.

A decision is about a pair of record pseudonyms, never about identifiers:

==================  =========================================================
``record_pid_l``    one record (``rec_`` + 16 hex digits)
``record_pid_r``    the other record
``decision``        ``match``, ``non_match`` or ``unsure`` (``unsure`` changes nothing)
``reviewer``        optional: who decided
``decided_on``      optional: when (ISO date)
==================  =========================================================

A filled-in ``review_queue.csv`` is a valid decisions file: its other columns are ignored.
The store (``link.decisions_file``) keeps the latest decision for each pair; the link stage
applies it on every run and uses ``match`` decisions as labelled pairs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from gbo.errors import LinkageError

DECISION_COLUMNS = ["record_pid_l", "record_pid_r", "decision", "reviewer", "decided_on"]
DECISIONS = {"match", "non_match", "unsure"}
_DECISION_ALIASES = {"non-match": "non_match", "nonmatch": "non_match", "no": "non_match",
                     "yes": "match", "same": "match", "different": "non_match"}  # fmt: skip
_PID = re.compile(r"^rec_[0-9a-f]{16}$")


def read_decisions(path: Path) -> pd.DataFrame:
    """Read and check a decisions file; rows without a decision are skipped.

    Every problem is reported at once, by row number, without the row's values.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise LinkageError("decisions file not found", path=path) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise LinkageError(f"decisions file is not a readable CSV: {exc}", path=path) from exc
    missing = [c for c in ("record_pid_l", "record_pid_r", "decision") if c not in raw.columns]
    if missing:
        raise LinkageError(
            f"decisions file lacks column(s) {', '.join(missing)}",
            hint="fill in the decision column of review_queue.csv and import that file",
            path=path,
        )
    for column in ("reviewer", "decided_on"):
        if column not in raw.columns:
            raw[column] = ""
    raw["decision"] = raw["decision"].str.strip().str.lower().replace(_DECISION_ALIASES)
    raw = raw[raw["decision"] != ""]
    problems = []
    for index, row in raw.iterrows():
        line = int(str(index)) + 2  # header is line 1
        if row["decision"] not in DECISIONS:
            problems.append(f"line {line}: decision must be match, non_match or unsure")
        for column in ("record_pid_l", "record_pid_r"):
            if not _PID.match(str(row[column]).strip()):
                problems.append(f"line {line}: {column} is not a record pseudonym")
        if str(row["record_pid_l"]).strip() == str(row["record_pid_r"]).strip():
            problems.append(f"line {line}: a record cannot be paired with itself")
    if problems:
        raise LinkageError(
            f"{len(problems)} problem(s) in the decisions file:\n  " + "\n  ".join(problems[:50]),
            path=path,
        )
    return normalise_pairs(raw[DECISION_COLUMNS].apply(lambda c: c.str.strip()))


def normalise_pairs(decisions: pd.DataFrame) -> pd.DataFrame:
    """Order each pair (smaller pseudonym on the left) and add ``pair_key``."""
    out = decisions.copy()
    lo = out[["record_pid_l", "record_pid_r"]].min(axis=1)
    hi = out[["record_pid_l", "record_pid_r"]].max(axis=1)
    out["record_pid_l"], out["record_pid_r"] = lo, hi
    out["pair_key"] = lo + "|" + hi
    return out.reset_index(drop=True)


def load_store(path: Path | None) -> pd.DataFrame | None:
    """The decisions store, or ``None`` when there is none yet."""
    if path is None or not path.exists():
        return None
    return read_decisions(path)


def merge_into_store(new: pd.DataFrame, store_path: Path) -> tuple[int, int]:
    """Add decisions to the store (the newest decision on a pair wins); (added, replaced)."""
    old = load_store(store_path)
    combined = new if old is None else pd.concat([old, new], ignore_index=True)
    replaced = 0 if old is None else int(old["pair_key"].isin(new["pair_key"]).sum())
    combined = combined.drop_duplicates("pair_key", keep="last").sort_values("pair_key")
    store_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = store_path.with_name(store_path.name + ".tmp")
    combined[DECISION_COLUMNS].to_csv(tmp, index=False)
    os.replace(tmp, store_path)
    return len(new) - replaced, replaced


def labels_from_decisions(decisions: pd.DataFrame | None, known_ids: set[str]) -> pd.DataFrame:
    """``match`` decisions on records still present, as Splink pairwise labels."""
    if decisions is None:
        return pd.DataFrame(columns=["unique_id_l", "unique_id_r"])
    matches = decisions[
        (decisions["decision"] == "match")
        & decisions["record_pid_l"].isin(known_ids)
        & decisions["record_pid_r"].isin(known_ids)
    ]
    return pd.DataFrame(
        {"unique_id_l": matches["record_pid_l"], "unique_id_r": matches["record_pid_r"]}
    ).reset_index(drop=True)
