"""Header versions of supported formats, ambiguous headers, and other kinds of documents (issue 16).

Every file here comes from a real exporter (see tests/fixtures/SOURCES.md). The expected
credentials are written out literally as an independent reader sees them (title, URL, other
URLs, username, the password's SHA-1 computed with `sha1sum` / Python's csv module and
hashlib, never with pwcheck's code), with the number of skipped items and the detected format.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import by_name, detect, formats, read_export
from pwcheck.sources._csv import CsvLayout
from pwcheck.sources._input import InputFile
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer
from tests.support.real_exports import AFOQWDR, AIB, FNER, HN, KLIVAK, MASTODON, MNYFYMT, OVH_B, OVH_J, REAL, SPACE, TWITTER

# pass-import's test vault: tests/support/real_exports.py.
# Bitwarden's Safari importer specs: `printf %s 'example_p@ssword' | sha1sum`.
SAFARI_EXAMPLE = ("example.com (example_user)", "https://example.com", (), "example_user", "B5BC4D3D84C39E7C52D0B30C0C6ECEB6B8906F8F")

# (file, detected format, credentials in file order, skipped reasons in file order)
VARIANTS = [
    # 1Password 8: `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`; three items without a password.
    ("passimport-1password8.csv", "1password-csv",
     [AFOQWDR, AIB, HN, OVH_B, KLIVAK, FNER, MASTODON, MNYFYMT, TWITTER, OVH_J, SPACE],
     ["empty password"] * 3),
    # Proton Pass CSV with `vault` but before `email`; `printf %s password123 | sha1sum`.
    ("protonweb-protonpass.csv", "proton-pass-csv",
     [("login title", "https://example.com/", ("https://proton.me/",), "john", "CBFDAC6008F9CAB4083784CBD1874F76618D2A97")],
     ["secure note", "alias", "card"]),
    # NordPass with `additional_urls` and `custom_fields` (Bitwarden's spec): `printf %s someStrongPassword | sha1sum`.
    ("bitwarden-nordpass.csv", "nordpass",
     [("SomeVaultItemName", "https://example.com", ("https://example.net",), "hello@bitwarden.com",
       "12A0ED5F9D319EF9A51F17F1948E6FA7F44ECF63")], []),
    # Safari / Apple Passwords, the old four columns (`Url`, as 1Password 8 spells it) and the current six.
    ("bitwarden-safari-old.csv", "safari", [SAFARI_EXAMPLE], []),
    ("bitwarden-safari.csv", "safari", [SAFARI_EXAMPLE], []),
]


def _read(path: Path, forced: str | None = None) -> tuple[list[tuple[object, ...]], list[str]]:
    items = list(read_export(path, forced=forced))
    assert not [i for i in items if isinstance(i, InputError)]
    credentials = [(c.title, c.url, c.other_urls, c.username, c.sha1.hex().upper()) for c in items if isinstance(c, Credential)]
    return credentials, [s.reason for s in items if isinstance(s, Skipped)]


@pytest.mark.parametrize("name,fmt,expected,skipped", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_header_version_read_exactly_by_the_right_reader(name: str, fmt: str, expected: list[tuple[object, ...]],
                                                         skipped: list[str]) -> None:
    assert detect(InputFile(REAL / name)).name == fmt
    assert _read(REAL / name) == (expected, skipped)
    assert _read(REAL / name, forced=fmt) == (expected, skipped)


@pytest.mark.parametrize("name,manager", [
    ("passimport-1password8.csv", "1Password"), ("protonweb-protonpass.csv", "Proton Pass"),
    ("protonweb-protonpass-old.csv", "Proton Pass"), ("passimport-nordpass.csv", "NordPass"),
    ("protonweb-nordpass.csv", "NordPass"), ("bitwarden-nordpass.csv", "NordPass"), ("passimport-keepassx2.csv", "KeePassX"),
    ("bitwarden-safari-old.csv", "Safari"), ("passimport-1password4.csv", "1Password"),
    ("bitwarden-1password7-windows.csv", "1Password"), ("bitwarden-1password7-mac.csv", "1Password"),
])
def test_every_header_version_is_labelled_with_its_manager(name: str, manager: str) -> None:
    fmt = detect(InputFile(REAL / name))
    assert manager in fmt.label and manager in fmt.manager


def test_1password8_totp_column_is_read_as_not_stored() -> None:
    """Its `OTPAuth` column is empty on every row: each login says no TOTP secret is stored."""
    items = [i for i in read_export(REAL / "passimport-1password8.csv") if isinstance(i, Credential)]
    assert {c.totp_stored for c in items} == {False}


def test_proton_pass_with_vault_keeps_the_edit_time_and_the_totp_answer() -> None:
    (login,) = [i for i in read_export(REAL / "protonweb-protonpass.csv") if isinstance(i, Credential)]
    assert login.password_changed is not None and login.password_changed.timestamp() == 1707735349
    assert (login.changed_kind, login.totp_stored) == ("edit", True)


# -- ambiguity: two managers, one header ---------------------------------------------------------


def _headers(layout: CsvLayout) -> list[tuple[str, ...]]:
    """The headers `layout` is written with: its required columns alone, and with every optional one."""
    return [tuple(sorted(layout.required)), tuple(sorted(layout.required | layout.optional))]


def _layouts() -> list[CsvLayout]:
    return [f for f in formats() if isinstance(f, CsvLayout) and not f.fallback]


def _shared(layouts: list[CsvLayout]) -> list[tuple[CsvLayout, CsvLayout]]:
    """(the layout detection picks, the other) for every header two layouts both take exactly."""
    shared = []
    for first, second in combinations(layouts, 2):
        for header in _headers(first) + _headers(second):
            if header and first.matches_header(header) and second.matches_header(header):
                chosen = next(f for f in layouts if f.matches_header(header))  # detection order
                shared.append((chosen, second if chosen is first else first))
    return shared


def _names_both(chosen: CsvLayout, other: CsvLayout) -> bool:
    """The reader that takes a shared header names the other's manager(s) as well as its own."""
    return all(name in chosen.manager for name in other.manager.split(" / ")) and " / " in chosen.label


def test_no_two_csv_layouts_claim_one_header_unless_the_label_names_both() -> None:
    """For every pair of layouts and every header either is written with: only one takes it exactly,
    or the one detection picks names both managers (its label and its manager)."""
    layouts = _layouts()
    assert len(layouts) >= 14
    for chosen, other in _shared(layouts):
        assert _names_both(chosen, other), (chosen.name, other.name)


def test_a_second_reader_of_one_header_is_caught_unless_it_names_both() -> None:
    """The check above on a registry with a copy of the Chromium layout for another manager."""
    chromium = by_name("chromium")
    assert isinstance(chromium, CsvLayout)
    copy = replace(chromium, name="other-browser", label="Other Browser CSV", manager="Other Browser")
    ((chosen, other),) = {(c.name, o.name): (c, o) for c, o in _shared([*_layouts(), copy])}.values()
    assert (chosen.name, other.name) == ("chromium", "other-browser")
    assert not _names_both(chosen, other)
    merged = replace(chromium, manager="Google Chrome / Chromium browsers / Other Browser")
    assert _names_both(merged, other)


def test_one_header_written_by_several_managers_is_one_reader_naming_them() -> None:
    """Chrome and the other Chromium browsers write the same file; KeePassXC and KeePassX 2 too."""
    chromium = by_name("chromium")
    for browser in ("Chrome", "Edge", "Brave", "Opera", "Vivaldi"):
        assert browser in chromium.label and browser in chromium.export_hint
    assert " / " in chromium.manager
    keepassxc = by_name("keepassxc-csv")
    assert "KeePassXC" in keepassxc.label and "KeePassX 2" in keepassxc.label and keepassxc.manager == "KeePassXC / KeePassX"


def test_safari_old_header_and_1password8_are_told_apart() -> None:
    """Safari's old `Title,Url,Username,Password` is four of 1Password 8's nine columns: the column set decides."""
    assert detect(InputFile(REAL / "bitwarden-safari-old.csv")).name == "safari"
    assert detect(InputFile(REAL / "passimport-1password8.csv")).name == "1password-csv"


# -- other kinds of documents --------------------------------------------------------------------

# (file, what the message names, words of how to get a readable export)
DOCUMENTS = [
    ("keepassxc-basic.kdb", "KeePass 1 database (.kdb)", "Import → KeePass 1 database"),
    ("passimport-lastpass.csv.gpg", "PGP-encrypted file", "gpg -d"),
    ("gnupg-symmetric.csv.gpg", "PGP-encrypted file", "gpg -d"),
    ("gnupg-pubkey.csv.gpg", "PGP-encrypted file", "gpg -d"),
    ("libreoffice-passimport-chrome.xlsx", "spreadsheet (Excel .xlsx)", "export the passwords again"),
    ("libreoffice-passimport-chrome.ods", "spreadsheet (OpenDocument .ods)", "export the passwords again"),
    ("libreoffice-passimport-chrome.xls", "spreadsheet (Excel 97-2003 .xls)", "export the passwords again"),
    ("libreoffice-passimport-chrome.pdf", "PDF document", "export the passwords"),
    ("bitwarden-password-protected.json", "encrypted Bitwarden export", "not '.json (Encrypted)'"),
]


@pytest.mark.parametrize("name,named,advice", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_other_document_is_named_with_how_to_export(name: str, named: str, advice: str) -> None:
    with pytest.raises(InputError) as error:
        list(read_export(REAL / name))
    message = error.value.message
    assert named in message and advice in message, message
    assert error.value.line is None  # no line: the file is not a text export with a bad row


@pytest.mark.parametrize("name,named,advice", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_other_document_on_the_command_line_is_one_line_and_exit_2(
    range_server: RangeServer, name: str, named: str, advice: str
) -> None:
    proc = invoke("audit", str(REAL / name), "--api-url", range_server.url, "--no-progress")
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.decode().splitlines() if line.strip()]
    mine = [line for line in lines if str(REAL / name) in line]
    assert len(mine) == 1 and named in mine[0] and advice in mine[0], lines
    assert "Traceback" not in proc.stderr.decode()
