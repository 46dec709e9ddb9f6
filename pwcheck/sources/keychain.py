"""`--keychain`: read the operating system's keychain through one small interface.

`keyring` stores and fetches one secret by name but cannot list a keychain, so each
platform has its own enumerator module; this one only decides which, and imports just
that one (a Linux user never imports macOS or Windows code, and the reverse). Every
enumerator is a module with `read(request) -> Iterator[SourceEvent]` (`KeychainReader`),
registered in `READERS`,
yielding records built by `make_credential`, so keychain items are hashed the moment
they are read, exactly like export rows.

The choice follows `keyring`'s backend when the user configured one
(`PYTHON_KEYRING_BACKEND` or keyringrc.cfg), else the platform's default backend. It does
not call `keyring.get_keyring()`: that probes every backend, over D-Bus with no time
limit, and a keychain read must never hang.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

from pwcheck.model.errors import InputError
from pwcheck.model.source import ItemSource, SourceEvent
from pwcheck.system.registry import Registry

SOURCE = "keychain"
SECRET_SERVICE = "secretservice"
MACOS = "macos"
WINDOWS = "windows"

# keyring backend module -> the enumerator that lists what that backend stores.
# KWallet: KDE 6 serves the Secret Service API (ksecretd), which is what is read.
BACKEND_ENUMERATORS: dict[str, str] = {
    "keyring.backends.SecretService": SECRET_SERVICE,
    "keyring.backends.libsecret": SECRET_SERVICE,
    "keyring.backends.kwallet": SECRET_SERVICE,
    "keyring.backends.macOS": MACOS,
    "keyring.backends.Windows": WINDOWS,
}
# sys.platform prefix -> enumerator, when keyring names no backend we can list.
PLATFORM_ENUMERATORS: tuple[tuple[str, str], ...] = (
    ("linux", SECRET_SERVICE),
    ("freebsd", SECRET_SERVICE),
    ("openbsd", SECRET_SERVICE),
    ("darwin", MACOS),
    ("win32", WINDOWS),
    ("cygwin", WINDOWS),
)
DBUS_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class KeychainRequest:
    """What to read: `collections` empty means all (Secret Service collections, macOS keychains)."""

    collections: tuple[str, ...] = ()
    timeout: float = DBUS_TIMEOUT_S
    notify: Callable[[str], None] = field(default=lambda message: None)


class KeychainReader(Protocol):
    """What each platform module offers: every item of the keychain, as source events."""

    def __call__(self, request: KeychainRequest) -> Iterator[SourceEvent]: ...


READERS: Registry[KeychainReader] = Registry("keychain reader", {
    SECRET_SERVICE: "pwcheck.sources.keychain_secretservice:read",
    MACOS: "pwcheck.sources.keychain_macos:read",
    WINDOWS: "pwcheck.sources.keychain_windows:read",
})


def enumerator_for(backend_name: str | None, platform: str = sys.platform) -> str:
    """The enumerator module for a keyring backend, by its dotted class name (None: not configured).

    Backends that list nothing themselves (the chainer, `fail`, `null`, third-party
    ones) fall back to the platform: what keyring would pick there by default.
    """
    module = backend_name.rpartition(".")[0] if backend_name else None
    if module in BACKEND_ENUMERATORS:
        return BACKEND_ENUMERATORS[module]
    for prefix, enumerator in PLATFORM_ENUMERATORS:
        if platform.startswith(prefix):
            return enumerator
    raise InputError(SOURCE, f"no keychain reader for this platform ({platform}); use an export file")


def configured_backend() -> str | None:
    """The backend class the user chose for keyring (env, then keyringrc.cfg), by name only.

    Only the name is read: loading the class would make keyring probe it, and the
    Secret Service probe has no time limit.
    """
    import os

    name = os.environ.get("PYTHON_KEYRING_BACKEND")
    if name:
        return name.strip()
    try:
        import configparser

        from keyring.util import platform_

        parser = configparser.RawConfigParser()
        parser.read(platform_.config_root() / "keyringrc.cfg", encoding="utf-8")
        return parser.get("backend", "default-keyring").strip() or None
    except Exception:  # noqa: BLE001 - a broken keyring config must not stop the audit
        return None


def load_enumerator(name: str) -> KeychainReader:
    """Import the one platform module; a missing dependency is one clear line."""
    try:
        return READERS.get(name)
    except ImportError as exc:
        missing = exc.name or "a dependency"
        raise InputError(SOURCE, f"cannot read the keychain: Python package {missing!r} is not installed") from None


def read_keychain(request: KeychainRequest) -> Iterator[SourceEvent]:
    """Every item of the active keychain, through the platform's enumerator."""
    yield from load_enumerator(enumerator_for(configured_backend()))(request)


def keychain_source(collections: tuple[str, ...] = (), notify: Callable[[str], None] | None = None) -> ItemSource:
    """The keychain as an audit source; nothing is touched until the audit reads it."""
    request = KeychainRequest(collections=tuple(collections), notify=notify or (lambda message: None))
    return ItemSource(SOURCE, lambda: read_keychain(request))

