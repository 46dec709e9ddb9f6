"""The range client against a real server on 127.0.0.1: padding, retries, faults, honesty."""

from __future__ import annotations

import asyncio
import hashlib
import re
import subprocess
import sys
import time

import pytest

from pwcheck import USER_AGENT
from pwcheck.check.range_client import RangeClient
from pwcheck.net.http import ClientSettings, RetryPolicy
from tests.support import fixture_data as fd
from tests.support.rangeserver import FAST_RETRY, RangeServer, client


def digest(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8")).digest()


def lookup(checker: RangeClient, passwords: list[str]):
    return asyncio.run(checker.lookup([digest(p) for p in passwords]))


def prefix_of(password: str) -> str:
    return fd.sha1_hex(password)[:5]


@pytest.mark.parametrize("http2", [False, True])
def test_exact_counts_and_only_prefixes_leave(range_server: RangeServer, http2: bool) -> None:
    result = lookup(client(range_server, http2=http2), fd.ALL_PASSWORDS)
    expected = {digest(p): fd.CORPUS_COUNTS.get(p, 0) for p in fd.ALL_PASSWORDS}
    assert result.counts == expected
    assert result.counts[digest(fd.SPACED)] == 9  # not the trimmed form's 666
    assert result.counts[digest(fd.CAFE_NFD)] == 0  # not the NFC form's 4242
    paths = sorted(r.path_qs for r in range_server.requests)
    assert paths == sorted(f"/range/{prefix_of(p)}" for p in fd.ALL_PASSWORDS)
    for request in range_server.requests:
        assert re.fullmatch(r"/range/[0-9A-F]{5}", request.path_qs)
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert headers["add-padding"] == "true"
        assert headers["user-agent"] == USER_AGENT
        for password in fd.ALL_PASSWORDS:
            assert fd.sha1_hex(password)[5:] not in " ".join(headers.values()).upper()


def test_each_prefix_requested_once(range_server: RangeServer) -> None:
    same_prefix = [fd.ALPHA] * 5 + [fd.COMMA] * 3
    result = lookup(client(range_server), same_prefix)
    assert result.range_requests == 2 and len(range_server.requests) == 2


def test_padding_lines_are_dropped(range_server: RangeServer) -> None:
    """A suffix present only as a count-0 padding line is 'not found' (0), never pwned."""
    range_server.corpus.add(fd.sha1_hex(fd.CLEAN), 0)
    result = lookup(client(range_server), [fd.CLEAN])
    assert result.counts[digest(fd.CLEAN)] == 0


def test_503_then_success(range_server: RangeServer) -> None:
    range_server.fault(prefix_of(fd.ALPHA), "503", "503")
    result = lookup(client(range_server), [fd.ALPHA])
    assert result.counts[digest(fd.ALPHA)] == 1234
    assert len(range_server.requests) == 3


def test_429_with_retry_after_is_honoured(range_server: RangeServer) -> None:
    range_server.fault(prefix_of(fd.ALPHA), "429:1")
    started = time.monotonic()
    result = lookup(client(range_server), [fd.ALPHA])
    assert result.counts[digest(fd.ALPHA)] == 1234
    assert time.monotonic() - started >= 0.95  # waited as asked (a lower bound, not a speed test)


def test_429_without_retry_after_backs_off_and_succeeds(range_server: RangeServer) -> None:
    range_server.fault(prefix_of(fd.ALPHA), "429", "429")
    assert lookup(client(range_server), [fd.ALPHA]).counts[digest(fd.ALPHA)] == 1234


def test_retry_after_beyond_the_cap_gives_up_honestly(range_server: RangeServer) -> None:
    range_server.fault(prefix_of(fd.ALPHA), "429:3600")
    result = lookup(client(range_server), [fd.ALPHA])
    assert result.counts[digest(fd.ALPHA)] is None


@pytest.mark.parametrize("fault", ["reset", "truncate", "malformed", "stall"])
def test_transient_faults_are_retried(range_server: RangeServer, fault: str) -> None:
    range_server.fault(prefix_of(fd.ALPHA), fault)
    result = lookup(client(range_server), [fd.ALPHA, fd.COMMA])
    assert result.counts == {digest(fd.ALPHA): 1234, digest(fd.COMMA): 2}


@pytest.mark.parametrize("variant", ["bom", "commas", "lower"])
def test_tolerated_body_variants_give_exact_counts(range_server: RangeServer, variant: str) -> None:
    range_server.always["*"] = variant
    result = lookup(client(range_server), [fd.ALPHA, fd.UMLAUT, fd.CLEAN])
    assert result.counts == {digest(fd.ALPHA): 1234, digest(fd.UMLAUT): 31337, digest(fd.CLEAN): 0}


@pytest.mark.parametrize("fault", ["503", "reset", "malformed", "truncate", "404"])
def test_a_prefix_that_never_answers_is_not_checked(range_server: RangeServer, fault: str) -> None:
    range_server.always[prefix_of(fd.ALPHA)] = fault
    result = lookup(client(range_server), [fd.ALPHA, fd.COMMA])
    assert result.counts[digest(fd.ALPHA)] is None
    assert result.counts[digest(fd.COMMA)] == 2
    assert result.failed_ranges == 1


def test_total_outage_ends_quickly_with_everything_unchecked(range_server: RangeServer) -> None:
    range_server.always["*"] = "503"
    passwords = [f"pw-outage-{i}" for i in range(200)]
    result = lookup(client(range_server, concurrency=4), passwords)
    assert all(count is None for count in result.counts.values())
    assert result.problems and "gave up" in result.problems[0]
    assert result.range_requests < 50  # stopped asking instead of trying every prefix


def test_unreachable_server_is_not_checked() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    checker = RangeClient(ClientSettings(api_url=f"http://127.0.0.1:{port}", retry=FAST_RETRY))
    result = asyncio.run(checker.lookup([digest(fd.ALPHA)]))
    assert result.counts == {digest(fd.ALPHA): None}


def test_the_default_range_path_never_loads_httpx(range_server: RangeServer) -> None:
    """httpx costs every audit tens of ms of start-up; only --http2 and the catalogue need it."""
    script = (
        "import asyncio, hashlib, sys\n"
        "from pwcheck.check.range_client import ClientSettings, RangeClient\n"
        f"client = RangeClient(ClientSettings(api_url={range_server.url!r}))\n"
        "result = asyncio.run(client.lookup([hashlib.sha1(b'password').digest()]))\n"
        "assert result.not_checked == 0, result.problems\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('httpx', 'httpcore')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_an_attempt_that_never_finishes_is_cut_at_its_deadline(range_server: RangeServer) -> None:
    """A server that sends a little at a time never trips the read timeout; the per-attempt deadline ends it."""
    prefix = prefix_of("password")
    range_server.fault(prefix, "trickle", "trickle")
    checker = client(range_server, retry=RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01),
                     read_timeout=1.0, attempt_timeout=0.6)
    result = lookup(checker, ["password"])  # a whole trickled answer would take ~10 s and succeed
    assert result.counts[digest("password")] is None
    assert result.failed_ranges == 1 and result.attempts == 2
    assert "timed out" in " ".join(result.problems)
