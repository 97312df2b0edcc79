"""Progress bars for long work (years, scenarios, samples): on stderr, terminals only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

err = Console(stderr=True, soft_wrap=True)


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr (terminals only); yields the callable that advances it by one."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as p:
        task = p.add_task(label, total=total)
        yield lambda *_: p.advance(task)
