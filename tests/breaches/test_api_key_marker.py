"""The account-checks marker: the keychain is asked only when a key was (or may have been) stored."""

from __future__ import annotations

import stat

import pytest

from pwcheck.breaches import api_key
from pwcheck.system.secrets_store import SecretStoreError

KEY = "0123456789abcdef0123456789abcdef"


class FakeKeychain:
    def __init__(self, key: str | None = None, available: bool = True) -> None:
        self.key, self.available, self.reads = key, available, 0

    def get(self, name: str) -> str | None:
        self.reads += 1
        if not self.available:
            raise SecretStoreError("cannot read 'hibp-api-key' in the keychain (pwcheck): no OS keychain is available")
        return self.key

    def set(self, name: str, value: str) -> None:
        self.key = value

    def delete(self, name: str) -> bool:
        had, self.key = self.key is not None, None
        return had


@pytest.fixture
def keychain(monkeypatch: pytest.MonkeyPatch) -> FakeKeychain:
    fake = FakeKeychain()
    monkeypatch.setattr(api_key, "get_secret", fake.get)
    monkeypatch.setattr(api_key, "set_secret", fake.set)
    monkeypatch.setattr(api_key, "delete_secret", fake.delete)
    return fake


def test_after_delete_no_audit_asks_the_keychain(keychain: FakeKeychain) -> None:
    api_key.store_api_key(KEY)
    assert api_key.recorded() is True and api_key.read_api_key() == KEY
    assert stat.S_IMODE(api_key.marker_path().stat().st_mode) == 0o600
    assert KEY not in api_key.marker_path().read_text()  # the marker never holds the key
    assert api_key.delete_api_key() is True
    reads = keychain.reads
    assert api_key.read_api_key() is None and keychain.reads == reads


def test_a_key_stored_before_the_marker_is_found_once_and_remembered(keychain: FakeKeychain) -> None:
    keychain.key = KEY  # stored by a version without the marker
    assert api_key.recorded() is None
    assert api_key.read_api_key() == KEY
    assert api_key.recorded() is True


def test_no_key_is_remembered_as_off_and_not_asked_again(keychain: FakeKeychain) -> None:
    assert api_key.read_api_key() is None and keychain.reads == 1
    assert api_key.recorded() is False
    assert api_key.read_api_key() is None and keychain.reads == 1


def test_no_keychain_at_all_records_nothing(keychain: FakeKeychain) -> None:
    keychain.available = False  # e.g. a cron job without a session: a desktop run may still find a key
    assert api_key.read_api_key() is None
    assert api_key.recorded() is None


def test_a_key_removed_behind_pwchecks_back_is_said(keychain: FakeKeychain) -> None:
    api_key.store_api_key(KEY)
    keychain.key = None
    with pytest.raises(SecretStoreError, match="no longer in the keychain"):
        api_key.read_api_key()


def test_storing_over_an_off_marker_turns_it_on(keychain: FakeKeychain) -> None:
    api_key.delete_api_key()
    assert api_key.recorded() is False
    api_key.store_api_key(KEY)
    assert api_key.recorded() is True and api_key.read_api_key() == KEY


def test_set_up_account_checks_without_a_keychain_are_said(keychain: FakeKeychain) -> None:
    api_key.store_api_key(KEY)
    keychain.available = False  # a timer run outside the desktop session
    with pytest.raises(SecretStoreError, match="no OS keychain"):
        api_key.read_api_key()
