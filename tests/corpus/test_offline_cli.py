"""Offline use end to end: `corpus import|verify|info`, then `audit` and `password --offline`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import ALL_FILES, invoke
from tests.support.rangeserver import RangeServer


@pytest.fixture
def fixture_store(tmp_path: Path) -> Path:
    """The fixture corpus (the same as the range server's), imported through the CLI."""
    source = tmp_path / "pwnedpasswords.txt"
    source.write_text("\r\n".join(sorted(fd.corpus_lines())) + "\r\n")
    proc = invoke("corpus", "import", str(source), "--store", str(tmp_path / "store"))
    assert proc.returncode == 0, proc.stderr
    assert f"imported {len(fd.CORPUS_COUNTS)} sha1 hashes" in proc.stdout.decode()
    return tmp_path / "store"


def test_offline_audit_equals_online_audit(range_server: RangeServer, fixtures: Path, fixture_store: Path) -> None:
    files = [str(fixtures / name) for name in ALL_FILES]
    online = invoke("audit", *files, "--format", "json", "--api-url", range_server.url)
    served = len(range_server.requests)
    offline = invoke("audit", *files, "--format", "json", "--offline", str(fixture_store), "--api-url", "http://192.0.2.1:9")
    assert online.returncode == offline.returncode == 1, offline.stderr
    assert len(range_server.requests) == served  # the offline run asked nothing
    on, off = json.loads(online.stdout), json.loads(offline.stdout)
    assert off["entries"] == on["entries"] and off["domains"] == on["domains"]
    assert off["checked_against"].startswith(f"local store {fixture_store} (sha1, 9 hashes")


def test_offline_password(fixture_store: Path) -> None:
    pwned = invoke("password", "--stdin", "--offline", str(fixture_store), stdin=fd.UMLAUT.encode() + b"\n")
    assert pwned.returncode == 1 and b"31,337 times" in pwned.stdout
    clean = invoke("password", "--stdin", "--offline", str(fixture_store), stdin=fd.CLEAN.encode())
    assert clean.returncode == 0


def test_missing_store_is_a_usage_error(tmp_path: Path, fixtures: Path) -> None:
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--offline", str(tmp_path / "nothing"))
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1 and "no sha1 store here" in proc.stderr.decode()
    assert invoke("password", "--stdin", "--offline", str(tmp_path), stdin=b"x").returncode == 2


def test_verify_and_info(fixture_store: Path) -> None:
    info = invoke("corpus", "info", "--store", str(fixture_store))
    assert info.returncode == 0 and "sha1: 9 hashes" in info.stdout.decode() and "all prefixes" in info.stdout.decode()
    assert invoke("corpus", "verify", "--store", str(fixture_store)).stdout == b"sha1: ok\n"
    path = fixture_store / "sha1.pwstore"
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    bad = invoke("corpus", "verify", "--store", str(fixture_store))
    assert bad.returncode == 2 and b"sha1: CORRUPT" in bad.stdout and b"checksum does not match" in bad.stderr


def test_bad_source_is_one_line_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "p.txt"
    source.write_text("A" * 40 + ":1\nnot a line\n")
    proc = invoke("corpus", "import", str(source), "--store", str(tmp_path / "s"))
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == f"pwcheck: {source}:2: is not HASH:COUNT (40 hex digits, ':', a count)"
