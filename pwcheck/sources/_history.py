"""When a KeePass entry's password last changed, from its history of versions.

KeePass keeps earlier versions of an entry (`History`), each with its own modification
time. The password changed at the first version that carries the current password after
the newest version that carries another one; that version's time is a real password-change
time. Without such a difference the entry's own modification time is all there is, and it
is any edit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional

from pwcheck.model.credential import ChangeKind

Version = tuple[Optional[datetime], bytes]  # (modification time, password digest)


def password_change(current: Version, history: Iterable[Version]) -> tuple[datetime | None, ChangeKind | None]:
    """(time, kind) of the last password change; kind "password" from history, "edit" from mtime."""
    mtime, digest = current
    versions = sorted((v for v in history if v[0] is not None), key=lambda v: v[0]) + [current]  # type: ignore[arg-type, return-value]
    changed_at = None
    for previous, version in zip(versions, versions[1:]):
        if previous[1] != digest and version[1] == digest:
            changed_at = version[0]
    if changed_at is not None:
        return changed_at, "password"
    return (mtime, "edit") if mtime is not None else (None, None)
