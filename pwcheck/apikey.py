"""The HIBP API key commands and lookup, on top of `pwcheck.secrets_store` (the OS keychain).

Never in a config file, never on the command line, never printed: the key is read at a
hidden prompt or from stdin, stored as `secrets_store.HIBP_API_KEY` (service `pwcheck`),
and only ever sent in the `hibp-api-key` header of account checks.
"""

from __future__ import annotations

import sys

from pwcheck.analyse.findings import EXIT_INPUT_ERROR
from pwcheck.secrets_store import HIBP_API_KEY, SecretStoreError, delete_secret, get_secret, set_secret
from pwcheck.ui import error_line


def read_api_key() -> tuple[str | None, str | None]:
    """(key, problem): no key and no problem when none is stored or there is no keychain at all."""
    try:
        return get_secret(HIBP_API_KEY) or None, None
    except SecretStoreError as exc:
        if "no OS keychain is available" in str(exc):
            return None, None  # nowhere a key could have been stored: account checks are simply off
        return None, f"account checks off: {exc}"


def _valid(key: str) -> bool:
    return 0 < len(key) <= 256 and key.isascii() and key.isprintable() and not any(c.isspace() for c in key)


def run_set_api_key(from_stdin: bool) -> int:
    """Store the key read from stdin or a hidden prompt; exit 0 stored, 2 not (never prompts without a TTY)."""
    if from_stdin:
        key = sys.stdin.readline().strip()
    elif not sys.stdin.isatty():
        error_line("no terminal to prompt on: pipe the key with --stdin")
        return EXIT_INPUT_ERROR
    else:
        import click

        key = click.prompt("HIBP API key", hide_input=True, prompt_suffix=": ", err=True).strip()
    if not _valid(key):
        error_line("that is not an API key (empty, too long, or has spaces or control characters)")
        return EXIT_INPUT_ERROR
    try:
        set_secret(HIBP_API_KEY, key)
    except SecretStoreError as exc:
        error_line(str(exc))
        return EXIT_INPUT_ERROR
    error_line("HIBP API key stored in the keychain; audits now check e-mail usernames against breachedaccount")
    return 0


def run_delete_api_key() -> int:
    """Remove the stored key; exit 0 whether or not one was stored, 2 when the keychain fails."""
    try:
        deleted = delete_secret(HIBP_API_KEY)
    except SecretStoreError as exc:
        error_line(str(exc))
        return EXIT_INPUT_ERROR
    error_line("HIBP API key deleted; account checks are off" if deleted else "no HIBP API key was stored")
    return 0
