"""Real exporters' files (other projects' test data, see tests/fixtures/SOURCES.md), read exactly.

The expected credentials are written out literally, as an independent reader of each file
sees them (title, URL, other URLs, username, the password's SHA-1): not rebuilt with
pwcheck's own code. Each case was refused or misread before its fix (issue 14, item 12).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import by_name, detect, read_export
from pwcheck.sources._input import InputFile
from pwcheck.sources.kdbx import PASSWORD_ENV, KdbxKey, make_unlocker
from tests.support.real_exports import (
    AFOQWDR,
    AIB,
    FNER,
    HN,
    KLIVAK,
    MASTODON,
    MNYFYMT,
    OVH_B,
    OVH_J,
    REAL,
    SPACE,
    TWITTER,
    empty_password,
    read,
)

# pass-import's test vault: tests/support/real_exports.py.
PROTON123 = "58A75848226D7E44DB86E6A9A01976C43FF603E2"
# Bitwarden's 1Password 7 test vault: one login ("the account's password"), a note, an identity, a card.
ONEPASSWORD_ACCOUNT = ("1Password Account", "https://my.1password.com", (), "email@bitwarden.com",
                       "DBB07C1A33E682082561EEF9FC35B1FA0ECA8B53")

# (file, format, credentials in file order, items skipped)
CASES = [
    ("passimport-keepass.csv", "keepass-csv",
     [MASTODON, TWITTER, HN, OVH_J, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE], 3),
    ("passimport-padlock.csv", "padlock",
     [AIB, AFOQWDR, FNER, KLIVAK, MNYFYMT, HN, MASTODON, OVH_B, OVH_J, SPACE, TWITTER], 3),
    ("passimport-nordpass.csv", "nordpass",
     [FNER, AFOQWDR, SPACE, MNYFYMT, KLIVAK, AIB, OVH_B, OVH_J, HN, TWITTER, MASTODON], 9),
    ("protonweb-nordpass.csv", "nordpass", [
        ("nobody", "https://account.proton.me", (), "nobody@proton.me", PROTON123),
        ("Admin", "https://proton.me", (), "admin", PROTON123),
        ("Twitter", "https://twitter.com/login", (), "@nobody", PROTON123),
        ("fb.com", "https://fb.com/login", (), "@nobody", PROTON123),
    ], 6),
    ("protonweb-protonpass-old.csv", "proton-pass-csv", [
        ("login title", "https://example.com/", ("https://proton.me/",), "john", "CBFDAC6008F9CAB4083784CBD1874F76618D2A97"),
    ], 3),
    ("keepassxc-bitwarden_export.json", "bitwarden-json", [
        ("Login Name", "https://mail.google.com", ("https://google.com", "https://gmail.com"), "myusername@gmail.com",
         "91DFD9DDB4198AFFC5C194CD8CE6D338FDE470E2"),
    ], 3),
    ("passimport-1password.csv", "1password-legacy-csv",
     [MASTODON, TWITTER, HN, OVH_J, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE], 3),
    ("passimport-keepassx2.csv", "keepassxc-csv",
     [KLIVAK, AFOQWDR, MNYFYMT, FNER, MASTODON, TWITTER, HN, OVH_B, OVH_J, AIB, SPACE], 3),
    ("passimport-chrome-semicolon.csv", "chromium",
     [MASTODON, TWITTER, HN, OVH_J, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE], 3),
    ("passimport-1password4.csv", "1password4-csv",
     [AFOQWDR, AIB, HN, OVH_B, KLIVAK, FNER, MASTODON, MNYFYMT, TWITTER, OVH_J, SPACE], 3),
    ("bitwarden-1password7-mac.csv", "1password-mac-csv", [ONEPASSWORD_ACCOUNT], 3),
    ("bitwarden-1password7-windows.csv", "1password-legacy-csv", [ONEPASSWORD_ACCOUNT], 3),
]


@pytest.mark.parametrize("name,fmt,expected,skipped", CASES, ids=[c[0] for c in CASES])
def test_real_export_read_exactly_by_its_own_reader(name: str, fmt: str, expected: list[tuple[object, ...]], skipped: int) -> None:
    assert detect(InputFile(REAL / name)).name == fmt
    credentials, skips = read(REAL / name)
    assert credentials == expected
    assert len(skips) == skipped, skips
    assert read(REAL / name, forced=fmt) == (credentials, skips)


def test_skips_name_the_kind_in_old_headers() -> None:
    assert read(REAL / "protonweb-nordpass.csv")[1] == ["folder", "secure note", "secure note", "card", "identity", "empty password"]
    assert read(REAL / "protonweb-protonpass-old.csv")[1] == ["secure note", "alias", "card"]
    assert read(REAL / "keepassxc-bitwarden_export.json")[1] == ["item 1: secure note", "item 2: card", "item 3: identity"]


def test_1password7_mac_csv_backslash_quotes_types_and_modified_time() -> None:
    """1Password 7 for Mac writes a quote inside a field as `\\"`; its `Type` says what an item is,
    `Modified Date` (Unix seconds) when it was last edited."""
    items = list(read_export(REAL / "bitwarden-1password7-mac.csv"))
    assert [s.reason for s in items if isinstance(s, Skipped)] == ["secure note", "identity", "credit card"]
    (login,) = [c for c in items if isinstance(c, Credential)]
    assert login.line == 12  # the record starts on the 12th physical line (notes span lines)
    assert (login.password_changed.isoformat() if login.password_changed else None, login.changed_kind) == (
        "2020-12-03T18:42:52+00:00", "edit")


@pytest.mark.parametrize("escaped,password", [
    ('"pa\\"ss"', 'pa"ss'),  # \" is a quote
    ('"a\\p"', "a\\p"),  # any other backslash is itself
    ('"x""y"', 'x"y'),  # a doubled quote still reads as one
])
def test_1password_backslash_quoting_reads_exact_passwords(tmp_path: Path, escaped: str, password: str) -> None:
    import hashlib

    path = tmp_path / "1p.csv"
    path.write_text(f'"uuid","Title","URL","Username","Password"\n"u1","T","https://a.example","me",{escaped}\n')
    (credential,) = [c for c in read_export(path) if isinstance(c, Credential)]
    assert credential.sha1 == hashlib.sha1(password.encode()).digest()


def test_1password_double_backslash_is_ambiguous_so_the_row_is_not_read(tmp_path: Path) -> None:
    """`\\\\` is one backslash escaped, or two written as they are: which password it is cannot be
    told, so the row is an error (could not read, exit 2), never a guess; the other rows are read."""
    path = tmp_path / "1p.csv"
    path.write_text('"uuid","Title","URL","Username","Password"\n"u1","T","https://a.example","me","a\\\\b"\n'
                    '"u2","U","https://b.example","you","plain"\n')
    items = list(read_export(path))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [(e.line, "backslash" in e.message) for e in errors] == [(2, True)]
    assert [c.title for c in items if isinstance(c, Credential)] == ["U"]


@pytest.mark.parametrize("fmt,label", [
    ("keepass-csv", "KeePass CSV (1.x"), ("padlock", "Padloc"), ("1password-legacy-csv", "1Password 6 / 7"),
    ("1password4-csv", "1Password 4"), ("1password-mac-csv", "1Password 7 for Mac"),
    ("keepassxc-csv", "KeePassXC / KeePassX 2"), ("nordpass", "NordPass"), ("proton-pass-csv", "Proton Pass"),
])
def test_labels_name_the_manager(fmt: str, label: str) -> None:
    assert label in by_name(fmt).label


def test_semicolon_delimiter_is_taken_from_the_header_line() -> None:
    inp = InputFile(REAL / "passimport-chrome-semicolon.csv")
    assert inp.csv_delimiter == ";"
    assert inp.csv_header == ("name", "url", "username", "password", "note")
    # a comma export whose fields hold ";" stays a comma export
    assert InputFile(REAL / "passimport-keepass.csv").csv_delimiter == ","


@pytest.mark.parametrize("name,named,advice", [
    ("keepassxc-basic.kdb", "KeePass 1 database", "Import"),
    ("passimport-clipperz.html", "HTML file", "export as CSV"),
])
def test_recognisable_non_exports_are_named_with_what_to_do(name: str, named: str, advice: str) -> None:
    with pytest.raises(InputError) as error:
        list(read_export(REAL / name))
    message = str(error.value)
    assert named in message and advice in message
    assert "binary data" not in message and "not a recognised export structure" not in message


def test_kdbx_with_empty_master_password_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    """KeePassXC's Compressed.kdbx has the empty password: `PWCHECK_KDBX_PASSWORD=` opens it."""
    pytest.importorskip("pykeepass")
    items = list(read_export(REAL / "keepassxc-Compressed.kdbx", unlock=make_unlocker(password="")))
    got = [(c.title, c.url, c.username, c.sha1.hex().upper()) for c in items if isinstance(c, Credential)]
    # "Password" is the entry's password: SHA-1 8BE3C943...
    assert got == [("Sample Entry", "http://www.somesite.com/", "User Name", "8BE3C943B1609FFFBFC51AAD666D0A04ADF83C9D")]
    assert not [i for i in items if isinstance(i, Skipped)]


def test_kdbx_password_unset_without_terminal_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(InputError, match=PASSWORD_ENV):
        make_unlocker()("db.kdbx")


def test_kdbx_key_repr_hides_an_empty_password_too() -> None:
    assert "<redacted>" in repr(KdbxKey("", None))


def test_prompt_enter_is_the_empty_password_unless_a_key_file_is_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert make_unlocker(prompt=lambda text: "")("db.kdbx") == KdbxKey("", None)
    keyfile = tmp_path / "db.key"
    assert make_unlocker(keyfile, prompt=lambda text: "")("db.kdbx") == KdbxKey(None, keyfile)
    assert make_unlocker(keyfile, prompt=lambda text: "typed")("db.kdbx") == KdbxKey("typed", keyfile)


@pytest.mark.parametrize("name,fmt", [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_forcing_any_other_format_on_a_real_export_is_refused(name: str, fmt: str) -> None:
    """`--input-format` with the wrong reader is one clear error, never shifted or empty fields."""
    from pwcheck.sources import FORMATS

    for other in FORMATS:
        if other.name == fmt:
            continue
        with pytest.raises(InputError):
            list(read_export(REAL / name, forced=other.name, unlock=empty_password))
