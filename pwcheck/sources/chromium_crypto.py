"""How Chromium-family browsers encrypt `password_value`, undone in memory, per platform.

Each value starts with a 3-byte version prefix that says how it was encrypted:

* Linux `v10`: AES-128-CBC, IV of 16 spaces, key PBKDF2-HMAC-SHA1("peanuts", "saltysalt", 1
  iteration): the fixed key Chromium uses when no keyring is available (`--password-store=basic`).
* Linux `v11`: the same cipher, the key derived the same way from a random secret Chromium
  keeps in the Secret Service ("Chromium Safe Storage", attribute `application`=`chromium`).
  KWallet-held keys are not read: KDE 6 serves the Secret Service API, which is.
* macOS `v10`: the same cipher, key PBKDF2 with 1003 iterations of the "… Safe Storage"
  password in the login keychain (fetched with `security`, which makes macOS ask the user).
* Windows `v10`/`v11`: AES-256-GCM (12-byte nonce, 16-byte tag) under a key that `Local
  State`'s `os_crypt.encrypted_key` holds DPAPI-protected; values with no prefix are
  DPAPI blobs themselves (Chrome before 80).
* Windows `v20`: Chrome 127+'s app-bound encryption, whose key only a Chrome service may
  use. It is not broken into: such values are counted and reported with the export steps.

Keys are fetched lazily, once per profile read, and only when a value needs them (a
profile of `v10` values never touches the keyring). Nothing here logs or keeps a key or a
plaintext; the errors name a reason, never a value.
"""

from __future__ import annotations

import base64
import subprocess
from dataclasses import dataclass, field
from typing import Any, Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from pwcheck.model.errors import PwcheckError

SALT = b"saltysalt"
CBC_IV = b" " * 16
LINUX_V10_PASSWORD = b"peanuts"
LINUX_ITERATIONS = 1
MACOS_ITERATIONS = 1003
GCM_NONCE = 12
GCM_TAG = 16
DPAPI_PREFIX = b"DPAPI"

EXPORT_STEPS = ("export them from the browser (Settings → Passwords → Export passwords, or chrome://password-manager/settings), "
                "audit the CSV, then delete it")


class Unreadable(PwcheckError):
    """One value cannot be decrypted; the message is the reason (never the value)."""


class KeyUnavailable(PwcheckError):
    """The key for some values cannot be had (a locked keyring, a refused keychain prompt)."""


class AppBound(PwcheckError):
    """A `v20` value: Chrome's app-bound encryption, not broken into."""


def derive_cbc_key(secret: bytes, iterations: int) -> bytes:
    """PBKDF2-HMAC-SHA1 with Chromium's salt: a 16-byte AES-128 key."""
    return PBKDF2HMAC(algorithm=hashes.SHA1(), length=16, salt=SALT, iterations=iterations).derive(secret)


def cbc_decrypt(key: bytes, data: bytes) -> bytes:
    """AES-128-CBC with Chromium's IV of spaces and PKCS#7 padding; a wrong key is `Unreadable`."""
    if not data or len(data) % 16:
        raise Unreadable("encrypted value has a length AES-CBC never produces")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(CBC_IV)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise Unreadable("decryption failed (wrong key: was the browser's keyring entry replaced?)") from None


def gcm_decrypt(key: bytes, data: bytes) -> bytes:
    """AES-256-GCM: 12-byte nonce, ciphertext, 16-byte tag (what Chrome 80+ writes on Windows)."""
    if len(data) < GCM_NONCE + GCM_TAG:
        raise Unreadable("encrypted value too short for AES-GCM")
    try:
        return AESGCM(key).decrypt(data[:GCM_NONCE], data[GCM_NONCE:], None)
    except InvalidTag:
        raise Unreadable("decryption failed (authentication tag does not match: wrong key or damaged value)") from None


@dataclass
class _Lazy:
    """A key fetched on first use; a failure is kept too, so a locked keyring is asked once, not per row."""

    fetch: Callable[[], bytes]
    _key: bytes | None = field(default=None, repr=False)  # a key: never in a repr
    _failure: str | None = None

    def get(self) -> bytes:
        if self._failure is not None:
            # A new exception each row: re-raising one stored error would grow its traceback row by row.
            raise KeyUnavailable(self._failure)
        if self._key is None:
            try:
                self._key = self.fetch()
            except KeyUnavailable as exc:
                self._failure = str(exc)
                raise
        return self._key


class Decryptor:
    """Turns one `password_value` into its plaintext bytes, or raises why it cannot."""

    def decrypt(self, value: bytes) -> bytes:
        raise NotImplementedError


@dataclass
class LinuxDecryptor(Decryptor):
    """`v10` with the fixed key; `v11` with the keyring's key (`keyring_secret` is called at most once)."""

    keyring_secret: Callable[[], bytes]
    _v11: _Lazy = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._v11 = _Lazy(lambda: derive_cbc_key(self.keyring_secret(), LINUX_ITERATIONS))

    def decrypt(self, value: bytes) -> bytes:
        prefix, body = value[:3], value[3:]
        if prefix == b"v10":
            return cbc_decrypt(_linux_v10_key(), body)
        if prefix == b"v11":
            return cbc_decrypt(self._v11.get(), body)
        raise Unreadable(_unknown_prefix(prefix))


@dataclass
class MacDecryptor(Decryptor):
    """`v10` with the key derived from the "… Safe Storage" keychain password."""

    keychain_password: Callable[[], bytes]
    _key: _Lazy = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._key = _Lazy(lambda: derive_cbc_key(self.keychain_password(), MACOS_ITERATIONS))

    def decrypt(self, value: bytes) -> bytes:
        prefix, body = value[:3], value[3:]
        if prefix == b"v10":
            return cbc_decrypt(self._key.get(), body)
        raise Unreadable(_unknown_prefix(prefix))


@dataclass
class WindowsDecryptor(Decryptor):
    """`v10`/`v11` AES-256-GCM under the `Local State` key; `v20` app-bound; no prefix: a DPAPI blob."""

    state_key: Callable[[], bytes]
    unprotect: Callable[[bytes], bytes]
    _key: _Lazy = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._key = _Lazy(self.state_key)

    def decrypt(self, value: bytes) -> bytes:
        prefix, body = value[:3], value[3:]
        if prefix in (b"v10", b"v11"):
            return gcm_decrypt(self._key.get(), body)
        if prefix == b"v20":
            raise Unreadable(_unknown_prefix(prefix))
        return self.unprotect(value)


def _unknown_prefix(prefix: bytes) -> str:
    if prefix == b"v20":  # Windows' app-bound values, wherever the profile is read (a copied profile too)
        raise AppBound("app-bound encryption (v20)")
    shown = prefix.decode("ascii") if prefix.isascii() and prefix.isalnum() else "none"
    return f"encrypted with a scheme this platform's Chromium does not write (prefix {shown})"


_V10_KEY: list[bytes] = []


def _linux_v10_key() -> bytes:
    if not _V10_KEY:
        _V10_KEY.append(derive_cbc_key(LINUX_V10_PASSWORD, LINUX_ITERATIONS))
    return _V10_KEY[0]


def windows_state_key(local_state: Any, unprotect: Callable[[bytes], bytes]) -> bytes:
    """The AES-256 key `Local State` holds (`os_crypt.encrypted_key`: base64 of "DPAPI" + a DPAPI blob)."""
    os_crypt = local_state.get("os_crypt") if isinstance(local_state, dict) else None
    encoded = os_crypt.get("encrypted_key") if isinstance(os_crypt, dict) else None
    if not isinstance(encoded, str):
        raise KeyUnavailable("the browser's Local State holds no os_crypt.encrypted_key")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise KeyUnavailable("the browser's Local State os_crypt.encrypted_key is not base64") from None
    if not blob.startswith(DPAPI_PREFIX):
        raise KeyUnavailable("the browser's Local State key is not DPAPI-protected")
    try:
        key = unprotect(blob[len(DPAPI_PREFIX):])
    except Unreadable as exc:
        raise KeyUnavailable(f"the browser's key could not be unprotected: {exc}") from None
    if len(key) != 32:
        raise KeyUnavailable("the browser's Local State key is not an AES-256 key")
    return key


def dpapi_unprotect(blob: bytes) -> bytes:  # pragma: no cover - Windows only; not run on the Linux CI
    """`CryptUnprotectData` through ctypes: only the user who protected `blob` gets it back."""
    import ctypes
    from ctypes import wintypes

    class DataBlob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    buffer = ctypes.create_string_buffer(blob, len(blob))
    given = DataBlob(len(blob), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    out = DataBlob()
    windll: Any = vars(ctypes)["windll"]  # defined on Windows only
    if not windll.crypt32.CryptUnprotectData(ctypes.byref(given), None, None, None, None, 0, ctypes.byref(out)):
        raise Unreadable("Windows refused to decrypt it (DPAPI: saved by another Windows user or machine?)")
    try:
        return ctypes.string_at(out.pbData, out.cbData)
    finally:
        windll.kernel32.LocalFree(out.pbData)


Runner = Callable[[list[str]], "subprocess.CompletedProcess[bytes]"]


def _run(args: list[str]) -> "subprocess.CompletedProcess[bytes]":
    return subprocess.run(args, capture_output=True, timeout=120, check=False)


def macos_keychain_password(service: str, account: str, runner: Runner = _run) -> bytes:
    """The "… Safe Storage" password from the login keychain (macOS asks the user to allow it).

    `security find-generic-password -w` prints the password and a newline; only that one
    newline is removed (the password is base64 text Chromium generated).
    """
    try:
        done = runner(["security", "find-generic-password", "-w", "-s", service, "-a", account])
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise KeyUnavailable(f"cannot run macOS's `security` tool ({type(exc).__name__})") from None
    if done.returncode != 0:
        raise KeyUnavailable(f"the login keychain gave no {service!r} item (access denied, or the browser never stored one)")
    output = done.stdout
    return output[:-1] if output.endswith(b"\n") else output
