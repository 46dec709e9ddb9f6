"""Text to store records, in bulk: range bodies (API, `{PREFIX}.txt`) and full-hash lines.

Everything here works a whole body or a multi-megabyte chunk at a time with compiled
regular expressions, `bytes.fromhex` and `struct.pack`, so the per-line work runs in C:
a Python loop per line would cap a billion-line import at tens of minutes. Input is
validated as strictly as the range client validates a body (every line must match, in
strictly ascending order), and a problem names the line number, never its content.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice
from operator import eq, lt
from typing import Iterator

from pwcheck.check.range_format import PREFIX_LEN, normalise_body
from pwcheck.check.store_build import pack_counts
from pwcheck.check.store_format import BUCKETS, HashKind, StoreError


@dataclass(frozen=True)
class BucketRecords:
    """One bucket's records as the store wants them: joined keys and packed counts."""

    prefix: int
    keys: bytes
    counts: bytes

    @property
    def size(self) -> int:
        return len(self.counts) // 4


_RANGE_LINE: dict[int, re.Pattern[bytes]] = {}
_FULL_LINE: dict[int, re.Pattern[bytes]] = {}
_COUNT = re.compile(rb":([0-9,]*)\r?$", re.M)


def _range_line(kind: HashKind) -> re.Pattern[bytes]:
    if kind.suffix_len not in _RANGE_LINE:
        _RANGE_LINE[kind.suffix_len] = re.compile(rb"^([0-9A-F]{%d}):" % kind.suffix_len, re.M)
    return _RANGE_LINE[kind.suffix_len]


def _full_line(kind: HashKind) -> re.Pattern[bytes]:
    if kind.hex_len not in _FULL_LINE:
        key_hex = kind.hex_len - (PREFIX_LEN - 1)
        _FULL_LINE[kind.hex_len] = re.compile(rb"^[0-9A-F]{%d}([0-9A-F]{%d}):[0-9]+\r?$" % (PREFIX_LEN - 1, key_hex), re.M)
    return _FULL_LINE[kind.hex_len]


def range_records(body: bytes, prefix: int, kind: HashKind, where: str, validated: bool = False) -> BucketRecords:
    """A range body (padding and all) as one bucket; StoreError if malformed or unsorted.

    `validated` skips the check the range client has already made (`normalise_body`).
    """
    if not validated:
        try:
            body = normalise_body(body, kind.suffix_len)
        except ValueError:
            raise StoreError(f"{where}: not a list of {kind.name} SUFFIX:COUNT lines") from None
    suffixes = _range_line(kind).findall(body)
    counts = [int(c.replace(b",", b"")) for c in _COUNT.findall(body)] if b"," in body else list(map(int, _COUNT.findall(body)))
    if not all(map(lt, suffixes, islice(suffixes, 1, None))):
        raise StoreError(f"{where}: lines are not in strictly ascending order")
    if 0 in counts:  # padding lines: dropped, as the API intends
        kept = [(s, c) for s, c in zip(suffixes, counts) if c]
        suffixes, counts = [s for s, _ in kept], [c for _, c in kept]
    if not suffixes:
        return BucketRecords(prefix, b"", b"")
    nibble = b"%X" % (prefix & 0xF)
    keys = bytes.fromhex((nibble + nibble.join(suffixes)).decode("ascii"))
    return BucketRecords(prefix, keys, pack_counts(counts, where))


class FullLineReader:
    """Sorted `HASH:COUNT` lines (the downloader's single file), fed in chunks, out as buckets.

    Chunks must end at a line end. Order is checked across chunk boundaries too, so a
    file that is not strictly sorted by hash is refused rather than silently misread.
    """

    def __init__(self, kind: HashKind, where: str) -> None:
        self.kind = kind
        self.where = where
        self.lines = 0
        self._last_line = b""
        self._pending: BucketRecords | None = None

    def feed(self, chunk: bytes) -> Iterator[BucketRecords]:
        """Buckets completed by this chunk; the last bucket waits for the next chunk or `close`."""
        chunk = chunk.upper()
        lines = chunk.splitlines()
        keys = _full_line(self.kind).findall(chunk)
        if len(keys) != len(lines):
            self._fail_at(lines, "is not HASH:COUNT")
        hex_len = self.kind.hex_len
        if lines and not (self._last_line[:hex_len] < lines[0][:hex_len] and all(map(lt, lines, islice(lines, 1, None)))):
            self._fail_order(lines)
        if any(map(eq, keys, islice(keys, 1, None))):
            self._check_duplicates(lines, keys)
        counts = pack_counts(list(map(int, _COUNT.findall(chunk))), self.where)
        key_bytes = bytes.fromhex(b"".join(keys).decode("ascii"))
        width = self.kind.key_size
        start, total = 0, len(lines)
        while start < total:
            prefix = int(lines[start][:PREFIX_LEN], 16)
            end = total if prefix == BUCKETS - 1 else bisect_left(lines, b"%05X" % (prefix + 1), start)
            piece = BucketRecords(prefix, key_bytes[start * width : end * width], counts[start * 4 : end * 4])
            yield from self._merge(piece)
            start = end
        self.lines += total
        if lines:
            self._last_line = lines[-1]

    def close(self) -> Iterator[BucketRecords]:
        if self._pending is not None:
            yield self._pending
            self._pending = None

    def _merge(self, piece: BucketRecords) -> Iterator[BucketRecords]:
        """A bucket split across two chunks is joined before it is written."""
        pending = self._pending
        if pending is not None and pending.prefix == piece.prefix:
            self._pending = BucketRecords(piece.prefix, pending.keys + piece.keys, pending.counts + piece.counts)
            return
        if pending is not None:
            yield pending
        self._pending = piece

    def _fail_at(self, lines: list[bytes], what: str) -> None:
        pattern = _full_line(self.kind)
        for number, line in enumerate(lines, self.lines + 1):
            if not pattern.fullmatch(line):
                raise StoreError(f"{self.where}:{number}: {what} ({self.kind.hex_len} hex digits, ':', a count)")
        raise StoreError(f"{self.where}: malformed line near line {self.lines + 1}")

    def _fail_order(self, lines: list[bytes]) -> None:
        previous = self._last_line[: self.kind.hex_len]
        for number, line in enumerate(lines, self.lines + 1):
            if line[: self.kind.hex_len] <= previous:
                raise StoreError(f"{self.where}:{number}: not sorted by hash (the file must be the downloader's sorted output)")
            previous = line[: self.kind.hex_len]
        raise StoreError(f"{self.where}: not sorted by hash")

    def _check_duplicates(self, lines: list[bytes], keys: list[bytes]) -> None:
        hex_len = self.kind.hex_len
        for i in range(1, len(lines)):
            if keys[i] == keys[i - 1] and lines[i][:hex_len] == lines[i - 1][:hex_len]:
                raise StoreError(f"{self.where}:{self.lines + i + 1}: the same hash appears twice")
