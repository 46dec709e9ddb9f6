"""The range cache with the real client and the real range server: zero requests when fresh,
exact counts always, conditional revalidation after the TTL, private files."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from pwcheck.check.range_cache import RangeCache
from pwcheck.check.range_client import RangeClient
from pwcheck.net.http import ClientSettings, RetryPolicy
from tests.support import fixture_data as fd
from tests.support.rangeserver import RangeServer

PASSWORDS = [fd.ALPHA, fd.COMMA, fd.UMLAUT, fd.CLEAN, fd.SPACED]
EXPECTED = {hashlib.sha1(p.encode()).digest(): fd.CORPUS_COUNTS.get(p, 0) for p in PASSWORDS}


class Clock:
    """A settable clock for the cache (the TTL is tested by moving time, never by waiting)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def run(server: RangeServer, cache: RangeCache):  # type: ignore[no-untyped-def]
    client = RangeClient(ClientSettings(api_url=server.url, retry=RetryPolicy(attempts=2, backoff=0.01)), cache=cache)
    return asyncio.run(client.lookup(list(EXPECTED)))


def prefixes() -> set[str]:
    return {fd.sha1_hex(p)[:5] for p in PASSWORDS}


def test_second_run_within_ttl_makes_no_request(range_server: RangeServer, tmp_path: Path) -> None:
    clock = Clock()
    cache = RangeCache(tmp_path / "c", ttl_seconds=3600, clock=clock)
    first = run(range_server, cache)
    assert first.counts == EXPECTED
    assert len(range_server.requests) == len(prefixes()) and cache.stored == len(prefixes())
    range_server.requests.clear()
    clock.now += 3599
    second = run(range_server, cache)
    assert second.counts == EXPECTED
    assert range_server.requests == [] and second.range_requests == 0
    assert cache.hits == len(prefixes())


def test_after_ttl_revalidates_with_etag_and_304(range_server: RangeServer, tmp_path: Path) -> None:
    clock = Clock()
    cache = RangeCache(tmp_path / "c", ttl_seconds=60, clock=clock)
    run(range_server, cache)
    first_etags = {r.path_qs: r.headers.get("If-None-Match") for r in range_server.requests}
    assert set(first_etags.values()) == {None}  # nothing cached yet: unconditional
    range_server.requests.clear()
    clock.now += 61
    again = run(range_server, cache)
    assert again.counts == EXPECTED
    assert len(range_server.requests) == len(prefixes())
    assert all(r.headers.get("If-None-Match", "").startswith('"') for r in range_server.requests)
    assert cache.revalidated == len(prefixes())
    # The 304 reset the entry's age: within the TTL again, no request at all.
    range_server.requests.clear()
    clock.now += 30
    assert run(range_server, cache).counts == EXPECTED and range_server.requests == []


def test_changed_range_is_fetched_again_after_ttl(range_server: RangeServer, tmp_path: Path) -> None:
    clock = Clock()
    cache = RangeCache(tmp_path / "c", ttl_seconds=60, clock=clock)
    run(range_server, cache)
    range_server.corpus.add(fd.sha1_hex(fd.CLEAN), 55)  # the corpus grew: CLEAN is now pwned
    range_server.requests.clear()
    clock.now += 10
    assert run(range_server, cache).counts[hashlib.sha1(fd.CLEAN.encode()).digest()] == 0  # fresh: cached answer
    clock.now += 61
    result = run(range_server, cache)
    assert result.counts == {**EXPECTED, hashlib.sha1(fd.CLEAN.encode()).digest(): 55}
    assert cache.revalidated == len(prefixes()) - 1  # every other range answered 304


def test_cache_files_are_private_and_damage_is_a_miss(range_server: RangeServer, tmp_path: Path) -> None:
    cache = RangeCache(tmp_path / "c", ttl_seconds=3600)
    run(range_server, cache)
    files = sorted((tmp_path / "c").iterdir())
    assert {f.name for f in files} == prefixes() | {"salt"}
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    assert (tmp_path / "c").stat().st_mode & 0o777 == 0o700
    damaged = tmp_path / "c" / fd.sha1_hex(fd.ALPHA)[:5]
    damaged.write_bytes(damaged.read_bytes()[:-7] + b"XYZ\r\n:")
    range_server.requests.clear()
    assert run(range_server, cache).counts == EXPECTED
    assert [r.path_qs for r in range_server.requests] == [f"/range/{damaged.name}"]


def test_cache_is_per_api_url(tmp_path: Path) -> None:
    one = RangeCache.for_api("https://api.pwnedpasswords.com", root=tmp_path)
    two = RangeCache.for_api("http://127.0.0.1:9999", root=tmp_path)
    ntlm = RangeCache.for_api("https://api.pwnedpasswords.com/", ntlm=True, root=tmp_path)
    assert len({one.directory, two.directory, ntlm.directory}) == 3
    assert ntlm.directory.parent == one.directory.parent


def test_cache_files_hold_no_suffix_of_any_range_and_a_foreign_salt_is_a_miss(range_server: RangeServer, tmp_path: Path) -> None:
    """Prefix (file name) + a stored suffix would be a full SHA-1: suffixes are stored blinded."""
    from pwcheck.check.range_cache import SALT_FILE, RangeCache

    root = tmp_path / "cache"
    cache = RangeCache.for_api(range_server.url, ttl_hours=1, root=root)
    digests = [hashlib.sha1(p.encode()).digest() for p in fd.ALL_PASSWORDS]

    def lookup(client: RangeClient):  # type: ignore[no-untyped-def]
        return asyncio.run(client.lookup(digests))

    first = lookup(RangeClient(ClientSettings(api_url=range_server.url), cache=cache))
    assert first.counts == {d: fd.CORPUS_COUNTS.get(p, 0) for d, p in zip(digests, fd.ALL_PASSWORDS)}
    stored = b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file() and path.name != SALT_FILE)
    for password in fd.ALL_PASSWORDS:
        assert fd.sha1_hex(password)[5:].encode() not in stored.upper()
    served = [suffix for prefix in range_server.corpus.prefixes() for suffix, _ in range_server.corpus.range(prefix)]
    assert served and not any(suffix.encode() in stored.upper() for suffix in served)
    # Answered from the blinded cache: exact, and no request made.
    before = len(range_server.requests)
    again = lookup(RangeClient(ClientSettings(api_url=range_server.url), cache=RangeCache.for_api(range_server.url, ttl_hours=1, root=root)))
    assert again.counts == first.counts and len(range_server.requests) == before
    # Another salt cannot match the stored tokens: every entry must be a miss (refetched), never a 0.
    salt_path = next(root.rglob(SALT_FILE))
    salt_path.write_bytes(b"\x00" * 32)
    third = lookup(RangeClient(ClientSettings(api_url=range_server.url), cache=RangeCache.for_api(range_server.url, ttl_hours=1, root=root)))
    assert third.counts == first.counts and len(range_server.requests) > before


def test_an_oversized_etag_is_neither_stored_nor_sent_back(range_server: RangeServer, tmp_path: Path) -> None:
    """An 8 KB ETag per range (a hostile server) would fill the cache with them: it is dropped, the body kept."""
    range_server.etag = '"' + "e" * 8000 + '"'
    clock = Clock()
    cache = RangeCache(tmp_path / "c", ttl_seconds=60, clock=clock)
    assert run(range_server, cache).counts == EXPECTED
    files = [path for path in (tmp_path / "c").iterdir() if path.name != "salt"]
    assert len(files) == len(prefixes())
    for path in files:
        header = path.read_bytes().split(b"\n", 1)[0]
        assert b'"etag": null' in header and len(header) < 200
    range_server.requests.clear()
    clock.now += 61  # stale: revalidated, but there is no validator to send, so the whole range is asked again
    assert run(range_server, cache).counts == EXPECTED
    assert all("If-None-Match" not in request.headers for request in range_server.requests)
