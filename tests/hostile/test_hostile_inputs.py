"""Broken and hostile files: each is one clear error naming the file (and line), never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential
from pwcheck.model.errors import InputError
from pwcheck.sources import _zip, read_export
from pwcheck.sources.kdbx import KdbxKey
from tests.support import fixture_data as fd
from tests.support.exporters import zip_bytes

CHROME_HEADER = "name,url,username,password\n"
LASTPASS_HEADER = "url,username,password,totp,extra,name,grouping,fav\r\r\n"


def error_of(path: Path, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        list(read_export(path, **kwargs))
    assert str(path) in str(caught.value)
    return caught.value


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fixture", ["bitwarden.json", "keepass.xml"])
def test_truncated_documents_name_the_line(tmp_path: Path, fixtures: Path, fixture: str) -> None:
    data = (fixtures / fixture).read_bytes()
    error = error_of(write(tmp_path, fixture, data[: len(data) // 2]))
    assert error.line is not None and error.line > 1
    assert "invalid" in error.message


@pytest.mark.parametrize("fixture", ["dashlane.zip", "1password.1pux", "proton-pass.zip", "keepass.kdbx"])
def test_truncated_archives_are_one_error(tmp_path: Path, fixtures: Path, fixture: str) -> None:
    data = (fixtures / fixture).read_bytes()
    error = error_of(write(tmp_path, fixture, data[: len(data) // 2]), unlock=lambda _: KdbxKey(fd.KDBX_PASSWORD, None))
    assert any(word in error.message for word in ("ZIP", "KeePass", "binary"))


def test_zip_bomb_member_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member inflating far beyond its size is cut off at the cap, whatever its header says."""
    monkeypatch.setattr(_zip, "MAX_MEMBER_BYTES", 4 * 1024 * 1024)
    path = tmp_path / "bomb.1pux"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.attributes", "{}")
        with archive.open("export.data", "w") as member:
            for _ in range(64):
                member.write(b" " * (1024 * 1024))  # 64 MiB of spaces: valid JSON whitespace, ~64 KiB compressed
    assert path.stat().st_size < 1024 * 1024
    error = error_of(path)
    assert "inflates past 4 MiB" in error.message


def test_zip_with_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zip, "MAX_MEMBERS", 50)
    path = write(tmp_path, "many.zip", zip_bytes({f"m{i}.csv": "a,b\n" for i in range(51)} | {"credentials.csv": "x"}))
    assert "more than 50 members" in error_of(path).message


def test_zip_declaring_too_many_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zip, "MAX_TOTAL_BYTES", 1000)
    path = write(tmp_path, "big.zip", zip_bytes({"credentials.csv": "x" * 2000}))
    assert "expands to more than" in error_of(path).message


@pytest.mark.parametrize(
    "header,terminator",
    [(CHROME_HEADER, "\n"), (LASTPASS_HEADER, "\r\r\n")],
    ids=["csv", "lastpass"],
)
def test_hundred_megabyte_field_names_its_line(tmp_path: Path, header: str, terminator: str) -> None:
    path = tmp_path / "huge.csv"
    first = "A,https://a.example,u,p1" if header == CHROME_HEADER else "https://a.example,u,p1,,,A,,0"
    with open(path, "w", newline="") as handle:
        handle.write(header + first + terminator)
        handle.write("B,https://b.example,u," + "x" * (100 * 1024 * 1024) + terminator)
    error = error_of(path)
    assert error.line == 3 and ("field larger than field limit" in error.message or "line longer than" in error.message)


@pytest.mark.parametrize("megabytes", [40, 100])
def test_huge_json_field_is_read_or_refused_by_size(tmp_path: Path, megabytes: int) -> None:
    """Under the JSON size limit a huge field is just read (and hashed); over it, one clear error."""
    big = "x" * (megabytes * 1024 * 1024)
    path = tmp_path / "big.json"
    path.write_text('{"encrypted": false, "items": [{"type": 1, "name": "A", "login": {"uris": [], "username": "u", "password": "' + big + '"}}]}')
    if megabytes < 64:
        items = list(read_export(path))
        assert len(items) == 1 and isinstance(items[0], Credential)
    else:
        assert "JSON document larger than 64 MiB" in error_of(path).message


@pytest.mark.parametrize("header,row", [(CHROME_HEADER, "B,https://b.example,u,p\x00w\n"), (LASTPASS_HEADER, "https://b,u,p\x00w,,,B,,0\r\r\n")])
@pytest.mark.parametrize("rows_before", [1, 5000], ids=["in-sample", "past-sample"])
def test_nul_byte_names_its_line(tmp_path: Path, header: str, row: str, rows_before: int) -> None:
    """Early NULs are caught by sniffing, later ones while reading: both name the line."""
    first = "A,https://a.example,u,p1\n" if header == CHROME_HEADER else "https://a,u,p1,,,A,,0\r\r\n"
    error = error_of(write(tmp_path, "nul.csv", (header + first * rows_before + row).encode()))
    assert error.line == rows_before + 2 and "NUL byte" in error.message


@pytest.mark.parametrize("header", [CHROME_HEADER, LASTPASS_HEADER], ids=["csv", "lastpass"])
def test_wrong_encoding_names_its_line(tmp_path: Path, header: str) -> None:
    row = "A,https://a.example,u,pässword\n" if header == CHROME_HEADER else "https://a,u,pässword,,,A,,0\r\r\n"
    error = error_of(write(tmp_path, "latin1.csv", (header + row).encode("latin-1")))
    assert error.line == 2 and "not valid UTF-8" in error.message


def test_utf8_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + (CHROME_HEADER + f"A,https://a.example,u,{fd.UMLAUT}\n").encode())
    (credential,) = list(read_export(path))
    assert isinstance(credential, Credential) and credential.sha1 == fd_digest(fd.UMLAUT)


def test_utf16_without_bom_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "u16.csv", (CHROME_HEADER + "A,https://a.example,u,p\n").encode("utf-16-le"))
    assert "UTF-16 text without a byte-order mark" in error_of(path).message


def test_unterminated_quote_at_end_is_a_clean_error(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "cut.csv", (CHROME_HEADER + 'A,https://a.example,u,"p1\n').encode()))
    assert error.line is not None


def test_lastpass_ragged_and_raw_quote_rows_do_not_swallow_the_rest(tmp_path: Path) -> None:
    rows = ['https://a,u,"open-quote,,,A,,0', "https://b,v,p2,,,B", "https://c,w,p3,,,C,,0"]
    path = write(tmp_path, "lp.csv", (LASTPASS_HEADER + "".join(r + "\r\r\n" for r in rows)).encode())
    items = list(read_export(path))
    assert [getattr(i, "username", None) for i in items if isinstance(i, Credential)] == ["u", "w"]
    assert [i.line for i in items if not isinstance(i, Credential)] == [3]


def test_kdbx_wrong_password_is_one_clear_error(fixtures: Path) -> None:
    error = error_of(fixtures / "keepass.kdbx", unlock=lambda _: KdbxKey("not-the-password", None))
    assert error.message == "wrong password or key file for this KeePass database"


def test_kdbx_missing_key_file(fixtures: Path, tmp_path: Path) -> None:
    error = error_of(fixtures / "keepass.kdbx", unlock=lambda _: KdbxKey(None, tmp_path / "nope.key"))
    assert "key file" in error.message and "not found" in error.message


def test_binary_junk_everywhere(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 64
    assert "binary data" in error_of(write(tmp_path, "junk.bin", junk)).message
    assert "broken ZIP" in error_of(write(tmp_path, "junk.zip", b"PK\x03\x04" + junk)).message
    assert "KeePass" in error_of(write(tmp_path, "junk.kdbx", b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5" + junk), unlock=lambda _: KdbxKey("x", None)).message


def fd_digest(password: str) -> bytes:
    import hashlib

    return hashlib.sha1(password.encode()).digest()
