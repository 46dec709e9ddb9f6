"""The directories' OpenPGP signatures, checked with the real gpgv against a key made by the real gpg.

The key is made once per session in a private GNUPGHOME (ed25519, no passphrase); the
lists are the real published shapes (tests/fixtures/directories/), served with their `.sig`
by the loopback server. A list is used only when its signature verifies with the key the
person named: a signature over other bytes, by another key, or missing leaves the list
unavailable (or its verified cached copy in use), and is said in the report's words.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pwcheck.lists.fetch import ListSettings, cache_path, load_list
from pwcheck.lists.gather import DirectorySettings, load_directories
from pwcheck.lists.signature import dearmor, load_key
from pwcheck.lists.twofactor import parse_twofactor
from pwcheck.model.errors import UsageError
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

DIRECTORIES = Path(__file__).resolve().parents[1] / "fixtures" / "directories"
TOTP = (DIRECTORIES / "totp.json").read_bytes()
SUPPORTED = (DIRECTORIES / "supported.json").read_bytes()
NOW = datetime(2026, 1, 10, tzinfo=timezone.utc)

pytestmark = pytest.mark.skipif(shutil.which("gpg") is None or shutil.which("gpgv") is None, reason="needs GnuPG")


class Signer:
    """One real gpg key in a private home: signs bytes, exports the public key."""

    def __init__(self, home: Path, name: str) -> None:
        self.home = home
        home.mkdir(mode=0o700)
        self._gpg("--quick-gen-key", f"{name} <{name}@example.org>", "ed25519", "sign", "never")
        self.armoured = self._gpg("--export", "--armor")
        self.binary = self._gpg("--export")
        self.fingerprint = self._gpg("--with-colons", "--list-keys").decode().split("fpr:::::::::")[1].split(":")[0]

    def _gpg(self, *args: str, data: bytes | None = None) -> bytes:
        env = {**os.environ, "GNUPGHOME": str(self.home)}
        done = subprocess.run(["gpg", "--batch", "--quiet", "--passphrase", "", "--pinentry-mode", "loopback", *args],
                              input=data, capture_output=True, env=env, check=True, timeout=60)
        return done.stdout

    def sign(self, data: bytes, armour: bool = False) -> bytes:
        return self._gpg("--detach-sign", *(["--armor"] if armour else []), "-o", "-", data=data)


@pytest.fixture(scope="module")
def signers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Signer, Signer]:
    base = tmp_path_factory.mktemp("gnupg")
    return Signer(base / "directory", "directory"), Signer(base / "stranger", "stranger")


@pytest.fixture
def key_file(signers: tuple[Signer, Signer], tmp_path: Path) -> Path:
    path = tmp_path / "directory.asc"
    path.write_bytes(signers[0].armoured)
    return path


@pytest.fixture
def server(range_server: RangeServer, signers: tuple[Signer, Signer]) -> RangeServer:
    signer = signers[0]
    range_server.directories = {
        "totp.json": TOTP, "totp.json.sig": signer.sign(TOTP),
        "supported.json": SUPPORTED, "supported.json.sig": signer.sign(SUPPORTED, armour=True),
    }
    return range_server


def settings(server: RangeServer, key_file: Path, **overrides: object) -> DirectorySettings:
    values: dict[str, object] = dict(
        twofactor_url=server.directory_url("totp.json"), passkeys_url=server.directory_url("supported.json"), timeout=5.0,
        signing_key=load_key(key_file),
    )
    values.update(overrides)
    return DirectorySettings(**values)  # type: ignore[arg-type]


def test_signed_lists_are_used_and_the_report_says_verified_by_whom(
    server: RangeServer, key_file: Path, signers: tuple[Signer, Signer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    directories = load_directories(settings(server, key_file), now=NOW)
    assert directories.twofactor.available and directories.passkeys.available  # binary and armoured .sig
    short = signers[0].fingerprint[-16:]
    assert directories.twofactor.note == (
        f"4 sites from {server.directory_url('totp.json')} (downloaded); OpenPGP signature verified (key {short})")
    assert sorted(r.path_qs for r in server.requests_to("/directories/")) == [
        "/directories/supported.json", "/directories/supported.json.sig", "/directories/totp.json", "/directories/totp.json.sig"]
    # Revalidated with a 304: the verified copy stands, and no signature is fetched again.
    count = len(server.requests)
    again = load_directories(settings(server, key_file), now=NOW + timedelta(hours=1))
    assert again.twofactor.note.endswith(f"(unchanged since the cached copy); OpenPGP signature verified (key {short})")
    assert [r.path_qs for r in server.requests[count:]] == ["/directories/totp.json", "/directories/supported.json"] or \
        sorted(r.path_qs for r in server.requests[count:]) == ["/directories/supported.json", "/directories/totp.json"]


@pytest.mark.parametrize("case, words", [
    ("other bytes", "the signature does not match the list"),
    ("other key", "signed with another key"),
    ("no sig", "no OpenPGP signature beside it (HTTP 404 for .sig)"),
    ("garbage", "not a valid OpenPGP signature"),
])
def test_a_signature_that_does_not_verify_leaves_the_list_unused(
    server: RangeServer, key_file: Path, signers: tuple[Signer, Signer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    case: str, words: str,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if case == "other bytes":
        server.directories["totp.json.sig"] = signers[0].sign(TOTP + b" ")
    elif case == "other key":
        server.directories["totp.json.sig"] = signers[1].sign(TOTP)
    elif case == "no sig":
        del server.directories["totp.json.sig"]
    else:
        server.directories["totp.json.sig"] = b"-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n"
    directories = load_directories(settings(server, key_file), now=NOW)
    assert not directories.twofactor.available and directories.twofactor.sites == []
    assert directories.twofactor.note == (
        f"unavailable ({server.directory_url('totp.json')} could not be fetched: "
        + (f"OpenPGP signature does not verify with {key_file}: {words}" if case != "no sig" else words)
        + "; no cached copy): two-factor availability unknown")
    assert directories.passkeys.available  # the other list is signed well
    assert not list((tmp_path / "cache").rglob("twofactor-*"))  # nothing unverified was kept


def test_the_verified_cached_copy_stands_in_and_an_unverified_one_never_does(
    server: RangeServer, key_file: Path, signers: tuple[Signer, Signer], tmp_path: Path,
) -> None:
    base = dict(url=server.directory_url("totp.json"), name="twofactor", what="the 2FA Directory", cache_dir=tmp_path / "c",
                timeout=5.0)
    # A copy cached without a key is not trusted once a key is named: not used, not revalidated.
    unsigned = load_list(ListSettings(**base), parse_twofactor, NOW)  # type: ignore[arg-type]
    assert unsigned.status == "downloaded" and unsigned.signed_by is None
    server.directories["totp.json.sig"] = signers[1].sign(TOTP)
    keyed = ListSettings(**base, signing_key=load_key(key_file))  # type: ignore[arg-type]
    refused = load_list(keyed, parse_twofactor, NOW)
    assert refused.value is None and "signed with another key" in (refused.reason or "")
    assert "If-None-Match" not in server.requests_to("/directories/totp.json")[-1].headers
    # Signed well: stored with who signed it; later tampering leaves that copy in use, with the reason.
    server.directories["totp.json.sig"] = signers[0].sign(TOTP)
    good = load_list(keyed, parse_twofactor, NOW)
    assert good.status == "downloaded" and good.signed_by == signers[0].fingerprint
    path = cache_path(keyed)
    assert path is not None and json.loads(path.read_text())["signed_by"] == signers[0].fingerprint
    server.directories["totp.json"] = TOTP.replace(b"GitHub", b"GitHuh")
    tampered = load_list(keyed, parse_twofactor, NOW + timedelta(days=1))
    assert tampered.status == "cached" and tampered.value == good.value and tampered.signed_by == signers[0].fingerprint
    assert "the signature does not match the list" in (tampered.reason or "")


def test_a_key_file_that_is_no_key_is_a_usage_error(tmp_path: Path, signers: tuple[Signer, Signer]) -> None:
    assert dearmor(signers[0].armoured) == signers[0].binary
    binary = tmp_path / "key.gpg"
    binary.write_bytes(signers[0].binary)
    assert load_key(binary).packets == signers[0].binary
    for name, content in (("empty", b""), ("text", b"not a key\n"), ("json", TOTP)):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(UsageError, match="not an OpenPGP public key"):
            load_key(path)
    with pytest.raises(UsageError, match="cannot read"):
        load_key(tmp_path / "missing.asc")


def test_the_command_line_refuses_a_bad_key_before_reading_anything(range_server: RangeServer, tmp_path: Path) -> None:
    export = tmp_path / "chrome.csv"
    export.write_text("name,url,username,password\nx,https://x.example,u,pw-1\n")
    result = invoke("audit", str(export), "--api-url", range_server.url, "--no-breaches",
                    "--directories-key", str(tmp_path / "missing.asc"))
    assert result.returncode == 2, result.stderr
    assert b"--directories-key" in result.stderr and b"cannot read" in result.stderr
    assert not range_server.requests  # refused before any request


def test_without_gpgv_a_named_key_means_unverified_lists_are_not_used(
    server: RangeServer, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    directories = load_directories(settings(server, key_file), now=NOW)
    assert not directories.twofactor.available
    assert "gpgv (GnuPG) is not installed, so the signature cannot be checked" in directories.twofactor.note
