"""Writing files the user asked for, privately: created 0600, parents 0700.

Reports name accounts; a world-readable report is warned about rather than refused,
because the user chose the place.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO


def write_private(path: Path, data: str) -> bool:
    """Write `data` to `path` (created 0600). Returns True if the file is readable by others."""
    with open_private(path) as handle:
        handle.write(data)
    return readable_by_others(path)


def open_private(path: Path) -> TextIO:
    """`path` opened for UTF-8 text, newlines untouched, created 0600 (symlinks not followed).

    For output written as it is produced: a 100,000-row report is tens of MB of text,
    and holding all of it before writing was most of an audit's peak memory.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def readable_by_others(path: Path) -> bool:
    """True when group or others may read `path` (it existed with a wider mode: 0600 applies to new files only)."""
    return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; returns it.

    Each missing level is made here because `mkdir(parents=True)` gives parents the
    umask's mode (often 0755), not `mode`.
    """
    missing = []
    level = path
    while not level.exists() and level != level.parent:
        missing.append(level)
        level = level.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)
    return path


def replace_private(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` atomically (a 0600 temporary file renamed over it), parent 0700.

    For pwcheck's own files (state, ignore rules, cache, timer units): a crash mid-write
    leaves the old file, never half a file. Text is written as UTF-8, newlines untouched.
    """
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(temporary, path)


def append_private(path: Path, line: str) -> None:
    """Append one line to a log file created 0600 (parent 0700)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line.rstrip("\n") + "\n")
