"""An empty or implausibly short range answer is malformed: retried, then not checked (exit 3).

The real API pads every answer to at least 800 lines when asked (`Add-Padding: true`, which
pwcheck always sends), so a 200 with an empty body, or with a body cut at a line boundary,
is never "not found". The test server speaks the same padding; these tests use its
`empty` and `cut` faults.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from pathlib import Path

import pytest

from pwcheck.check.range_format import MIN_RANGE_LINES, MalformedRange, build_body, check_plausible
from pwcheck.corpus.memory import MemoryCorpus
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer, client


def digest(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8")).digest()


@pytest.fixture
def server() -> RangeServer:
    corpus = MemoryCorpus()
    corpus.add(hashlib.sha1(b"hunter2").hexdigest(), 17)
    srv = RangeServer(corpus).start()
    yield srv  # type: ignore[misc]
    srv.stop()


@pytest.mark.parametrize("fault", ["empty", "cut"])
def test_an_implausible_answer_on_every_attempt_is_not_checked(server: RangeServer, fault: str) -> None:
    wanted = digest("hunter2")
    server.always[wanted.hex()[:5].upper()] = fault
    result = asyncio.run(client(server).lookup([wanted]))
    assert result.counts[wanted] is None  # not checked, never 0
    assert result.failed_ranges == 1 and result.attempts == 4  # retried as malformed
    assert "NOT CHECKED" in " ".join(result.problems)


@pytest.mark.parametrize("fault", ["empty", "cut"])
def test_an_implausible_answer_is_retried(server: RangeServer, fault: str) -> None:
    wanted = digest("hunter2")
    server.fault(wanted.hex()[:5], fault)
    result = asyncio.run(client(server).lookup([wanted]))
    assert result.counts[wanted] == 17 and result.failed_ranges == 0 and result.attempts == 2


def test_audit_of_empty_answers_exits_3_not_0(server: RangeServer, tmp_path: Path) -> None:
    export = tmp_path / "chrome.csv"
    export.write_text("name,url,username,password\nex,https://example.com/,me,correct horse battery\n")
    server.always["*"] = "empty"
    proc = invoke("audit", str(export), "--api-url", server.url, "--format", "json", "--timeout", "2")
    assert proc.returncode == 3, proc.stderr
    assert b'"pwned_count": 0' not in proc.stdout


def test_padded_bodies_of_a_tiny_corpus_are_plausible() -> None:
    rng = random.Random(5)
    for _ in range(50):
        body = build_body([], pad=True, rng=rng)
        lines = body.count(b"\n") + 1
        assert 800 <= lines <= 1000  # as HIBP pads: to at least 800, plus 0-200
        check_plausible(body)
    check_plausible(build_body([("A" * 35, 3)] * 1000, pad=False))


@pytest.mark.parametrize("body", [b"", b"\r\n", b"\xef\xbb\xbf", ("0" * 35 + ":0\r\n") * (MIN_RANGE_LINES - 1)])
def test_short_bodies_are_malformed(body: str | bytes) -> None:
    raw = body.encode() if isinstance(body, str) else body
    with pytest.raises(MalformedRange):
        check_plausible(raw)
