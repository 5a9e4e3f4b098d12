"""The ``gbo`` command line: a skin over the library.

Each command parses its options, calls one library function and turns :class:`GboError`
into a one-line message and a non-zero exit code (a traceback only with ``--debug``).
Stage packages contribute their own sub-commands (``gbo/<stage>/cli.py`` exposing ``app``,
or ``register(audit_app)`` for an audit), each registered by name in this file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import console, out, progress, quiet_library_logs, set_debug, user_errors
from gbo.errors import GboError

app = typer.Typer(
    name="gbo",
    help="Evidence platform for group-based child sexual exploitation (aggregate evidence only).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """gbo links multi-agency records, finds offending groups and publishes aggregate,
    disclosure-controlled statistics. It never scores or ranks an individual."""
    set_debug(debug)
    quiet_library_logs(debug)


#: ``gbo run --strict``: the run completed, but an input file could not be ingested.
STRICT_EXIT = 3


@app.command("run")
def run_command(
    config: Annotated[Path, typer.Argument(help="Run configuration (TOML).")],
    new: Annotated[bool, typer.Option("--new", help="Start a new run folder.")] = False,
    until: Annotated[str | None, typer.Option(help="Stop after this stage.")] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit with status 3 if an input file could not be ingested at all (the run "
            "still completes on the other files), so a scheduled job can tell.",
        ),
    ] = False,
) -> None:
    """Run the pipeline on real inputs; resumes the latest run of this config if unchanged.

    The last line printed is the run folder.
    """
    from gbo.config import load_config
    from gbo.pipeline import run_pipeline, unreadable_inputs

    with user_errors():
        cfg = load_config(config)
        run_dir = run_pipeline(
            cfg, config_path=config, resume=not new, progress=progress(), until=until
        )
    out.print(str(run_dir), highlight=False)
    failed = unreadable_inputs(run_dir)
    if strict and failed:
        for name, error in failed.items():
            console.print(f"[bold red]not ingested:[/bold red] {name}: {error}", highlight=False)
        raise typer.Exit(STRICT_EXIT)


@app.command("demo")
def demo_command(
    size: Annotated[int, typer.Option(help="Synthetic person records to make.")] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the synthetic inputs.")] = Path(
        "demo-data"
    ),
    new: Annotated[bool, typer.Option("--new", help="Start a new run folder.")] = False,
) -> None:
    """Make synthetic data (with a throwaway vault key) and run the whole pipeline on it."""
    from gbo.demo import run_demo

    with user_errors():
        run_dir = run_demo(size=size, seed=seed, out_dir=out_dir, new=new, progress=progress())
    out.print(str(run_dir), highlight=False)


vault_app = typer.Typer(help="The identity vault and its key.", no_args_is_help=True)
app.add_typer(vault_app, name="vault")


@vault_app.command("new-key")
def new_key_command(
    out_file: Annotated[Path, typer.Option("--out", help="Write the key to this file.")],
) -> None:
    """Make a new random vault key and write it to a file (mode 600). Keep it safe."""
    from gbo.security.keys import make_throwaway_key

    with user_errors():
        if out_file.exists():
            raise GboError("key file already exists; refusing to overwrite", path=out_file)
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.touch(mode=0o600)
        out_file.write_text(make_throwaway_key() + "\n", encoding="ascii")
    out.print(str(out_file), highlight=False)


audit_app = typer.Typer(help="Audits of a run folder.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _register_stage_commands() -> None:
    """The sub-commands that stage packages contribute, each named here once."""
    from gbo.disclosure.cli import register as register_disclosure_audit
    from gbo.groups.cli import app as groups_app
    from gbo.ingest.cli import app as mapping_app
    from gbo.ingest.trace_cli import app as trace_command
    from gbo.leak_audit.cli import register as register_leak_audit
    from gbo.lessons.cli import app as lessons_app
    from gbo.link.cli import app as link_app
    from gbo.review.cli import app as review_app
    from gbo.synth.cli import app as synth_command

    app.command("synth")(synth_command)
    app.command("trace")(trace_command)
    groups: list[tuple[str, typer.Typer]] = [
        ("mapping", mapping_app),
        ("link", link_app),
        ("groups", groups_app),
        ("lessons", lessons_app),
        ("review", review_app),
    ]
    for name, sub_app in groups:
        app.add_typer(sub_app, name=name)
    register_leak_audit(audit_app)
    register_disclosure_audit(audit_app)


_register_stage_commands()


def main() -> None:
    """Entry point of the ``gbo`` script."""
    app(prog_name="gbo")


if __name__ == "__main__":
    main()
