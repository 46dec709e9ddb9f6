"""A Chromium profile read in place: real Chromium's `Login Data`, v10 and v11 values, a real gnome-keyring.

The profiles come from `tests/support/chromium_profile.py` (the real Debian Chromium made
the database; logins written in as Chromium encrypts them). Expected hashes are literal
SHA-1s computed with `printf %s '...' | sha1sum` when the test was written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import Note, SourceEvent
from pwcheck.sources import browser_chromium as bc
from tests.support.chromium_profile import (
    CHROMIUM_ARGS,
    KEYRING_ATTRIBUTES,
    KEYRING_LABEL,
    SAFE_STORAGE_SECRET,
    chromium_keyring,
    stop,
)
from tests.support.secretservice import PrivateBus, SecretService, short_tempdir

ALPHA = "2a7e660aff0b7ec89427f51ac0e6ba3224878886"  # pw-Plain-Alpha-1
CAFE_NFD = "c7d3472639b13bba287417e78ba6ca84ce8b850b"  # pw-cafe\u0301-Hotel-8 (decomposed: exact bytes)
SPACED = "efd7897727576f53ce1faccf1285611531a7fa40"  # "  pw-spaced-Echo-5  " (not trimmed)
NEWLINE = "1dc1c2f1bcfaf2371dfaca23c3c7792d9f356aee"  # pw\nnewline\r\nDelta-4
UMLAUT = "f0e3b4dee50336e97a9056a65167bbcf5e5d4c3c"  # pw-Grüße-Foxtrot-6
EMOJI = "23b39679923f819ca8eed91d391c70936c412da3"  # pw-🔥-Golf-7

# (title, url, other urls, username, sha1, change time, change kind)
DEFAULT_V10 = [
    ("accounts.example.com", "https://accounts.example.com/login", (), "alice", ALPHA, "2021-03-04T05:06:07+00:00", "password"),
    ("forum.example.com", "https://forum.example.com/", (), None, NEWLINE, None, None),
]
DEFAULT_V11 = [
    ("shop.example.org", "https://shop.example.org/", (), "bob@example.org", CAFE_NFD, "2022-01-02T03:04:05+00:00", "password"),
    # Chrome 130+ style: a SHA-256 of the host before the plaintext, stripped
    ("mail.example.net", "https://mail.example.net/", (), "carol", SPACED, "2023-06-07T08:09:10+00:00", "password"),
]
DEFAULT_SKIPPED = ["never-save entry (no password)", "federated sign-in (no password stored)"]


def shape(credential: Credential) -> tuple[object, ...]:
    changed = credential.password_changed.isoformat() if credential.password_changed else None
    return (credential.title, credential.url, credential.other_urls, credential.username, credential.sha1.hex(), changed,
            credential.changed_kind)


def read(profile: Path, source: str = "chromium:test") -> list[SourceEvent]:
    return list(bc.read_profile(profile, source, "chromium", lambda label: pytest.fail("nothing is asked")))


def split(events: list[SourceEvent]) -> tuple[list[tuple[object, ...]], list[str], list[str]]:
    credentials = [shape(e) for e in events if isinstance(e, Credential)]
    skipped = [e.reason for e in events if isinstance(e, Skipped)]
    errors = [e.message for e in events if isinstance(e, InputError)]
    return sorted(credentials, key=str), skipped, errors


@pytest.fixture(scope="module")
def keyring() -> Iterator[SecretService]:
    with chromium_keyring("pwc") as service:
        yield service


@pytest.fixture
def on_keyring(keyring: SecretService, monkeypatch: pytest.MonkeyPatch) -> SecretService:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", keyring.bus.address)
    return keyring


def test_profiles_are_found_default_first(chromium_user_data: Path) -> None:
    assert bc.profile_dirs(chromium_user_data) == [
        ("Default", chromium_user_data / "Default"), ("Old", chromium_user_data / "Old"),
        ("Profile 2", chromium_user_data / "Profile 2"),
    ]
    assert bc.profile_dirs(chromium_user_data / "Default") == [("Default", chromium_user_data / "Default")]  # Opera's layout


def test_logins_counted_without_any_key(chromium_user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert bc.count_logins(chromium_user_data / "Default") == 5  # 6 rows, one a never-save entry
    assert bc.count_logins(chromium_user_data / "Profile 2") == 4
    assert bc.count_logins(chromium_user_data / "Old") == 4


def test_v10_and_v11_read_exactly(chromium_user_data: Path, on_keyring: SecretService) -> None:
    credentials, skipped, errors = split(read(chromium_user_data / "Default"))
    assert credentials == sorted(DEFAULT_V10 + DEFAULT_V11, key=str)
    assert sorted(skipped) == sorted(DEFAULT_SKIPPED)
    assert errors == []


def test_v11_without_secret_service_is_not_read_and_said(chromium_user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bus with no Secret Service: the v10 logins are read, the two v11 ones are one error with their count."""
    root = short_tempdir("pwb")
    bus = PrivateBus(root / "bus").start()
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        credentials, skipped, errors = split(read(chromium_user_data / "Default"))
    finally:
        bus.stop()
        shutil.rmtree(root, ignore_errors=True)
    assert credentials == sorted(DEFAULT_V10, key=str)
    assert len(errors) == 1 and errors[0].startswith("2 saved password(s) not read: the 'Chromium Safe Storage' key could not")
    assert "no Secret Service on the session bus" in errors[0]


def test_v11_with_the_key_in_a_locked_keyring(chromium_user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key exists but its keyring is locked: never unlocked, never a prompt; said, with the count."""
    import secretstorage

    root = short_tempdir("pwl")
    maker = SecretService(root / "make", password="a-password-no-test-knows").start()
    try:
        connection = _connect(maker.bus.address)
        collection = secretstorage.Collection(connection, "/org/freedesktop/secrets/collection/login")
        collection.create_item(KEYRING_LABEL, KEYRING_ATTRIBUTES, SAFE_STORAGE_SECRET)
        connection.close()
    finally:
        maker.stop()
    service = SecretService(root / "svc", extra_keyrings={"chrome": maker.keyrings_dir / "login.keyring"}).start()
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus.address)
        credentials, _, errors = split(read(chromium_user_data / "Default"))
    finally:
        service.stop()
        shutil.rmtree(root, ignore_errors=True)
    assert credentials == sorted(DEFAULT_V10, key=str)
    assert len(errors) == 1 and errors[0].startswith("2 saved password(s) not read:")
    assert "locked: unlock it in your keyring app, then rerun" in errors[0]


def _connect(address: str):  # type: ignore[no-untyped-def]
    from jeepney.io.blocking import open_dbus_connection

    return open_dbus_connection(address)


def test_values_that_cannot_be_read_exactly_are_errors(chromium_user_data: Path, on_keyring: SecretService) -> None:
    credentials, skipped, errors = split(read(chromium_user_data / "Profile 2"))
    assert credentials == [("ok.example.com", "https://ok.example.com/", (), "frank", EMOJI, "2024-01-01T00:00:00+00:00",
                            "password")]
    assert skipped == []
    assert errors[:2] == [
        "login 3: the decrypted password is not UTF-8 text (what Chromium writes): not read",
        "login 4: decryption failed (wrong key: was the browser's keyring entry replaced?)",
    ]
    assert len(errors) == 3 and errors[2].startswith("1 saved password(s) use Chrome's app-bound encryption (v20)")
    assert "Export passwords" in errors[2]


def test_older_schema(chromium_user_data: Path) -> None:
    """Chromium's own v28 test schema: no date_password_modified, so no change time; its rows have no password."""
    credentials, skipped, errors = split(read(chromium_user_data / "Old"))
    assert credentials == [("old.example.com", "https://old.example.com/", (), "dave", UMLAUT, None, None)]
    assert skipped == ["empty password"] * 3
    assert errors == []
    notes = [e.message for e in read(chromium_user_data / "Old") if isinstance(e, Note)]
    assert notes == ["3 item(s) skipped: 3 empty password"]


def _state(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir() if p.is_file()}


def test_reading_changes_nothing(chromium_user_data: Path, on_keyring: SecretService) -> None:
    profile = chromium_user_data / "Default"
    before = _state(profile)
    assert len(read(profile)) == 7
    bc.count_logins(profile)
    assert _state(profile) == before  # same files, same bytes, same times: no journal, no -shm, no lock file


def test_a_reader_holds_no_lock_a_writer_would_wait_for(chromium_user_data: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Mid-read, with the reader's statement open, the browser can still take its exclusive write lock at once."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    profile = tmp_path / "Default"
    shutil.copytree(chromium_user_data / "Default", profile)
    events = bc.read_profile(profile, "chromium:copy", "chromium", lambda label: "")
    first = next(iter(events))
    assert isinstance(first, Credential)
    writer = sqlite3.connect(profile / "Login Data", timeout=0)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("ROLLBACK")
    writer.close()
    rest = list(events)
    assert sum(isinstance(e, Credential) for e in rest) == 1  # the other v10 login


def test_a_write_during_the_read_is_an_error(chromium_user_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    profile = tmp_path / "Default"
    shutil.copytree(chromium_user_data / "Default", profile)
    events = iter(bc.read_profile(profile, "chromium:copy", "chromium", lambda label: ""))
    next(events)
    writer = sqlite3.connect(profile / "Login Data")
    writer.execute("UPDATE logins SET times_used = times_used + 1")
    writer.commit()
    writer.close()
    with pytest.raises(InputError, match="changed while it was read"):
        list(events)


def test_a_running_chromium_is_neither_blocked_nor_disturbed(chromium_user_data: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    user_data = tmp_path / "running"
    shutil.copytree(chromium_user_data, user_data, ignore=shutil.ignore_patterns("Singleton*"))
    binary = shutil.which("chromium") or "chromium"
    process = subprocess.Popen([binary, *CHROMIUM_ARGS, f"--user-data-dir={user_data}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"})
    try:
        deadline = time.monotonic() + 60
        while not (user_data / "SingletonLock").is_symlink() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (user_data / "SingletonLock").is_symlink(), "chromium did not start"
        time.sleep(2)  # past its start-up writes
        started = time.monotonic()
        events = read(user_data / "Default")
        assert time.monotonic() - started < 10
        assert process.poll() is None, "chromium stopped while the profile was read"
    finally:
        stop(process)
    credentials = [shape(e) for e in events if isinstance(e, Credential)]
    assert ("accounts.example.com", "https://accounts.example.com/login", (), "alice", ALPHA, "2021-03-04T05:06:07+00:00",
            "password") in credentials


def test_not_a_profile(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no 'Login Data' here"):
        read(tmp_path)
    (tmp_path / "Login Data").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InputError, match="not a readable SQLite database"):
        read(tmp_path)
