"""Issue 16's last formats: Avast Passwords (CSV, JSON), Avira Password Manager (CSV), Bitwarden's ZIP
export with attachments.

No real Avast or Avira export is public (none in pass-import's, Bitwarden's or Proton Pass's test
data; searched, see tests/fixtures/SOURCES.md): their fixtures in tests/fixtures/constructed/ are
CONSTRUCTED from the columns and keys Bitwarden's importers read, not a real exporter's files.
The Bitwarden ZIP is built as Bitwarden's exporter lays it out (tests/support/bitwarden_zip.py)
around a REAL Bitwarden JSON export (KeePassXC's test data). Expected credentials are written out
literally: each SHA-1 computed with `printf %s 'pw' | sha1sum`, not with pwcheck's code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import Note
from pwcheck.sources import by_name, detect, read_export
from pwcheck.sources._input import InputFile
from tests.support import bitwarden_zip
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

CONSTRUCTED = Path(__file__).resolve().parents[1] / "fixtures" / "constructed"

# The login of the real Bitwarden JSON export (KeePassXC tests/data/bitwarden_export.json).
BITWARDEN_LOGIN = ("Login Name", "https://mail.google.com", ("https://google.com", "https://gmail.com"),
                   "myusername@gmail.com", "91DFD9DDB4198AFFC5C194CD8CE6D338FDE470E2")


def read(path: Path, forced: str | None = None) -> tuple[list[tuple[object, ...]], list[str], list[object]]:
    events = list(read_export(path, forced=forced))
    credentials = [(c.title, c.url, c.other_urls, c.username, c.sha1.hex().upper()) for c in events if isinstance(c, Credential)]
    return credentials, [s.reason for s in events if isinstance(s, Skipped)], events


def test_avast_csv_constructed_from_bitwardens_importer() -> None:
    """CONSTRUCTED from Bitwarden's AvastCsvImporter columns (name, web, login, password), not a real
    export. The quoted password keeps its comma, quotes and trailing space; the empty one is skipped."""
    path = CONSTRUCTED / "avast.csv"
    assert detect(InputFile(path)).name == "avast-csv"
    credentials, skipped, _ = read(path)
    assert credentials == [
        ("Example Mail", "https://mail.example.com/", (), "alice@example.com", "6B1074D614B32B53A2A4C555C502A79F26765746"),
        ("Forum, old", "forum.example.org", (), "alice", "85F7E148F81D819F3BE40128957D4FD113490018"),
    ]
    assert skipped == ["empty password"]


def test_avira_csv_constructed_from_bitwardens_importer() -> None:
    """CONSTRUCTED from Bitwarden's AviraCsvImporter columns, not a real export. Without `username`
    the `secondary_username` is the login (as Bitwarden reads it); the empty password is skipped."""
    path = CONSTRUCTED / "avira.csv"
    assert detect(InputFile(path)).name == "avira-csv"
    credentials, skipped, _ = read(path)
    assert credentials == [
        ("Shop", "https://shop.example.com/login", (), "bob", "B0F95872F6CEFB01AFB90867C7E96FFE49C8B7C7"),
        (None, "https://news.example.net/", (), "bob@example.net", "8EC0AF9E9B07ED30EF19FFEA36D6E4E0CFF6DB24"),
    ]
    assert skipped == ["empty password"]


def test_avast_json_constructed_from_bitwardens_importer() -> None:
    """CONSTRUCTED from Bitwarden's AvastJsonImporter keys, not a real export: logins read (the second
    password's `ü` hashed as UTF-8, unnormalised), the note and the card each skipped with its kind."""
    path = CONSTRUCTED / "avast.json"
    assert detect(InputFile(path)).name == "avast-json"
    credentials, skipped, _ = read(path)
    assert credentials == [
        ("Example Bank", "https://bank.example.com/", (), "dave", "EBEB292F8434E56A6EBB14D2E6097F1AA3A9D586"),
        ("No address", None, (), "dave2", "29F4AF075F070939776986F91FDE74404BA7DC8E"),
    ]
    assert skipped == ["notes 1: secure note", "cards 1: card"]


def test_avast_json_hostile_types_are_errors_not_cleans(tmp_path: Path) -> None:
    """A password that is not text cannot be read exactly (an error with its place); a title or a URL
    of another type is left out, never passed on."""
    doc = {"logins": [{"custName": ["x"], "url": 7, "loginName": "eve", "pwd": 12345},
                      {"custName": "ok", "url": {"a": 1}, "loginName": None, "pwd": "Avast-json-1"}]}
    path = tmp_path / "avast.json"
    path.write_text(json.dumps(doc))
    _, _, events = read(path)
    errors = [e for e in events if isinstance(e, InputError)]
    assert len(errors) == 1 and "item 1" in errors[0].message and "not text" in errors[0].message
    assert [(c.title, c.url, c.username) for c in events if isinstance(c, Credential)] == [("ok", None, None)]


def test_a_json_with_logins_but_not_avasts_keys_is_not_avast(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"logins": [{"hostname": "https://a.example", "encryptedPassword": "x"}]}))
    with pytest.raises(InputError):
        detect(InputFile(path))


def test_bitwarden_zip_reads_data_json_with_the_bitwarden_reader(tmp_path: Path) -> None:
    """Bitwarden's ZIP around its real JSON export: the login exactly, the note, card and identity
    skipped, the attachment left unread and said so, the format named `bitwarden-zip`."""
    path = bitwarden_zip.build(tmp_path / "bitwarden_export.zip", bitwarden_zip.REAL_JSON.read_bytes(), bitwarden_zip.ATTACHMENTS)
    assert detect(InputFile(path)).name == "bitwarden-zip"
    credentials, skipped, events = read(path)
    assert credentials == [BITWARDEN_LOGIN]
    assert skipped == ["item 1: secure note", "item 2: card", "item 3: identity"]
    (login,) = [c for c in events if isinstance(c, Credential)]
    assert login.format == "bitwarden-zip" and login.totp_stored is True
    assert [n.message for n in events if isinstance(n, Note)] == ["1 attachment(s) not read: files attached to items are not exports"]


def test_bitwarden_zip_keeps_change_times_as_the_json_reader_gives_them(tmp_path: Path) -> None:
    """The real JSON above has no change time; pwcheck's generated Bitwarden export has them: in a ZIP
    every item reads as the JSON file itself reads (change time and its kind, TOTP answer), only the
    format named differently."""
    plain = bitwarden_zip.REAL_JSON.parents[1] / "bitwarden.json"
    path = bitwarden_zip.build(tmp_path / "b.zip", plain.read_bytes(), {})

    def facts(source: Path) -> list[tuple[object, ...]]:
        return [(c.title, c.url, c.other_urls, c.username, c.sha1, c.password_changed, c.changed_kind, c.totp_stored)
                for c in read_export(source) if isinstance(c, Credential)]

    zipped = facts(path)
    assert zipped == facts(plain) and len(zipped) >= 2
    assert any(changed is not None and kind == "password" for *_, changed, kind, _ in zipped)


def test_committed_bitwarden_zip_is_the_builders_output(tmp_path: Path) -> None:
    """The fixture the privacy scan reads is exactly what the builder writes from the real JSON."""
    built = bitwarden_zip.build(tmp_path / "b.zip", bitwarden_zip.REAL_JSON.read_bytes(), bitwarden_zip.ATTACHMENTS)
    assert built.read_bytes() == bitwarden_zip.FIXTURE.read_bytes()
    assert read(bitwarden_zip.FIXTURE)[0] == [BITWARDEN_LOGIN]


def test_bitwarden_zip_attachments_are_never_read_as_exports(tmp_path: Path) -> None:
    """Attachments named like other managers' exports (Dashlane's credentials.csv, a Chrome CSV, another
    Bitwarden data.json) change nothing: only the root data.json is read."""
    chrome = b"name,url,username,password\nx,https://x.example,attacker,Attachment-pw-1\n"
    dashlane = b"username,username2,username3,title,password,note,url,category\na,,,t,Attachment-pw-2,,https://d.example,\n"
    other = json.dumps({"encrypted": False, "items": [{"type": 1, "name": "inner", "login": {"password": "Attachment-pw-3"}}]})
    attachments = {bitwarden_zip.LOGIN_ID: {"credentials.csv": dashlane, "chrome.csv": chrome, "data.json": other.encode()}}
    path = bitwarden_zip.build(tmp_path / "b.zip", bitwarden_zip.REAL_JSON.read_bytes(), attachments)
    assert detect(InputFile(path)).name == "bitwarden-zip"
    credentials, _, events = read(path)
    assert credentials == [BITWARDEN_LOGIN]
    assert [n.message for n in events if isinstance(n, Note)] == ["3 attachment(s) not read: files attached to items are not exports"]


def test_a_zip_with_data_json_only_under_attachments_is_not_a_bitwarden_export(tmp_path: Path) -> None:
    path = bitwarden_zip.build(tmp_path / "b.zip", b"{}", {"x": {"data.json": bitwarden_zip.REAL_JSON.read_bytes()}},
                               data_name="readme.txt")
    with pytest.raises(InputError) as error:
        detect(InputFile(path))
    assert "ZIP" in error.value.message
    with pytest.raises(InputError):
        list(read_export(path, forced="bitwarden-zip"))


def test_encrypted_bitwarden_zip_is_named_and_exit_2(tmp_path: Path, range_server: RangeServer) -> None:
    """A ZIP whose data.json is an encrypted export is named as such, with how to export a readable
    one: exit 2 (input error), never a clean."""
    encrypted = json.dumps({"encrypted": True, "encKeyValidation_DO_NOT_EDIT": "2.AAAA|BBBB|CCCC", "folders": [], "items": []})
    path = bitwarden_zip.build(tmp_path / "enc.zip", encrypted.encode(), {})
    assert detect(InputFile(path)).name == "bitwarden-zip"
    with pytest.raises(InputError) as error:
        list(read_export(path))
    assert "encrypted Bitwarden export" in error.value.message
    proc = invoke("audit", str(path), "--api-url", range_server.url, "--no-progress")
    assert proc.returncode == 2
    assert "encrypted Bitwarden export" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


def test_a_bitwarden_zip_whose_data_json_is_broken_is_not_read_as_clean(tmp_path: Path) -> None:
    path = bitwarden_zip.build(tmp_path / "b.zip", b'{"encrypted": false, "items": [', {})
    with pytest.raises(InputError):
        list(read_export(path))


def test_forcing_bitwarden_zip_on_the_plain_json_is_refused() -> None:
    with pytest.raises(InputError) as error:
        list(read_export(bitwarden_zip.REAL_JSON, forced="bitwarden-zip"))
    assert "not a Bitwarden ZIP" in error.value.message
    assert by_name("bitwarden-zip").manager == by_name("bitwarden-json").manager == "Bitwarden"
