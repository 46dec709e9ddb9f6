"""A deterministic generated corpus, written in both of the official downloader's layouts.

Used by the offline tests and by benchmarks/offline.py. Hashes are SHA-1 (or MD4, for
NTLM) of `gen-{i}` plus hand-made digests in the first and last prefix (00000, FFFFF),
so the edges of the index are exercised; counts vary from 1 to ~3 billion so every
count width matters. Nothing is random: the same n gives the same bytes on any machine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pwcheck.check.ntlm import md4
from pwcheck.corpus.memory import MemoryCorpus


def digest_of(i: int, ntlm: bool = False) -> bytes:
    data = f"gen-{i}".encode()
    return md4(data.decode().encode("utf-16-le")) if ntlm else hashlib.sha1(data).digest()


def count_of(i: int) -> int:
    return (i * 2654435761) % 97 + 1 if i % 1000 else 3_000_000_000 + i


def edge_digests(ntlm: bool = False) -> list[bytes]:
    size = 16 if ntlm else 20
    return [b"\x00\x00\x00" + b"\x01" * (size - 3), b"\x00\x00\x0f" + b"\xff" * (size - 3),
            b"\xff\xff\xf0" + b"\x00" * (size - 3), b"\xff" * size]


def corpus(n: int, ntlm: bool = False) -> dict[bytes, int]:
    """digest -> count for n generated hashes plus the four edge digests."""
    entries = {digest_of(i, ntlm): count_of(i) for i in range(n)}
    for j, digest in enumerate(edge_digests(ntlm)):
        entries[digest] = 10 + j
    return entries


def absent_digests(n: int, ntlm: bool = False) -> list[bytes]:
    """Digests not in `corpus(n)` (other inputs), for exact 0 answers."""
    return [digest_of(-1 - i, ntlm) for i in range(n)]


def write_single_file(entries: dict[bytes, int], path: Path, newline: bytes = b"\r\n") -> Path:
    """The downloader's one-file layout: `HASH:COUNT` sorted by hash."""
    with open(path, "wb") as handle:
        for digest in sorted(entries):
            handle.write(b"%s:%d%s" % (digest.hex().upper().encode(), entries[digest], newline))
    return path


def write_folder(entries: dict[bytes, int], folder: Path, first: int = 0, last: int = 0xFFFFF) -> Path:
    """The downloader's `{PREFIX}.txt` layout for prefixes first..last (empty files included)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_prefix: dict[int, list[bytes]] = {}
    for digest in entries:
        by_prefix.setdefault(int.from_bytes(digest[:3], "big") >> 4, []).append(digest)
    for prefix in range(first, last + 1):
        lines = [b"%s:%d" % (d.hex().upper()[5:].encode(), entries[d]) for d in sorted(by_prefix.get(prefix, []))]
        (folder / f"{prefix:05X}.txt").write_bytes(b"\r\n".join(lines))
    return folder


def in_prefixes(entries: dict[bytes, int], first: int, last: int) -> dict[bytes, int]:
    return {d: c for d, c in entries.items() if first <= int.from_bytes(d[:3], "big") >> 4 <= last}


def dense_corpus(first: int, last: int, per_bucket: int, seed: int = 7) -> dict[bytes, int]:
    """Real density (about a thousand hashes per prefix) over prefixes first..last: the shape
    of the real corpus in a slice small enough for a benchmark. Deterministic for a seed."""
    import random

    rng = random.Random(seed)
    entries: dict[bytes, int] = {}
    for prefix in range(first, last + 1):
        head = prefix << 140
        for _ in range(per_bucket):
            entries[(head | rng.getrandbits(140)).to_bytes(20, "big")] = rng.choice((1, 1, 1, 2, 3, 5, 12, 160, 4821))
    return entries


def memory_corpus(entries: dict[bytes, int]) -> MemoryCorpus:
    corpus = MemoryCorpus()
    for digest, count in entries.items():
        corpus.add(digest.hex(), count)
    return corpus


def flip_record_bit(store_dir: Path, digest: bytes) -> None:
    """Flip one bit of `digest`'s record key in the SHA-1 store in `store_dir` (it must be there):
    a lookup that skipped the bucket's CRC would miss it and say "not found"."""
    from pwcheck.check.store import Store
    from pwcheck.check.store_format import DATA_OFFSET, SHA1, bucket_span

    prefix = int.from_bytes(digest[:3], "big") >> 4
    path = store_dir / SHA1.file_name
    with Store.open(store_dir, SHA1) as opened:
        first, _ = bucket_span(opened._index, prefix)
        keys = opened.bucket(prefix).keys
    at = DATA_OFFSET + first * SHA1.record_size + keys.index(digest[2:]) + 9
    data = bytearray(path.read_bytes())
    data[at] ^= 0x10
    path.write_bytes(bytes(data))
