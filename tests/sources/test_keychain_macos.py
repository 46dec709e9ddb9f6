"""macOS Keychain reader against a recorded `security dump-keychain -d` (no Mac at hand).

The recording (`fixtures/keychain/macos-dump-keychain.txt`) follows the print rules of
Apple's SecurityTool: printable ASCII quoted, anything else as `0xHEX` then the quoted
form with `\\ooo` escapes, unescaped quotes inside, uint32 values as 4 big-endian bytes,
an item whose data access was denied printing no attributes at all.
"""

from __future__ import annotations

import hashlib
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.source import Note
from pwcheck.sources import keychain_macos as mac
from pwcheck.sources.keychain import KeychainRequest
from tests.support import fixture_data as fd

RECORDING = Path(__file__).resolve().parents[1] / "fixtures" / "keychain" / "macos-dump-keychain.txt"
SOURCE = "keychain:login.keychain-db"


def recorded_lines() -> list[str]:
    return RECORDING.read_text(encoding="latin-1").splitlines(keepends=True)


def test_decode_value_forms() -> None:
    assert mac.decode_value("<NULL>") is None
    assert mac.decode_value('"htps"') == b"htps"
    assert mac.decode_value("0x00000000 ") == b"\x00\x00\x00\x00"
    assert mac.decode_value('0x000020FB  "\\000\\000 \\373"') == b"\x00\x00\x20\xfb"
    assert mac.decode_value('"pw"quote"Charlie-3"') == b'pw"quote"Charlie-3'
    assert mac.decode_value('"pw\\134back"') == b"pw\\back"
    assert mac.decode_value("") == b""


def test_recorded_dump_gives_every_password_item() -> None:
    events = list(mac.read_dump("/Users/alice/Library/Keychains/login.keychain-db", recorded_lines()))
    credentials = [e for e in events if isinstance(e, Credential)]
    got = [(c.source, c.url, c.username, c.title, c.sha1, c.password_changed) for c in credentials]
    utc = timezone.utc
    want = [
        ("github.com", "https://github.com", "alice", fd.ALPHA.encode(), datetime(2024, 3, 15, 8, 30, tzinfo=utc)),
        ("www.münchen.de (alice)", "https://www.münchen.de", "alice", fd.UMLAUT.encode(), datetime(2023, 7, 1, 12, tzinfo=utc)),
        ("intranet.example.org", "http://intranet.example.org:8443/login", "carol", fd.NEWLINE.encode(),
         datetime(2022, 1, 1, tzinfo=utc)),
        ("gh:github.com", "github.com", "bob", fd.QUOTE.encode(), datetime(2021, 5, 5, 5, 5, 5, tzinfo=utc)),
        ("backslash.example.com", "backslash.example.com", "dan", b"pw\\back\\slash", datetime(2021, 5, 5, 5, 5, 5, tzinfo=utc)),
        ("Wi-Fi Home", None, "HomeNet", fd.SPACED.encode(), datetime(2019, 9, 9, 9, 9, 9, tzinfo=utc)),
    ]
    assert got == [(SOURCE, url, user, title, hashlib.sha1(secret).digest(), changed) for title, url, user, secret, changed in want]
    assert all(c.format == "macos-keychain" and c.changed_kind == "edit" for c in credentials)
    skipped = [e.reason for e in events if isinstance(e, Skipped)]
    assert skipped == [
        "browser's encryption key, not a website credential",
        "Apple system item",
        "access to the item was not allowed",
        "empty password",
        "not a password item (certificate or key)",
    ]
    (note,) = [e for e in events if isinstance(e, Note)]
    assert note.source == SOURCE and note.message.startswith("5 item(s) skipped: ")


def test_read_tells_before_it_starts_and_notes_icloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`read` runs `security` (a stand-in printing the recording) after telling the person."""
    log = tmp_path / "calls"
    fake = tmp_path / "security"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        'case "$1" in\n'
        '  login-keychain) echo \'    "/Users/alice/Library/Keychains/login.keychain-db"\' ;;\n'
        f'  dump-keychain) cat "{RECORDING}" ;;\n'
        "esac\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(mac, "SECURITY", str(fake))
    told: list[str] = []

    def notify(message: str) -> None:
        told.append(message)
        assert not log.exists(), "the notice must come before security runs"

    events = list(mac.read(KeychainRequest(notify=notify)))
    assert told == [mac.NOTICE]
    assert log.read_text().splitlines() == ["login-keychain", "dump-keychain -d /Users/alice/Library/Keychains/login.keychain-db"]
    assert sum(isinstance(e, Credential) for e in events) == 6
    assert events[-1] == Note("keychain", mac.ICLOUD_NOTE)


def test_failing_security_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "security"
    fake.write_text("#!/bin/sh\necho 'security: SecKeychainCopyDomainSearchList: The specified keychain could not be found.' >&2\nexit 50\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(mac, "SECURITY", str(fake))
    from pwcheck.model.errors import InputError

    with pytest.raises(InputError) as caught:
        list(mac.read(KeychainRequest(collections=("Work.keychain-db",))))
    assert str(caught.value) == "keychain:Work.keychain-db: security dump-keychain failed (exit 50)"
