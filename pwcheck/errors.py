"""Errors that end one input (or the run) with one clear line, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """A file or keychain that cannot be read; names the source and, when known, the line.

    Messages are built from structure (file names, line numbers, column names), never
    from field contents, so they cannot carry a password.
    """

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class UsageError(Exception):
    """The command line or environment asks for something impossible (exit 2)."""
