"""pwcheck's own secrets (an HIBP API key, a remembered database password) in the OS keychain.

Stored through `keyring` under the service name `pwcheck`, one entry per name, so no
config file ever holds a secret. Every feature that needs one goes through these three
functions; errors are one `SecretStoreError` line that names the entry and the backend,
never the secret. The keychain reader (`--keychain`) skips these entries: they are
pwcheck's keys, not the person's logins.
"""

from __future__ import annotations

from types import ModuleType

from pwcheck.model.errors import PwcheckError

SERVICE = "pwcheck"

# Entry names in use, so features do not collide.
HIBP_API_KEY = "hibp-api-key"


class SecretStoreError(PwcheckError):
    """The keychain could not store or return a secret (no backend, locked, refused)."""


def get_secret(name: str) -> str | None:
    """The secret stored under `name`, or None if there is none."""
    keyring = _keyring()
    try:
        value: str | None = keyring.get_password(SERVICE, name)
        return value
    except Exception as exc:  # noqa: BLE001 - keyring backends raise many types
        raise _error("read", name, exc) from None


def set_secret(name: str, value: str) -> None:
    """Store (or replace) the secret under `name`."""
    if not value:
        raise SecretStoreError(f"refusing to store an empty secret as {name!r}")
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, name, value)
    except Exception as exc:  # noqa: BLE001
        raise _error("store", name, exc) from None


def delete_secret(name: str) -> bool:
    """Remove the secret under `name`; False if there was none."""
    keyring = _keyring()
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return False
    except Exception as exc:  # noqa: BLE001
        raise _error("delete", name, exc) from None
    return True


def _keyring() -> ModuleType:
    import keyring

    return keyring


def _error(action: str, name: str, exc: Exception) -> SecretStoreError:
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(exc, NoKeyringError):
        reason = "no OS keychain is available (keyring found no usable backend)"
    elif isinstance(exc, KeyringLocked):
        reason = "the keychain is locked: unlock it in your keyring app, then rerun"
    else:
        reason = type(exc).__name__  # the message could quote what was being stored
    return SecretStoreError(f"cannot {action} {name!r} in the keychain ({SERVICE}): {reason}")
