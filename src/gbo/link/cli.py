"""``gbo link``: the clerical review loop of the link stage.

``gbo link import-decisions FILE --config CONFIG`` checks a filled-in review queue (or any
CSV of pair decisions), merges it into the run configuration's decisions store
(``link.decisions_file``) and says so; the next ``gbo run CONFIG`` reruns linkage with the
decisions applied and used as labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import out, user_errors
from gbo.errors import LinkageError

app = typer.Typer(
    help="Record linkage: link only, and the clerical review loop.", no_args_is_help=True
)


def decisions_store(config_path: Path) -> Path:
    """The decisions store named by a run configuration (relative to the config's folder)."""
    from gbo.config import load_config

    config = load_config(config_path)
    store = config.link.decisions_file
    if store is None:
        raise LinkageError(
            "the configuration names no decisions file",
            hint='add decisions_file = "linkage-decisions.csv" under [link]',
            path=config_path,
        )
    return store if store.is_absolute() else (config_path.resolve().parent / store)


def import_decisions(file: Path, store: Path) -> tuple[int, int, dict[str, int]]:
    """Check ``file`` and merge it into ``store``; (added, replaced, count per decision)."""
    from gbo.link.decisions import merge_into_store, read_decisions

    new = read_decisions(file)
    if new.empty:
        raise LinkageError(
            "the file holds no decisions", hint="fill in the decision column", path=file
        )
    added, replaced = merge_into_store(new, store)
    counts = {str(k): int(v) for k, v in new["decision"].value_counts().items()}
    return added, replaced, counts


@app.command("import-decisions")
def import_decisions_command(
    file: Annotated[Path, typer.Argument(help="Filled-in review_queue.csv or a decisions CSV.")],
    config: Annotated[
        Path | None, typer.Option(help="Run configuration whose link.decisions_file to update.")
    ] = None,
    store: Annotated[
        Path | None, typer.Option(help="Decisions store to update (instead of --config).")
    ] = None,
) -> None:
    """Add clerical review decisions; the next run applies them and uses them as labels."""
    with user_errors():
        if (config is None) == (store is None):
            raise LinkageError("give exactly one of --config or --store")
        target = store if store is not None else decisions_store(config)  # type: ignore[arg-type]
        added, replaced, counts = import_decisions(file, target)
    summary = ", ".join(f"{n} {d}" for d, n in sorted(counts.items()))
    out.print(f"{added} new and {replaced} changed decisions ({summary}) in {target}")
    out.print("Rerun the pipeline (gbo run CONFIG) to apply them.")


@app.command("run")
def link_run_command(
    config: Annotated[Path, typer.Argument(help="Run configuration (TOML).")],
    new: Annotated[bool, typer.Option("--new", help="Start a new run folder.")] = False,
) -> None:
    """Link only: run the pipeline up to and including linkage, and stop.

    The stages before it are reused from the latest run of this configuration when their
    inputs have not changed. Writes 03_link/ (with accepted_link, the links the persons
    were built from). The last line printed is the run folder.
    """
    from gbo.cli_support import progress
    from gbo.config import load_config
    from gbo.pipeline import run_pipeline

    with user_errors():
        cfg = load_config(config)
        run_dir = run_pipeline(
            cfg, config_path=config, resume=not new, progress=progress(), until="link"
        )
    out.print(str(run_dir), highlight=False)
