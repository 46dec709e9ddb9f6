"""What the person sees on stderr while a command runs: progress and one-line messages.

Progress is drawn only on a terminal (never into a pipe or a log), and never names a
password, a hash or even a prefix.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

import click


_quiet = False


def set_quiet(quiet: bool) -> None:
    """`-q`: no report on stdout and no advisory notes; errors and warnings are never dropped."""
    global _quiet
    _quiet = quiet


def is_quiet() -> bool:
    """Whether `-q` was given: commands then print nothing but errors and warnings."""
    return _quiet


def error_line(message: str) -> None:
    """One clear line on stderr, no traceback."""
    click.echo(f"pwcheck: {message}", err=True)


def note(message: str) -> None:
    """An advisory line on stderr (not an error), silenced by `-q` for scripts."""
    if not _quiet:
        click.echo(f"pwcheck: {message}", err=True)


@contextmanager
def progress_bar(total: int, label: str, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when stderr is a terminal and `enabled`; else nothing."""
    if not enabled or total == 0 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
