"""The NSS library Firefox keeps its logins with, called through ctypes: no cryptography of our own.

Firefox encrypts each saved username and password with NSS's "secret decoder ring"
(`PK11SDR_Encrypt`) under a key held in the profile's `key4.db`, itself protected by the
primary password when one is set. Reading them the way Firefox does means loading the same
library (`libnss3`, `nss3.dll`): the one shipped in the Firefox install folder first (it is the
version that wrote `key4.db`), else the system's. pwcheck re-implements none of it.

NSS is initialised read-only (`NSS_INIT_READONLY`), so `key4.db` and `cert9.db` are opened
and never written, and at most once per process at a time: NSS keeps one global database
set, so a lock holds it for one profile, and `NSS_Shutdown` ends it before the next. Each
decrypted value is decoded straight out of NSS's memory into the one Python string handed
on, and NSS's copy is zeroed at once (`SECITEM_ZfreeItem`).
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import ctypes.util
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from pwcheck.model.errors import PwcheckError

NSS_INIT_READONLY = 0x1
SEC_SUCCESS = 0
# Each browser's install folders, where its own NSS lives (Windows and macOS have no system NSS).
_INSTALL_DIRS = {
    "linux": ("/usr/lib/firefox-esr", "/usr/lib/firefox", "/usr/lib64/firefox", "/opt/firefox",
              "/usr/lib/librewolf", "/usr/lib64/librewolf", "/snap/firefox/current/usr/lib/firefox"),
    "darwin": ("/Applications/Firefox.app/Contents/MacOS", "/Applications/LibreWolf.app/Contents/MacOS"),
}
_WINDOWS_INSTALLS = ("Mozilla Firefox", "LibreWolf")
# Where no NSS loads, the audit says so with the way round: the browser's own export.
EXPORT_STEPS = ("export the passwords instead (Firefox: about:logins → ⋯ → Export Passwords), "
                "audit the CSV, then delete it")

_LOCK = threading.Lock()
_OWNER: list[int] = []  # the thread holding `_LOCK`: waiting on itself would never end


class NssError(PwcheckError):
    """NSS could not be loaded or could not do what was asked (exit 2); the message names no secret.

    The profile reader turns it into an `InputError` naming the profile, or the login."""


class _SECItem(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint), ("data", ctypes.c_void_p), ("len", ctypes.c_uint)]


def library_candidates(platform: str | None = None) -> list[str]:
    """Where NSS may be, in the order tried: each browser install folder, then the system's."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        roots = [os.environ.get(var) for var in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")]
        folders = [str(Path(root) / name) for root in roots if root for name in _WINDOWS_INSTALLS]
        return [str(Path(folder) / "nss3.dll") for folder in folders]
    key = "darwin" if platform == "darwin" else "linux"
    suffix = ".dylib" if key == "darwin" else ".so"
    paths = [str(Path(folder) / f"libnss3{suffix}") for folder in _INSTALL_DIRS[key]]
    if key == "darwin":
        paths += ["/opt/homebrew/lib/libnss3.dylib", "/usr/local/lib/libnss3.dylib"]
    found = ctypes.util.find_library("nss3")
    paths += [found] if found else []
    paths += [] if key == "darwin" else ["libnss3.so"]
    return paths


def load(candidates: list[str]) -> Any:
    """The first NSS that loads, with its argument types declared; `NssError` when none does."""
    for candidate in candidates:
        path = Path(candidate)
        if path.is_absolute() and not path.is_file():
            continue
        try:
            return _declare(_open(path))
        except (OSError, AttributeError):
            continue
    raise NssError("the NSS library Firefox uses (libnss3) was not found on this machine: " + EXPORT_STEPS)


def _open(path: Path) -> Any:
    """Load one NSS; a browser's own copy brings its sibling `nssutil3` first so the two versions match."""
    mode = getattr(ctypes, "RTLD_GLOBAL", 0)
    if path.is_absolute():
        if sys.platform.startswith("win"):
            os.add_dll_directory(str(path.parent))  # type: ignore[attr-defined,unused-ignore]
        for sibling in ("libnssutil3" + path.suffix, "nssutil3.dll"):
            if (path.parent / sibling).is_file():
                ctypes.CDLL(str(path.parent / sibling), mode=mode)
    return ctypes.CDLL(str(path), mode=mode)


def _declare(lib: Any) -> Any:
    item = ctypes.POINTER(_SECItem)
    lib.NSS_Initialize.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
    lib.NSS_Initialize.restype = ctypes.c_int
    lib.NSS_IsInitialized.restype = ctypes.c_int
    lib.NSS_Shutdown.restype = ctypes.c_int
    lib.PK11_GetInternalKeySlot.restype = ctypes.c_void_p
    lib.PK11_FreeSlot.argtypes = [ctypes.c_void_p]
    lib.PK11_IsReadOnly.argtypes = [ctypes.c_void_p]
    lib.PK11_IsReadOnly.restype = ctypes.c_int
    lib.PK11_NeedLogin.argtypes = [ctypes.c_void_p]
    lib.PK11_NeedLogin.restype = ctypes.c_int
    lib.PK11_CheckUserPassword.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.PK11_CheckUserPassword.restype = ctypes.c_int
    lib.PK11SDR_Decrypt.argtypes = [item, item, ctypes.c_void_p]
    lib.PK11SDR_Decrypt.restype = ctypes.c_int
    lib.SECITEM_ZfreeItem.argtypes = [item, ctypes.c_int]
    lib.PORT_GetError.restype = ctypes.c_int
    lib.PR_ErrorToName.argtypes = [ctypes.c_int]
    lib.PR_ErrorToName.restype = ctypes.c_char_p
    return lib


class Session:
    """One profile's key database, open read-only; decrypts values once unlocked."""

    def __init__(self, lib: Any) -> None:
        self._lib = lib
        self._slot = lib.PK11_GetInternalKeySlot()
        if not self._slot:
            raise NssError(f"NSS has no internal key slot ({self.error_name()})")
        if not lib.PK11_IsReadOnly(self._slot):
            self.close()
            raise NssError("NSS opened key4.db writable although asked for read-only: not read")

    def error_name(self) -> str:
        """NSS's name for its last error (`SEC_ERROR_BAD_PASSWORD`): structure, never a value."""
        name = self._lib.PR_ErrorToName(self._lib.PORT_GetError())
        return name.decode("ascii", "replace") if name else "unknown NSS error"

    @property
    def needs_login(self) -> bool:
        """A primary password protects the key."""
        return bool(self._lib.PK11_NeedLogin(self._slot))

    def login(self, password: str) -> bool:
        """Whether `password` is the primary password (NSS logs in when it is); the copy is zeroed."""
        encoded = password.encode("utf-8")
        buffer = ctypes.create_string_buffer(encoded, len(encoded) + 1)
        del encoded
        try:
            return bool(self._lib.PK11_CheckUserPassword(self._slot, buffer) == SEC_SUCCESS)
        finally:
            ctypes.memset(buffer, 0, len(buffer))

    def decrypt(self, value: str) -> str:
        """One base64 SDR value as text: decoded out of NSS's buffer, then NSS's copy zeroed.

        `NssError` when NSS cannot decrypt it; `UnicodeDecodeError` when it is not UTF-8
        (Firefox stores UTF-8 text, so that is a damaged value, not another encoding).
        """
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise NssError("not base64") from None
        source = ctypes.create_string_buffer(raw, len(raw))
        given = _SECItem(0, ctypes.cast(source, ctypes.c_void_p), len(raw))
        result = _SECItem(0, None, 0)
        if self._lib.PK11SDR_Decrypt(ctypes.byref(given), ctypes.byref(result), None) != SEC_SUCCESS:
            raise NssError(f"NSS could not decrypt it ({self.error_name()})")
        try:
            if not result.len:
                return ""
            view = (ctypes.c_ubyte * result.len).from_address(result.data)
            return str(memoryview(view), "utf-8")
        finally:
            self._lib.SECITEM_ZfreeItem(ctypes.byref(result), 0)

    def close(self) -> None:
        self._lib.PK11_FreeSlot(self._slot)


@contextmanager
def session(profile: Path, candidates: Callable[[], list[str]] = library_candidates) -> Iterator[Session]:
    """NSS opened read-only on `profile` for the length of the block, then shut down.

    NSS has one global database set per process: the lock keeps a second profile (another
    thread) waiting, and a process where something else already started NSS is refused
    rather than disturbed.
    """
    lib = load(candidates())
    if threading.get_ident() in _OWNER:
        raise NssError("another Firefox profile is still being read in this thread: one at a time")
    with _LOCK:
        _OWNER.append(threading.get_ident())
        try:
            yield from _initialised(lib, profile)
        finally:
            _OWNER.clear()


def _initialised(lib: Any, profile: Path) -> Iterator[Session]:
    """The body of `session`, run holding the lock."""
    if lib.NSS_IsInitialized():
        raise NssError("NSS is already in use in this process")
    configdir = b"sql:" + os.fsencode(profile)
    if lib.NSS_Initialize(configdir, b"", b"", b"secmod.db", NSS_INIT_READONLY) != SEC_SUCCESS:
        name = lib.PR_ErrorToName(lib.PORT_GetError())
        raise NssError(f"NSS could not open key4.db read-only ({(name or b'unknown NSS error').decode('ascii', 'replace')})")
    try:
        opened = Session(lib)
        try:
            yield opened
        finally:
            opened.close()
    finally:
        lib.NSS_Shutdown()
