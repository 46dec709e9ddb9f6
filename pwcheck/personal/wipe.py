"""`--delete-exports`: overwrite an export's bytes in place, then unlink it.

An export is a plaintext copy of every password a person has. Overwriting before
unlinking means the blocks this file occupied no longer hold the passwords on a classic
filesystem on a spinning disk or a plain partition. It is not a guarantee anywhere else,
and the message says so (`CAVEAT`): SSDs remap writes to fresh cells (wear levelling),
copy-on-write filesystems (btrfs, ZFS, APFS) and snapshots write the zeros elsewhere and
keep the old blocks, and backups, sync clients and the browser's downloads folder may
hold copies pwcheck never sees. One pass of zeros is as good as many on any modern disk.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pwcheck.model.errors import PwcheckError
from pwcheck.model.source import ExportFile, FileIdentity

CHUNK = 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)  # a FIFO swapped in must not block open
CAVEAT = (
    "overwriting cannot reach copies an SSD, a copy-on-write filesystem (btrfs, ZFS, APFS), "
    "a snapshot, a backup or a sync client keeps; see SECURITY.md"
)


class WipeRefused(PwcheckError):
    """The path is not something pwcheck will overwrite (a link, a device, another file than was read)."""


@dataclass(frozen=True)
class Wiped:
    path: Path
    size: int


def overwrite_and_unlink(path: Path, identity: FileIdentity) -> Wiped:
    """Zero every byte of the file read as `identity`, fsync, unlink `path`, fsync the directory.

    Only that file: the one with the device, inode, size and modification time recorded
    when the export was read, with no other hard link, checked on the path and again on
    the opened descriptor before a byte is written. A file swapped in for the export (a
    hard link to another file, a new file), changed since it was read, or with other
    names, is refused and left as it is. Symbolic links are refused rather than followed:
    deleting the link would leave the export, and overwriting its target may destroy a
    file the user did not name.
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise WipeRefused("is a symbolic link; delete the file it points to yourself")
    _same_as_read(info, identity)
    fd = os.open(path, os.O_WRONLY | _NOFOLLOW | _NONBLOCK)
    try:
        opened = os.fstat(fd)
        _same_as_read(opened, identity)
        size = opened.st_size
        zeros = bytes(min(CHUNK, size))
        written = 0
        while written < size:
            written += os.write(fd, zeros[: min(CHUNK, size - written)])
        os.fsync(fd)
    finally:
        os.close(fd)
    now = os.lstat(path)
    if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        raise WipeRefused("was replaced while being overwritten: the file read holds zeros, the new one was kept")
    os.unlink(path)
    _fsync_dir(path.parent)
    return Wiped(path, size)


def _same_as_read(info: os.stat_result, identity: FileIdentity) -> None:
    """Refuse anything but the file that was read, unchanged, under this one name."""
    if not stat.S_ISREG(info.st_mode):
        raise WipeRefused("is not a regular file")
    if (info.st_dev, info.st_ino) != identity.key:
        raise WipeRefused("is no longer the file that was read (replaced since); not touched")
    if info.st_nlink > 1:
        raise WipeRefused(f"has {info.st_nlink - 1} other hard link(s) that overwriting would zero too; not touched")
    if not identity.unchanged(info):
        raise WipeRefused("changed since it was read; not touched")


def _fsync_dir(directory: Path) -> None:
    """Make the unlink durable; some filesystems cannot fsync a directory, which is fine."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def after_audit(exports: list[ExportFile], complete: bool, delete: bool) -> bool:
    """Remind about (or, with `--delete-exports`, delete) the exports an audit read in full.

    Deletes only after a complete audit (nothing unchecked, not interrupted): the export
    is what a second run needs to finish the job. Returns False if a deletion failed.
    """
    from pwcheck.system.console import error_line, note

    if not exports:
        return True
    if not delete:
        note(
            f"{_count(exports)} a plaintext copy of all your passwords: delete it when you are done "
            "(--delete-exports overwrites and deletes it)"
        )
        return True
    if not complete:
        error_line("exports kept: the audit is incomplete, and a second run needs them; delete them after it")
        return True
    ok = True
    for export in _one_per_file(exports):
        path = export.path
        try:
            if export.identity is None:
                raise WipeRefused("was not read as a regular file")
            wiped = overwrite_and_unlink(path, export.identity)
        except (WipeRefused, OSError) as exc:
            reason = str(exc) if isinstance(exc, WipeRefused) else (exc.strerror or type(exc).__name__)
            error_line(f"{path}: not deleted ({reason})")
            ok = False
            continue
        error_line(f"{path}: overwritten ({wiped.size:,} bytes) and deleted")
    error_line(f"note: {CAVEAT}")
    return ok


def _one_per_file(exports: list[ExportFile]) -> list[ExportFile]:
    """The first name of each file read (`distinct_files` already keeps one; this holds if a name slipped by)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for export in exports:
        key = export.identity.key if export.identity is not None else None
        if key is None or key not in seen:
            kept.append(export)
        if key is not None:
            seen.add(key)
    return kept


def _count(exports: list[ExportFile]) -> str:
    return f"{exports[0].path} is" if len(exports) == 1 else f"each of the {len(exports)} exports read is"
