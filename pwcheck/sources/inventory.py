"""What `pwcheck sources` finds on this machine: browser profiles (counted), a keychain, a pass store.

Nothing is decrypted, unlocked or asked: profiles are counted from their databases'
row counts, the keychain is only looked for (on Linux: is a Secret Service on the
session bus), and the pass store's entries are counted by file name. So the command
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


def inventory(platform: str = sys.platform) -> Inventory:
    return Inventory(installed_profiles(platform=platform), keychain_presence(platform), pass_store_presence())


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
