"""What leaves the machine over the network: TLS always verified, proxies and CA bundles from
the environment, and nothing but `/range/<5 hex>` with padding and pwcheck's User-Agent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck import USER_AGENT
from pwcheck.corpus.memory import MemoryCorpus
from tests.support import fixture_data as fd
from tests.support.privacy.harness import FIXTURES, Sandbox, scanner_for
from tests.support.proxyserver import ConnectProxy
from tests.support.rangeserver import RangeServer
from tests.support.tlsutil import Pki, make_pki

TRANSPORTS = [[], ["--http2"]]  # aiohttp (default) and httpx's own transport


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def https_server(pki: Pki) -> Iterator[RangeServer]:
    server = RangeServer(MemoryCorpus.from_lines(fd.corpus_lines()), ssl_context=pki.server_context()).start()
    try:
        yield server
    finally:
        server.stop()


def audit(box: Sandbox, server: RangeServer, transport: list[str], env: dict[str, str]) -> tuple[int, dict, str]:
    run = box.run(
        ["audit", str(FIXTURES / "chrome-old.csv"), "--format", "json", "--timeout", "2", *transport],
        env={"PWCHECK_API_URL": server.url, **env},
    )
    return run.returncode, json.loads(run.stdout or b"{}"), run.stderr.decode()


def expected_counts() -> list[int]:
    return [fd.CORPUS_COUNTS.get(e.password, 0) for e in fd.CHROME_OLD]


@pytest.mark.parametrize("transport", TRANSPORTS, ids=["aiohttp", "httpx"])
def test_unknown_certificate_authority_is_refused(https_server: RangeServer, tmp_path: Path, transport: list[str]) -> None:
    """Without the CA, the lookup fails: not checked, exit 3, never a silent unverified request."""
    code, doc, stderr = audit(Sandbox(tmp_path), https_server, transport, {})
    assert code == 3, stderr
    assert [e["pwned_count"] for e in doc["entries"]] == [None, None]
    assert https_server.requests == []  # the handshake failed before any HTTP was sent


@pytest.mark.parametrize("transport", TRANSPORTS, ids=["aiohttp", "httpx"])
def test_ssl_cert_file_is_honoured(https_server: RangeServer, pki: Pki, tmp_path: Path, transport: list[str]) -> None:
    code, doc, stderr = audit(Sandbox(tmp_path), https_server, transport, {"SSL_CERT_FILE": str(pki.ca_file)})
    assert code == 1, stderr
    assert [e["pwned_count"] for e in doc["entries"]] == expected_counts()
    assert sorted(r.path_qs for r in https_server.requests) == sorted(f"/range/{fd.sha1_hex(e.password)[:5]}" for e in fd.CHROME_OLD)


@pytest.mark.parametrize("transport", TRANSPORTS, ids=["aiohttp", "httpx"])
def test_https_proxy_from_environment(https_server: RangeServer, pki: Pki, tmp_path: Path, transport: list[str]) -> None:
    """HTTPS_PROXY is used; the proxy learns the API's host and port, nothing else."""
    proxy = ConnectProxy().start()
    try:
        env = {"SSL_CERT_FILE": str(pki.ca_file), "HTTPS_PROXY": proxy.url}
        code, doc, stderr = audit(Sandbox(tmp_path), https_server, transport, env)
    finally:
        proxy.stop()
    assert code == 1, stderr
    assert [e["pwned_count"] for e in doc["entries"]] == expected_counts()
    port = https_server.url.rsplit(":", 1)[1]
    assert proxy.heads and all(h.startswith(f"CONNECT 127.0.0.1:{port} ".encode()) for h in proxy.heads)
    scanner = scanner_for()
    assert [hit for head in proxy.heads for hit in scanner.hits(head, "proxy")] == []
    for head in proxy.heads:
        assert not re.search(rb"/range/", head)  # the path travels inside TLS only


def test_every_request_carries_only_prefix_padding_and_user_agent(range_server: RangeServer, tmp_path: Path) -> None:
    """The request shape, from the server's side, for a full audit over every fixture."""
    files = [str(p) for p in FIXTURES.glob("*") if p.suffix in (".csv", ".json")]
    run = Sandbox(tmp_path).run(["audit", *files, "-q"], env={"PWCHECK_API_URL": range_server.url})
    assert run.returncode == 1, run.stderr
    assert range_server.requests
    for request in range_server.requests:
        assert request.method == "GET" and re.fullmatch(r"/range/[0-9A-F]{5}", request.path_qs)
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert headers["add-padding"] == "true" and headers["user-agent"] == USER_AGENT
        assert set(headers) <= {"host", "user-agent", "add-padding", "accept", "accept-encoding", "connection"}
        assert "cookie" not in headers and "authorization" not in headers
    prefixes = [r.path_qs[-5:] for r in range_server.requests]
    assert len(prefixes) == len(set(prefixes))  # each prefix once: the count of requests reveals no repeats
