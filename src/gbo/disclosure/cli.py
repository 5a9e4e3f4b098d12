"""``gbo audit disclosure RUN_DIR``: prove no withheld figure can be worked out."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import out, user_errors
from gbo.errors import AuditFailedError

MAX_SHOWN = 50


def disclosure_command(
    run_dir: Annotated[Path, typer.Argument(help="The run folder (e.g. runs/latest).")],
    protection: Annotated[
        int | None,
        typer.Option(
            min=1, help="Required width of every feasible range; default: the run's setting."
        ),
    ] = None,
    integer: Annotated[
        bool,
        typer.Option(
            "--integer/--linear",
            help="Whole-number ranges, as a reader who knows counts are whole finds them "
            "(--integer: the linear relaxation first, an integer programme where it is loose), "
            "or the linear relaxation only (--linear: wider ranges, a weaker test).",
        ),
    ] = True,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact/--fast",
            help="Solve the minimum and maximum of every withheld figure (--exact), or stop "
            "once two feasible points prove a range wide enough (--fast).",
        ),
    ] = True,
) -> None:
    """Solve the feasible range of every withheld figure by linear programming; exit 1 if any
    range is narrower than the protection interval or a published figure breaks the rules."""
    from gbo.disclosure.audit_run import audit_run

    with user_errors():
        report = audit_run(run_dir.resolve(), protection=protection, integer=integer, exact=exact)
        out.print("relation families modelled (relations each):", highlight=False)
        out.print(report.families_text(), highlight=False)
        for r in report.narrow[:MAX_SHOWN]:
            ref = r.refs[0]
            upper = "unbounded" if math.isinf(r.upper) else f"{r.upper:g}"
            out.print(
                f"NARROW {ref.describe()}: feasible range {r.lower:g} to {upper}",
                highlight=False,
            )
        for problem in report.problems[:MAX_SHOWN]:
            out.print(f"PROBLEM {problem}", highlight=False)
        if not report.passed:
            raise AuditFailedError(
                report.summary(),
                hint="do not publish these tables; rerun the disclosure stage (with "
                "disclosure.protection_interval at least the interval audited)",
                path=run_dir,
            )
    out.print(report.summary(), highlight=False)


def register(audit_app: typer.Typer) -> None:
    audit_app.command("disclosure")(disclosure_command)
