"""Shared pieces of the command line: consoles, progress bars and error handling.

Stage packages' ``cli.py`` modules import from here (not from :mod:`gbo.cli`), so that the
top-level CLI can import them without a cycle.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgressBar

from gbo.errors import GboError

console = Console(stderr=True)
out = Console(soft_wrap=True)
_state = {"debug": False}


def set_debug(debug: bool) -> None:
    _state["debug"] = debug


def quiet_library_logs(debug: bool) -> None:
    """Libraries' own chatter (Splink's training notes) only with --debug; gbo reports what
    matters itself (the link stage records model checks in its metrics)."""
    level = logging.INFO if debug else logging.ERROR
    for name in ("splink", "sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(level)


class _QuietTask:
    def advance(self, amount: float = 1) -> None:
        return None


class RichProgress:
    """Progress bars on the terminal (plain lines when not a terminal)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    @contextmanager
    def task(self, description: str, total: float | None = None) -> Iterator[Any]:
        if not self.console.is_terminal:
            yield _QuietTask()  # no bars in logs and pipes: they would print blank lines
            return
        with RichProgressBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        ) as bar:
            task_id = bar.add_task(description, total=total)

            class _Task:
                def advance(self, amount: float = 1) -> None:
                    bar.advance(task_id, amount)

            yield _Task()

    def log(self, message: str) -> None:
        self.console.print(message)


def progress() -> RichProgress:
    return RichProgress(console)


def fail(error: GboError) -> typer.Exit:
    """Print a gbo error as one message and return the exit to raise."""
    # escaped: a message may hold square brackets ("not in [codes]"), which are not markup
    console.print(
        f"[bold red]error:[/bold red] {escape(error.render())}", highlight=False, markup=True
    )
    return typer.Exit(error.exit_code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn :class:`GboError` into a message and a non-zero exit (traceback with --debug)."""
    try:
        yield
    except GboError as error:
        if _state["debug"]:
            raise
        raise fail(error) from None
