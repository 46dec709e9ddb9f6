"""The HIBP API key: read, store and delete it in the OS keychain (`pwcheck.system.secrets_store`).

Never in a config file, never on the command line, never printed: the key is read at a
hidden prompt or from stdin (`pwcheck config set-api-key`), stored as
`secrets_store.HIBP_API_KEY` (service `pwcheck`), and only ever sent in the
`hibp-api-key` header of account checks.

Whether a key was stored is remembered beside the config file, in a 0600 marker
(`account-checks`: `on` or `off`, never the key), so an audit resolves the keychain
(0.1-0.2 s of start-up: keyring, secretstorage, cryptography, a D-Bus round trip) only
when account checks were set up. No marker (a key stored by a version before the marker,
or a directory pwcheck cannot write) means "unknown": the keychain is asked, as before,
and the answer recorded, so a configured key is never skipped. A stale `on` (the key
removed from the keychain by hand) is said, not skipped silently.
"""

from __future__ import annotations

from pathlib import Path

from pwcheck.model.errors import UsageError
from pwcheck.system.secrets_store import HIBP_API_KEY, SecretStoreError, delete_secret, get_secret, set_secret

MARKER = "account-checks"


class KeyGone(SecretStoreError):
    """The marker says a key was stored, and the keychain no longer has it."""


def marker_path() -> Path:
    from pwcheck.system.dirs import config_dir

    return config_dir() / MARKER


def recorded() -> bool | None:
    """What the marker says: True (a key was stored), False (none), None (no marker: unknown)."""
    try:
        text = marker_path().read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return {"on": True, "off": False}.get(text)


def _record(stored: bool | None) -> None:
    """Best effort: a marker that cannot be written leaves "unknown", which asks the keychain."""
    from pwcheck.system.files import replace_private

    path = marker_path()
    try:
        if stored is None:
            path.unlink(missing_ok=True)
        else:
            replace_private(path, "on\n" if stored else "off\n")
    except OSError:
        pass


def read_api_key() -> str | None:
    """The stored key, or None when none is stored or there is no keychain at all.

    The keychain is not touched when the marker says no key was stored. A keychain that
    exists but fails raises its `SecretStoreError`, and so does a missing keychain when the
    marker says a key was stored; a key the marker promises and the keychain lacks raises
    `KeyGone` (account checks were set up: their end is said, never silent).
    """
    marker = recorded()
    if marker is False:
        return None
    try:
        key = get_secret(HIBP_API_KEY) or None
    except SecretStoreError as exc:
        if "no OS keychain is available" in str(exc) and marker is None:
            return None  # nowhere a key could have been stored: account checks are simply off
        raise  # (with the marker `on`, a missing keychain is said: account checks were set up)
    if marker is None:
        _record(key is not None)  # first audit since the marker: looked once, remembered
    elif key is None:
        raise KeyGone(
            "the HIBP API key stored with `pwcheck config set-api-key` is no longer in the keychain"
            " (store it again, or `pwcheck config delete-api-key` to turn account checks off)"
        )
    return key


def store_api_key(key: str) -> None:
    """Store `key`; `UsageError` when it cannot be a key, `SecretStoreError` when the keychain fails."""
    if not (0 < len(key) <= 256 and key.isascii() and key.isprintable() and not any(c.isspace() for c in key)):
        raise UsageError("that is not an API key (empty, too long, or has spaces or control characters)")
    _record(None)  # an `off` left behind must not outlive the key being stored (unknown asks the keychain)
    if recorded() is False:
        raise UsageError(f"cannot update {marker_path()}: remove it, then store the key again")
    set_secret(HIBP_API_KEY, key)
    _record(True)


def delete_api_key() -> bool:
    """Remove the stored key; whether one was stored (`SecretStoreError` when the keychain fails)."""
    deleted = delete_secret(HIBP_API_KEY)
    _record(False)
    return deleted
