"""Text to store records, in bulk: range bodies (API, `{PREFIX}.txt`) and full-hash lines.

Everything here works a whole body or a multi-megabyte chunk at a time with `split`,
`translate`, `bytes.fromhex` and `struct.pack`, so the per-line work runs in C: a Python
loop (or even a regex) per line would cap a billion-line import at tens of minutes. Input is
validated as strictly as the range client validates a body (every line must match, in
strictly ascending order), and a problem names the line number, never its content.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import compress, islice
from operator import lt
from typing import Iterator

from pwcheck.check.range_format import PREFIX_LEN
from pwcheck.check.store_format import BUCKETS, HashKind, StoreError
from pwcheck.corpus.build import pack_counts


@dataclass(frozen=True)
class BucketRecords:
    """One bucket's records as the store wants them: joined keys and packed counts."""

    prefix: int
    keys: bytes
    counts: bytes

    @property
    def size(self) -> int:
        return len(self.counts) // 4


_FULL_LINE: dict[int, re.Pattern[bytes]] = {}
_HEX = b"0123456789ABCDEF"
_DIGITS = b"0123456789"


def _full_line(kind: HashKind) -> re.Pattern[bytes]:
    """One line, for naming the first bad line once a chunk has failed (the slow path only)."""
    if kind.hex_len not in _FULL_LINE:
        _FULL_LINE[kind.hex_len] = re.compile(rb"[0-9A-F]{%d}:[0-9]+\r?" % kind.hex_len)
    return _FULL_LINE[kind.hex_len]


def split_pairs(text: bytes, width: int, commas: bool = False) -> tuple[list[bytes], list[bytes], bytes] | None:
    """`X:COUNT` lines (CRLF or LF, uppercase) -> ([X...], [COUNT...], all X joined), or None if
    any line is not exactly `width` hex digits, ':', digits. All in C: newlines become ':'
    and one split gives alternating fields; `translate` proves them hex and decimal."""
    if text.endswith(b"\n"):
        text = text[:-2] if text.endswith(b"\r\n") else text[:-1]
    if not text:
        return [], [], b""
    if b"\r" in text:
        text = text.replace(b"\r\n", b":")
    if b"\n" in text:
        text = text.replace(b"\n", b":")
    fields = text.split(b":")
    names, counts = fields[0::2], fields[1::2]
    if len(names) != len(counts) or set(map(len, names)) != {width} or b"" in counts:
        return None
    joined = b"".join(counts)
    if commas and b"," in joined:
        counts = [count.replace(b",", b"") for count in counts]
        joined = b"".join(counts)
        if b"" in counts:
            return None
    joined_names = b"".join(names)
    if joined_names.translate(None, _HEX) or joined.translate(None, _DIGITS):
        return None
    return names, counts, joined_names


def drop_leading_bytes(digests: bytes, size: int, drop: int) -> bytes:
    """Each `size`-byte record less its first `drop` bytes, by strided copies (one per byte
    column) rather than a slice per record: six times faster on a chunk of a million."""
    width = size - drop
    out = bytearray(len(digests) // size * width)
    for column in range(width):
        out[column::width] = digests[drop + column :: size]
    return bytes(out)


def range_records(body: bytes, prefix: int, kind: HashKind, where: str) -> BucketRecords:
    """A range body (padding and all) as one bucket; StoreError if malformed or unsorted.

    Tolerates what the range client tolerates (BOM, lowercase, thousands separators) and
    drops count-0 padding lines, as the API intends.
    """
    body = body.removeprefix(b"\xef\xbb\xbf")
    pairs = split_pairs(body, kind.suffix_len, commas=True) or split_pairs(body.upper(), kind.suffix_len, commas=True)
    if pairs is None:
        raise StoreError(f"{where}: not a list of {kind.name} SUFFIX:COUNT lines")
    suffixes, raw_counts, _ = pairs
    if not all(map(lt, suffixes, islice(suffixes, 1, None))):
        raise StoreError(f"{where}: lines are not in strictly ascending order")
    counts = list(map(int, raw_counts))
    if 0 in counts:
        suffixes, counts = list(compress(suffixes, counts)), list(filter(None, counts))
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
        self._last = b""
        self._pending: BucketRecords | None = None

    def feed(self, chunk: bytes) -> Iterator[BucketRecords]:
        """Buckets completed by this chunk; the last bucket waits for the next chunk or `close`."""
        pairs = split_pairs(chunk, self.kind.hex_len) or split_pairs(chunk.upper(), self.kind.hex_len)
        if pairs is None:
            self._fail_at(chunk.upper().splitlines(), "is not HASH:COUNT")
        hashes, raw_counts, joined = pairs  # type: ignore[misc]
        if hashes and not (self._last < hashes[0] and all(map(lt, hashes, islice(hashes, 1, None)))):
            self._fail_order(hashes)
        counts = pack_counts(list(map(int, raw_counts)), self.where)
        key_bytes = drop_leading_bytes(bytes.fromhex(joined.decode("ascii")), self.kind.digest_size, 2)
        width = self.kind.key_size
        start, total = 0, len(hashes)
        while start < total:
            prefix = int(hashes[start][:PREFIX_LEN], 16)
            end = total if prefix == BUCKETS - 1 else bisect_left(hashes, b"%05X" % (prefix + 1), start)
            piece = BucketRecords(prefix, key_bytes[start * width : end * width], counts[start * 4 : end * 4])
            yield from self._merge(piece)
            start = end
        self.lines += total
        if hashes:
            self._last = hashes[-1]

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

    def _fail_order(self, hashes: list[bytes]) -> None:
        previous = self._last
        for number, digest in enumerate(hashes, self.lines + 1):
            if digest == previous:
                raise StoreError(f"{self.where}:{number}: the same hash appears twice")
            if digest < previous:
                raise StoreError(f"{self.where}:{number}: not sorted by hash (the file must be the downloader's sorted output)")
            previous = digest
        raise StoreError(f"{self.where}: not sorted by hash")
