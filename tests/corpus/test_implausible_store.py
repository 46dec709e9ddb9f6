"""A store never records what the API cannot have said: empty ranges, empty or lopsided stores.

An empty range answer read as an empty bucket would make every later offline check of
that prefix say "not found". The mirror refuses such an answer (the range stays not
fetched, the run exits 3, a rerun resumes); a store whose hash count or bucket sizes are
implausible is refused at build and flagged by `corpus verify`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.check.store import Store, verify
from pwcheck.check.store_format import SHA1, StoreError, implausible_sizes
from pwcheck.corpus import build
from pwcheck.corpus.build import StoreWriter
from pwcheck.corpus.download import download_corpus
from pwcheck.net.http import ClientSettings, RetryPolicy
from tests.support import corpus_gen as cg
from tests.support.cli import invoke
from tests.support.corpus_gen import memory_corpus
from tests.support.rangeserver import RangeServer

SLICE = (0x00000, 0x000FF)
SLICE_ARG = "00000-000FF"
DENSE = 100  # hashes per bucket: enough for bucket sizes to be judged


@pytest.fixture(scope="module")
def entries() -> dict[bytes, int]:
    return cg.in_prefixes(cg.corpus(50_000), *SLICE)


@pytest.fixture
def server(entries: dict[bytes, int]) -> Iterator[RangeServer]:
    srv = RangeServer(memory_corpus(entries)).start()
    try:
        yield srv
    finally:
        srv.stop()


def fast(server: RangeServer) -> ClientSettings:
    return ClientSettings(api_url=server.url, concurrency=8, retry=RetryPolicy(attempts=2, backoff=0.01), read_timeout=2.0)


@pytest.mark.parametrize("fault", ["empty", "cut"])
def test_the_mirror_refuses_an_implausible_range_and_a_rerun_resumes(
    server: RangeServer, entries: dict[bytes, int], tmp_path: Path, fault: str
) -> None:
    server.always["00042"] = fault
    failed = download_corpus(tmp_path, SHA1, fast(server), SLICE, progress=False)
    assert failed.failed == 1 and "implausibly short" in failed.summary()
    assert not (tmp_path / "sha1.pwstore").exists()
    server.always.clear()
    server.requests.clear()
    resumed = download_corpus(tmp_path, SHA1, fast(server), SLICE, progress=False)
    assert resumed.resumed == 255 and resumed.failed == 0
    assert [r.path_qs for r in server.requests] == ["/range/00042"]
    with Store.open(tmp_path, SHA1) as store:
        assert store.counts(list(entries)) == entries and verify(store) == []


def test_corpus_download_of_an_empty_range_exits_3(server: RangeServer, tmp_path: Path) -> None:
    server.always["00042"] = "empty"
    proc = invoke("corpus", "download", "--store", str(tmp_path), "--api-url", server.url, "--prefixes", SLICE_ARG,
                  "--no-progress")
    assert proc.returncode == 3, proc.stderr
    assert "1 of 256 ranges failed" in proc.stdout.decode() and "run again to resume" in proc.stdout.decode()
    assert not (tmp_path / "sha1.pwstore").exists()


def _dense_buckets(skip: int | None = None) -> Iterator[tuple[int, bytes, bytes]]:
    dense = cg.dense_corpus(*SLICE, DENSE)
    by_prefix: dict[int, list[bytes]] = {}
    for digest in sorted(dense):
        by_prefix.setdefault(int.from_bytes(digest[:3], "big") >> 4, []).append(digest)
    for prefix in range(SLICE[0], SLICE[1] + 1):
        digests = [] if prefix == skip else by_prefix[prefix]
        keys = b"".join(d[2:] for d in digests)
        counts = b"".join(dense[d].to_bytes(4, "big") for d in digests)
        yield prefix, keys, counts


def _write(directory: Path, buckets: Iterator[tuple[int, bytes, bytes]]) -> Path:
    with StoreWriter(directory, SHA1, "test", SLICE) as writer:
        for prefix, keys, counts in buckets:
            writer.add(prefix, keys, counts)
        return writer.finish()


def test_a_dense_store_with_all_buckets_is_built(tmp_path: Path) -> None:
    _write(tmp_path, _dense_buckets())
    with Store.open(tmp_path, SHA1) as store:
        assert verify(store) == []


@pytest.mark.parametrize("skip", [None, 0x42])
def test_an_empty_or_lopsided_store_is_refused_at_build(tmp_path: Path, skip: int | None) -> None:
    buckets = iter(()) if skip is None else _dense_buckets(skip)
    with pytest.raises(StoreError, match="implausible"):
        _write(tmp_path, buckets)
    assert not (tmp_path / "sha1.pwstore").exists() and not list(tmp_path.glob(".*partial"))


def test_verify_flags_an_implausible_store_written_without_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "implausible_sizes", lambda *args: None)  # as an older pwcheck wrote it
    _write(tmp_path, _dense_buckets(skip=0x42))
    with Store.open(tmp_path, SHA1) as store:
        problems = verify(store)
    assert len(problems) == 1 and "implausible" in problems[0] and "00042" not in problems[0]
    proc = invoke("corpus", "verify", "--store", str(tmp_path), "--no-progress")
    assert proc.returncode == 2 and b"sha1: CORRUPT" in proc.stdout


def test_the_rule() -> None:
    assert implausible_sizes([]) is not None and implausible_sizes([0] * 16) is not None  # no hashes at all
    assert implausible_sizes([0, 0, 3, 0, 1]) is None  # a small corpus: empty buckets are normal
    assert implausible_sizes([1000] * 99 + [900]) is None
    assert implausible_sizes([1000] * 99 + [200]) is not None  # a quarter of the mean is far out of reach
