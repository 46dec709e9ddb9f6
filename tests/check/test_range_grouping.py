"""The range client groups digests by prefix from a sorted list: one request per prefix, every digest answered."""

from __future__ import annotations

import asyncio
import hashlib

from tests.support.rangeserver import RangeServer, client


def sharing_a_prefix() -> tuple[str, str]:
    """Two generated passwords whose SHA-1s share the 5-hex prefix (a birthday search, ~1,000 hashes)."""
    seen: dict[str, str] = {}
    index = 0
    while True:
        password = f"grouping-{index}"
        prefix = hashlib.sha1(password.encode()).hexdigest()[:5]
        if prefix in seen:
            return seen[prefix], password
        seen[prefix] = password
        index += 1


def test_digests_sharing_a_prefix_are_one_request_each_with_its_own_count(range_server: RangeServer) -> None:
    first, second = sharing_a_prefix()
    lone = "grouping-lone"
    digests = {p: hashlib.sha1(p.encode()).digest() for p in (first, second, lone)}
    range_server.corpus.add(hashlib.sha1(first.encode()).hexdigest().upper(), 7)
    range_server.corpus.add(hashlib.sha1(lone.encode()).hexdigest().upper(), 3)
    asked = [digests[lone], digests[second], digests[first], digests[second]]  # unsorted, one twice
    result = asyncio.run(client(range_server).lookup(asked))
    assert result.counts == {digests[first]: 7, digests[second]: 0, digests[lone]: 3}
    paths = [r.path_qs for r in range_server.requests]
    assert sorted(paths) == sorted({f"/range/{d.hex()[:5].upper()}" for d in digests.values()}) and len(paths) == 2
