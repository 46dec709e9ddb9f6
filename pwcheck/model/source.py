"""What sources hand to the pipeline: events, one contract for every kind of source, and the tally.

Every source (an export file, a keychain, a password store) is an `ItemSource`: a display
name and a function that streams events. Besides credentials and skipped items, a source
may yield a `Note` (something the person should know, shown with the report) or an
`InputError` for a part it could not read (a locked collection, an entry gpg could not
decrypt) while the rest of it is still read. Raising `InputError` instead ends that
source. `file` is set for a file, the only kind `--delete-exports` may ever delete; its
`identity` is recorded by the reader when it opens the file, and `--delete-exports`
overwrites nothing that does not still match it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence, Union

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError


@dataclass(frozen=True, slots=True)
class Note:
    """A remark about a source, shown with the report (never about a secret)."""

    source: str
    message: str


SourceEvent = Union[Credential, Skipped, Note, InputError]
# What a person reads of one source's unreadable rows: the first few, then how many more.
# The counts stay exact everywhere, and the JSON report lists every error.
SHOWN_ERRORS_PER_SOURCE = 20


@dataclass(frozen=True)
class FileIdentity:
    """Which file was read, and as what: device and inode name the file whatever its path;
    size and modification time say whether its content is still what was read."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    links: int

    @classmethod
    def of(cls, info: os.stat_result) -> "FileIdentity":
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_nlink)

    @property
    def key(self) -> tuple[int, int]:
        """(device, inode): equal for two names of one file (the same path twice, a hard or symbolic link)."""
        return self.device, self.inode

    def unchanged(self, info: os.stat_result) -> bool:
        """`info` is this file, with the size and modification time it had when read."""
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns) == (self.device, self.inode, self.size, self.mtime_ns)


@dataclass
class ExportFile:
    """A file given as a source: its path and, once the reader has opened it, its identity."""

    path: Path
    identity: FileIdentity | None = None


@dataclass(frozen=True)
class ItemSource:
    """A named stream of events; `read` is called once, when the audit collects."""

    name: str
    read: Callable[[], Iterable[SourceEvent]]
    file: ExportFile | None = None  # the file, for a file source


@dataclass
class Collected:
    """What the sources gave: credentials (hashed), skipped items, unreadable inputs."""

    credentials: list[Credential] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    read_ok: list[ExportFile] = field(default_factory=list)  # files read to the end: the only ones --delete-exports may delete
    complete: list[str] = field(default_factory=list)  # names of every source read to the end without an error
    # Scores still being worked out in the background (`sources.strength`): `settle_scores` waits for them.
    pending_scores: Callable[[], dict[bytes, int | None]] | None = None

    def settle_scores(self) -> None:
        """Give every credential its strength score, once the scoring that ran in the background is done."""
        if self.pending_scores is None:
            return
        scores, self.pending_scores = self.pending_scores(), None
        self.credentials = [replace(credential, strength=scores.get(credential.sha1)) for credential in self.credentials]

    def unique_hashes(self) -> list[bytes]:
        return list(dict.fromkeys(credential.sha1 for credential in self.credentials))


@dataclass(frozen=True)
class MoreErrors:
    """The line that stands for a source's errors past the first `SHOWN_ERRORS_PER_SOURCE`."""

    source: str
    count: int

    def __str__(self) -> str:
        return f"... and {self.count} more not read in {self.source} (--format json lists every one)"


def shown_errors(errors: Sequence[InputError], limit: int = SHOWN_ERRORS_PER_SOURCE) -> list[InputError | MoreErrors]:
    """The errors as a person reads them: each source's first `limit`, then one line counting the rest.

    Sources keep the order of their first error; a file with thousands of unreadable rows
    is then 21 lines on stderr and in the report, not thousands.
    """
    by_source: dict[str, list[InputError]] = {}
    for error in errors:
        by_source.setdefault(error.source, []).append(error)
    shown: list[InputError | MoreErrors] = []
    for source, group in by_source.items():
        shown.extend(group[:limit])
        if len(group) > limit:
            shown.append(MoreErrors(source, len(group) - limit))
    return shown
