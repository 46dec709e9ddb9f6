"""What `pwcheck sources` finds on this machine: browser profiles (counted), a keychain, a pass store, vault CLIs.

Nothing is decrypted, unlocked or asked: profiles are counted from their databases'
row counts, the keychain is only looked for (on Linux: is a Secret Service on the
session bus), the pass store's entries are counted by file name, and each vault CLI is
only asked whether it is unlocked (`vault_cli.status`, which never unlocks or prompts). So the command
is safe to run at any time, and says which `pwcheck audit` options would read each.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from pwcheck.model.errors import InputError
from pwcheck.sources.browser import FoundProfile, installed_profiles

PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Presence:
    """Whether a store is there, in words, and how many entries it holds when that is known without decrypting."""

    present: bool
    detail: str
    entries: int | None = None


@dataclass(frozen=True)
class Inventory:
    profiles: list[FoundProfile]
    keychain: Presence
    pass_store: Presence
    vaults: list[tuple[str, str, str]]  # (source name, its state in words, the audit option that reads it)


VAULT_OPTIONS = {"bitwarden": "--bitwarden", "1password": "--1password", "rbw": "--rbw"}


def inventory(platform: str = sys.platform) -> Inventory:
    return Inventory(installed_profiles(platform=platform), keychain_presence(platform), pass_store_presence(),
                     vault_presence())


def vault_presence() -> list[tuple[str, str, str]]:
    """Each vault CLI: not installed, or found and locked / unlocked (asked, never unlocked)."""
    from pwcheck.sources.vault_cli import TOOLS, status

    return [(source, detail, VAULT_OPTIONS.get(name, "")) for name, (source, detail) in zip(TOOLS.names(), status())]


def keychain_presence(platform: str = sys.platform) -> Presence:
    """The OS keychain, looked for without reading or unlocking any of it."""
    if platform == "darwin":
        login = Path.home() / "Library" / "Keychains" / "login.keychain-db"
        return Presence(login.is_file(), "login keychain" if login.is_file() else "no login keychain found")
    if platform in ("win32", "cygwin"):
        return Presence(True, "Windows Credential Manager")
    try:
        from pwcheck.sources.keychain_secretservice import open_bus

        open_bus(PROBE_TIMEOUT_S).close()
    except ImportError as exc:
        return Presence(False, f"cannot look for a Secret Service: Python package {exc.name!r} is not installed")
    except InputError as exc:
        return Presence(False, exc.message)
    return Presence(True, "a Secret Service on the session bus")


def pass_store_presence() -> Presence:
    """The default pass store and its entry count (file names only: nothing is decrypted)."""
    from pwcheck.sources.pass_store import default_store, entries

    root = default_store()
    if not root.is_dir():
        return Presence(False, f"no password store at {root}")
    return Presence(True, str(root), len(entries(root)))
