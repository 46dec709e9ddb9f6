"""Each reader returns exactly the credentials its fixture holds, detected by content."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.report._rows import iso
from pwcheck.sources import detect, read_export
from pwcheck.sources._input import InputFile
from tests.support import fixture_data as fd

CASES = [
    ("chrome.csv", "chromium", fd.CHROME, fd.CHROME_SKIPPED),
    ("chrome-old.csv", "chromium", fd.CHROME_OLD, 0),
    ("firefox.csv", "firefox", fd.FIREFOX, fd.FIREFOX_SKIPPED),
    ("bitwarden.json", "bitwarden-json", fd.BITWARDEN, fd.BITWARDEN_SKIPPED),
]


def read_all(path: Path) -> tuple[list[Credential], list[Skipped]]:
    items = list(read_export(path))
    return [i for i in items if isinstance(i, Credential)], [i for i in items if isinstance(i, Skipped)]


@pytest.mark.parametrize("name,fmt,expected,skipped", CASES)
def test_reader_returns_exactly_the_export(fixtures: Path, name: str, fmt: str, expected, skipped: int) -> None:
    credentials, skips = read_all(fixtures / name)
    got = [(c.url, c.username, c.sha1, iso(c.password_changed)) for c in credentials]
    want = [(e.url, e.username, hashlib.sha1(e.password.encode()).digest(), e.changed) for e in expected]
    assert got == want
    assert {c.format for c in credentials} == {fmt}
    assert len(skips) == skipped


@pytest.mark.parametrize("name,fmt,expected,skipped", CASES)
def test_detection_by_content_not_name(tmp_path: Path, fixtures: Path, name: str, fmt: str, expected, skipped) -> None:
    renamed = tmp_path / "export.dat"
    shutil.copy(fixtures / name, renamed)
    assert detect(InputFile(renamed)).name == fmt


def test_titles_and_other_urls_kept(fixtures: Path) -> None:
    chrome, _ = read_all(fixtures / "chrome.csv")
    assert [c.title for c in chrome] == [e.title for e in fd.CHROME]
    bitwarden, _ = read_all(fixtures / "bitwarden.json")
    assert list(bitwarden[0].other_urls) == fd.BITWARDEN_OTHER_URLS["Vault"]
    assert bitwarden[0].changed_kind == "password"


def test_skips_have_reasons(fixtures: Path) -> None:
    _, skips = read_all(fixtures / "bitwarden.json")
    reasons = " ".join(s.reason for s in skips)
    for kind in ("secure note", "card", "identity", "empty password"):
        assert kind in reasons
    _, firefox_skips = read_all(fixtures / "firefox.csv")
    assert "Firefox Accounts" in firefox_skips[0].reason and firefox_skips[0].line == 2


def test_credential_repr_never_shows_the_hash(fixtures: Path) -> None:
    credentials, _ = read_all(fixtures / "chrome.csv")
    for credential in credentials:
        text = repr(credential) + str(credential)
        assert credential.sha1.hex() not in text.lower()
        assert "redacted" in text
    assert not hasattr(credentials[0], "password")


def test_encrypted_bitwarden_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bw.json"
    path.write_text('{"encrypted": true, "passwordProtected": true, "data": "2.abc|def"}')
    with pytest.raises(InputError) as error:
        list(read_export(path))
    assert "encrypted Bitwarden export" in str(error.value) and str(path) in str(error.value)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary\x00junk" * 10, "binary data"),
        (b"just some text\nwithout a header\n", "no CSV header"),
        (b"name,url,username\nx,y,z\n", "closest format: Chrome / Edge / Brave / Opera / Vivaldi CSV (missing columns: password)"),
        (b'{"items": [1, 2', "invalid JSON"),
        (b'{"hello": "world"}', "not a recognised export structure"),
    ],
)
def test_unrecognised_input_names_the_problem(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        list(read_export(path))
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_utf16_with_bom_is_read(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes((fixtures / "chrome-old.csv").read_text(encoding="utf-8").encode("utf-16"))
    credentials, _ = read_all(path)
    assert [c.sha1 for c in credentials] == [hashlib.sha1(e.password.encode()).digest() for e in fd.CHROME_OLD]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,url,username,password\nA,https://a.example,u,pässword\n".encode("latin-1"))
    with pytest.raises(InputError) as error:
        list(read_export(path))
    assert "not valid UTF-8" in str(error.value)


def test_ragged_row_is_a_read_error_with_its_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("name,url,username,password\nA,https://a.example,u,p1\nB,https://b.example\nC,https://c.example,w,p3\n")
    items = list(read_export(path))
    assert [c.username for c in items if isinstance(c, Credential)] == ["u", "w"]
    assert not any(isinstance(item, Skipped) for item in items)  # could not read is never "skipped"
    errors = [item for item in items if isinstance(item, InputError)]
    assert [(e.line, e.message.startswith("row has 2 fields, header has 4")) for e in errors] == [(3, True)]


def test_huge_field_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "w") as handle:
        handle.write("name,url,username,password\nA,https://a.example,u,p1\n")
        handle.write('B,https://b.example,u,"' + "x" * (3 * 1024 * 1024) + '"\n')
    with pytest.raises(InputError) as error:
        list(read_export(path))
    assert "field larger than field limit" in str(error.value) and ":3" in str(error.value)
