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

CHUNK = 1024 * 1024
CAVEAT = (
    "overwriting cannot reach copies an SSD, a copy-on-write filesystem (btrfs, ZFS, APFS), "
    "a snapshot, a backup or a sync client keeps; see SECURITY.md"
)


class WipeRefused(PwcheckError):
    """The path is not something pwcheck will overwrite (a link, a device, a directory)."""


@dataclass(frozen=True)
class Wiped:
    path: Path
    size: int
    other_links: int


def overwrite_and_unlink(path: Path) -> Wiped:
    """Zero every byte of the regular file at `path`, fsync, unlink, fsync the directory.

    Symbolic links are refused rather than followed: deleting the link would leave the
    export, and overwriting its target may destroy a file the user did not name.
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise WipeRefused("is a symbolic link; delete the file it points to yourself")
    if not stat.S_ISREG(info.st_mode):
        raise WipeRefused("is not a regular file")
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise WipeRefused("changed while being deleted")
        size = opened.st_size
        zeros = bytes(min(CHUNK, size))
        written = 0
        while written < size:
            written += os.write(fd, zeros[: min(CHUNK, size - written)])
        os.fsync(fd)
    finally:
        os.close(fd)
    os.unlink(path)
    _fsync_dir(path.parent)
    return Wiped(path, size, opened.st_nlink - 1)


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


def after_audit(exports: list[Path], complete: bool, delete: bool) -> bool:
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
    for path in exports:
        try:
            wiped = overwrite_and_unlink(path)
        except (WipeRefused, OSError) as exc:
            reason = str(exc) if isinstance(exc, WipeRefused) else (exc.strerror or type(exc).__name__)
            error_line(f"{path}: not deleted ({reason})")
            ok = False
            continue
        links = f"; {wiped.other_links} other hard link(s) now hold zeros" if wiped.other_links else ""
        error_line(f"{path}: overwritten ({wiped.size:,} bytes) and deleted{links}")
    error_line(f"note: {CAVEAT}")
    return ok


def _count(exports: list[Path]) -> str:
    return f"{exports[0]} is" if len(exports) == 1 else f"each of the {len(exports)} exports read is"
