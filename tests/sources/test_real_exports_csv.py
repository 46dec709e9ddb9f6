"""Real exporters' CSV and text-table files (issue 16), read exactly by their own readers.

Each fixture is another project's test data (tests/fixtures/SOURCES.md). The expected credentials
are written out literally, as an independent reader of each file sees them: title, URL, other
URLs, username and the password's SHA-1, computed with `printf %s '<password>' | sha1sum` while
writing this module, never with pwcheck's code. Before issue 16 each file was refused, or read by
the generic CSV under the wrong label (SaferPass's even as 1Password 4).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import FORMATS, by_name, detect, read_export
from pwcheck.sources._input import InputFile
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
    VAULT,
    read,
)

# pass-import's test vault: tests/support/real_exports.py.
# FF Password Exporter has one address column, `hostname` (no title): the vault's titles are there.
FF = [(None, title, (), user, sha1) for title, _, _, user, sha1 in VAULT]

# (file, format, credentials in file order, skip reasons in file order)
CASES = [
    ("passimport-blur.csv", "blur-csv",
     [FNER, SPACE, AIB, MNYFYMT, KLIVAK, AFOQWDR, OVH_B, OVH_J, HN, TWITTER, MASTODON],
     ["empty password", "no password (Blur writes 'undefined')", "no password (Blur writes 'undefined')"]),
    ("passimport-buttercup.csv", "buttercup-csv",
     [MASTODON, TWITTER, HN, OVH_J, OVH_B, AIB, AFOQWDR, KLIVAK, FNER, MNYFYMT, SPACE],
     ["group"] * 6 + ["empty password"] * 3),
    ("passimport-chromesqlite.csv", "chrome-login-data-csv", VAULT, ["empty password"] * 3),
    ("passimport-dashlane.csv", "dashlane-old-csv", VAULT, ["empty password"] * 3),
    ("passimport-encryptr.csv", "encryptr-csv", VAULT, ["empty password", "empty password", "secure note"]),
    ("passimport-encryptr-card.csv", "encryptr-csv", [], ["card"]),
    ("passimport-enpass.csv", "enpass-csv", VAULT,
     ["no password field (note, card or other item)", "no password field (note, card or other item)",
      "no password field (note, card or other item)"]),
    ("passimport-ff-password-exporter.csv", "ff-password-exporter-csv", FF, ["empty password"] * 3),
    ("passimport-gorilla.csv", "password-gorilla-csv", VAULT, ["empty password"] * 3),
    ("passimport-keeper.csv", "keeper-csv",
     [AIB, SPACE, AFOQWDR, KLIVAK, OVH_J, OVH_B, HN, MASTODON, TWITTER, FNER, MNYFYMT], ["empty password"] * 3),
    ("passimport-myki.csv", "myki-csv", VAULT, ["empty password"] * 3),
    ("bitwarden-myki-UserAccount.csv", "myki-csv", [
        ("PasswordNickname", "www.google.com", (), "user.name@email.com", "6367C48DD193D56EA7B0BAAD25B19455E529F5EE"),
    ], []),
    ("passimport-passman.csv", "passman-csv", VAULT, ["empty password"] * 3),
    ("passimport-passpack.csv", "passpack-csv",
     [OVH_B, MASTODON, OVH_J, HN, TWITTER, AFOQWDR, AIB, FNER, MNYFYMT, KLIVAK, SPACE], ["empty password"] * 3),
    ("passimport-safeincloud.csv", "safeincloud-csv", VAULT, ["empty password"] * 3),
    ("passimport-saferpass.csv", "saferpass-csv",
     [MASTODON, TWITTER, HN, OVH_B, OVH_J, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE], ["empty password"] * 3),
    ("passimport-synology.csv", "synology-c2-csv", VAULT, ["empty password"] * 3),
    ("passimport-upm.csv", "upm-csv",
     [TWITTER, MNYFYMT, OVH_B, OVH_J, AFOQWDR, MASTODON, HN, KLIVAK, FNER, SPACE, AIB], ["empty password"] * 3),
    ("passimport-zoho.csv", "zoho-csv",
     [MASTODON, TWITTER, HN, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE, OVH_J], ["empty password"] * 3),
    ("passimport-zoho.vault.csv", "zoho-vault-csv",
     [MASTODON, TWITTER, HN, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE, OVH_J], ["empty password"] * 3),
]
IDS = [case[0] for case in CASES]


@pytest.mark.parametrize("name,fmt,expected,skipped", CASES, ids=IDS)
def test_real_export_read_exactly_by_its_own_reader(name: str, fmt: str, expected: list[tuple[object, ...]], skipped: list[str]) -> None:
    assert detect(InputFile(REAL / name)).name == fmt
    credentials, skips = read(REAL / name)
    assert credentials == expected
    assert skips == skipped
    assert read(REAL / name, forced=fmt) == (credentials, skips)
    assert {c.format for c in read_export(REAL / name) if isinstance(c, Credential)} <= {fmt}


@pytest.mark.parametrize("name,fmt", [(c[0], c[1]) for c in CASES], ids=IDS)
def test_forcing_any_other_format_on_a_real_export_is_refused(name: str, fmt: str) -> None:
    """`--input-format` with the wrong reader is one clear error, never shifted or empty fields."""
    for other in FORMATS:
        if other.name == fmt:
            continue
        with pytest.raises(InputError):
            list(read_export(REAL / name, forced=other.name, unlock=lambda display: None))


@pytest.mark.parametrize("fmt", sorted({c[1] for c in CASES}))
def test_every_new_format_names_its_manager_menu_and_what_it_carries(fmt: str) -> None:
    chosen = by_name(fmt)
    assert chosen.manager and chosen.export_hint and chosen.carries
    assert chosen.manager in chosen.label or chosen.manager.split(" ")[0] in chosen.label


@pytest.mark.parametrize("name,totp", [
    ("passimport-myki.csv", True), ("bitwarden-myki-UserAccount.csv", True),
    ("passimport-safeincloud.csv", False), ("passimport-synology.csv", False),
])
def test_totp_column_is_seen(name: str, totp: bool) -> None:
    """Myki's `twofaSecret` holds a secret on every login of these files; SafeInCloud's `OTP` and
    Synology's `Login_TOTP` are empty in theirs: only whether one is stored is kept."""
    stored = {c.totp_stored for c in read_export(REAL / name) if isinstance(c, Credential)}
    assert stored == {totp}


def sha1(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8")).digest()


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_header_less_file_without_any_address_is_refused_not_guessed(tmp_path: Path) -> None:
    """Five fields a record and no address anywhere: UPM's or old Dashlane's columns cannot be
    told apart, so the file is refused (exit 2), never read with the password taken from a guess."""
    path = write(tmp_path, '"a","me","pw1","",""\n"b","you","pw2","",""\n')
    with pytest.raises(InputError, match="--input-format upm-csv") as error:
        list(read_export(path))
    assert "dashlane-old-csv" not in str(error.value)  # its second field would be an address
    assert [c.sha1 for c in read_export(path, forced="upm-csv") if isinstance(c, Credential)] == [sha1("pw1"), sha1("pw2")]
    # forced as the other one, the second field would have to be an address: it is a user name
    with pytest.raises(InputError, match="not a Dashlane"):
        list(read_export(path, forced="dashlane-old-csv"))


def test_keeper_file_with_a_url_that_is_no_address_is_refused_until_forced(tmp_path: Path) -> None:
    """`intranet` in the URL field: not recognisably Keeper's, so refused with the way out; forced,
    read (the first record's URL field is empty, so it is no header)."""
    path = write(tmp_path, '"F","A","me","pw1","","",""\n"F","B","you","pw2","intranet","",""\n')
    with pytest.raises(InputError, match="--input-format keeper-csv"):
        list(read_export(path))
    got = [(c.title, c.url, c.sha1) for c in read_export(path, forced="keeper-csv") if isinstance(c, Credential)]
    assert got == [("A", None, sha1("pw1")), ("B", "intranet", sha1("pw2"))]


def test_header_less_file_two_layouts_fit_is_refused_as_ambiguous(tmp_path: Path) -> None:
    """Six fields a record, an address in both the second and the fifth: old Dashlane (a secure
    note's sixth field) or Keeper (without a shared folder). Refused, naming both; forced, read so."""
    path = write(tmp_path, '"site.example","https://a.example","me","pw1","https://b.example",""\n')
    with pytest.raises(InputError, match="could be") as error:
        list(read_export(path))
    assert "keeper-csv" in str(error.value) and "dashlane-old-csv" in str(error.value)
    assert "pw1" not in str(error.value)
    (keeper,) = [c for c in read_export(path, forced="keeper-csv") if isinstance(c, Credential)]
    assert (keeper.title, keeper.url, keeper.username, keeper.sha1) == ("https://a.example", "https://b.example", "me", sha1("pw1"))


def test_a_csv_with_a_header_is_never_taken_for_a_header_less_format(tmp_path: Path) -> None:
    """A header's name sits where a header-less layout wants an address: no signature passes."""
    path = write(tmp_path, "account,user,password,url,notes\nx,me,pw,https://a.example,\n")
    assert detect(InputFile(path)).name == "generic-csv"


def test_keeper_custom_fields_are_not_the_password(tmp_path: Path) -> None:
    path = write(tmp_path, '"F","T","me","pw","https://a.example","n","","pin","1234","secret","other"\n')
    (credential,) = [c for c in read_export(path) if isinstance(c, Credential)]
    assert (credential.url, credential.username, credential.sha1) == ("https://a.example", "me", sha1("pw"))


ENPASS_HEADER = '"Title","Field","Value","Field","Value",.........,"Note"\n'


@pytest.mark.parametrize("record,message", [
    ('"T","Username","me","Password","pw"\n', "odd number of fields"),
    ('"T","Password","pw1","Password","pw2",""\n', "two different Password fields"),
])
def test_enpass_record_that_cannot_be_read_exactly_is_an_error_with_its_line(tmp_path: Path, record: str, message: str) -> None:
    path = write(tmp_path, ENPASS_HEADER + '"ok","Password","pw0",""\n' + record)
    items = list(read_export(path))
    assert [(e.line, message in e.message) for e in items if isinstance(e, InputError)] == [(3, True)]
    assert [c.sha1 for c in items if isinstance(c, Credential)] == [sha1("pw0")]


def test_enpass_labels_in_any_case_and_the_same_password_twice(tmp_path: Path) -> None:
    path = write(tmp_path, ENPASS_HEADER + '"T","E-mail","me@a.example","password"," pw ","PASSWORD"," pw ","url","a.example","TOTP","JBSW",""\n')
    (credential,) = [c for c in read_export(path) if isinstance(c, Credential)]
    assert (credential.username, credential.url, credential.sha1, credential.totp_stored) == (
        "me@a.example", "a.example", sha1(" pw "), True)


ZOHO_HEADER = '"Secret Name","Description","Secret URL","SecretData","Notes","CustomData","Tags","Classification","Favorite","ChamberName"\n'


def test_zoho_secret_data_is_read_exactly_and_a_broken_one_is_an_error(tmp_path: Path) -> None:
    """A password holding colons and spaces is the rest of its line, exactly; a line with no name
    (a value broken over two lines) cannot be read exactly: its record is an error with its line."""
    path = write(tmp_path, ZOHO_HEADER
                 + 'a,,https://a.example,"SecretType:Web Account\nUser Name:me\nPassword: p:w \n",,"",,P,0,X,\n'
                 + 'b,,https://b.example,"SecretType:Web Account\nUser Name:me\nPassword:p\nw\n",,"",,P,0,X,\n'
                 + 'c,,,"SecretType:Bank Account\nAccount Number:1\n",,"",,P,0,X,\n')
    items = list(read_export(path))
    assert [c.sha1 for c in items if isinstance(c, Credential)] == [sha1(" p:w ")]
    assert [e.line for e in items if isinstance(e, InputError)] == [6]  # record b starts on line 6
    assert [s.reason for s in items if isinstance(s, Skipped)] == ["bank account without a password"]


def test_blur_undefined_is_no_address(tmp_path: Path) -> None:
    path = write(tmp_path, '"domain","label","username","email","password"\nundefined,T,,me@a.example,pw\n')
    (credential,) = [c for c in read_export(path) if isinstance(c, Credential)]
    assert (credential.url, credential.username, credential.sha1) == (None, "me@a.example", sha1("pw"))


def test_chrome_login_data_change_time_and_encrypted_values(tmp_path: Path) -> None:
    """`date_password_modified` is microseconds since 1601 (13303094400000000 is 2022-07-24 UTC);
    a value still encrypted (`v10` and bytes) is skipped as such, never hashed."""
    path = write(tmp_path, "origin_url,username_value,password_value,signon_realm,date_password_modified\n"
                 "https://a.example/,me,pw,https://a.example/,13303094400000000\n"
                 "https://b.example/,me,v10\x01\x02\x7f,https://b.example/,0\n")
    items = list(read_export(path))
    (credential,) = [c for c in items if isinstance(c, Credential)]
    assert credential.sha1 == sha1("pw")
    assert credential.password_changed is not None and credential.password_changed.isoformat() == "2022-07-24T00:00:00+00:00"
    assert [s.reason for s in items if isinstance(s, Skipped)] == ["encrypted password value (the table was dumped without decrypting it)"]


@pytest.mark.parametrize("secret_data, message", [
    ("SecretType:Web Account\nUser Name:u\nPassword:a\r\nb:c", "line breaks of two kinds"),
    ("SecretType:Web Account\r\nUser Name:u\r\nPassword:a\r\nb:c", "after the password that may belong to it"),
])
def test_zoho_secretdata_that_may_hold_a_line_break_in_the_password_is_not_read(
    tmp_path: Path, secret_data: str, message: str,
) -> None:
    """A password holding `\\r\\nb:c` once became a skip reason, and `a\\nb:c` a password `a`: both refused now."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Secret Name", "Description", "Secret URL", "SecretData", "Notes", "CustomData"])
    writer.writerow(["site", "", "https://a.example", secret_data, "", ""])
    path = tmp_path / "zoho.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    items = list(read_export(path))
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and message in errors[0].message
    assert not [i for i in items if isinstance(i, (Credential, Skipped))]
    assert "b:c" not in repr(items)
