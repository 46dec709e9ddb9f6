"""Windows Credential Manager reader against fake `CredEnumerate` results (no Windows at hand).

The records are shaped as win32ctypes returns them with `CRED_ENUMERATE_ALL_CREDENTIALS`
(`Namespace:attribute=target` names, bytes blobs), written by the apps that really
write them: keyring (UTF-16-LE), Git Credential Manager (UTF-8), Remote Desktop (a domain
password whose blob Windows withholds), Windows itself (binary tokens, certificates).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.source import Note
from pwcheck.sources import keychain_windows as win
from pwcheck.sources.keychain import KeychainRequest
from tests.support import fixture_data as fd

CJK = "你好世界"  # its UTF-16-LE bytes are all ASCII: the trap for a naive UTF-8 first guess


def cred(type_: int, target: str, user: str | None, blob: bytes, **extra: object) -> dict[str, object]:
    return {"Type": type_, "TargetName": target, "UserName": user, "Comment": None, "CredentialBlob": blob,
            "Persist": 2, **extra}


CREDENTIALS = [
    # keyring.set_password("github.com", "alice", ...): UTF-16-LE
    cred(1, "LegacyGeneric:target=github.com", "alice", fd.ALPHA.encode("utf-16-le"), Comment="Stored using python-keyring"),
    # Git Credential Manager: UTF-8, even length (also decodes as UTF-16-LE, wrongly)
    cred(1, "LegacyGeneric:target=git:https://github.com", "bob", fd.QUOTE.encode("utf-8")),
    # Remote Desktop: domain password, blob withheld from applications
    cred(2, "Domain:target=TERMSRV/rdp.example.com", "CORP\\carol", b""),
    # a domain-visible password (e.g. a mapped drive saved as visible)
    cred(4, "Domain:target=fileserver.example.net", "CORP\\dave", fd.UMLAUT.encode("utf-16-le"),
         LastWritten=datetime(2024, 2, 29, 23, 59, 1)),
    # Windows' own binary token
    cred(1, "WindowsLive:target=virtualapp/didlogical", "02abcdef", b"\x01\x00\x00\x00\xd0\x8c\x9d\xdf\x01\x15\xd1\x11"),
    cred(3, "Domain:target=smartcard.example.com", "erin", b"\x30\x82\x01\x0a"),
    cred(1, "LegacyGeneric:target=pwcheck", "hibp-api-key", "k".encode("utf-16-le")),
    # a C string with its terminator, UTF-8
    cred(1, "LegacyGeneric:target=https://intranet.example.org/", "frank", fd.EMOJI.encode("utf-8") + b"\x00"),
    cred(1, "LegacyGeneric:target=MyApp", "gina", CJK.encode("utf-16-le")),
    cred(1, "chat.example.de", None, fd.SPACED.encode("utf-16-le")),  # a name without namespace
]


def test_parse_target() -> None:
    assert win.parse_target("LegacyGeneric:target=git:https://github.com") == ("LegacyGeneric", "git:https://github.com")
    assert win.parse_target("Domain:target=TERMSRV/host") == ("Domain", "TERMSRV/host")
    assert win.parse_target("plain-name") == (None, "plain-name")


@pytest.mark.parametrize(
    "blob,text",
    [
        (fd.ALPHA.encode("utf-16-le"), fd.ALPHA),
        (fd.QUOTE.encode("utf-8"), fd.QUOTE),
        (fd.UMLAUT.encode("utf-16-le"), fd.UMLAUT),
        (fd.UMLAUT.encode("utf-8"), fd.UMLAUT),
        (CJK.encode("utf-16-le"), CJK),
        (fd.EMOJI.encode("utf-16-le") + b"\x00\x00", fd.EMOJI),
        (b"\x01\x00\x00\x00\xd0\x8c", None),
    ],
)
def test_decode_blob(blob: bytes, text: str | None) -> None:
    assert win.decode_blob(blob) == text


def test_every_credential_mapped() -> None:
    events = list(win.read(KeychainRequest(), enumerate_credentials=lambda: CREDENTIALS))
    source = "keychain:Credential Manager"
    credentials = [e for e in events if isinstance(e, Credential)]
    want = [
        ("github.com", "github.com", "alice", fd.ALPHA, None),
        ("git:https://github.com", "https://github.com", "bob", fd.QUOTE, None),
        ("fileserver.example.net", "fileserver.example.net", "CORP\\dave", fd.UMLAUT,
         datetime(2024, 2, 29, 23, 59, 1, tzinfo=timezone.utc)),
        ("https://intranet.example.org/", "https://intranet.example.org/", "frank", fd.EMOJI, None),
        ("MyApp", None, "gina", CJK, None),
        ("chat.example.de", "chat.example.de", None, fd.SPACED, None),
    ]
    assert [(c.source, c.title, c.url, c.username, c.sha1, c.password_changed) for c in credentials] == [
        (source, title, url, user, hashlib.sha1(password.encode()).digest(), changed) for title, url, user, password, changed in want
    ]
    assert [e.reason for e in events if isinstance(e, Skipped)] == [
        win.DOMAIN_WITHHELD,
        "secret is binary data, not a text password",
        "certificate credential",
        "pwcheck's own secret",
    ]
    assert events[-1] == Note(source, f"4 item(s) skipped: 1 {win.DOMAIN_WITHHELD}, 1 secret is binary data, "
                                      "not a text password, 1 certificate credential, 1 pwcheck's own secret")


def test_empty_credential_manager() -> None:
    assert list(win.read(KeychainRequest(), enumerate_credentials=lambda: [])) == []
