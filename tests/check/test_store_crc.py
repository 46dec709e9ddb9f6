"""A corrupted store never answers "not found": every lookup checks the CRC of the buckets it reads.

One bit flipped in the key of a pwned password's record made `audit --offline`,
`password --offline` and `serve` answer 0 while only `corpus verify` said CORRUPT. Now a bad
bucket leaves its hashes not checked (exit 3, a problem naming the store file, never the
hash) and `serve` answers that range with a 5xx.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest

from pwcheck.check.store import Store, StoreChecker
from pwcheck.check.store_format import SHA1
from pwcheck.corpus.importer import import_corpus
from tests.support import fixture_data as fd
from tests.support.cli import invoke
from tests.support.corpus_gen import flip_record_bit as flip_key_bit

PWNED = hashlib.sha1(fd.UMLAUT.encode("utf-8")).digest()
OTHER = hashlib.sha1(fd.ALPHA.encode("utf-8")).digest()


def prefix_of(digest: bytes) -> int:
    return int.from_bytes(digest[:3], "big") >> 4


@pytest.fixture
def store(tmp_path: Path) -> Path:
    source = tmp_path / "pwnedpasswords.txt"
    source.write_text("\r\n".join(sorted(fd.corpus_lines())) + "\r\n")
    import_corpus(source, tmp_path / "store")
    return tmp_path / "store"


def test_a_corrupt_bucket_is_not_checked_and_others_are(store: Path) -> None:
    assert prefix_of(PWNED) != prefix_of(OTHER)
    flip_key_bit(store, PWNED)
    result = asyncio.run(StoreChecker(store).lookup([PWNED, OTHER]))
    assert result.counts[PWNED] is None and result.counts[OTHER] == fd.CORPUS_COUNTS[fd.ALPHA]
    problem = " ".join(result.problems)
    assert str(store / SHA1.file_name) in problem and "checksum" in problem and "NOT CHECKED" in problem
    assert PWNED.hex()[:5] not in problem.lower()


def test_password_offline_on_a_corrupt_bucket_exits_3(store: Path) -> None:
    flip_key_bit(store, PWNED)
    proc = invoke("password", "--stdin", "--offline", str(store), stdin=fd.UMLAUT.encode())
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert str(store / SHA1.file_name) in proc.stderr.decode()
    assert PWNED.hex()[:5] not in (proc.stdout + proc.stderr).decode().lower()


def test_audit_offline_on_a_corrupt_bucket_exits_3(store: Path, tmp_path: Path) -> None:
    export = tmp_path / "chrome.csv"
    export.write_text(f"name,url,username,password\nmuc,https://www.example.de/,frank,{fd.UMLAUT}\n", encoding="utf-8")
    flip_key_bit(store, PWNED)
    proc = invoke("audit", str(export), "--offline", str(store), "--format", "json")
    assert proc.returncode == 3, proc.stderr
    (entry,) = json.loads(proc.stdout)["entries"]
    assert entry["pwned_count"] is None
    assert str(store / SHA1.file_name) in proc.stderr.decode()


def test_serve_answers_a_corrupt_range_with_a_5xx(store: Path) -> None:
    from pwcheck.corpus.serve import RangeApp

    flip_key_bit(store, PWNED)
    app = RangeApp(store)

    def get(digest: bytes) -> tuple[int, bytes]:
        scope = {"type": "http", "method": "GET", "path": f"/range/{digest.hex()[:5].upper()}", "query_string": b"",
                 "headers": [(b"add-padding", b"true")]}
        status, _, body = app.respond(scope)
        return status, body

    status, body = get(PWNED)
    assert 500 <= status < 600 and PWNED.hex()[5:].upper().encode() not in body
    status, body = get(OTHER)
    assert status == 200 and OTHER.hex()[5:].upper().encode() + b":" in body


def test_an_incremental_mirror_refetches_a_corrupt_bucket_instead_of_copying_it(tmp_path: Path) -> None:
    """A 304 would copy the old bucket into the new store under a fresh, valid checksum."""
    from pwcheck.check.store import verify
    from pwcheck.corpus.download import download_corpus
    from pwcheck.net.http import ClientSettings, RetryPolicy
    from tests.support import corpus_gen as cg
    from tests.support.rangeserver import RangeServer

    entries = cg.in_prefixes(cg.corpus(50_000), 0, 0xFF)
    server = RangeServer(cg.memory_corpus(entries)).start()
    try:
        settings = ClientSettings(api_url=server.url, concurrency=8, retry=RetryPolicy(attempts=2, backoff=0.01))
        download_corpus(tmp_path, SHA1, settings, (0, 0xFF), progress=False)
        victim = sorted(entries)[len(entries) // 2]
        flip_key_bit(tmp_path, victim)
        server.requests.clear()
        again = download_corpus(tmp_path, SHA1, settings, (0, 0xFF), progress=False)
        assert again.failed == 0 and again.not_modified == 255
        refetched = [r for r in server.requests if "If-None-Match" not in r.headers]
        assert [r.path_qs for r in refetched] == [f"/range/{prefix_of(victim):05X}"]
    finally:
        server.stop()
    with Store.open(tmp_path, SHA1) as mirrored:
        assert verify(mirrored) == [] and mirrored.counts(list(entries)) == entries
