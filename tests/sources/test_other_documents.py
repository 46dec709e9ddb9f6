"""`other_documents`: what names a file as another kind of document, on hostile or near-miss input.

The real files (spreadsheets, PDF, GnuPG, Bitwarden's encrypted JSON) are in
`test_real_variants.py`; here the edges: archives that only look like Office files, a huge
`mimetype`, binary data that almost starts like an OpenPGP message.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pwcheck.model.errors import InputError
from pwcheck.sources import read_export
from pwcheck.sources.other_documents import _openpgp_binary


def _message(path: Path) -> str:
    with pytest.raises(InputError) as error:
        list(read_export(path))
    return error.value.message


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("members,named", [
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, "OpenDocument .ods"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text"}, "OpenDocument .odt"),
    ({"mimetype": b"application/vnd.oasis.opendocument.presentation"}, "OpenDocument file"),
    ({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, "Word document (.docx)"),
    ({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}, "Office Open XML document"),
])
def test_office_archives_are_named_by_their_members(tmp_path: Path, members: dict[str, bytes], named: str) -> None:
    message = _message(_zip(tmp_path / "doc", members))
    assert named in message and "export the passwords again" in message


@pytest.mark.parametrize("members", [
    {"mimetype": b"application/epub+zip"},  # another kind of ZIP: not named as an Office file
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet" + b" " * 10_000},  # longer than any mimetype
    {"xl/workbook.xml": b"<x/>"},  # Excel's folder without [Content_Types].xml
])
def test_other_archives_stay_unrecognised_zips(tmp_path: Path, members: dict[str, bytes]) -> None:
    assert _message(_zip(tmp_path / "a.zip", members)) == "ZIP archive without a recognised export inside"


def test_ole2_without_a_known_stream_is_an_office_document(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Other".encode("utf-16-le") + bytes(100))
    assert _message(path).startswith("Microsoft Office document (OLE2 compound file)")


def test_password_protected_office_file_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(100))
    assert _message(path).startswith("password-protected Office document")


@pytest.mark.parametrize("head,expected", [
    (bytes.fromhex("8c0d040903024545") + bytes(8), True),  # gpg --symmetric: tag 3, version 4
    (bytes.fromhex("845e0347b0c2a52f") + bytes(8), True),  # gpg --encrypt: tag 1, version 3
    (bytes.fromhex("c15e0347b0c2a52f") + bytes(8), True),  # new packet format, tag 1, version 3
    (bytes.fromhex("845e0747b0c2a52f") + bytes(8), False),  # tag 1 with an unknown version
    (bytes.fromhex("880d040903024545") + bytes(8), False),  # tag 2 (a signature): not an encrypted message
    (bytes.fromhex("8f0d040903024545") + bytes(8), False),  # indeterminate length
    (bytes.fromhex("c1e0040903024545") + bytes(8), False),  # partial body length
    (b"\x8c\x0d\x04", False),  # too short to tell
    (b"name,url\n", False),
])
def test_binary_openpgp_is_told_by_its_first_packet(head: bytes, expected: bool) -> None:
    assert _openpgp_binary(head) is expected


def test_near_miss_binary_stays_binary_data(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(bytes.fromhex("845e07") + bytes(range(256)) * 4)
    assert _message(path) == "binary data (NUL bytes), not a password export"
