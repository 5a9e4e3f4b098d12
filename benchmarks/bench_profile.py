"""Benchmark: the profile stage at 1,000,000 person records (target <= 30 s, <= 2 GB).

The inputs are generated directly in the run-folder contract format (vault, link and groups
outputs) with numpy and pyarrow, in a child process so that generating them does not count
towards the stage's peak memory. Distributions are neutral and have no real-world meaning.

    python -m benchmarks.bench_profile [--records N] [--run-dir DIR]

With ``--run-dir`` it profiles an existing run folder (real pipeline output) instead.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.measure import measure, report
from gbo import pipeline  # noqa: F401 - fills the stage numbers
from gbo.config import RunConfig
from gbo.runfolder import RunContext, stage_folder_name
from gbo.schema import codes
from gbo.schema.tables import PSEUDONYMISED_TABLES

AGENCIES = np.array(["police", "social_care", "health"])
DAY0 = np.datetime64("2012-01-01")


def _hex16(ids: np.ndarray) -> np.ndarray:
    """16 hexadecimal digits, as long as a real pseudonym's (so joins cost what they will)."""
    return np.char.zfill(np.char.mod("%x", ids.astype(np.int64)), 16)


def _pids(prefix: str, ids: np.ndarray) -> pa.Array:
    return pa.array(np.char.add(prefix, _hex16(ids)), pa.string())


def _choice(rng: np.random.Generator, values: list[str], n: int, p_missing: float) -> pa.Array:
    picked = np.asarray(values, dtype=object)[rng.integers(0, len(values), n)]
    mask = rng.random(n) < p_missing
    return pa.array(picked, pa.string(), mask=mask)


def _dates(rng: np.random.Generator, n: int, p_missing: float, span: int = 4000) -> pa.Array:
    days = DAY0 + rng.integers(0, span, n).astype("timedelta64[D]")
    return pa.array(days, pa.date32(), mask=rng.random(n) < p_missing)


def _write(folder: Path, name: str, columns: dict[str, pa.Array], schema: pa.Schema) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({f.name: columns.get(f.name, pa.nulls(_len(columns), f.type)) for f in schema})
    pq.write_table(table.cast(schema), folder / f"{name}.parquet")


def _len(columns: dict[str, pa.Array]) -> int:
    return len(next(iter(columns.values())))


def generate(run_dir: Path, n_records: int, seed: int = 11) -> None:
    """Write vault, link and groups outputs for ``n_records`` person records."""
    rng = np.random.default_rng(seed)
    vault = run_dir / stage_folder_name("vault")
    link = run_dir / stage_folder_name("link")
    groups = run_dir / stage_folder_name("groups")
    n_persons = int(n_records * 0.7)
    person_of_record = np.concatenate(
        [np.arange(n_persons), rng.integers(0, n_persons, n_records - n_persons)]
    )
    record_pid = _pids("rec_", np.arange(n_records))
    agency = pa.array(AGENCIES[rng.integers(0, 3, n_records)], pa.string())
    sde = [*codes.SDE_18]
    spec = PSEUDONYMISED_TABLES
    _write(
        vault,
        "person_record",
        {
            "record_pid": record_pid,
            "agency": agency,
            "birth_year": pa.array(
                rng.integers(1950, 2015, n_records), mask=rng.random(n_records) < 0.2
            ),
            "sex": _choice(rng, list(codes.SEX), n_records, 0.1),
            "ethnicity_self": _choice(rng, sde, n_records, 0.5),
            "ethnicity_officer": _choice(rng, list(codes.IC_CODES), n_records, 0.4),
            "nationality": _choice(rng, ["GBR", "GBR", "GBR", "POL", "IRL"], n_records, 0.4),
            "local_authority": _choice(rng, list(codes.LOCAL_AUTHORITIES), n_records, 0.2),
            "is_looked_after": pa.array(
                rng.random(n_records) < 0.1, mask=rng.random(n_records) < 0.5
            ),
        },
        spec["person_record"].schema,
    )
    person_pid_of_record = _pids("per_", person_of_record)
    _write(
        link,
        "person_record_map",
        {"record_pid": record_pid, "person_pid": person_pid_of_record, "agency": agency},
        pa.schema(
            [("record_pid", pa.string()), ("person_pid", pa.string()), ("agency", pa.string())]
        ),
    )
    _write(
        link,
        "person",
        {
            "person_pid": _pids("per_", np.arange(n_persons)),
            "n_records": pa.array(np.ones(n_persons, dtype=np.int64)),
            "sex": _choice(rng, list(codes.SEX), n_persons, 0.1),
            "birth_year": pa.array(
                rng.integers(1950, 2015, n_persons), mask=rng.random(n_persons) < 0.2
            ),
            "ethnicity_self": _choice(rng, sde, n_persons, 0.5),
            "ethnicity_officer": _choice(rng, list(codes.IC_CODES), n_persons, 0.4),
            "nationality": _choice(rng, ["GBR", "GBR", "GBR", "POL", "IRL"], n_persons, 0.4),
            "has_conflicting_sex": pa.array(rng.random(n_persons) < 0.01),
            "has_conflicting_dob": pa.array(rng.random(n_persons) < 0.02),
        },
        pa.schema(
            [
                ("person_pid", pa.string()),
                ("n_records", pa.int64()),
                ("sex", pa.string()),
                ("birth_year", pa.int64()),
                ("ethnicity_self", pa.string()),
                ("ethnicity_officer", pa.string()),
                ("nationality", pa.string()),
                ("has_conflicting_sex", pa.bool_()),
                ("has_conflicting_dob", pa.bool_()),
            ]
        ),  # fmt: skip
    )
    # offences: 0.3 per record; 1-3 offenders and 0-2 victims each
    n_off = int(n_records * 0.3)
    offence_pid = _pids("off_", np.arange(n_off))
    methods_flat = rng.integers(0, len(codes.METHODS), n_off * 2)
    offsets = np.arange(0, n_off * 2 + 1, 2, dtype=np.int32)
    methods = pa.ListArray.from_arrays(
        pa.array(offsets), pa.array(np.asarray(list(codes.METHODS))[methods_flat])
    )
    _write(
        vault,
        "offence",
        {
            "offence_pid": offence_pid,
            "agency": pa.array(np.full(n_off, "police")),
            "ho_offence_code": _choice(rng, list(codes.HO_OFFENCES), n_off, 0.1),
            "is_cse_flagged": pa.array(rng.random(n_off) < 0.3, mask=rng.random(n_off) < 0.2),
            "is_online": pa.array(rng.random(n_off) < 0.2, mask=rng.random(n_off) < 0.3),
            "cocad_category": _choice(rng, list(codes.COCAD), n_off, 0.4),
            "first_date": _dates(rng, n_off, 0.05),
            "location_type": _choice(rng, list(codes.LOCATION_TYPES), n_off, 0.3),
            "methods": methods,
            "police_force_area": _choice(rng, list(codes.POLICE_FORCES), n_off, 0.05),
            "local_authority": _choice(rng, list(codes.LOCAL_AUTHORITIES), n_off, 0.2),
            "outcome_code": _choice(rng, list(codes.OUTCOMES), n_off, 0.2),
        },
        spec["offence"].schema,
    )
    offender_persons = rng.choice(n_persons, int(n_persons * 0.15), replace=False)
    victim_persons = rng.choice(n_persons, int(n_persons * 0.25), replace=False)
    first_record = np.arange(n_persons)  # record i is the first record of person i
    n_offender_links = n_off * 2
    n_victim_links = n_off
    inv_offence = np.concatenate(
        [rng.integers(0, n_off, n_offender_links), rng.integers(0, n_off, n_victim_links)]
    )
    inv_person = np.concatenate(
        [
            offender_persons[rng.integers(0, len(offender_persons), n_offender_links)],
            victim_persons[rng.integers(0, len(victim_persons), n_victim_links)],
        ]
    )
    roles = np.concatenate(
        [
            np.asarray(sorted(codes.OFFENDER_ROLES))[rng.integers(0, 3, n_offender_links)],
            np.full(n_victim_links, "VICTIM"),
        ]
    )
    _write(
        vault,
        "involvement",
        {
            "offence_pid": _pids("off_", inv_offence),
            "record_pid": _pids("rec_", first_record[inv_person]),
            "agency": pa.array(np.full(len(roles), "police")),
            "role": pa.array(roles),
        },
        spec["involvement"].schema,
    )
    # groups: one in five offences is group-based, in groups of about four offences
    grouped_offences = rng.choice(n_off, n_off // 5, replace=False)
    group_of_offence = rng.integers(0, max(1, len(grouped_offences) // 4), len(grouped_offences))
    n_groups = int(group_of_offence.max()) + 1 if len(group_of_offence) else 0
    _write(
        groups,
        "group_offence",
        {
            "group_pid": _pids("grp_", group_of_offence),
            "offence_pid": _pids("off_", grouped_offences),
        },
        pa.schema([("group_pid", pa.string()), ("offence_pid", pa.string())]),
    )
    in_group = rng.choice(offender_persons, len(offender_persons) // 3, replace=False)
    membership_group = rng.integers(0, max(1, n_groups), len(in_group))
    lone = np.setdiff1d(offender_persons, in_group)
    _write(
        groups,
        "group_membership",
        {
            "person_pid": _pids("per_", np.concatenate([in_group, lone])),
            "group_pid": pa.array(
                np.concatenate(
                    [np.char.add("grp_", _hex16(membership_group)), np.full(len(lone), "")]
                ),
                mask=np.concatenate([np.zeros(len(in_group), bool), np.ones(len(lone), bool)]),
            ),
            "is_lone": pa.array(
                np.concatenate([np.zeros(len(in_group), bool), np.ones(len(lone), bool)])
            ),
        },
        pa.schema(
            [("person_pid", pa.string()), ("group_pid", pa.string()), ("is_lone", pa.bool_())]
        ),
    )
    starts = DAY0 + rng.integers(0, 3500, n_groups).astype("timedelta64[D]")
    duration = rng.integers(0, 1500, n_groups)
    _write(
        groups,
        "group",
        {
            "group_pid": _pids("grp_", np.arange(n_groups)),
            "n_offenders": pa.array(rng.integers(2, 15, n_groups)),
            "n_victims": pa.array(rng.integers(0, 12, n_groups)),
            "n_offences": pa.array(rng.integers(1, 10, n_groups)),
            "first_date": pa.array(starts, pa.date32()),
            "last_date": pa.array(starts + duration.astype("timedelta64[D]"), pa.date32()),
            "duration_days": pa.array(duration),
        },
        pa.schema(
            [
                ("group_pid", pa.string()),
                ("n_offenders", pa.int64()),
                ("n_victims", pa.int64()),
                ("n_offences", pa.int64()),
                ("first_date", pa.date32()),
                ("last_date", pa.date32()),
                ("duration_days", pa.int64()),
            ]
        ),  # fmt: skip
    )
    gv = victim_persons[rng.integers(0, len(victim_persons), n_groups * 2)]
    _write(
        groups,
        "group_victim",
        {
            "group_pid": _pids("grp_", rng.integers(0, max(1, n_groups), len(gv))),
            "person_pid": _pids("per_", gv),
        },
        pa.schema([("group_pid", pa.string()), ("person_pid", pa.string())]),
    )
    # events: about 2 per record, on records of victims and others
    n_ev = n_records * 2
    event_types = list(codes.EVENT_TYPES)
    weights = np.array([0.08 if t == "CSE_IDENTIFIED" else 1.0 for t in event_types])
    _write(
        vault,
        "event",
        {
            "record_pid": _pids("rec_", rng.integers(0, n_records, n_ev)),
            "agency": pa.array(AGENCIES[rng.integers(0, 3, n_ev)]),
            "event_type": pa.array(
                np.asarray(event_types)[
                    rng.choice(len(event_types), n_ev, p=weights / weights.sum())
                ]
            ),
            "event_date": _dates(rng, n_ev, 0.05),
        },
        spec["event"].schema,
    )
    n_vul = int(n_records * 0.4)
    _write(
        vault,
        "vulnerability",
        {
            "record_pid": _pids("rec_", rng.integers(0, n_records, n_vul)),
            "agency": pa.array(AGENCIES[rng.integers(0, 3, n_vul)]),
            "marker": pa.array(
                np.asarray(list(codes.VULNERABILITY_MARKERS))[rng.integers(0, 10, n_vul)]
            ),
        },
        spec["vulnerability"].schema,
    )
    _write(
        vault,
        "association",
        {"record_pid_a": pa.array([], pa.string())},
        spec["association"].schema,
    )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def profile_run(run_dir: Path) -> None:
    from gbo.profile.stage import run

    partial = run_dir / f".{stage_folder_name('profile')}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    ctx = RunContext(run_dir=run_dir, config=RunConfig(), stage="profile")
    cpu_before = _cpu_seconds()
    with measure() as m:
        result = run(ctx)
    report("profile stage", m, "<= 30 s, <= 2048 MB")
    # on a shared machine wall time depends on the load; CPU time much less so
    print(f"  CPU time {_cpu_seconds() - cpu_before:.1f} s on {os.cpu_count()} cores", flush=True)
    print(f"  tables {result.metrics['tables']}, cells {result.metrics['cells']}, "
          f"offences {result.metrics['offences']}, offenders {result.metrics['offenders']}, "
          f"victims {result.metrics['victims']}, groups {result.metrics['groups']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--run-dir", type=Path, default=None, help="profile this run folder")
    args = parser.parse_args()
    if args.run_dir is not None:
        profile_run(args.run_dir.resolve())
        return
    run_dir = Path("bench-data") / f"profile-{args.records}-v2"
    marker = run_dir / ".generated"
    if not marker.exists():
        shutil.rmtree(run_dir, ignore_errors=True)
        with measure() as m:
            child = multiprocessing.get_context("fork").Process(
                target=generate, args=(run_dir, args.records)
            )
            child.start()
            child.join()
        if child.exitcode:
            raise SystemExit(f"generating the inputs failed (exit {child.exitcode})")
        marker.touch()
        print(f"generated {args.records:,} person records in {m.seconds:.1f} s", flush=True)
    profile_run(run_dir.resolve())


if __name__ == "__main__":
    main()
