"""``gbo trace``: where one source row went, for the key holder only. Writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gbo.cli_support import out, user_errors
from gbo.ingest.trace import Lookup, Trace, TraceError, trace_record

SINGLE_COMMAND = True


def app(
    run_dir: Annotated[Path, typer.Argument(help="The run folder (runs/<run id>).")],
    source_file: Annotated[
        str | None,
        typer.Argument(help="Export file name, e.g. police.csv (with --row or --local-id)."),
    ] = None,
    row: Annotated[int | None, typer.Option(help="Line (row) number in that file.")] = None,
    local_id: Annotated[str | None, typer.Option(help="The agency's own id of the person.")] = None,
    record_pid: Annotated[
        str | None, typer.Option(help="A record pseudonym (rec_...) from this run's outputs.")
    ] = None,
    person_pid: Annotated[
        str | None,
        typer.Option(help="A person pseudonym from this run's outputs or the review app."),
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option(help="Vault key file (default: GBO_VAULT_KEY).")
    ] = None,
) -> None:
    """Follow one source row, or the record or person behind a pseudonym: its record and
    person pseudonyms, the person's other records and the match-weight waterfall of each
    link. For the key holder only: it needs the vault key, prints to the terminal and
    writes nothing."""
    from gbo.security import load_key_ring

    with user_errors():
        lookup = Lookup(
            Path(source_file).name if source_file else None, row, local_id, record_pid, person_pid
        )
        lookup.check()
        if not run_dir.is_dir():
            raise TraceError("run folder not found", hint="give runs/<run id>", path=run_dir)
        keys = load_key_ring(key_file, run_dir)
        trace = trace_record(run_dir, keys, lookup)
    print_trace(trace)


def print_trace(trace: Trace) -> None:
    r = trace.record
    out.print(
        f"{r.source_file} line {r.source_row} ({r.agency}, local id {r.local_id}): "
        f"record {r.record_pid}, person {trace.person_pid or '(not linked yet)'}",
        highlight=False,
        markup=False,
    )
    if trace.others:
        others = Table("agency", "source file", "line", "local id", "record", title="Same person")
        for o in sorted(trace.others, key=lambda o: (o.source_file, o.source_row)):
            others.add_row(o.agency, o.source_file, str(o.source_row), o.local_id, o.record_pid)
        out.print(others)
    else:
        out.print("No other record is linked to this person.")
    for pair in trace.pairs:
        status = f"accepted ({pair.accepted})" if pair.accepted else "not accepted directly"
        steps = Table(
            "comparison", "level", "weight", "running total",
            title=f"{pair.record_pid_l} - {pair.record_pid_r}: match weight "
            f"{pair.match_weight:.2f}, probability {probability_text(pair.match_probability)}, "
            f"{status}",
        )  # fmt: skip
        total = 0.0
        for step in pair.steps:
            total += step.match_weight
            steps.add_row(step.comparison, step.level, f"{step.match_weight:+.2f}", f"{total:.2f}")
        out.print(steps)


def probability_text(p: float) -> str:
    """A match probability to three decimals, or as many more as it takes not to say 1.000
    (or 0.000) of a probability that is not exactly that: 0.9997 is not certain."""
    places = 3
    while places < 12 and 0.0 < p < 1.0 and round(p, places) in (0.0, 1.0):
        places += 1
    return f"{p:.{places}f}"
