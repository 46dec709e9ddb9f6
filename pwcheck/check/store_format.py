"""The on-disk layout of a local Pwned Passwords store: one file per hash kind, no options.

Layout (all offsets fixed by the header, integers little-endian except the counts):

    header      512 bytes   magic, format version, hash kind, sizes, hash count, offsets,
                            build date, source, CRC-32 of the tables, CRC-32 of the header
    index       (2^20 + 1) x u64   cumulative record count before each 5-hex prefix bucket
    checksums   2^20 x u32         CRC-32 of each bucket's bytes (0 for an empty bucket)
    data        per bucket, in prefix order: n keys, then n big-endian u32 counts

A key is the digest without its first two bytes (18 bytes for SHA-1, 14 for NTLM). Its
first nibble repeats the prefix's last hex digit, which `verify` checks for free; the
bytes compare in the same order as the hex suffixes, so a bucket is binary-searchable.

Why this shape: a record costs key + 4 = 22 bytes for SHA-1, against ~44.5 bytes per line
of the downloader's text (0.49x; the fixed 12 MiB of tables vanish at corpus scale). Four
count bytes hold any count HIBP has published with a margin of 20x. Keys and counts sit
in two runs per bucket (not interleaved) so a whole range converts with one
`bytes.fromhex` and one `struct.pack`, which is what makes import and mirroring fast
in pure Python. Packing the redundant nibble away would save 2% and cost the
byte-aligned compare.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Sequence

from pwcheck.model.errors import PwcheckError

MAGIC = b"PWCSTORE"
FORMAT_VERSION = 1
PREFIX_BITS = 20
BUCKETS = 1 << PREFIX_BITS
COUNT_SIZE = 4
MAX_COUNT = (1 << (8 * COUNT_SIZE)) - 1
HEADER_SIZE = 512
INDEX_OFFSET = HEADER_SIZE
INDEX_SIZE = (BUCKETS + 1) * 8
CRC_OFFSET = INDEX_OFFSET + INDEX_SIZE
CRC_SIZE = BUCKETS * 4
DATA_OFFSET = CRC_OFFSET + CRC_SIZE

# magic, version, kind code, key size, count size, hash count, data offset, file size,
# tables crc, first and last prefix covered, created (ISO 8601 UTC), source (UTF-8, NUL padded)
_HEADER = struct.Struct("<8sHBBBxQQQIII32s256s")
_HEADER_CRC = struct.Struct("<I")


class StoreError(PwcheckError):
    """A store is missing, incomplete, corrupt or of another kind; the message names the file."""


@dataclass(frozen=True)
class HashKind:
    """What differs between the SHA-1 and the NTLM corpus: sizes and names, nothing else."""

    name: str
    code: int
    digest_size: int
    api_query: str

    @property
    def hex_len(self) -> int:
        return 2 * self.digest_size

    @property
    def suffix_len(self) -> int:
        return self.hex_len - PREFIX_BITS // 4

    @property
    def key_size(self) -> int:
        return self.digest_size - 2

    @property
    def record_size(self) -> int:
        return self.key_size + COUNT_SIZE

    @property
    def file_name(self) -> str:
        return f"{self.name}.pwstore"


SHA1 = HashKind("sha1", 1, 20, "")
NTLM = HashKind("ntlm", 2, 16, "?mode=ntlm")
KINDS = {kind.name: kind for kind in (SHA1, NTLM)}


def kind_for(ntlm: bool) -> HashKind:
    return NTLM if ntlm else SHA1


@dataclass(frozen=True)
class Header:
    """Everything the header says; `file_size` lets an opener refuse a truncated file."""

    kind: HashKind
    hash_count: int
    file_size: int
    tables_crc: int
    created: str
    source: str
    first_prefix: int = 0
    last_prefix: int = BUCKETS - 1
    version: int = FORMAT_VERSION

    def covers(self, prefix: int) -> bool:
        """False for a bucket outside a partial mirror: its hashes are not checked, not clean."""
        return self.first_prefix <= prefix <= self.last_prefix

    @property
    def partial(self) -> bool:
        return (self.first_prefix, self.last_prefix) != (0, BUCKETS - 1)

    def pack(self) -> bytes:
        body = _HEADER.pack(
            MAGIC, self.version, self.kind.code, self.kind.key_size, COUNT_SIZE, self.hash_count, DATA_OFFSET,
            self.file_size, self.tables_crc, self.first_prefix, self.last_prefix, self.created.encode("ascii")[:32],
            self.source.encode("utf-8")[:256],
        )
        body += _HEADER_CRC.pack(zlib.crc32(body))
        return body.ljust(HEADER_SIZE, b"\0")

    @classmethod
    def unpack(cls, raw: bytes, where: str) -> "Header":
        """Parse and check a header; StoreError for anything but a finished store of this version."""
        if len(raw) < _HEADER.size + _HEADER_CRC.size or not raw.startswith(MAGIC):
            raise StoreError(f"{where}: not a pwcheck store (no header; an unfinished build?)")
        body = raw[: _HEADER.size]
        (crc,) = _HEADER_CRC.unpack_from(raw, _HEADER.size)
        if zlib.crc32(body) != crc:
            raise StoreError(f"{where}: header checksum does not match (corrupt)")
        (magic, version, code, key_size, count_size, count, data_offset, size, tables_crc, first, last, created,
         source) = _HEADER.unpack(body)
        if version != FORMAT_VERSION:
            raise StoreError(f"{where}: store format version {version}, this pwcheck reads {FORMAT_VERSION}")
        kind = next((k for k in KINDS.values() if k.code == code), None)
        if kind is None or key_size != kind.key_size or count_size != COUNT_SIZE or data_offset != DATA_OFFSET \
                or not first <= last < BUCKETS:
            raise StoreError(f"{where}: unknown hash kind or record layout")
        return cls(
            kind, count, size, tables_crc, created.rstrip(b"\0").decode("ascii", "replace"),
            source.rstrip(b"\0").decode("utf-8", "replace"), first, last, version,
        )


# Bucket sizes are judged once the mean is this large: a SHA-1 (or MD4) prefix is uniform,
# so a bucket's size is Poisson with that mean, and at 64 or more the chance of any one
# bucket holding under a quarter of it is below 1e-11 (Chernoff: exp(-0.4 x mean)), so
# under 1e-5 over all 2^20. A real store (~900+ per bucket) is judged; a small test or
# subset corpus, where empty buckets are normal, is not.
JUDGED_MEAN = 64
LOW_SHARE = 4


def implausible_sizes(sizes: Sequence[int]) -> str | None:
    """Why these bucket sizes (one per covered prefix) cannot be a real corpus, or None.

    A store with no hash at all would answer every lookup "not found"; a dense store with
    a nearly empty bucket is the mark of a range recorded empty (or an import cut short).
    The reason names counts, never a bucket's position or content.
    """
    total = sum(sizes)
    if total == 0:
        return "implausible: the store holds no hashes (an empty corpus never answers 'not found' honestly)"
    mean = total / len(sizes)
    if mean >= JUDGED_MEAN:
        low = sum(1 for size in sizes if size * LOW_SHARE < mean)
        if low:
            return (f"implausible bucket sizes: {low} bucket(s) hold under a quarter of the mean of {mean:,.0f} "
                    "hashes (a range recorded empty or cut short?)")
    return None


def parse_prefix_range(text: str) -> tuple[int, int]:
    """`00000-000FF` -> (0, 255), inclusive; ValueError otherwise (the hidden test option)."""
    first, _, last = text.partition("-")
    low, high = int(first, 16), int(last or first, 16)
    if len(first) != 5 or (last and len(last) != 5) or not 0 <= low <= high < BUCKETS:
        raise ValueError("prefix range must look like 00000-000FF")
    return low, high


def bucket_span(index: memoryview, prefix: int) -> tuple[int, int]:
    """(first record, record count) of one bucket, from the index's u64 entries."""
    start, end = struct.unpack_from("<QQ", index, prefix * 8)
    return start, end - start
