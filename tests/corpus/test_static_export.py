"""`corpus export-static` served by real nginx (the Debian package `.ci/run` installs).

nginx runs as an unprivileged-style foreground process on a loopback port with the server
block the export generated (prefix, pid and logs in a temporary folder). The store covers
every prefix but is sparse, and only the slice 00000-001FF is exported, so the test writes
2 x 512 files rather than 2 x 2^20; nearly every range in the slice is empty, which is
what shows that empty ranges are written and served as padded answers, not 404s.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from pwcheck.check.store import Store
from pwcheck.check.store_format import NTLM, SHA1
from pwcheck.corpus.importer import import_corpus
from pwcheck.corpus.static import NGINX_CONF
from tests.support import corpus_gen as cg
from tests.support.cli import NULL_KEYRING, invoke
from tests.support.corpus_gen import memory_corpus
from tests.support.nginx import NGINX, running_nginx
from tests.support.rangeserver import RangeServer

pytestmark = pytest.mark.skipif(NGINX is None, reason="the nginx binary is not installed (.ci/run installs the Debian package)")

SLICE = "00000-001FF"
LAST = 0x1FF


def in_slice(digest: bytes) -> bool:
    return int.from_bytes(digest[:3], "big") >> 4 <= LAST


def slice_passwords() -> list[str]:
    """Twelve passwords whose SHA-1 prefix falls in the exported slice (found by trying names)."""
    found: list[str] = []
    i = 0
    while len(found) < 12:
        candidate = f"static-pw-{i}"
        if in_slice(hashlib.sha1(candidate.encode()).digest()):
            found.append(candidate)
        i += 1
    return found


def sha1_entries() -> dict[bytes, int]:
    entries = cg.corpus(20_000)
    for n, password in enumerate(slice_passwords()[:7]):  # seven pwned, five clean
        entries[hashlib.sha1(password.encode()).digest()] = 1 + 1000 * n
    return entries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("static")


@pytest.fixture(scope="module")
def store(base: Path) -> Path:
    import_corpus(cg.write_single_file(sha1_entries(), base / "sha1.txt"), base / "store")
    import_corpus(cg.write_single_file(cg.corpus(5_000, ntlm=True), base / "ntlm.txt"), base / "store")
    return base / "store"


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def exported(base: Path, store: Path, port: int) -> Path:
    out = base / "www"
    result = invoke("corpus", "export-static", str(out), "--store", str(store), "--prefixes", SLICE,
                    "--listen", f"127.0.0.1:{port}", env={"PYTHON_KEYRING_BACKEND": NULL_KEYRING})  # module scope: before conftest's
    assert result.returncode == 0, result.stderr
    assert b"sha1: 512 ranges (512 written, 0 unchanged); ntlm: 512 ranges (512 written" in result.stdout
    return out


@pytest.fixture(scope="module")
def nginx(base: Path, exported: Path, port: int) -> Iterator[str]:
    """nginx in the foreground with the export's own server block; stopped by its pid."""
    with running_nginx(base / "nginx", exported / NGINX_CONF, port) as url:
        yield url


@pytest.fixture(scope="module")
def reference() -> Iterator[RangeServer]:
    srv = RangeServer(memory_corpus(sha1_entries()), ntlm_corpus=memory_corpus(cg.corpus(5_000, ntlm=True)), record=False)
    try:
        yield srv.start()
    finally:
        srv.stop()


def plain(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers={"Accept-Encoding": "identity", **headers}, timeout=10)


def test_files_hold_the_api_bodies_padded_once(
    exported: Path, reference: RangeServer, base: Path, store: Path, port: int
) -> None:
    assert len(os.listdir(exported / "range")) == 512 + 1  # the ranges and the ntlm folder
    assert len(os.listdir(exported / "range" / "ntlm")) == 512
    for prefix in ("00000", "00001", "0002A", "001FF", *{cg.digest_of(i).hex().upper()[:5] for i in range(20_000)
                                                          if in_slice(cg.digest_of(i))}):
        for folder, query in (("range", ""), ("range/ntlm", "?mode=ntlm")):
            data = (exported / folder / prefix).read_bytes()
            lines = data.split(b"\r\n")
            real = [line for line in plain(f"{reference.url}/range/{prefix}{query}").content.split(b"\r\n") if line]
            # HIBP's padding, written once: 800 lines or more, count-0 lines only, sorted, no final line end.
            assert lines == sorted(lines) and 800 <= len(lines) <= max(800, len(real)) + 200
            assert [line for line in lines if not line.endswith(b":0")] == real
    modes = {stat.S_IMODE((exported / p).stat().st_mode) for p in ("range/00000", "range/ntlm/001FF", NGINX_CONF)}
    assert modes == {0o600} and stat.S_IMODE((exported / "range").stat().st_mode) == 0o700
    again = invoke("corpus", "export-static", str(exported), "--store", str(store), "--prefixes", SLICE,
                   "--listen", f"127.0.0.1:{port}")
    assert b"(0 written, 512 unchanged)" in again.stdout  # deterministic padding: nothing rewritten
    open_copy = base / "open"
    wide = invoke("corpus", "export-static", str(open_copy), "--store", str(store), "--prefixes", "00000-0000F",
                  "--world-readable")
    assert wide.returncode == 0 and len(os.listdir(open_copy / "range")) == 16 + 1
    assert stat.S_IMODE((open_copy / "range" / "0000F").stat().st_mode) == 0o644
    assert stat.S_IMODE((open_copy / "range" / "ntlm").stat().st_mode) == 0o755


def test_nginx_answers_as_the_api(nginx: str, exported: Path) -> None:
    first = plain(f"{nginx}/range/00000")
    assert first.status_code == 200 and first.content == (exported / "range" / "00000").read_bytes()
    assert first.headers["content-type"] == "text/plain"
    assert first.headers["cache-control"] == "public, max-age=2678400"
    assert plain(f"{nginx}/range/00000", **{"If-None-Match": first.headers["etag"]}).status_code == 304
    assert plain(f"{nginx}/range/001FF?mode=ntlm").content == (exported / "range" / "ntlm" / "001FF").read_bytes()
    assert plain(f"{nginx}/range/001FF?mode=NTLM").status_code == 200
    zipped = httpx.get(f"{nginx}/range/00000", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == first.content
    for bad in ("0000", "00000X", "GGGGG", "000000"):
        response = plain(f"{nginx}/range/{bad}")
        assert (response.status_code, response.text) == (400, "The hash prefix was not in a valid format")
    assert plain(f"{nginx}/range/00000?mode=md5").status_code == 400
    assert plain(f"{nginx}/range/00400").status_code == 404  # outside the exported slice: not checked, never clean
    assert plain(f"{nginx}/{NGINX_CONF}").status_code == 404


def audit_file(base: Path) -> Path:
    path = base / "vault.csv"
    rows = [f"Site {i},https://site{i}.example.com/,user{i},{password}" for i, password in enumerate(slice_passwords())]
    path.write_text("name,url,username,password\n" + "\n".join(rows) + "\n")
    return path


def test_audit_via_nginx_equals_online_and_offline(nginx: str, reference: RangeServer, store: Path, base: Path) -> None:
    vault = str(audit_file(base))
    common = ("audit", vault, "--format", "json", "--no-breaches", "--no-account-checks")
    via_nginx = invoke(*common, "--api-url", f"{nginx}/")
    online = invoke(*common, "--api-url", reference.url)
    offline = invoke(*common, "--offline", str(store))
    assert via_nginx.returncode == online.returncode == offline.returncode == 1, via_nginx.stderr
    reports = [json.loads(result.stdout)["entries"] for result in (via_nginx, online, offline)]
    assert reports[0] == reports[1] == reports[2]
    counts = [entry["pwned_count"] for entry in reports[0]]
    assert counts == [1 + 1000 * n for n in range(7)] + [0] * 5  # every password checked, with its exact count


def test_download_mirrors_from_nginx_incrementally(
    nginx: str, exported: Path, store: Path, base: Path, port: int
) -> None:
    mirror = base / "mirror"
    args = ("corpus", "download", "--store", str(mirror), "--api-url", nginx, "--prefixes", SLICE)
    first = invoke(*args)
    assert first.returncode == 0, first.stderr
    with Store.open(mirror, SHA1) as copy, Store.open(store, SHA1) as original:
        assert all(copy.bucket(p).entries() == original.bucket(p).entries() for p in range(LAST + 1))
    second = invoke(*args)
    assert second.returncode == 0 and b"0 ranges changed, 512 unchanged" in second.stdout, second.stdout
    ntlm = invoke(*args, "--ntlm")
    assert ntlm.returncode == 0, ntlm.stderr
    with Store.open(mirror, NTLM) as copy, Store.open(store, NTLM) as original:
        assert all(copy.bucket(p).entries() == original.bucket(p).entries() for p in range(LAST + 1))
    # One range changes upstream: the nightly export rewrites that file alone, its ETag changes, the mirror takes it.
    changed = base / "changed"
    entries = sha1_entries()
    entries[bytes.fromhex("001AB" + "7" * 35)] = 42
    import_corpus(cg.write_single_file(entries, base / "changed.txt"), changed)
    shutil.copy(store / NTLM.file_name, changed / NTLM.file_name)
    export = ("corpus", "export-static", str(exported), "--prefixes", SLICE, "--listen", f"127.0.0.1:{port}")
    try:
        rewritten = invoke(*export, "--store", str(changed))
        assert b"sha1: 512 ranges (1 written, 511 unchanged)" in rewritten.stdout, rewritten.stdout
        third = invoke(*args)
        assert third.returncode == 0 and b"1 ranges changed, 511 unchanged" in third.stdout, third.stdout
        with Store.open(mirror, SHA1) as copy:
            assert copy.count(bytes.fromhex("001AB" + "7" * 35)) == 42
    finally:  # the served files go back to the module's store for the other tests
        invoke(*export, "--store", str(store))


def test_nginx_block_options_and_refusals(tmp_path: Path) -> None:
    from pwcheck.check.store_format import StoreError
    from pwcheck.corpus.static import nginx_config

    assert "gzip on;" in nginx_config(tmp_path) and "gzip off;" in nginx_config(tmp_path, gzip=False)
    assert "listen [::1]:8443;" in nginx_config(tmp_path, "[::1]:8443")
    for listen in ("80; include /etc/passwd", "80\nroot /"):
        with pytest.raises(StoreError):
            nginx_config(tmp_path, listen)
    with pytest.raises(StoreError):
        nginx_config(tmp_path / "a;b")


def test_a_corrupt_bucket_stops_the_export_with_exit_2(tmp_path: Path) -> None:
    entries = cg.corpus(2_000)
    import_corpus(cg.write_single_file(entries, tmp_path / "sha1.txt"), tmp_path / "store")
    victim = min(entries, key=lambda digest: digest[:3])  # the first occupied range of the export
    cg.flip_record_bit(tmp_path / "store", victim)
    result = invoke("corpus", "export-static", str(tmp_path / "www"), "--store", str(tmp_path / "store"),
                    "--prefixes", "00000-000FF")
    assert result.returncode == 2 and b"fails its checksum" in result.stderr
    assert victim.hex().upper()[5:].encode() not in result.stderr  # never a hash, nor its suffix
    assert not (tmp_path / "www" / "range" / victim.hex().upper()[:5]).exists()  # no wrong file written
