"""Chromium's value encryption on the platforms this CI cannot run: macOS and Windows, with constructed data.

Labelled plainly: the macOS key comes from a fake `security` runner and the Windows key
from a fake DPAPI (identity); neither is run against a real keychain or real DPAPI here.
The ciphers themselves are real (`cryptography`), and the values are built independently
with it, the way Chrome writes them.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from pwcheck.model.credential import Credential
from pwcheck.model.errors import InputError
from pwcheck.sources import browser_chromium as bc
from pwcheck.sources import chromium_crypto as cc

GCM_KEY = bytes(range(32))
PASSWORD = "pw-Plain-Alpha-1"
PASSWORD_SHA1 = "2a7e660aff0b7ec89427f51ac0e6ba3224878886"


def gcm_value(plain: bytes, prefix: bytes = b"v10", nonce: bytes = b"\x07" * 12) -> bytes:
    return prefix + nonce + AESGCM(GCM_KEY).encrypt(nonce, plain, None)


def local_state() -> dict[str, object]:
    return {"os_crypt": {"encrypted_key": base64.b64encode(b"DPAPI" + GCM_KEY).decode()}}


def windows(state: object = None) -> cc.WindowsDecryptor:
    """A fake DPAPI (returns what it is given): labelled, not real Windows."""
    return cc.WindowsDecryptor(lambda: cc.windows_state_key(local_state() if state is None else state, lambda b: b),
                               lambda b: b)


def test_windows_gcm_value_with_the_local_state_key() -> None:
    assert windows().decrypt(gcm_value(PASSWORD.encode())) == PASSWORD.encode()
    assert windows().decrypt(gcm_value(PASSWORD.encode(), b"v11")) == PASSWORD.encode()


def test_windows_tampered_gcm_value_is_unreadable() -> None:
    value = bytearray(gcm_value(PASSWORD.encode()))
    value[-1] ^= 1
    with pytest.raises(cc.Unreadable, match="authentication tag"):
        windows().decrypt(bytes(value))


def test_windows_app_bound_is_counted_apart() -> None:
    with pytest.raises(cc.AppBound):
        windows().decrypt(gcm_value(b"whatever", b"v20"))


@pytest.mark.parametrize("state,problem", [
    ({}, "no os_crypt.encrypted_key"),
    ({"os_crypt": {"encrypted_key": 7}}, "no os_crypt.encrypted_key"),
    ({"os_crypt": {"encrypted_key": "%%%"}}, "not base64"),
    ({"os_crypt": {"encrypted_key": base64.b64encode(b"XXXXX" + GCM_KEY).decode()}}, "not DPAPI"),
    ({"os_crypt": {"encrypted_key": base64.b64encode(b"DPAPI" + b"short").decode()}}, "not an AES-256 key"),
    ([1, 2], "no os_crypt.encrypted_key"),
])
def test_windows_hostile_local_state(state: object, problem: str) -> None:
    with pytest.raises(cc.KeyUnavailable, match=problem):
        windows(state).decrypt(gcm_value(b"x"))


def test_macos_key_from_a_fake_security_runner() -> None:
    """Not a real keychain: a stand-in for `security find-generic-password -w`, checked for the exact arguments."""
    calls: list[list[str]] = []

    def runner(args: list[str]) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, b"bWFjLXNhZmUtc3RvcmFnZQ==\n", b"")

    key = PBKDF2HMAC(algorithm=hashes.SHA1(), length=16, salt=b"saltysalt", iterations=1003).derive(b"bWFjLXNhZmUtc3RvcmFnZQ==")
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(b" " * 16)).encryptor()
    value = b"v10" + encryptor.update(padder.update(PASSWORD.encode()) + padder.finalize()) + encryptor.finalize()
    decryptor = cc.MacDecryptor(lambda: cc.macos_keychain_password("Chrome Safe Storage", "Chrome", runner))
    assert decryptor.decrypt(value) == PASSWORD.encode()
    assert decryptor.decrypt(value) == PASSWORD.encode()
    assert calls == [["security", "find-generic-password", "-w", "-s", "Chrome Safe Storage", "-a", "Chrome"]]  # asked once


def test_macos_refused_prompt_is_key_unavailable_once() -> None:
    calls = []

    def runner(args: list[str]) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 51, b"", b"User interaction is not allowed.")

    decryptor = cc.MacDecryptor(lambda: cc.macos_keychain_password("Chrome Safe Storage", "Chrome", runner))
    for _ in range(3):
        with pytest.raises(cc.KeyUnavailable, match="no 'Chrome Safe Storage' item"):
            decryptor.decrypt(b"v10" + bytes(16))
    assert len(calls) == 1  # a refused prompt is not asked again per row


def test_decryptor_per_platform() -> None:
    assert isinstance(bc.decryptor_for("chrome", Path("."), "darwin"), cc.MacDecryptor)
    assert isinstance(bc.decryptor_for("edge", Path("."), "win32"), cc.WindowsDecryptor)
    assert isinstance(bc.decryptor_for("brave", Path("."), "linux"), cc.LinuxDecryptor)


def test_host_hash_stripped_only_when_it_is_the_hash_of_the_host() -> None:
    digest = hashlib.sha256(b"example.com").digest()
    assert bc._without_host_hash(digest + b"pw", "https://example.com/login", None) == b"pw"
    other = hashlib.sha256(b"example.org").digest()
    assert bc._without_host_hash(other + b"pw", "https://example.com/login", None) == other + b"pw"
    long_password = b"x" * 40
    assert bc._without_host_hash(long_password, "https://example.com/", None) == long_password


SCHEMA = ("CREATE TABLE logins (origin_url VARCHAR NOT NULL, username_value VARCHAR, password_value BLOB, "
          "signon_realm VARCHAR NOT NULL, blacklisted_by_user INTEGER NOT NULL, date_password_modified INTEGER)")


def hostile_profile(tmp_path: Path, rows: list[tuple[object, ...]], schema: str = SCHEMA) -> Path:
    connection = sqlite3.connect(tmp_path / "Login Data")
    connection.execute(schema)
    for row in rows:
        connection.execute("INSERT INTO logins VALUES (?, ?, ?, ?, ?, ?)", row)
    connection.commit()
    connection.close()
    return tmp_path


def events(profile: Path) -> list[object]:
    return list(bc.read_profile(profile, "chromium:x", "chromium", lambda label: ""))


def v10(plain: bytes) -> bytes:
    key = PBKDF2HMAC(algorithm=hashes.SHA1(), length=16, salt=b"saltysalt", iterations=1).derive(b"peanuts")
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(b" " * 16)).encryptor()
    return b"v10" + encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()


def test_hostile_field_types_are_errors_not_guesses(tmp_path: Path) -> None:
    profile = hostile_profile(tmp_path, [
        ("https://a.example.com/", b"\x00blob", v10(PASSWORD.encode()), "https://a.example.com/", 0, 0),
        ("https://b.example.com/", "bob", "text, not a blob", "https://b.example.com/", 0, 0),
        ("https://c.example.com/", "carol", v10(b"x" * 70_000), "https://c.example.com/", 0, 0),
        ("https://d.example.com/", "dave", v10(PASSWORD.encode()), "https://d.example.com/", "no", 0),
        ("https://e.example.com/", "erin", v10(PASSWORD.encode()), "https://e.example.com/", 0, 13_300_000_000_000_000),
    ])
    found = events(profile)
    errors = [e.message for e in found if isinstance(e, InputError)]
    assert errors == [
        "login 1: username_value is not of the type Chromium writes",
        "login 2: password_value is not encrypted data",
        "login 3: a field is larger than 65536 bytes, which Chromium never writes",
        "login 4: blacklisted_by_user is not of the type Chromium writes",
    ]
    (credential,) = [e for e in found if isinstance(e, Credential)]
    assert (credential.username, credential.sha1.hex()) == ("erin", PASSWORD_SHA1)
    assert credential.password_changed is not None and credential.password_changed.isoformat() == "2022-06-18T04:26:40+00:00"  # date -u -d @$((13300000000-11644473600))


def test_a_view_or_a_table_without_the_columns_is_refused(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "Login Data")
    connection.execute("CREATE VIEW logins AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n")
    connection.close()
    with pytest.raises(InputError, match="no logins table as Chromium writes it"):
        events(tmp_path)


def test_a_pending_journal_is_refused(tmp_path: Path) -> None:
    profile = hostile_profile(tmp_path, [("https://a.example.com/", "a", v10(b"pw-x"), "https://a.example.com/", 0, 0)])
    (profile / "Login Data-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    with pytest.raises(InputError, match="the browser is writing it"):
        events(profile)


def test_the_local_state_file_is_read_as_json_and_a_bad_one_is_a_missing_key(tmp_path: Path) -> None:
    """Windows' key lives in `Local State` beside the profile (read before only by a call that crashed)."""
    from pwcheck.sources.browser_chromium import _local_state
    from pwcheck.sources.chromium_crypto import KeyUnavailable

    profile = tmp_path / "Default"
    profile.mkdir()
    (tmp_path / "Local State").write_text('{"os_crypt": {"encrypted_key": "RFBBUEl4"}}')
    assert _local_state(profile) == {"os_crypt": {"encrypted_key": "RFBBUEl4"}}
    (tmp_path / "Local State").write_text("{not json")
    with pytest.raises(KeyUnavailable, match="Local State file cannot be read"):
        _local_state(profile)


def test_no_key_and_no_vault_output_in_a_repr() -> None:
    from pwcheck.sources.chromium_crypto import LinuxDecryptor
    from pwcheck.sources.vault_cli import Completed

    decryptor = LinuxDecryptor(lambda: b"keyring-secret-XYZ")
    decryptor._v11.get()  # noqa: SLF001 - fetch the key, then look for it in the repr
    assert decryptor._v11._key is not None  # noqa: SLF001
    assert decryptor._v11._key.hex() not in repr(decryptor) and "XYZ" not in repr(decryptor)  # noqa: SLF001
    assert "hunter2" not in repr(Completed(0, b'[{"password": "hunter2"}]', b"hunter2"))
