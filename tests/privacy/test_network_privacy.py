"""What leaves the machine over the network: TLS always verified, proxies and CA bundles from
the environment, and nothing but `/range/<5 hex>` with padding and pwcheck's User-Agent."""

from __future__ import annotations

import base64
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
    """HTTPS_PROXY is used for ranges and the catalogue, with the login in its URL; the proxy learns
    the API's host and port, nothing else: not a password, not the login in `.netrc`."""
    from tests.support.breach_fixture import catalogue_bytes

    https_server.breaches = catalogue_bytes()
    proxy = ConnectProxy().start()
    try:
        with_login = proxy.url.replace("http://", "http://team:proxy-pw@")  # the proxy's own login, in its URL
        env = {"SSL_CERT_FILE": str(pki.ca_file), "HTTPS_PROXY": with_login, "PWCHECK_BREACHES_URL": https_server.breaches_url}
        code, doc, stderr = audit(sandbox_with_netrc(tmp_path), https_server, transport, env)
    finally:
        proxy.stop()
    assert code == 1, stderr
    assert [e["pwned_count"] for e in doc["entries"]] == expected_counts()
    assert len(https_server.requests_to("/api/v3/breaches")) == 1 and doc["breach_data"]["available"]
    port = https_server.url.rsplit(":", 1)[1]
    assert proxy.heads and all(h.startswith(f"CONNECT 127.0.0.1:{port} ".encode()) for h in proxy.heads)
    scanner = scanner_for()
    assert [hit for head in proxy.heads for hit in scanner.hits(head, "proxy")] == []
    for head in proxy.heads:
        assert not re.search(rb"/range/", head)  # the path travels inside TLS only
        logins = [line for line in head.lower().split(b"\r\n") if line.startswith(b"proxy-authorization:")]
        assert logins == [b"proxy-authorization: basic " + base64.b64encode(b"team:proxy-pw").lower()], head


@pytest.mark.parametrize("transport", TRANSPORTS, ids=["aiohttp", "httpx"])
def test_no_proxy_bypasses_the_proxy(https_server: RangeServer, pki: Pki, tmp_path: Path, transport: list[str]) -> None:
    proxy = ConnectProxy().start()
    try:
        env = {"SSL_CERT_FILE": str(pki.ca_file), "HTTPS_PROXY": proxy.url, "NO_PROXY": "localhost,127.0.0.1"}
        code, doc, stderr = audit(Sandbox(tmp_path), https_server, transport, env)
    finally:
        proxy.stop()
    assert code == 1, stderr
    assert [e["pwned_count"] for e in doc["entries"]] == expected_counts()
    assert proxy.heads == []


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


NETRC_SECRET = "netrc-secret-Zq7"
# The headers a request may carry beyond the client's ordinary ones, by what it asks for.
ORDINARY = {"host", "user-agent", "accept", "accept-encoding", "connection"}
EXTRA_BY_KIND = {
    "/range/": {"add-padding", "if-none-match"},
    "/api/v3/breaches": {"if-none-match", "if-modified-since"},
    "/api/v3/breachedaccount/": {"hibp-api-key"},
}


def sandbox_with_netrc(tmp_path: Path) -> Sandbox:
    """A HOME whose `.netrc` has a `default` entry: curl, requests and aiohttp's trust_env send it to any host."""
    box = Sandbox(tmp_path)
    netrc = box.home / ".netrc"
    netrc.write_text(f"default login netrc-user password {NETRC_SECRET}\n")
    netrc.chmod(0o600)
    return box


@pytest.mark.parametrize("transport", TRANSPORTS, ids=["aiohttp", "httpx"])
def test_netrc_is_never_read_and_every_request_carries_only_the_listed_headers(
    range_server: RangeServer, tmp_path: Path, transport: list[str]
) -> None:
    """Ranges, the catalogue, account checks and the mirror download, with a `.netrc` `default` entry in HOME."""
    from tests.support.breach_fixture import catalogue_bytes

    box = sandbox_with_netrc(tmp_path)
    repo = str(Path(__file__).resolve().parents[2])
    env = {"PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring", "PYTHONPATH": repo,
           "PWCHECK_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    key = "0123456789abcdef0123456789abcdef"
    assert box.run(["config", "set-api-key", "--stdin"], stdin=key.encode(), env=env).returncode == 0
    range_server.breaches, range_server.api_key = catalogue_bytes(), key
    range_server.accounts = {"alice@example.com": ["ExampleOrgForum"]}
    audit = box.run(["audit", str(FIXTURES / "chrome.csv"), "--format", "json", "--api-url", range_server.url,
                     "--breaches-url", range_server.breaches_url, "--timeout", "2", *transport], env=env)
    assert audit.returncode == 1, audit.stderr
    assert json.loads(audit.stdout)["account_checks"]["checked"] == 1
    download = box.run(["corpus", "download", "--store", str(tmp_path / "store"), "--api-url", range_server.url,
                        "--prefixes", "00000-0000F", "--no-progress", *transport], env=env)
    assert len(range_server.requests_to("/range/00000")) == 1, download.stderr
    kinds = {kind: [r for r in range_server.requests if r.path_qs.startswith(kind)] for kind in EXTRA_BY_KIND}
    assert all(kinds.values()) and sum(map(len, kinds.values())) == len(range_server.requests)
    for kind, requests in kinds.items():
        for request in requests:
            headers = {k.lower(): v for k, v in request.headers.items()}
            assert set(headers) <= ORDINARY | EXTRA_BY_KIND[kind], (kind, sorted(headers))
            assert headers["user-agent"] == USER_AGENT
            assert NETRC_SECRET not in repr(request), kind


def test_proxies_are_resolved_from_the_environment_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """HTTPS_PROXY / HTTP_PROXY per scheme, NO_PROXY by host, `host:port` read as http://; no `.netrc`."""
    from pwcheck.net.environment import proxy_for

    (tmp_path / ".netrc").write_text(f"default login netrc-user password {NETRC_SECRET}\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert proxy_for("https://api.example/range/00000") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://team:pw@127.0.0.1:3128")
    monkeypatch.setenv("HTTP_PROXY", "127.0.0.1:3129")
    monkeypatch.setenv("NO_PROXY", "mirror.internal")
    assert proxy_for("https://api.example/range/00000") == "http://team:pw@127.0.0.1:3128"
    assert proxy_for("http://api.example/") == "http://127.0.0.1:3129"
    assert proxy_for("https://mirror.internal/range/00000") is None and proxy_for("http://mirror.internal:8000/") is None
