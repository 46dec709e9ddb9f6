"""Real exporters' JSON, XML and 1PIF files (see tests/fixtures/SOURCES.md), read exactly.

The expected credentials are written out literally, as an independent reader of each file
sees them (title, URL, other URLs, username, the password's SHA-1 computed with
`printf %s 'pw' | sha1sum`), not rebuilt with pwcheck's own code. Every one of these files
was refused before issue 16 ("JSON, but not a recognised export structure", "XML, but not a
KeePass export", or the 1PIF message).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import by_name, detect, read_export
from pwcheck.sources._input import InputFile
from tests.support.real_exports import AFOQWDR, AIB, FNER, HN, KLIVAK, MASTODON, MNYFYMT, OVH_B, OVH_J, REAL, SPACE, TWITTER, read

# (file, format, credentials in file order, items skipped)
CASES = [
    ("passimport-enpass.json", "enpass-json",
     [AIB, AFOQWDR, FNER, KLIVAK, MNYFYMT, MASTODON, HN, OVH_J, OVH_B, SPACE, TWITTER], 3),
    ("passimport-passman.json", "passman-json",
     [MASTODON, TWITTER, HN, OVH_J, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE], 3),
    ("passimport-blur.json", "blur-json",
     [FNER, SPACE, AIB, MNYFYMT, KLIVAK, AFOQWDR, OVH_B, OVH_J, HN, TWITTER, MASTODON], 3),
    ("passimport-dashlane.json", "dashlane-json",
     [HN, SPACE, KLIVAK, FNER, MNYFYMT, MASTODON, OVH_B, OVH_J, AIB, TWITTER, AFOQWDR], 4),
    ("passimport-1password.1pif", "1password-1pif",
     [AFOQWDR, AIB, HN, OVH_B, KLIVAK, FNER, MASTODON, MNYFYMT, TWITTER, OVH_J, SPACE], 10),
    ("passimport-keepassx.xml", "keepassx-xml",
     [FNER, MNYFYMT, AFOQWDR, KLIVAK, MASTODON, HN, TWITTER, OVH_B, OVH_J, AIB, SPACE], 3),
    ("passimport-keepassx-other.xml", "keepassx-xml", [(None, "https://nhysdo.wg", (), "vkeelpbu", SPACE[4])], 1),
    ("passimport-pwsafe.xml", "pwsafe-xml",
     [AIB, SPACE, AFOQWDR, KLIVAK, FNER, MNYFYMT, OVH_B, OVH_J, MASTODON, HN, TWITTER], 3),
    ("passimport-revelation.xml", "revelation-xml",
     [AIB, SPACE, AFOQWDR, KLIVAK, FNER, MNYFYMT, OVH_J, OVH_B, MASTODON, HN, TWITTER], 9),
    ("passimport-revelation-other.xml", "revelation-xml", [
        ("Crypto Key", "host.example.org", (), None, "593BF0AEB673EC6C45D254624415F622240CF7D2"),  # WdAM9ZfxA8
        ("Database", "dbhost.example.org", (), "dbuser", "A2F47E998B310E919729497C419D4AE1AB3DD97B"),  # FuC7vddj33
        ("Email", "mail.example.org", (), "user", "F5330498815649257A44A70F815AE46A7F478B5F"),  # hzuLT4iAV9
        ("FTP", "ftp.example.org", (), "ftpuser", "77E172D885D00AF6939702D39C343020A35681A6"),  # H3a2Zp9cJb
        ("Generic", "host.example.org", (), "user", "D03E0D26B0BDF409ECDF167883D72D6E554C4DB4"),  # ocDb2QvE9v
        ("Remote Desktop", "host.example.org", (), "user", "7C932C1A7E13AD9A1E20A49104B455685751194A"),  # 69jJoVUNXc
        ("Shell", "host.example.org", (), "user", "13F6767C7519F70A4BCC3A7472F43F036D5C8954"),  # T2EoPkN3dn
        ("VNC", "host.example.org", (), "user", "00192B34DECBA0DF97C81E5D2D935E674FCF1764"),  # MhzWJ2i4if
        ("Website", "http://www.example.org/", (), "user", "00B212B93A0469E5A7D27A5A7DAB6B3FF6A8B0F9"),  # muxJMn8a99
    ], 4),
    ("passimport-fpm.xml", "fpm-xml",
     [AIB, AFOQWDR, FNER, KLIVAK, MNYFYMT, MASTODON, HN, OVH_J, OVH_B, SPACE, TWITTER], 3),
    ("protonweb-kaspersky.txt", "kaspersky-txt", [
        ("Website title", "example.com", (), "john", "9D4E1E23BD5B727046A9E3B4B7DB57BD8D6EE684"),  # pass
        ("Website title", "example.com", (), "john2@example.com", "9D4E1E23BD5B727046A9E3B4B7DB57BD8D6EE684"),
        ("Proton Pass.app", None, (), "john", "9D4E1E23BD5B727046A9E3B4B7DB57BD8D6EE684"),
    ], 4),
    ("bitwarden-keeper.json", "keeper-json", [
        ("Bank Account 1", "https://chase.com", (), "customer1234", "5DE002FF5DDA277D5F4CF444442FB01BAFAA4D58"),  # 4813fJDHF4239fdk
        ("Bank Account 2", "https://amex.com", (), "mybankusername", "89EC7FA728D5A3AD7069343D94709CE197236258"),  # w4k4k193f$^&@#*%2
        ("Some Account", "https://example.com", (), "someUserName", "3CF6DA79FB627F2D3BF8B4D7A220A9BDB623A20A"),  # w4k4k1wergf$^&@#*%2
    ], 0),
    ("bitwarden-safeincloud.xml", "safeincloud-xml", [
        ("Google (Sample)", "https://www.google.com", (), "john555@gmail.com", "197BEBF4A1FA1F6D549A27ACE58A20B84F76E6F7"),  # plain79{Area{
        ("Twitter (Sample)", "https://twitter.com", (), "john555@gmail.com", "E8D0C7CC0C3B5DD6BEC94179825F1BB1652D0B9D"),  # shouldbepassword
        ("Laptop (Sample)", None, (), "john555", "AA4DEE53D804C6C3729BFF79CDC2B551B2EF6117"),  # Save63apple
    ], 5),
]


@pytest.mark.parametrize("name,fmt,expected,skipped", CASES, ids=[c[0] for c in CASES])
def test_real_export_read_exactly_by_its_own_reader(name: str, fmt: str, expected: list[tuple[object, ...]], skipped: int) -> None:
    assert detect(InputFile(REAL / name)).name == fmt
    credentials, skips = read(REAL / name)
    assert credentials == expected
    assert len(skips) == skipped, skips
    assert read(REAL / name, forced=fmt) == (credentials, skips)


@pytest.mark.parametrize("name,fmt", [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_forcing_any_other_format_on_a_real_export_is_refused(name: str, fmt: str) -> None:
    from pwcheck.sources import FORMATS

    for other in FORMATS:
        if other.name != fmt:
            with pytest.raises(InputError):
                list(read_export(REAL / name, forced=other.name))


def test_skips_name_the_kind() -> None:
    assert read(REAL / "bitwarden-safeincloud.xml")[1] == [
        "template", "secure note", "not a login (no password field)", "in the trash", "not a login (no password field)"]
    assert read(REAL / "passimport-blur.json")[1] == ["item 2: empty password", "item 5: empty password", "notes 1: secure note"]
    assert read(REAL / "passimport-dashlane.json")[1][-1] == "email address"
    skips = read(REAL / "passimport-1password.1pif")[1]
    assert skips.count("record 1: folder") == 1 and sum("folder" in s for s in skips) == 7
    assert read(REAL / "passimport-revelation-other.xml")[1].count("folder") == 1


def changes(name: str) -> list[tuple[str | None, str | None, bool | None]]:
    return [(c.password_changed.isoformat() if c.password_changed else None, c.changed_kind, c.totp_stored)
            for c in read_export(REAL / name) if isinstance(c, Credential)]


def test_change_times_and_their_kind() -> None:
    # Enpass: the password field's own value_updated_at (1483228800); Password Safe: pmtimex.
    assert set(changes("passimport-enpass.json")) == {("2017-01-01T00:00:00+00:00", "password", False)}
    assert set(changes("passimport-pwsafe.xml")) == {("2017-01-01T00:00:00+00:00", "password", False)}
    # Passman: `changed` (any edit), aib's 1569606011.
    assert changes("passimport-passman.json")[5] == ("2019-09-27T17:40:11+00:00", "edit", False)
    assert set(changes("passimport-keepassx.xml")) == {("2017-01-01T00:00:00+00:00", "edit", None)}
    # SafeInCloud: time_stamp in milliseconds; Google's card holds a one-time password secret.
    assert changes("bitwarden-safeincloud.xml")[0] == ("2021-03-16T15:59:46.722000+00:00", "edit", True)
    # Keeper: TFC:Keeper is the TOTP URI of "Bank Account 2" only; this export has no times.
    assert changes("bitwarden-keeper.json") == [(None, None, False), (None, None, True), (None, None, False)]
    assert set(changes("passimport-fpm.xml")) == {(None, None, None)}


def test_1pif_records_carry_their_line() -> None:
    items = [i for i in read_export(REAL / "passimport-1password.1pif") if isinstance(i, (Credential, Skipped))]
    assert [i.line for i in items][:4] == [1, 3, 5, 7]  # a record per line, a separator line between


@pytest.mark.parametrize("fmt,manager,totp", [
    ("enpass-json", "Enpass", True), ("passman-json", "Passman (Nextcloud)", True), ("blur-json", "Blur (Abine)", False),
    ("dashlane-json", "Dashlane", False), ("keeper-json", "Keeper", True), ("1password-1pif", "1Password", True),
    ("keepassx-xml", "KeePassX", False), ("pwsafe-xml", "Password Safe", True), ("safeincloud-xml", "SafeInCloud", True),
    ("revelation-xml", "Revelation", False), ("fpm-xml", "Figaro's Password Manager", False),
])
def test_each_format_says_its_manager_menu_and_what_it_carries(fmt: str, manager: str, totp: bool) -> None:
    """`pwcheck formats` groups by `manager`, shows the menu path, whether change times and TOTP secrets are carried."""
    chosen = by_name(fmt)
    assert chosen.manager == manager and chosen.export_hint and "time" in chosen.carries
    assert chosen.carries_totp is totp


# -- hostile and broken input: an item that cannot be read exactly is an error, never a skip or a clean --------

def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("password", ["123", "true", "[\"a\"]", "{\"v\": \"a\"}"])
def test_a_password_that_is_not_text_is_an_error_for_that_item(tmp_path: Path, password: str) -> None:
    path = write(tmp_path, "p.json", '[{"credential_id": 1, "guid": "g", "label": "A", "password": %s},'
                 ' {"credential_id": 2, "guid": "h", "label": "B", "password": "pw-b"}]' % password)
    items = list(read_export(path))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.message for e in errors] == ["item 1: the password is not text, cannot be read"]
    assert [c.title for c in items if isinstance(c, Credential)] == ["B"]


def test_an_item_that_is_not_an_object_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "b.json", '{"dntmeExport": true, "accounts": ["x", {"label": "L", "password": "pw-l"}]}')
    items = list(read_export(path))
    assert [i.message for i in items if isinstance(i, InputError)] == ["item 1: not an object, cannot be read"]
    assert [c.sha1 for c in items if isinstance(c, Credential)] == [hashlib.sha1(b"pw-l").digest()]


def test_passwords_are_exact_bytes(tmp_path: Path) -> None:
    """No trimming, no normalisation: spaces at the ends and NFD forms are hashed as written."""
    pw = " e\u0301 "
    path = write(tmp_path, "d.json", '{"AUTHENTIFIANT": [{"title": "T", "password": " e\\u0301 "}]}')
    (credential,) = [c for c in read_export(path) if isinstance(c, Credential)]
    assert credential.sha1 == hashlib.sha1(pw.encode("utf-8")).digest()
    xml = write(tmp_path, "f.xml", '<?xml version="1.0"?><FPM><PasswordList><PasswordItem><title>T</title>'
                f'<password>{pw}</password></PasswordItem></PasswordList></FPM>')
    (credential,) = [c for c in read_export(xml) if isinstance(c, Credential)]
    assert credential.sha1 == hashlib.sha1(pw.encode("utf-8")).digest()


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE KEEPASSX_DATABASE [<!ENTITY x "boom">]>',
    '<!DOCTYPE KEEPASSX_DATABASE SYSTEM "http://example.invalid/x.dtd">',
])
def test_keepassx_doctype_with_declarations_is_refused(tmp_path: Path, doctype: str) -> None:
    path = write(tmp_path, "k2.xml", f'{doctype}<database><group><title>G</title><entry><password>&x;</password>'
                 '</entry></group></database>')
    with pytest.raises(InputError, match="DOCTYPE"):
        list(read_export(path, forced="keepassx-xml"))


def test_keepassx_backup_group_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "k.xml", '<!DOCTYPE KEEPASSX_DATABASE>\n<database><group><title>Backup</title><entry><title>old</title>'
                 '<password>pw-old</password></entry></group><group><title>Web</title><entry><title>new</title>'
                 '<password>pw-new</password></entry></group></database>')
    items = list(read_export(path))
    assert [(type(i).__name__, getattr(i, "title", None)) for i in items] == [("Skipped", None), ("Credential", "new")]


def test_an_encrypted_fpm_file_is_refused_not_read_as_passwords(tmp_path: Path) -> None:
    path = write(tmp_path, "e.xml", '<?xml version="1.0"?><FPM><KeyInfo cipher="aes" /><PasswordList><PasswordItem>'
                 '<password>0a1b2c</password></PasswordItem></PasswordList></FPM>')
    with pytest.raises(InputError, match="encrypted FPM"):
        list(read_export(path))


def test_an_xml_value_holding_elements_is_an_error_not_a_shorter_password(tmp_path: Path) -> None:
    path = write(tmp_path, "p.xml", '<?xml version="1.0"?><passwordsafe><entry><title>T</title><password>ab<b>c</b>d</password>'
                 '</entry></passwordsafe>')
    with pytest.raises(InputError, match="holds XML elements"):
        list(read_export(path))


def test_a_1pif_record_that_is_not_json_is_an_error_with_its_line(tmp_path: Path) -> None:
    sep = "***5642bee8-a5ff-11dc-8314-0800200c9a66***"
    path = write(tmp_path, "x.1pif", f'{{"typeName": "passwords.Password", "title": "A", "secureContents": {{"password": "pw-a"}}}}\n'
                 f'{sep}\n{{"typeName": "webforms.WebForm", "title": \n{sep}\n')
    items = list(read_export(path))
    assert [(type(i).__name__, i.line) for i in items] == [("Credential", 1), ("InputError", 3)]


def test_enpass_trash_and_kinds_without_a_password(tmp_path: Path) -> None:
    """Trashed items are skipped; a passport with an empty password field is skipped as a travel document,
    while a Wi-Fi item (category "computer") holding a password is checked."""
    path = write(tmp_path, "e.json", '{"items": [{"category": "login", "title": "T", "trashed": 1, "fields": '
                 '[{"type": "password", "value": "pw-t"}]}, {"category": "travel", "title": "P", "fields": [{"type": "password", '
                 '"value": ""}]}, {"category": "computer", "title": "W", "fields": [{"type": "password", "value": "pw-w"}]}]}')
    items = list(read_export(path))
    assert [s.reason for s in items if isinstance(s, Skipped)] == ["item 1: in the trash", "item 2: travel document"]
    assert [c.title for c in items if isinstance(c, Credential)] == ["W"]


# -- any JSON type anywhere: items, skips or errors, never a crash ------------------------------------------

KEYS = ["password", "url", "username", "email", "label", "title", "login", "login_url", "type", "value", "category", "fields",
        "trashed", "deleted", "delete_time", "changed", "otp", "custom_fields", "$url", "TFC:Keeper", "value_updated_at",
        "domain", "modifiedAt", "secureContents", "designation", "typeName", "location", "URLs", "sections", "n", "v"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=25,
)
SHAPES = {
    "enpass-json": lambda items: {"items": [{"category": "login", "fields": [], **i} if isinstance(i, dict) else i for i in items]},
    "passman-json": lambda items: [{"credential_id": 1, "guid": "g", **i} if isinstance(i, dict) else i for i in items],
    "blur-json": lambda items: {"dntmeExport": True, "accounts": items, "notes": items},
    "dashlane-json": lambda items: {"AUTHENTIFIANT": items, "EMAIL": items},
    "keeper-json": lambda items: {"records": [{"title": "t", **i} if isinstance(i, dict) else i for i in items]},
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(sorted(SHAPES)), items=st.lists(ANY_JSON, min_size=1, max_size=5))
def test_any_json_type_anywhere_is_read_skipped_or_an_error(tmp_path: Path, fmt: str, items: list[object]) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(SHAPES[fmt](items)), encoding="utf-8")
    try:
        events = list(read_export(path, forced=fmt))
    except InputError:
        return
    assert all(isinstance(e, (Credential, Skipped, InputError)) for e in events)
    assert all(isinstance(c.title, (str, type(None))) and isinstance(c.username, (str, type(None))) for c in events
               if isinstance(c, Credential))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(ANY_JSON, min_size=1, max_size=5))
def test_any_1pif_record_is_read_skipped_or_an_error(tmp_path: Path, records: list[object]) -> None:
    sep = "***5642bee8-a5ff-11dc-8314-0800200c9a66***"
    path = tmp_path / "x.1pif"
    path.write_text("".join(f"{json.dumps(r)}\n{sep}\n" for r in records), encoding="utf-8")
    events = list(read_export(path))
    assert all(isinstance(e, (Credential, Skipped, InputError)) for e in events)
    assert all(e.line for e in events if isinstance(e, InputError))


def test_keeper_newer_keys_more_urls_one_time_code_and_edit_time(tmp_path: Path) -> None:
    """Newer Keeper exports (the shape of bitwarden/clients' keeper-json spec data): `$type`, `last_modified`,
    more addresses in the custom field `$url` (a list, or one), the TOTP URI in `$oneTimeCode`; a record
    without a password (a photo) is skipped for that."""
    path = write(tmp_path, "k.json", json.dumps({"shared_folders": [], "records": [
        {"title": "Photo", "$type": "photo", "last_modified": 1762428779},
        {"title": "Amazon Account", "login": "john", "password": "pw-amazon", "login_url": "https://www.amazon.com", "$type": "login",
         "last_modified": 1762428779, "custom_fields": {"$oneTimeCode": "otpauth://totp/x?secret=I65VU7K5ZQL7WB4E",
                                                        "$url": ["https://login.amazon.com", "https://logout.amazon.com"]}},
    ]}))
    items = list(read_export(path))
    assert [s.reason for s in items if isinstance(s, Skipped)] == ["item 1: empty password"]
    (amazon,) = [c for c in items if isinstance(c, Credential)]
    assert (amazon.url, amazon.other_urls, amazon.username, amazon.totp_stored) == (
        "https://www.amazon.com", ("https://login.amazon.com", "https://logout.amazon.com"), "john", True)
    assert amazon.sha1 == hashlib.sha1(b"pw-amazon").digest()
    assert (amazon.password_changed.isoformat() if amazon.password_changed else None, amazon.changed_kind) == (
        "2025-11-06T11:32:59+00:00", "edit")


def test_kaspersky_password_is_the_rest_of_its_line_exactly(tmp_path: Path) -> None:
    path = tmp_path / "k.txt"
    path.write_bytes(b"Websites\r\n\r\nWebsite name: W\r\nWebsite URL: https://w.example\r\nLogin name: \r\nLogin: me\r\n"
                     b"Password:  a: b \r\nComment: \r\n\r\n---\r\n")
    (credential,) = [c for c in read_export(path) if isinstance(c, Credential)]
    assert credential.sha1 == hashlib.sha1(b" a: b ").digest() and credential.url == "https://w.example"


def test_kaspersky_comment_holding_a_separator_line_is_an_error_not_a_guess(tmp_path: Path) -> None:
    """A comment with a `---` line leaves a chunk that is no entry: an error with its line; the rest is read."""
    path = write(tmp_path, "k.txt", "Websites\n\nWebsite name: A\nWebsite URL: a.example\nLogin name: \nLogin: me\nPassword: pw-a\n"
                 "Comment: one\n---\nPassword: looks like one\n\n---\n\nWebsite name: B\nWebsite URL: b.example\nLogin name: \n"
                 "Login: me\nPassword: pw-b\nComment: \n\n---\n")
    items = list(read_export(path))
    assert [(type(i).__name__, i.line) for i in items] == [("Credential", 3), ("InputError", 10), ("Credential", 14)]


def test_kaspersky_a_comment_cannot_turn_logins_into_notes_nor_cut_a_password(tmp_path: Path) -> None:
    """A comment holding `---` then `Notes` once made every later login a "secure note"; a password holding
    `\\nApplication: z` was cut to its first line. Both are errors now; the other entries are still read."""
    path = write(tmp_path, "k.txt", "Websites\n\nWebsite name: A\nWebsite URL: a.example\nLogin name: \nLogin: me\nPassword: pw-a\n"
                 "Comment: x\n---\nNotes\n\n---\n\nWebsite name: B\nWebsite URL: b.example\nLogin name: \nLogin: me\n"
                 "Password: pw-b\nComment: \n\n---\n")
    items = list(read_export(path))
    assert [type(i).__name__ for i in items] == ["Credential", "InputError"]
    path = write(tmp_path, "k2.txt", "Websites\n\nWebsite name: A\nWebsite URL: a.example\nLogin name: \nLogin: me\n"
                 "Password: p\nApplication: z\nComment: \n\n---\n")
    items = list(read_export(path))
    assert [type(i).__name__ for i in items] == ["InputError"] and "after the password" in items[0].message  # type: ignore[union-attr]


def test_two_different_passwords_in_one_item_are_an_error_not_the_first_of_them(tmp_path: Path) -> None:
    """Enpass JSON (typed fields) and SafeInCloud XML once kept the first password and dropped the other."""
    enpass = write(tmp_path, "e.json", json.dumps({"folders": [], "items": [
        {"title": "A", "category": "login", "fields": [{"type": "password", "value": "pw-one", "deleted": 0},
                                                        {"type": "password", "value": "pw-two", "deleted": 0}]},
        {"title": "B", "category": "login", "fields": [{"type": "password", "value": "pw-same", "deleted": 0},
                                                        {"type": "password", "value": "pw-same", "deleted": 0}]}]}))
    items = list(read_export(enpass, forced="enpass-json"))
    assert [type(i).__name__ for i in items] == ["InputError", "Credential"]
    assert "two different passwords" in items[0].message and "pw-one" not in repr(items)  # type: ignore[union-attr]
    sic = write(tmp_path, "s.xml", '<?xml version="1.0" encoding="utf-8"?>\n<database>\n<card title="A" id="1">'
                '<field name="Password" type="password">pw-one</field><field name="PIN" type="password">pw-two</field>'
                '</card>\n</database>\n')
    items = list(read_export(sic, forced="safeincloud-xml"))
    assert [type(i).__name__ for i in items] == ["InputError"] and "pw-one" not in repr(items)
