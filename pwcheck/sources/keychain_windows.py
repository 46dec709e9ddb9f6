"""Windows Credential Manager through `CredEnumerate` (pywin32-ctypes, which keyring pulls in).

With `CRED_ENUMERATE_ALL_CREDENTIALS` every credential of the user comes back, its
`TargetName` written `Namespace:attribute=target` (`LegacyGeneric:target=git:https://github.com`,
`Domain:target=TERMSRV/host`); the target names the site. Blobs are decoded the way
keyring writes them, UTF-16-LE, else as UTF-8 (Git Credential Manager and others); see
`decode_blob` for how the two are told apart. Windows never hands a domain password's
blob to applications, so those are reported as skipped, not as empty passwords.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._site import url_in_text
from pwcheck.sources.interface import make_credential, with_skip_summary
from pwcheck.sources.keychain import SOURCE, KeychainRequest

LABEL = "Windows Credential Manager"
FORMAT = "windows-credential"
CRED_ENUMERATE_ALL_CREDENTIALS = 0x1
ERROR_NOT_FOUND = 1168
CRED_TYPE_GENERIC = 1
CRED_TYPE_DOMAIN_PASSWORD = 2
CRED_TYPE_DOMAIN_VISIBLE_PASSWORD = 4

# Credential types that hold no password an application can read.
SKIPPED_TYPES: dict[int, str] = {
    3: "certificate credential",  # CRED_TYPE_DOMAIN_CERTIFICATE
    5: "certificate credential",  # CRED_TYPE_GENERIC_CERTIFICATE
    6: "extended domain credential",  # CRED_TYPE_DOMAIN_EXTENDED
}
DOMAIN_WITHHELD = "domain credential: Windows does not reveal its password to applications"
OWN_SERVICE = "pwcheck"  # pwcheck's own secrets (keyring target `pwcheck` or `user@pwcheck`)

_TARGET = re.compile(r"^(?P<namespace>[A-Za-z]+):(?P<attribute>[A-Za-z]+)=(?P<value>.*)$", re.DOTALL)

WinCredential = Mapping[str, Any]


def read(request: KeychainRequest, enumerate_credentials: Callable[[], Iterable[WinCredential]] | None = None) -> Iterator[SourceEvent]:
    """Every credential of the user; `enumerate_credentials` replaces the Windows call in tests."""
    source = f"{SOURCE}:Credential Manager"
    found = (enumerate_credentials or cred_enumerate)()
    yield from with_skip_summary(source, (credential_event(source, cred) for cred in found))


def cred_enumerate() -> list[WinCredential]:
    """`CredEnumerate(None, CRED_ENUMERATE_ALL_CREDENTIALS)`; an empty store is an empty list."""
    from win32ctypes.pywin32 import pywintypes, win32cred

    try:
        return list(win32cred.CredEnumerate(None, CRED_ENUMERATE_ALL_CREDENTIALS))
    except pywintypes.error as exc:
        if getattr(exc, "winerror", None) == ERROR_NOT_FOUND:
            return []
        raise InputError(SOURCE, f"CredEnumerate failed (Windows error {getattr(exc, 'winerror', '?')})") from None


def parse_target(target: str) -> tuple[str | None, str]:
    """`LegacyGeneric:target=git:https://x` -> ("LegacyGeneric", "git:https://x"); other names unchanged."""
    match = _TARGET.match(target)
    if match:
        return match.group("namespace"), match.group("value")
    return None, target


def decode_blob(blob: bytes) -> str | None:
    """The blob as text: UTF-16-LE (keyring, most Windows apps), else UTF-8; None if neither.

    An even-length ASCII blob written as UTF-8 also decodes as UTF-16-LE, into unrelated
    CJK characters, and some CJK text in UTF-16-LE is valid ASCII. UTF-16-LE wins when
    a zero sits at an odd offset (any Latin character has a zero high byte), when the
    bytes are not UTF-8, or when read as UTF-8 they hold control characters.
    One trailing NUL (a C string terminator some apps store) is not part of the password.
    """
    utf16 = _decoded(blob, "utf-16-le") if len(blob) % 2 == 0 else None
    utf8 = _decoded(blob, "utf-8")
    text = utf16 if utf16 is not None and (utf8 is None or 0 in blob[1::2] or _has_controls(utf8)) else utf8
    if text is not None and text.endswith("\x00"):
        text = text[:-1]
    if text is not None and "\x00" in text:
        return None  # binary data that happens to decode
    return text


def credential_event(source: str, cred: WinCredential) -> SourceEvent:
    """One credential as a Credential record (hashed here), or why it is skipped."""
    cred_type = int(cred.get("Type") or 0)
    if cred_type in SKIPPED_TYPES:
        return Skipped(source, None, SKIPPED_TYPES[cred_type])
    namespace, target = parse_target(str(cred.get("TargetName") or ""))
    if target == OWN_SERVICE or target.endswith("@" + OWN_SERVICE):
        return Skipped(source, None, "pwcheck's own secret")
    blob = cred.get("CredentialBlob") or b""
    if isinstance(blob, str):  # pywin32 proper returns text already
        blob = blob.encode("utf-16-le")
    if not blob and cred_type == CRED_TYPE_DOMAIN_PASSWORD:
        return Skipped(source, None, DOMAIN_WITHHELD)
    password = decode_blob(bytes(blob))
    if password is None:
        return Skipped(source, None, "secret is binary data, not a text password")
    url = url_in_text(target)
    return make_credential(
        source,
        FORMAT,
        None,
        password=password,
        title=target or namespace,
        urls=[url] if url else [],
        username=cred.get("UserName") or None,
        changed=_last_written(cred.get("LastWritten")),
        changed_kind="edit",
    )


def _has_controls(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text.rstrip("\x00"))


def _decoded(blob: bytes, encoding: str) -> str | None:
    try:
        return blob.decode(encoding)
    except UnicodeDecodeError:
        return None


def _last_written(value: Any) -> datetime | None:
    """pywin32 gives a datetime; win32ctypes gives nothing."""
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
