"""Reading a local store: memory-mapped, exact, and behind the same interface as the API.

`StoreChecker.lookup` groups the digests by prefix and visits the touched buckets in
ascending order, one binary search per digest inside its bucket: a whole vault costs
one forward pass over the file, and no byte of it leaves the machine.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass
from itertools import islice
from operator import lt
from pathlib import Path
from typing import Callable, Collection, Iterator

from pwcheck.check.interface import LookupResult, Progress
from pwcheck.check.store_format import (
    BUCKETS,
    CRC_OFFSET,
    DATA_OFFSET,
    INDEX_OFFSET,
    HashKind,
    Header,
    StoreError,
    bucket_span,
    implausible_sizes,
    kind_for,
)


@dataclass(frozen=True)
class Bucket:
    """One prefix's records: `keys` (n x key_size bytes) and `counts` (n big-endian u32)."""

    prefix: int
    keys: bytes
    counts: bytes
    key_size: int

    @property
    def size(self) -> int:
        return len(self.counts) // 4

    def find(self, key: bytes) -> int:
        """Count for `key` (0 when absent), by binary search over the fixed-width keys."""
        keys, width = self.keys, self.key_size
        lo, hi = 0, self.size
        while lo < hi:
            mid = (lo + hi) // 2
            probe = keys[mid * width : (mid + 1) * width]
            if probe < key:
                lo = mid + 1
            elif probe > key:
                hi = mid
            else:
                return int.from_bytes(self.counts[mid * 4 : mid * 4 + 4], "big")
        return 0

    def entries(self) -> list[tuple[str, int]]:
        """(uppercase hex suffix, count) pairs in order, as the range API lists them."""
        width = 2 * self.key_size
        hexed = self.keys.hex().upper()
        counts = struct.unpack(f">{self.size}I", self.counts)
        return [(hexed[i * width + 1 : (i + 1) * width], counts[i]) for i in range(self.size)]

    def lines(self) -> list[str]:
        """`SUFFIX:COUNT` lines in order, ready for `render_lines` (the serve hot path)."""
        width = 2 * self.key_size
        hexed = self.keys.hex().upper()
        counts = struct.unpack(f">{self.size}I", self.counts)
        return [f"{hexed[i * width + 1 : (i + 1) * width]}:{count}" for i, count in enumerate(counts)]

    def crc(self) -> int:
        return zlib.crc32(self.counts, zlib.crc32(self.keys)) if self.size else 0


class Store:
    """An open store file; `open` refuses anything unfinished, truncated or of another kind."""

    def __init__(self, path: Path, header: Header, mapped: mmap.mmap) -> None:
        self.path = path
        self.header = header
        self.kind: HashKind = header.kind
        self._map = mapped
        self._view = memoryview(mapped)
        self._index = self._view[INDEX_OFFSET:CRC_OFFSET]

    @classmethod
    def open(cls, directory: Path, kind: HashKind) -> "Store":
        path = directory / kind.file_name
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            raise StoreError(f"{path}: no {kind.name} store here (run `pwcheck corpus import` or `download`)") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open ({exc.strerror or type(exc).__name__})") from None
        try:
            size = os.fstat(fd).st_size
            header = Header.unpack(os.pread(fd, 4096, 0), str(path))
            if header.kind != kind:
                raise StoreError(f"{path}: holds {header.kind.name} hashes, not {kind.name}")
            if size != header.file_size or size < DATA_OFFSET:
                raise StoreError(f"{path}: file is {size} bytes, the header says {header.file_size} (truncated?)")
            mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        store = cls(path, header, mapped)
        if zlib.crc32(store._view[INDEX_OFFSET:DATA_OFFSET]) != header.tables_crc:
            store.close()
            raise StoreError(f"{path}: index checksum does not match (corrupt)")
        return store

    def close(self) -> None:
        self._index.release()
        self._view.release()
        self._map.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def bucket(self, prefix: int) -> Bucket:
        first, n = bucket_span(self._index, prefix)
        start = DATA_OFFSET + first * self.kind.record_size
        middle = start + n * self.kind.key_size
        return Bucket(prefix, self._map[start:middle], self._map[middle : middle + 4 * n], self.kind.key_size)

    def stored_crc(self, prefix: int) -> int:
        (crc,) = struct.unpack_from("<I", self._view, CRC_OFFSET + 4 * prefix)
        return int(crc)

    def checked_bucket(self, prefix: int) -> Bucket | None:
        """The bucket if its bytes match the stored CRC-32, else None: corrupt, never read.

        One `zlib.crc32` over the bucket's ~22 KB (at real density) per lookup of it.
        """
        bucket = self.bucket(prefix)
        return bucket if bucket.crc() == self.stored_crc(prefix) else None

    def count(self, digest: bytes) -> int | None:
        """Count of one digest (0 = not in the corpus, None = outside a partial mirror or corrupt)."""
        return self.counts([digest])[digest]

    def counts(
        self, digests: Collection[bytes], progress: Progress | None = None, corrupt: list[int] | None = None
    ) -> dict[bytes, int | None]:
        """Counts for many digests in one ascending pass over the touched buckets.

        A bucket whose bytes fail their checksum answers None for its digests (not
        checked, never 0) and its prefix is appended to `corrupt` when given.
        """
        by_prefix: dict[int, list[bytes]] = {}
        size = self.kind.digest_size
        for digest in digests:
            if len(digest) != size:
                raise ValueError(f"a {self.kind.name} digest is {size} bytes")
            by_prefix.setdefault(int.from_bytes(digest[:3], "big") >> 4, []).append(digest)
        found: dict[bytes, int | None] = {}
        for prefix in sorted(by_prefix):
            if not self.header.covers(prefix):
                found.update(dict.fromkeys(by_prefix[prefix]))
                continue
            bucket = self.checked_bucket(prefix)
            if bucket is None:
                found.update(dict.fromkeys(by_prefix[prefix]))
                if corrupt is not None:
                    corrupt.append(prefix)
            else:
                for digest in by_prefix[prefix]:
                    found[digest] = bucket.find(digest[2:])
            if progress:
                progress(1)
        return found

    def buckets(self, start: int = 0, stop: int = BUCKETS) -> Iterator[Bucket]:
        for prefix in range(start, stop):
            yield self.bucket(prefix)


_HIGH_NIBBLE = bytes(b >> 4 for b in range(256))


def verify(store: Store, progress: Callable[[int], None] | None = None, step: int = 4096) -> list[str]:
    """Every structural rule and every bucket checksum; returns problems (empty = sound).

    Names buckets by position, never by content. Checks: the checksum of each bucket,
    the prefix nibble each key repeats, keys strictly ascending, no zero counts, that
    the records add up to the header's count and fill the file exactly, and that the
    bucket sizes are plausible for a corpus (`implausible_sizes`).
    """
    problems: list[str] = []
    kind = store.kind
    width = kind.key_size
    first, n = bucket_span(store._index, BUCKETS - 1)
    total = first + n
    if total != store.header.hash_count:
        problems.append(f"index holds {total} records, the header says {store.header.hash_count}")
    if DATA_OFFSET + total * kind.record_size != store.header.file_size:
        problems.append("records do not fill the file exactly")
        return problems
    index = array("Q")
    index.frombytes(store._index)
    if sys.byteorder == "big":
        index.byteswap()
    header = store.header
    implausible = implausible_sizes(
        [index[p + 1] - index[p] for p in range(header.first_prefix, header.last_prefix + 1)]
    )
    if implausible is not None:
        problems.append(implausible)
    split = re.compile(b".{%d}" % width, re.S)
    for prefix in range(BUCKETS):
        bucket = store.bucket(prefix)
        if bucket.crc() != store.stored_crc(prefix):
            problems.append(f"bucket {prefix:05X}: checksum does not match")
        elif bucket.size:
            keys = split.findall(bucket.keys)  # the per-record work stays in C, as on import
            if bucket.keys[0::width].translate(_HIGH_NIBBLE) != bytes([prefix & 0xF]) * bucket.size:
                problems.append(f"bucket {prefix:05X}: a record belongs to another prefix")
            if not all(map(lt, keys, islice(keys, 1, None))):
                problems.append(f"bucket {prefix:05X}: records not strictly ascending")
            if 0 in struct.unpack(f">{bucket.size}I", bucket.counts):
                problems.append(f"bucket {prefix:05X}: a record has count 0")
        if progress and (prefix + 1) % step == 0:
            progress(step)
        if len(problems) >= 20:
            problems.append("stopped after 20 problems")
            break
    return problems


class StoreChecker:
    """A `HashChecker` over a store directory: the offline twin of `RangeClient`."""

    def __init__(self, directory: Path, ntlm: bool = False) -> None:
        self.directory = directory
        self.kind = kind_for(ntlm)
        self._store: Store | None = None

    def describe(self) -> str:
        """What the report names as the corpus checked against (opens the store)."""
        header = self.open().header
        return f"local store {self.directory} ({header.kind.name}, {header.hash_count:,} hashes, {header.source}, built {header.created})"

    def open(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.directory, self.kind)
        return self._store

    async def lookup(
        self, hashes: Collection[bytes], progress: Progress | None = None, into: LookupResult | None = None
    ) -> LookupResult:
        """Counts for every digest; a store that cannot be opened leaves them not checked."""
        result = LookupResult.start(hashes, into)
        try:
            store = self.open()
        except StoreError as exc:
            result.problems.append(str(exc))
            return result
        corrupt: list[int] = []
        result.counts.update(store.counts(list(hashes), progress, corrupt))
        unanswered = sum(1 for digest in hashes if result.counts[digest] is None)
        outside = sum(1 for digest in hashes if not store.header.covers(int.from_bytes(digest[:3], "big") >> 4))
        if outside:
            result.problems.append(f"{outside} hashes fall outside the prefixes this partial store covers: not checked")
        if corrupt:  # names the file and counts, never a bucket (a prefix is part of a hash)
            result.problems.append(
                f"{store.path}: {len(corrupt)} bucket(s) fail their checksum (corrupt): {unanswered - outside} hashes "
                "NOT CHECKED; run `pwcheck corpus verify`, then import or download the store again"
            )
        return result
