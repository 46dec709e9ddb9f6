"""Writing files the user asked for, privately: created 0600, parents 0700.

Reports name accounts; a world-readable report is warned about rather than refused,
because the user chose the place.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write_private(path: Path, data: str) -> bool:
    """Write `data` to `path` (created 0600). Returns True if the file is readable by others."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(data)
    return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) as 0700 if missing; returns it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def replace_private(path: Path, data: str) -> None:
    """Write `data` to a new 0600 file beside `path`, then rename it over `path`.

    For caches: a reader never sees half a file, and a crash leaves the old copy intact.
    """
    import tempfile

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mkstemp creates 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def user_cache_dir() -> Path:
    """pwcheck's cache folder: `PWCHECK_CACHE_DIR`, else the platform's user cache dir."""
    override = os.environ.get("PWCHECK_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("pwcheck", appauthor=False))
