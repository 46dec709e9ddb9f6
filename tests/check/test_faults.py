"""Faults the range client must survive with exact results, or honest "not checked" (exit 3):
connect timeouts, 5xx bursts across many prefixes, a body that stalls on every attempt, and
total outages that end with a clear message instead of a hang. Time is only ever guarded
generously (to turn a hang into a failure), never asserted as a speed."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.check.range_client import RangeClient
from pwcheck.corpus.memory import MemoryCorpus
from pwcheck.net.http import ClientSettings, RetryPolicy
from tests.support import fixture_data as fd
from tests.support.privacy.harness import FIXTURES, Sandbox
from tests.support.rangeserver import RangeServer

FAST_RETRY = RetryPolicy(attempts=4, backoff=0.01, max_backoff=0.05)
HANG_GUARD = 120.0  # seconds: only to fail instead of hanging forever


def digest(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8")).digest()


def guarded_lookup(checker: RangeClient, digests: list[bytes]):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        return await asyncio.wait_for(checker.lookup(digests), HANG_GUARD)

    return asyncio.run(run())


@pytest.fixture
def blackhole() -> Iterator[str]:
    """A loopback port whose accept queue is full: connecting never completes (SYNs are dropped)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for sock in (*fillers, server):
            sock.close()


@pytest.mark.parametrize("http2", [False, True], ids=["aiohttp", "httpx"])
def test_connect_timeout_is_not_checked(blackhole: str, http2: bool) -> None:
    settings = ClientSettings(api_url=blackhole, connect_timeout=0.3, read_timeout=0.3, attempt_timeout=5.0,
                              retry=FAST_RETRY, http2=http2)
    result = guarded_lookup(RangeClient(settings), [digest(fd.ALPHA), digest(fd.COMMA)])
    assert result.counts == {digest(fd.ALPHA): None, digest(fd.COMMA): None}
    assert result.attempts == 8 and result.failed_ranges == 2
    assert any("timed out" in problem for problem in result.problems), result.problems


@pytest.mark.parametrize("http2", [False, True], ids=["aiohttp", "httpx"])
def test_5xx_bursts_across_many_prefixes_give_exact_counts(http2: bool) -> None:
    rng = random.Random(9)
    passwords = [f"pw-burst-{i}" for i in range(80)]
    counts = {p: (rng.randint(1, 10**6) if i % 2 else 0) for i, p in enumerate(passwords)}
    corpus = MemoryCorpus.from_lines(f"{fd.sha1_hex(p)}:{c}" for p, c in counts.items() if c)
    server = RangeServer(corpus).start()
    faults = 0
    try:
        for password in passwords:
            burst = [rng.choice(["500", "502", "503", "504"]) for _ in range(rng.randint(0, 3))]
            server.fault(fd.sha1_hex(password)[:5], *burst)
            faults += len(burst)
        settings = ClientSettings(api_url=server.url, concurrency=8, retry=FAST_RETRY, read_timeout=2.0, http2=http2)
        result = guarded_lookup(RangeClient(settings), [digest(p) for p in passwords])
    finally:
        server.stop()
    assert faults > 60  # the bursts really happened
    assert result.counts == {digest(p): c for p, c in counts.items()}
    assert result.attempts == len(passwords) + faults and result.failed_ranges == 0 and not result.problems


def cli(box: Sandbox, url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pwcheck", *args], capture_output=True, stdin=subprocess.DEVNULL,
        env=box.env({"PWCHECK_API_URL": url}), timeout=HANG_GUARD,
    )


def test_a_body_that_stalls_on_every_attempt_is_not_checked(tmp_path: Path) -> None:
    server = RangeServer(MemoryCorpus.from_lines(fd.corpus_lines()), stall_seconds=30.0).start()
    try:
        server.always[fd.sha1_hex(fd.ALPHA)[:5]] = "stall"
        proc = cli(Sandbox(tmp_path), server.url, "audit", str(FIXTURES / "chrome.csv"), "--format", "json", "--timeout", "0.5")
        stalled = [r for r in server.requests if r.path_qs.endswith(fd.sha1_hex(fd.ALPHA)[:5])]
    finally:
        server.stop()
    assert proc.returncode == 3, proc.stderr
    doc = json.loads(proc.stdout)
    for entry, expected in zip(doc["entries"], fd.CHROME):
        assert entry["pwned_count"] == (None if expected.password == fd.ALPHA else fd.CORPUS_COUNTS.get(expected.password, 0))
    assert len(stalled) == 4  # every attempt was made, and each one stalled
    assert b"timed out" in proc.stderr and b"NOT CHECKED" in proc.stderr


def many_passwords_export(box: Sandbox, count: int = 300) -> Path:
    path = box.inputs / "many.csv"
    path.write_text("name,url,username,password\n" + "".join(f"S{i},https://s{i}.example,u,pw-outage-{i}\n" for i in range(count)))
    return path


@pytest.mark.parametrize("outage", ["503", "refused", "blackhole", "stall"])
def test_total_outage_ends_with_a_clear_message(tmp_path: Path, outage: str, blackhole: str) -> None:
    """Every range fails: the run stops asking, says why, marks everything not checked, exit 3."""
    box = Sandbox(tmp_path)
    server = RangeServer(MemoryCorpus(), stall_seconds=30.0).start()
    try:
        server.always["*"] = "stall" if outage == "stall" else "503"
        url = {"503": server.url, "stall": server.url, "blackhole": blackhole}.get(outage)
        if url is None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                url = f"http://127.0.0.1:{probe.getsockname()[1]}"
        proc = cli(box, url, "audit", str(many_passwords_export(box)), "--format", "json", "--timeout", "0.5")
        requested = len(server.requests)
    finally:
        server.stop()
    assert proc.returncode == 3, proc.stderr
    doc = json.loads(proc.stdout)
    assert all(entry["pwned_count"] is None for entry in doc["entries"]) and len(doc["entries"]) == 300
    stderr = proc.stderr.decode()
    assert "gave up after" in stderr and "ranges not requested" in stderr, stderr
    assert requested < 300 * 4  # it stopped asking instead of retrying every prefix
    assert "Traceback" not in stderr
