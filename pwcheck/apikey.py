"""pwcheck's own secret: the HIBP API key, kept in the OS keychain through `keyring`.

Never in a config file, never on the command line, never printed: it is read at a hidden
prompt or from stdin, stored under service `pwcheck`, name `hibp-api-key`, and only ever
sent in the `hibp-api-key` header of account checks. Messages name exception types, not
their text (a backend's message could quote what it was given).
"""

from __future__ import annotations

import sys

from pwcheck.analyse.findings import EXIT_INPUT_ERROR
from pwcheck.ui import error_line

SERVICE = "pwcheck"
KEY_NAME = "hibp-api-key"
EXIT_KEYCHAIN = EXIT_INPUT_ERROR


def read_api_key() -> tuple[str | None, str | None]:
    """(key, problem): no key and no problem when none is stored or there is no keychain."""
    try:
        import keyring
        from keyring.errors import NoKeyringError

        try:
            return keyring.get_password(SERVICE, KEY_NAME) or None, None
        except NoKeyringError:
            return None, None
    except Exception as exc:  # noqa: BLE001 - any backend failure means "no account checks", said once
        return None, f"account checks off: could not read the HIBP API key from the keychain ({type(exc).__name__})"


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
        import keyring

        keyring.set_password(SERVICE, KEY_NAME, key)
    except Exception as exc:  # noqa: BLE001
        error_line(f"could not store the key in the keychain ({type(exc).__name__})")
        return EXIT_KEYCHAIN
    del key
    error_line("HIBP API key stored in the keychain; audits now check e-mail usernames against breachedaccount")
    return 0


def run_delete_api_key() -> int:
    """Remove the stored key; exit 0 whether or not one was stored, 2 when the keychain fails."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, KEY_NAME)
        except PasswordDeleteError:
            error_line("no HIBP API key was stored")
            return 0
    except Exception as exc:  # noqa: BLE001
        error_line(f"could not reach the keychain ({type(exc).__name__})")
        return EXIT_KEYCHAIN
    error_line("HIBP API key deleted; account checks are off")
    return 0
