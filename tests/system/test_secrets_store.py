"""pwcheck's own secrets in a real keychain (gnome-keyring through keyring), by name."""

from __future__ import annotations

import subprocess
from typing import Iterator

import pytest

from pwcheck.system import secrets_store
from pwcheck.system.secrets_store import SecretStoreError


@pytest.fixture
def real_keyring(secret_service_factory, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:  # type: ignore[no-untyped-def]
    import keyring
    from keyring.backends import SecretService as SecretServiceBackend

    service = secret_service_factory()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus.address)
    # keyring keeps its backend in a module global; monkeypatch puts the old one back.
    monkeypatch.setattr(keyring.core, "_keyring_backend", SecretServiceBackend.Keyring(), raising=False)
    yield service


def test_set_get_delete(real_keyring) -> None:  # type: ignore[no-untyped-def]
    assert secrets_store.get_secret("test-entry") is None
    secrets_store.set_secret("test-entry", "s3cr3t value ü")
    assert secrets_store.get_secret("test-entry") == "s3cr3t value ü"
    # Stored where other tools find it: service "pwcheck", username = the entry name.
    found = subprocess.run(
        ["secret-tool", "lookup", "service", "pwcheck", "username", "test-entry"],
        capture_output=True, env=real_keyring.full_env(), timeout=60, check=True,
    ).stdout
    assert found == "s3cr3t value ü".encode()
    secrets_store.set_secret("test-entry", "replaced")
    assert secrets_store.get_secret("test-entry") == "replaced"
    assert secrets_store.delete_secret("test-entry") is True
    assert secrets_store.get_secret("test-entry") is None
    assert secrets_store.delete_secret("test-entry") is False


def test_empty_secret_refused() -> None:
    with pytest.raises(SecretStoreError, match="refusing to store an empty secret"):
        secrets_store.set_secret("x", "")


def test_no_keychain_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring(), raising=False)
    with pytest.raises(SecretStoreError) as caught:
        secrets_store.get_secret(secrets_store.HIBP_API_KEY)
    assert str(caught.value) == (
        "cannot read 'hibp-api-key' in the keychain (pwcheck): no OS keychain is available (keyring found no usable backend)"
    )
