"""Writing a store, crash-safely: a temporary file, header last, fsync, then rename.

Until `finish` renames it, the store lives as `.{kind}.pwstore.partial` beside the
final name, with a zeroed header: nothing opens it as a store, so an interrupted build
(Ctrl-C, crash, full disk, power loss) never leaves a valid-looking store behind, and
the previous store, if any, stays in place untouched until the new one is complete.
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from array import array
from datetime import datetime, timezone
from itertools import accumulate
from pathlib import Path
from types import TracebackType

from pwcheck.check.store_format import (
    BUCKETS,
    CRC_OFFSET,
    DATA_OFFSET,
    INDEX_OFFSET,
    MAX_COUNT,
    HashKind,
    Header,
    StoreError,
    implausible_sizes,
)
from pwcheck.system.files import private_dir


def pack_counts(counts: list[int], where: str) -> bytes:
    """Big-endian u32 counts; a count the format cannot hold is refused, never clipped."""
    try:
        return struct.pack(f">{len(counts)}I", *counts)
    except struct.error:
        too_big = max(counts) > MAX_COUNT
        raise StoreError(f"{where}: a count {'exceeds 2^32-1' if too_big else 'is not a valid number'}") from None


class StoreWriter:
    """Takes buckets in ascending prefix order (`add`), then `finish` publishes the store."""

    def __init__(self, directory: Path, kind: HashKind, source: str, prefixes: tuple[int, int] = (0, BUCKETS - 1)) -> None:
        self.directory = private_dir(directory)
        self.kind = kind
        self.source = source
        self.prefixes = prefixes
        self.final = directory / kind.file_name
        self.partial = directory / f".{kind.file_name}.partial"
        self._sizes = array("Q", bytes(8 * BUCKETS))
        self._crcs = array("I", bytes(4 * BUCKETS))
        self._last = -1
        self.hash_count = 0
        fd = os.open(self.partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        self._file = os.fdopen(fd, "r+b", buffering=1 << 20)
        self._file.truncate(DATA_OFFSET)
        self._file.seek(DATA_OFFSET)

    def add(self, prefix: int, keys: bytes, counts: bytes) -> None:
        """One bucket: concatenated keys (sorted, distinct) and their packed counts."""
        n = len(counts) // 4
        if prefix <= self._last or not self.prefixes[0] <= prefix <= self.prefixes[1]:
            raise StoreError(f"{self.partial.name}: buckets out of order or outside {self.prefixes[0]:05X}-{self.prefixes[1]:05X}")
        if len(keys) != n * self.kind.key_size:
            raise StoreError(f"{self.partial.name}: keys and counts disagree")
        self._last = prefix
        if n:
            self._file.write(keys)
            self._file.write(counts)
            self._sizes[prefix] = n
            self._crcs[prefix] = zlib.crc32(counts, zlib.crc32(keys))
            self.hash_count += n

    def finish(self) -> Path:
        """Write the tables and header, fsync, rename over the final name, fsync the folder.

        A store whose sizes are implausible (`implausible_sizes`: empty, or a dense store with
        a nearly empty bucket) is refused here: the partial file is dropped and the
        previous store, if any, stays.
        """
        problem = implausible_sizes(self._sizes[self.prefixes[0] : self.prefixes[1] + 1])
        if problem is not None:
            self.abort()
            raise StoreError(f"{self.final}: not written: {problem}")
        index = array("Q", [0])
        index.extend(accumulate(self._sizes))
        crcs = self._crcs
        if sys.byteorder == "big":
            index.byteswap()
            crcs = array("I", crcs)
            crcs.byteswap()
        tables = index.tobytes() + crcs.tobytes()
        size = self._file.seek(0, os.SEEK_END)
        self._file.seek(INDEX_OFFSET)
        self._file.write(tables)
        assert self._file.tell() == DATA_OFFSET and CRC_OFFSET < DATA_OFFSET
        created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        header = Header(self.kind, self.hash_count, size, zlib.crc32(tables), created, self.source, *self.prefixes)
        self._file.seek(0)
        self._file.write(header.pack())
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.final)
        _fsync_dir(self.directory)
        return self.final

    def abort(self) -> None:
        """Drop the partial file; the previous store, if any, is left as it was."""
        if not self._file.closed:
            self._file.close()
        try:
            self.partial.unlink()
        except FileNotFoundError:
            pass

    def __enter__(self) -> "StoreWriter":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            self.abort()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
