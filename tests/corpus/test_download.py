"""`corpus download` against the real range server on 127.0.0.1, over a slice of the prefixes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck import USER_AGENT
from pwcheck.check.store import Store, verify
from pwcheck.check.store_format import NTLM, SHA1
from pwcheck.corpus.download import download_corpus
from pwcheck.net.http import ClientSettings, RetryPolicy
from tests.support import corpus_gen as cg
from tests.support.cli import invoke
from tests.support.corpus_gen import memory_corpus
from tests.support.rangeserver import RangeServer

SLICE = (0x00000, 0x003FF)
SLICE_ARG = "00000-003FF"
FAST_RETRY = RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.05)


@pytest.fixture(scope="module")
def entries() -> dict[bytes, int]:
    return cg.in_prefixes(cg.corpus(200_000), *SLICE)


@pytest.fixture
def server(entries: dict[bytes, int]) -> Iterator[RangeServer]:
    ntlm = cg.in_prefixes(cg.corpus(20_000, ntlm=True), *SLICE)
    srv = RangeServer(memory_corpus(entries), ntlm_corpus=memory_corpus(ntlm)).start()
    try:
        yield srv
    finally:
        srv.stop()


def settings(server: RangeServer, **extra: object) -> ClientSettings:
    return ClientSettings(api_url=server.url, concurrency=16, retry=FAST_RETRY, read_timeout=2.0, **extra)  # type: ignore[arg-type]


def test_mirror_is_exact_and_sends_only_prefixes(server: RangeServer, entries: dict[bytes, int], tmp_path: Path) -> None:
    proc = invoke("corpus", "download", "--store", str(tmp_path), "--api-url", server.url, "--prefixes", SLICE_ARG)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(entries):,} hashes in 1,024 ranges" in proc.stdout.decode()
    paths = sorted(r.path_qs for r in server.requests)
    assert paths == [f"/range/{p:05X}" for p in range(SLICE[0], SLICE[1] + 1)]  # each once, nothing else
    for request in server.requests:
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert headers["add-padding"] == "true" and headers["user-agent"] == USER_AGENT
    with Store.open(tmp_path, SHA1) as store:
        assert store.counts(list(entries)) == entries
        assert store.count(cg.edge_digests()[0]) == 10
        assert store.count(cg.absent_digests(1)[0]) in (0, None)
        assert verify(store) == []
    assert sorted(os.listdir(tmp_path)) == ["sha1.etags", "sha1.pwstore"]


def test_incremental_run_uses_etags_and_counts_changes(server: RangeServer, entries: dict[bytes, int], tmp_path: Path) -> None:
    first = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert not first.incremental and first.fetched == 1024
    server.requests.clear()
    again = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert again.incremental and again.not_modified == 1024 and again.changed == 0
    assert all(r.headers.get("If-None-Match", "").startswith('"') for r in server.requests)
    new_hash = b"\x00\x05\x00" + b"\x42" * 17
    server.corpus.add(new_hash.hex(), 77)
    changed = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert (changed.changed, changed.not_modified) == (1, 1023)
    assert "1 ranges changed, 1,023 unchanged" in changed.summary()
    with Store.open(tmp_path, SHA1) as store:
        assert store.count(new_hash) == 77 and store.counts(list(entries)) == entries


def test_failed_ranges_write_nothing_and_a_rerun_fetches_only_the_rest(
    server: RangeServer, entries: dict[bytes, int], tmp_path: Path
) -> None:
    server.always["00123"] = "503"
    server.always["00321"] = "malformed"
    failed = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert failed.failed == 2 and "nothing written" in failed.summary()
    assert not (tmp_path / "sha1.pwstore").exists() and (tmp_path / ".sha1.download.journal").exists()
    server.always.clear()
    server.requests.clear()
    resumed = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert resumed.resumed == 1022 and resumed.failed == 0
    assert sorted(r.path_qs for r in server.requests) == ["/range/00123", "/range/00321"]
    with Store.open(tmp_path, SHA1) as store:
        assert store.counts(list(entries)) == entries


def test_a_killed_download_resumes(server: RangeServer, entries: dict[bytes, int], tmp_path: Path) -> None:
    # A real process: it is killed (SIGKILL) mid-download.
    server.latency = 0.02
    cmd = [sys.executable, "-m", "pwcheck", "corpus", "download", "--store", str(tmp_path), "--api-url", server.url,
           "--prefixes", SLICE_ARG, "--concurrency", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = tmp_path / ".sha1.download.journal"
    deadline = time.monotonic() + 60
    while len(server.requests) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert journal.exists() and not (tmp_path / "sha1.pwstore").exists()
    with open(journal, "ab") as handle:
        handle.write(b"PWJ1\x07\x00")  # a torn entry, as a crash mid-write leaves
    first_run = len(server.requests)
    server.latency = 0.0
    server.requests.clear()
    result = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert 0 < result.resumed < 1024 and result.resumed + len(server.requests) == 1024
    assert first_run >= result.resumed
    with Store.open(tmp_path, SHA1) as store:
        assert store.counts(list(entries)) == entries and verify(store) == []


def test_ntlm_mirror(server: RangeServer, tmp_path: Path) -> None:
    result = download_corpus(tmp_path, NTLM, settings(server, ntlm=True), (0, 0xFF), progress=False)
    assert result.failed == 0
    assert all(r.path_qs.endswith("?mode=ntlm") for r in server.requests)
    ntlm = cg.in_prefixes(cg.corpus(20_000, ntlm=True), 0, 0xFF)
    with Store.open(tmp_path, NTLM) as store:
        assert store.counts(list(ntlm)) == ntlm


def test_oversized_etags_are_not_kept_by_the_mirror(server: RangeServer, entries: dict[bytes, int], tmp_path: Path) -> None:
    """8 KB ETags on every range would be ~8 GB of them in a full mirror: the journal and the .etags file keep none."""
    from pwcheck.corpus.journal import Journal

    server.etag = '"' + "e" * 8000 + '"'
    result = download_corpus(tmp_path, SHA1, settings(server), SLICE, progress=False)
    assert result.failed == 0 and result.hashes == len(entries)
    lines = (tmp_path / "sha1.etags").read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pwcheck-etags ")  # the header line only
    journal = Journal(tmp_path, SHA1, "a run of its own")
    journal.add(0, None, server.etag)  # and a journal entry keeps no oversized ETag either
    assert journal.etags == {}
    journal.remove()
