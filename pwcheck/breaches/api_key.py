"""The HIBP API key: read, store and delete it in the OS keychain (`pwcheck.system.secrets_store`).

Never in a config file, never on the command line, never printed: the key is read at a
hidden prompt or from stdin (`pwcheck config set-api-key`), stored as
`secrets_store.HIBP_API_KEY` (service `pwcheck`), and only ever sent in the
`hibp-api-key` header of account checks.
"""

from __future__ import annotations

from pwcheck.model.errors import UsageError
from pwcheck.system.secrets_store import HIBP_API_KEY, SecretStoreError, delete_secret, get_secret, set_secret


def read_api_key() -> str | None:
    """The stored key, or None when none is stored or there is no keychain at all.

    A keychain that exists but fails raises its `SecretStoreError`.
    """
    try:
        return get_secret(HIBP_API_KEY) or None
    except SecretStoreError as exc:
        if "no OS keychain is available" in str(exc):
            return None  # nowhere a key could have been stored: account checks are simply off
        raise


def store_api_key(key: str) -> None:
    """Store `key`; `UsageError` when it cannot be a key, `SecretStoreError` when the keychain fails."""
    if not (0 < len(key) <= 256 and key.isascii() and key.isprintable() and not any(c.isspace() for c in key)):
        raise UsageError("that is not an API key (empty, too long, or has spaces or control characters)")
    set_secret(HIBP_API_KEY, key)


def delete_api_key() -> bool:
    """Remove the stored key; whether one was stored (`SecretStoreError` when the keychain fails)."""
    return delete_secret(HIBP_API_KEY)
