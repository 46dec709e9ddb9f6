"""What the person sees on stderr while a command runs: progress and one-line messages.

Progress is drawn only on a terminal (never into a pipe or a log), and never names a
password, a hash or even a prefix. Every line written here goes through
`system.display.shown` first: messages quote file names, titles and URLs, which can hold
terminal control sequences or a password in a URL.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

import click

from pwcheck.system.display import shown

_quiet = False


def set_quiet(quiet: bool) -> None:
    """`-q`: no advisory notes or reminders; errors, warnings and reports are never dropped."""
    global _quiet
    _quiet = quiet


def is_quiet() -> bool:
    """Whether `-q` was given: commands then leave out notes, reminders and progress, never a report."""
    return _quiet


def error_line(message: str) -> None:
    """One clear line on stderr, no traceback."""
    click.echo(f"pwcheck: {shown(message)}", err=True)


def warning(message: str) -> None:
    """A warning on stderr: `-q` never silences it."""
    error_line(f"warning: {message}")


def note(message: str) -> None:
    """An advisory line on stderr (not an error), silenced by `-q` for scripts."""
    if not _quiet:
        click.echo(f"pwcheck: {shown(message)}", err=True)


@contextmanager
def progress_bar(
    total: int, label: str, enabled: bool, rate_unit: str | None = None
) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when stderr is a terminal and `enabled`; else nothing.

    `rate_unit` adds a speed column ("1,234 ranges/s") for long runs such as a mirror.
    """
    if not enabled or total == 0 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:  # type: ignore[no-untyped-def]
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} {rate_unit}/s" if speed else f"- {rate_unit}/s")

    extra = [RateColumn()] if rate_unit else []
    # The label as the task's description, not as TextColumn's format string: a file name
    # in it may hold `{`, `[` (rich markup) or control characters.
    description = escape(shown(label))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *extra,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)
