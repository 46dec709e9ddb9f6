"""Writing files the user asked for, privately: created 0600, parents 0700.

Reports name accounts; a world-readable report is warned about rather than refused,
because the user chose the place. What the user names is written only if it is a plain
file of its own: never through a symbolic link, never a FIFO or a device (a FIFO with no
reader would hang, a device is not a report), never a file with other hard links (its
other names would change too), never one of the inputs (the export would become the report).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Collection, Iterable, TextIO

from pwcheck.model.errors import PwcheckError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# A FIFO or a terminal swapped in after the check must neither block `open` nor become our terminal.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class UnsafeTarget(PwcheckError):
    """A file pwcheck will not write its output over (exit 2): the message names it and why."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}; nothing was written")


def file_key(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the regular file `path` names, links followed as a reader follows them; else None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def refuse_unsafe_target(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Raise UnsafeTarget now if `open_private(path)` would refuse it, before any work is done."""
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return  # missing: created at open (and an unusable path is reported there)
    _check_target(path, info, {key for key in map(file_key, inputs) if key is not None})


def _check_target(path: Path, info: os.stat_result, avoid: Collection[tuple[int, int]]) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeTarget(path, "is a symbolic link; name the file itself")
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a directory" if stat.S_ISDIR(info.st_mode) else "a device or socket"
        raise UnsafeTarget(path, f"is {kind}, not a regular file")
    if (info.st_dev, info.st_ino) in avoid:
        raise UnsafeTarget(path, "is one of the inputs: the report would overwrite the export")
    if info.st_nlink > 1:
        raise UnsafeTarget(path, f"has {info.st_nlink - 1} other hard link(s) whose content would change too")


def write_private(path: Path, data: str) -> bool:
    """Write `data` to `path` (created 0600). Returns True if the file is readable by others."""
    with open_private(path) as handle:
        handle.write(data)
    return readable_by_others(path)


def open_private(path: Path, avoid: Collection[tuple[int, int]] = ()) -> TextIO:
    """`path` opened for UTF-8 text, newlines untouched, created 0600 (symlinks not followed).

    Refused (UnsafeTarget, the file untouched) unless it is missing or a regular file with
    one link whose (device, inode) is not in `avoid`: checked on the path, then on the
    opened descriptor, and only then truncated, so a swap in between cannot slip through.
    For output written as it is produced: a 100,000-row report is tens of MB of text,
    and holding all of it before writing was most of an audit's peak memory.
    """
    try:
        _check_target(path, os.lstat(path), avoid)
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _NOCTTY, 0o600)
    try:
        _check_target(path, os.fstat(fd), avoid)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        os.ftruncate(fd, 0)
    except BaseException:
        os.close(fd)
        raise
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
