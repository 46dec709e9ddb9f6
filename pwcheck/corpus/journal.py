"""The mirror's crash-safe progress: an append-only journal of fetched ranges, and ETags.

`.{kind}.download.journal` beside the store holds one entry per range fetched in this
run (its records, or "unchanged" after a 304, plus its ETag). Each entry carries its
length and a CRC-32, so after a crash, kill or power cut the torn tail is cut off on the
next start and only those ranges are fetched again. The first line binds the journal
to the API URL and prefix range it was made for; any other run starts afresh.

`{kind}.etags` keeps each range's ETag for the next incremental run. It names the store
build it belongs to, so ETags are never trusted for a store they did not come with. Only
ETags worth keeping are kept (`net.validators`: at most 256 printable ASCII characters).
"""

from __future__ import annotations

import mmap
import os
import struct
import zlib
from array import array
from pathlib import Path

from pwcheck.check.store_format import BUCKETS, HashKind, Header
from pwcheck.corpus.records import BucketRecords
from pwcheck.net.validators import validator

_ENTRY = struct.Struct("<4sIBHII")  # magic, prefix, unchanged, etag length, record count, payload crc
_MAGIC = b"PWJ1"
UNCHANGED = 1


class Journal:
    """Ranges fetched so far in an unfinished mirror run; see the module docstring."""

    def __init__(self, directory: Path, kind: HashKind, binding: str) -> None:
        self.path = directory / f".{kind.name}.download.journal"
        self.kind = kind
        self.offsets = array("q", [-1]) * BUCKETS  # payload offset of each prefix's entry, -1 = not yet
        self.sizes = array("I", [0]) * BUCKETS
        self.flags = bytearray(BUCKETS)
        self.etags: dict[int, str] = {}
        self.resumed = 0
        first_line = f"pwcheck-journal {binding}\n".encode("utf-8")
        if self.path.exists() and self._load(first_line):
            self._file = open(self.path, "ab")
        else:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._file = os.fdopen(fd, "wb")
            self._file.write(first_line)
        self._end = self._file.tell()
        self._map: mmap.mmap | None = None

    def _load(self, first_line: bytes) -> bool:
        """Index the valid entries; cut a torn tail. False if the journal is for another run."""
        with open(self.path, "r+b") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < len(first_line) or handle.read(len(first_line)) != first_line:
                return False
            at = len(first_line)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                while at + _ENTRY.size <= size:
                    magic, prefix, flag, etag_len, count, crc = _ENTRY.unpack_from(data, at)
                    end = at + _ENTRY.size + etag_len + count * self.kind.record_size
                    if magic != _MAGIC or prefix >= BUCKETS or end > size or zlib.crc32(data[at + _ENTRY.size : end]) != crc:
                        break
                    etag = validator(data[at + _ENTRY.size : at + _ENTRY.size + etag_len].decode("ascii", "replace"))
                    if etag is not None:
                        self.etags[prefix] = etag
                    self.offsets[prefix] = at + _ENTRY.size + etag_len
                    self.sizes[prefix] = count
                    self.flags[prefix] = flag
                    self.resumed += 1
                    at = end
            handle.truncate(at)
        return True

    def done(self, prefix: int) -> bool:
        return self.offsets[prefix] >= 0

    def add(self, prefix: int, records: BucketRecords | None, etag: str | None) -> None:
        """Append one range: its records, or None for unchanged (304); an ETag only when worth keeping."""
        etag = validator(etag)
        raw_etag = (etag or "").encode("ascii")
        payload = raw_etag + (records.keys + records.counts if records else b"")
        count = records.size if records else 0
        start = self._end
        self._file.write(_ENTRY.pack(_MAGIC, prefix, 0 if records else UNCHANGED, len(raw_etag), count, zlib.crc32(payload)))
        self._file.write(payload)
        self._end += _ENTRY.size + len(payload)
        self.offsets[prefix] = start + _ENTRY.size + len(raw_etag)
        self.sizes[prefix] = count
        self.flags[prefix] = 0 if records else UNCHANGED
        if etag:
            self.etags[prefix] = etag

    def unchanged(self, prefix: int) -> bool:
        return self.flags[prefix] == UNCHANGED

    def records(self, prefix: int) -> BucketRecords:
        """A fetched range's records, read back from the journal."""
        if self._map is None:
            self.sync()
            with open(self.path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        start, n = self.offsets[prefix], self.sizes[prefix]
        middle = start + n * self.kind.key_size
        return BucketRecords(prefix, self._map[start:middle], self._map[middle : middle + 4 * n])

    def sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None
        if not self._file.closed:
            self.sync()
            self._file.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def etags_path(directory: Path, kind: HashKind) -> Path:
    return directory / f"{kind.name}.etags"


def _stamp(header: Header) -> str:
    return f"{header.created} {header.hash_count} {header.tables_crc:08x}"


def load_etags(directory: Path, kind: HashKind, header: Header | None) -> dict[int, str]:
    """ETags saved with the current store; empty when missing or saved for another build."""
    path = etags_path(directory, kind)
    if header is None or not path.exists():
        return {}
    lines = path.read_text("ascii", "replace").splitlines()
    if not lines or lines[0] != f"pwcheck-etags {_stamp(header)}":
        return {}
    etags: dict[int, str] = {}
    for line in lines[1:]:
        prefix, _, etag = line.partition(" ")
        kept = validator(etag)
        if kept is not None:
            etags[int(prefix, 16)] = kept
    return etags


def save_etags(directory: Path, kind: HashKind, header: Header, etags: dict[int, str]) -> None:
    """Write the ETags beside the store they belong to (temporary file, then rename)."""
    path = etags_path(directory, kind)
    partial = path.with_name(f".{path.name}.partial")
    kept = {prefix: etag for prefix, etag in etags.items() if validator(etag) is not None}
    body = "".join(f"{prefix:05X} {kept[prefix]}\n" for prefix in sorted(kept))
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii", errors="replace") as handle:
        handle.write(f"pwcheck-etags {_stamp(header)}\n{body}")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
