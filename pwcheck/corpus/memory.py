"""A small corpus held in memory, keyed by prefix: the demo's data and the tests' too.

Reads the official downloader's single-file layout (`HASH:COUNT` lines, full hash).
Real corpora go to the compact on-disk store instead; this is for a few thousand lines.
"""

from __future__ import annotations

from typing import Iterable

from pwcheck.check.range_format import PREFIX_LEN


class MemoryCorpus:
    """prefix -> sorted [(suffix, count)], uppercase hex."""

    def __init__(self) -> None:
        self._ranges: dict[str, list[tuple[str, int]]] = {}

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> "MemoryCorpus":
        corpus = cls()
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            digest, _, count = line.partition(":")
            corpus.add(digest, int(count))
        return corpus

    def add(self, digest_hex: str, count: int) -> None:
        upper = digest_hex.upper()
        bucket = self._ranges.setdefault(upper[:PREFIX_LEN], [])
        bucket.append((upper[PREFIX_LEN:], count))
        bucket.sort()

    def range(self, prefix: str) -> list[tuple[str, int]]:
        return list(self._ranges.get(prefix.upper(), ()))

    def prefixes(self) -> list[str]:
        return sorted(self._ranges)
