"""Every export format: exact credentials, detection by content, refusal of the wrong reader."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.report._rows import iso
from pwcheck.sources import FORMATS, detect, read_export
from pwcheck.sources._input import InputFile
from pwcheck.sources.kdbx import KdbxKey
from tests.support import fixture_data as fd

CASES = fd.FORMAT_CASES
SPINE = [("chrome.csv", "chromium"), ("chrome-old.csv", "chromium"), ("firefox.csv", "firefox"), ("bitwarden.json", "bitwarden-json")]
ALL_FIXTURES = [(name, fmt) for name, fmt, _, _ in CASES] + SPINE


def kdbx_key(display: str) -> KdbxKey:
    return KdbxKey(fd.KDBX_PASSWORD, None)


def read_all(path: Path, forced: str | None = None) -> tuple[list[Credential], list[Skipped]]:
    items = list(read_export(path, forced=forced, unlock=kdbx_key))
    return [i for i in items if isinstance(i, Credential)], [i for i in items if isinstance(i, Skipped)]


def digest(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8")).digest()


@pytest.mark.parametrize("name,fmt,expected,skipped", CASES, ids=[c[0] for c in CASES])
def test_reader_returns_exactly_the_export(fixtures: Path, name: str, fmt: str, expected, skipped: int) -> None:
    credentials, skips = read_all(fixtures / name)
    got = [(c.url, c.username, c.sha1, iso(c.password_changed), c.changed_kind, c.title, c.other_urls) for c in credentials]
    want = [(e.url, e.username, digest(e.password), e.changed, e.kind, e.title, e.other_urls) for e in expected]
    assert got == want
    assert {c.format for c in credentials} == {fmt}
    assert len(skips) == skipped, [s.reason for s in skips]
    assert all(s.reason for s in skips)


@pytest.mark.parametrize("name,fmt", ALL_FIXTURES, ids=[c[0] for c in ALL_FIXTURES])
def test_detected_by_content_not_name(tmp_path: Path, fixtures: Path, name: str, fmt: str) -> None:
    renamed = tmp_path / "export.dat"
    shutil.copy(fixtures / name, renamed)
    assert detect(InputFile(renamed)).name == fmt


@pytest.mark.parametrize("name,fmt", ALL_FIXTURES, ids=[c[0] for c in ALL_FIXTURES])
def test_forcing_any_other_format_is_refused(fixtures: Path, name: str, fmt: str) -> None:
    """`--input-format` with the wrong reader is one clear error, never shifted or empty fields."""
    for other in FORMATS:
        if other.name == fmt:
            continue
        with pytest.raises(InputError) as error:
            list(read_export(fixtures / name, forced=other.name, unlock=kdbx_key))
        assert str(fixtures / name) in str(error.value)


@pytest.mark.parametrize("name,fmt", ALL_FIXTURES, ids=[c[0] for c in ALL_FIXTURES])
def test_forcing_the_right_format_reads_the_same(fixtures: Path, name: str, fmt: str) -> None:
    assert read_all(fixtures / name, forced=fmt) == read_all(fixtures / name)


def test_skip_reasons_name_the_kind(fixtures: Path) -> None:
    def reasons(name: str) -> str:
        return " | ".join(s.reason for s in read_all(fixtures / name)[1])

    assert "secure note" in reasons("lastpass.csv")
    assert "recycle bin" in reasons("keepassxc.csv") and "recycle bin" in reasons("keepass.xml") and "recycle bin" in reasons("keepass.kdbx")
    assert all(kind in reasons("bitwarden.csv") for kind in ("secure note", "card", "identity"))
    assert all(kind in reasons("nordpass.csv") for kind in ("folder", "secure note", "card"))
    assert all(kind in reasons("1password.1pux") for kind in ("secure note", "card", "archived"))
    assert "trash" in reasons("proton-pass.zip") and "alias" in reasons("proton-pass.zip")
    assert "archived" in reasons("1password.csv") and "secure note" in reasons("proton-pass.csv")
    assert "secure note" in reasons("dashlane.zip") and "empty password" in reasons("safari.csv")


def test_lastpass_lines_are_physical_lines(fixtures: Path) -> None:
    """CR CR LF is one line end: the reported lines are the ones an editor shows."""
    credentials, skips = read_all(fixtures / "lastpass.csv")
    assert [c.line for c in credentials] == [2, 3, 7, 8, 11]
    assert skips[0].line == 4


def test_lastpass_without_doubled_cr_keeps_crlf_in_a_password(tmp_path: Path) -> None:
    from tests.support.exporters import lastpass_text

    path = tmp_path / "lp.csv"
    row = {"url": "https://a.example.com", "username": "u", "password": "a\r\nb", "name": "A", "fav": "0"}
    path.write_bytes(lastpass_text(["url", "username", "password", "extra", "name", "grouping", "fav"], [row], windows=False).encode())
    credentials, _ = read_all(path)
    assert [c.sha1 for c in credentials] == [digest("a\r\nb")]


def test_dashlane_credentials_csv_alone(tmp_path: Path, fixtures: Path) -> None:
    import zipfile

    path = tmp_path / "credentials.csv"
    path.write_bytes(zipfile.ZipFile(fixtures / "dashlane.zip").read("credentials.csv"))
    credentials, _ = read_all(path)
    assert [c.sha1 for c in credentials] == [digest(e.password) for e in fd.DASHLANE]


def test_dashlane_zip_resaved_with_semicolons_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    """A ZIP member goes through the file's own detection: a `;` CSV inside the archive is read as one outside."""
    import csv
    import io
    import zipfile

    from tests.support.exporters import zip_bytes

    def semicolons(text: str) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text, newline="")))
        return out.getvalue()

    original = zipfile.ZipFile(fixtures / "dashlane.zip")
    members = {name: semicolons(original.read(name).decode("utf-8")) for name in original.namelist()}
    assert all(";" in text for text in members.values())
    path = tmp_path / "dashlane-semicolon.zip"
    path.write_bytes(zip_bytes(members))
    assert detect(InputFile(path)).name == "dashlane"
    credentials, skips = read_all(path)
    want_credentials, want_skips = read_all(fixtures / "dashlane.zip")
    assert [(c.url, c.username, c.sha1, c.title) for c in credentials] == [(c.url, c.username, c.sha1, c.title) for c in want_credentials]
    assert [s.reason for s in skips] == [s.reason for s in want_skips] and skips


def test_proton_data_json_alone(tmp_path: Path, fixtures: Path) -> None:
    import zipfile

    path = tmp_path / "data.json"
    path.write_bytes(zipfile.ZipFile(fixtures / "proton-pass.zip").read("Proton Pass/data.json"))
    credentials, _ = read_all(path)
    assert detect(InputFile(path)).name == "proton-pass-json"
    assert [c.sha1 for c in credentials] == [digest(e.password) for e in fd.PROTON_JSON]


def test_a_new_column_still_reads_as_its_format(tmp_path: Path, fixtures: Path) -> None:
    """An exporter that adds a column keeps its reader (and its change time), not the generic one."""
    lines = (fixtures / "keepassxc.csv").read_text().split("\n")
    lines = [lines[0] + ',"Tags"'] + [line + ',""' for line in lines[1:] if line]
    path = tmp_path / "newer.csv"
    path.write_text("\n".join(lines) + "\n")
    assert detect(InputFile(path)).name == "keepassxc-csv"
    credentials, _ = read_all(path)
    assert [iso(c.password_changed) for c in credentials] == [e.changed for e in fd.KEEPASSXC]


def test_generic_never_takes_a_known_format(fixtures: Path) -> None:
    for name, fmt in ALL_FIXTURES:
        assert detect(InputFile(fixtures / name)).name != "generic-csv" or fmt == "generic-csv"


@pytest.mark.parametrize(
    "content,message",
    [
        ('{"encrypted": false, "vaults": {}}', None),
        ("-----BEGIN PGP MESSAGE-----\n\nhQEMA...\n-----END PGP MESSAGE-----\n", "PGP-encrypted"),
        ('<?xml version="1.0"?><html></html>', "XML, but not a recognised export structure"),
        ("Title,URL,Username\nA,https://a,u\n", "missing columns: Password"),
    ],
)
def test_other_unrecognised_shapes(tmp_path: Path, content: str, message: str | None) -> None:
    path = tmp_path / "x"
    path.write_text(content)
    if message is None:
        assert read_all(path) == ([], [])
        return
    with pytest.raises(InputError) as error:
        read_all(path)
    assert message in str(error.value)


def test_encrypted_proton_zip_says_how_to_export(tmp_path: Path) -> None:
    from tests.support.exporters import zip_bytes

    path = tmp_path / "proton.zip"
    path.write_bytes(zip_bytes({"Proton Pass/data.pgp": b"-----BEGIN PGP MESSAGE-----\n..."}))
    with pytest.raises(InputError) as error:
        read_all(path)
    assert "encrypted Proton Pass export" in str(error.value) and "without encryption" in str(error.value)


@pytest.mark.parametrize(
    "xml,message",
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE KeePassFile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
            "<KeePassFile><Root><Group><Entry><String><Key>Password</Key><Value>&b;</Value></String></Entry></Group></Root></KeePassFile>\n",
            ":2: XML with a DOCTYPE",
        ),
        (
            "<KeePassFile><Root><Group><Entry><String><Key>Password</Key>"
            '<Value Protected="True">q83v</Value></String></Entry></Group></Root></KeePassFile>\n',
            "still encrypted",
        ),
    ],
    ids=["entity-expansion", "protected-values"],
)
def test_keepass_xml_refuses_entities_and_protected_values(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "k.xml"
    path.write_text(xml)
    with pytest.raises(InputError) as error:
        read_all(path)
    assert message in str(error.value)
