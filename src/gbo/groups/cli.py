"""``gbo groups``: see the group rule a configuration gives, and a run's sensitivity table.

``gbo groups rule [--config CONFIG]`` prints the rule (version, hash, definition and the
sentence used in table notes); ``gbo groups sensitivity RUN_DIR`` prints how many groups,
and how large, the alternative rules give in that run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import out, user_errors
from gbo.errors import GroupsError, RunFolderError

app = typer.Typer(
    help="Offending groups: the group rule and its sensitivity.", no_args_is_help=True
)

SENSITIVITY_COLUMNS = (
    "rule_name",
    "n_groups",
    "n_offenders_in_groups",
    "largest_group",
    "n_groups_size_2",
    "n_groups_size_3_4",
    "n_groups_size_5_9",
    "n_groups_size_10_plus",
)


def rule_for(config_path: Path | None) -> dict[str, object]:
    """The rule JSON of a configuration (the default rule without one)."""
    from gbo.groups.rule import GroupRule, default_rule

    if config_path is None:
        return default_rule().to_json()
    from gbo.config import load_config

    return GroupRule.from_settings(load_config(config_path).groups).to_json()


def sensitivity_lines(run_dir: Path) -> list[str]:
    """The sensitivity table of a run, as aligned text lines."""
    from gbo.runfolder import RunFolder

    try:
        rows = RunFolder(run_dir).table("groups", "group_sensitivity").to_pylist()
    except RunFolderError as exc:
        raise GroupsError(
            "this run has no group sensitivity table",
            hint="run the pipeline through the groups stage with groups.sensitivity = true",
            path=run_dir,
        ) from exc
    table = [list(SENSITIVITY_COLUMNS)] + [
        [
            ("* " if r["is_configured_rule"] else "") + str(r["rule_name"]),
            *(str(r[c]) if r[c] is not None else "-" for c in SENSITIVITY_COLUMNS[1:]),
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(SENSITIVITY_COLUMNS))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    return [*lines, "(* the configured rule)"]


@app.command("rule")
def rule_command(
    config: Annotated[
        Path | None, typer.Option(help="Run configuration (the default rule without one).")
    ] = None,
) -> None:
    """Print the group rule: version, hash, definition and its plain-English note."""
    with user_errors():
        rule = rule_for(config)
    out.print(json.dumps(rule, indent=2, sort_keys=True), highlight=False, soft_wrap=True)


@app.command("sensitivity")
def sensitivity_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder (e.g. runs/latest).")],
) -> None:
    """Print how many groups, and how large, each alternative rule gives in a run."""
    with user_errors():
        lines = sensitivity_lines(run_dir)
    for line in lines:
        out.print(line, highlight=False, soft_wrap=True)
