"""Progress reporting for long work.

Library code reports progress through a :class:`Progress` object it is handed; the CLI hands
it one that draws Rich progress bars, tests and library callers get a silent one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

T = TypeVar("T")


class ProgressTask(Protocol):
    def advance(self, amount: float = 1) -> None: ...


class Progress(Protocol):
    @contextmanager
    def task(self, description: str, total: float | None = None) -> Iterator[ProgressTask]: ...

    def log(self, message: str) -> None: ...


class _SilentTask:
    def advance(self, amount: float = 1) -> None:
        return None


class SilentProgress:
    """Reports nothing."""

    @contextmanager
    def task(self, description: str, total: float | None = None) -> Iterator[ProgressTask]:
        yield _SilentTask()

    def log(self, message: str) -> None:
        return None


def track(
    progress: Progress, items: Iterable[T], description: str, total: float | None = None
) -> Iterator[T]:
    """Iterate over ``items``, advancing a progress task by one per item."""
    with progress.task(description, total) as task:
        for item in items:
            yield item
            task.advance()
