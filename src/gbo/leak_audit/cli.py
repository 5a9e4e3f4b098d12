"""``gbo audit leaks RUN_DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import out, user_errors
from gbo.errors import AuditFailedError

MAX_SHOWN = 50


def leaks_command(
    run_dir: Annotated[Path, typer.Argument(help="The run folder (e.g. runs/latest).")],
) -> None:
    """Scan every non-vault file of a run for identifiers from its inputs; exit 1 on any."""
    from gbo.config import RunConfig
    from gbo.leak_audit.leaks import scan_run_for_leaks
    from gbo.runfolder import RunFolder
    from gbo.security import load_key_ring

    with user_errors():
        run_dir = run_dir.resolve()
        config = RunConfig.model_validate(RunFolder(run_dir).manifest.get("config", {}))
        keys = load_key_ring(config.vault.key_file, run_dir)
        n_files, findings = scan_run_for_leaks(keys, run_dir)
        for finding in findings[:MAX_SHOWN]:
            out.print(f"LEAK {finding.render()}", highlight=False)
        if findings:
            raise AuditFailedError(
                f"{len(findings)} identifier finding(s) in {n_files} files scanned",
                hint="remove the identifying column or text from the stage that wrote it",
                path=run_dir,
            )
    out.print(f"no identifiers found in {n_files} files scanned", highlight=False)


def register(audit_app: typer.Typer) -> None:
    audit_app.command("leaks")(leaks_command)
