"""`pwcheck serve` for real on a loopback port, compared line by line with the test range server."""

from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from pwcheck.corpus.importer import import_corpus
from tests.support import corpus_gen as cg
from tests.support import fixture_data as fd
from tests.support.cli import ALL_FILES, invoke, run
from tests.support.corpus_gen import memory_corpus
from tests.support.rangeserver import RangeServer

pytest.importorskip("uvicorn")


def corpus_entries() -> dict[bytes, int]:
    entries = cg.corpus(20_000)
    entries.update({bytes.fromhex(fd.sha1_hex(p)): c for p, c in fd.CORPUS_COUNTS.items()})
    return entries


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("serve")
    import_corpus(cg.write_single_file(corpus_entries(), base / "sha1.txt"), base / "store")
    import_corpus(cg.write_single_file(cg.corpus(5_000, ntlm=True), base / "ntlm.txt"), base / "store")
    return base / "store"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(store: Path) -> Iterator[str]:
    """`pwcheck serve` in a process of its own: it serves until terminated."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pwcheck", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/range/00000", timeout=1)
            break
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def reference() -> Iterator[RangeServer]:
    srv = RangeServer(memory_corpus(corpus_entries()), ntlm_corpus=memory_corpus(cg.corpus(5_000, ntlm=True)), record=False)
    try:
        yield srv.start()
    finally:
        srv.stop()


_CLIENT = httpx.Client(timeout=10)


def get(url: str, **headers: str) -> httpx.Response:
    return _CLIENT.get(url, headers={"Accept-Encoding": "identity", **headers})


def sample_prefixes() -> list[str]:
    occupied = sorted({d.hex().upper()[:5] for d in corpus_entries()})
    return ["00000", "FFFFF", "00001", "7A3C1"] + occupied[::100] + [fd.sha1_hex(fd.ALPHA)[:5].lower()]


def test_bodies_are_byte_identical_without_padding(served: str, reference: RangeServer) -> None:
    for prefix in sample_prefixes():
        for query in ("", "?mode=ntlm"):
            mine, theirs = get(f"{served}/range/{prefix}{query}"), get(f"{reference.url}/range/{prefix}{query}")
            assert (mine.status_code, mine.content) == (theirs.status_code, theirs.content) == (200, theirs.content)


def test_padding_keeps_real_lines_and_adds_only_count_zero(served: str, reference: RangeServer) -> None:
    for prefix in sample_prefixes()[:20]:
        padded = get(f"{served}/range/{prefix}", **{"Add-Padding": "true"}).content.split(b"\r\n")
        real = [line for line in get(f"{reference.url}/range/{prefix}").content.split(b"\r\n") if line]
        # HIBP's padding: up to 800 lines, then 0-200 more (never fewer than 800 in all).
        assert padded == sorted(padded) and 800 <= len(padded) <= max(800, len(real)) + 200
        assert [line for line in padded if not line.endswith(b":0")] == real
        assert all(re.fullmatch(rb"[0-9A-F]{35}:[0-9]+", line) for line in padded)


def test_headers_etag_304_gzip_and_errors(served: str) -> None:
    first = get(f"{served}/range/00000")
    assert first.headers["content-type"] == "text/plain"
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert first.headers["last-modified"].endswith(" GMT")
    etag = first.headers["etag"]
    assert get(f"{served}/range/00000", **{"If-None-Match": etag}).status_code == 304
    assert get(f"{served}/range/00001", **{"If-None-Match": etag}).status_code == 200
    zipped = httpx.get(f"{served}/range/00000", headers={"Accept-Encoding": "gzip", "Add-Padding": "true"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text.count("\r\n") >= 100
    for bad in ("0000", "00000X", "GGGGG", "000000"):
        response = get(f"{served}/range/{bad}")
        assert (response.status_code, response.text) == (400, "The hash prefix was not in a valid format")
    assert gzip.decompress(gzip.compress(b"x")) == b"x"


def test_audit_against_serve_equals_audit_against_the_reference(served: str, reference: RangeServer, fixtures: Path) -> None:
    files = [str(fixtures / name) for name in ALL_FILES]
    via_serve = invoke("audit", *files, "--format", "json", "--api-url", served)
    via_reference = invoke("audit", *files, "--format", "json", "--api-url", reference.url)
    assert via_serve.returncode == via_reference.returncode == 1, via_serve.stderr
    mine, theirs = json.loads(via_serve.stdout), json.loads(via_reference.stdout)
    assert mine["entries"] == theirs["entries"] and mine["stats"]["range_requests"] == theirs["stats"]["range_requests"]


def test_missing_store_fails_before_binding(tmp_path: Path) -> None:
    # A real process: were the store check to regress, `serve` would run until run()'s timeout, not forever in pytest.
    proc = run("serve", "--store", str(tmp_path), "--port", str(free_port()))
    assert proc.returncode == 2 and b"no sha1 store here" in proc.stderr
