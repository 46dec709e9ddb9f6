"""CSV rows the layout cannot map are read errors (file, line, exit 2), never skips; the
real exporters whose rows differ from their header (RoboForm's spilling field column,
Chrome's older rows without `note`) are read in full."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import file_source, read_export
from pwcheck.sources.collect import collect
from tests.support import fixture_data as fd
from tests.support.cli import audit_json
from tests.support.rangeserver import RangeServer


def events(path: Path) -> tuple[list[Credential], list[Skipped], list[InputError]]:
    collected = collect([file_source(path)])
    return collected.credentials, collected.skipped, collected.errors


def sha1(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8")).digest()


def test_row_with_more_fields_than_the_header_is_a_read_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bitwarden.csv"
    path.write_text(
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n"
        ",,login,A,,,0,https://a.example.com,ann,pw-a,\n"
        ",,login,B,,,0,https://b.example.com,bob,pw,b,\n"  # an unquoted comma: 12 fields
        ",,login,C,,,0,https://c.example.com,cid,pw-c,\n"
        ",,note,Recipe,flour,,0,,,,\n"
    )
    credentials, skipped, errors = events(path)
    assert [c.username for c in credentials] == ["ann", "cid"]  # the rest of the file is still read
    assert [s.line for s in skipped] == [5]  # the note: skipped by design, apart from the error
    assert len(errors) == 1
    assert errors[0].source == str(path) and errors[0].line == 3
    assert "12 fields" in errors[0].message and "11" in errors[0].message
    assert "pw" not in errors[0].message


def test_row_with_fewer_fields_is_a_read_error_unless_only_optional_trailing_columns_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "firefox.csv"
    path.write_text(
        "url,username,password,httpRealm,formActionOrigin,guid,timeCreated,timeLastUsed,timePasswordChanged\n"
        "https://a.example.com,ann,pw-a\n"
    )
    credentials, skipped, errors = events(path)
    assert credentials == [] and skipped == []
    assert [(e.line, "3 fields" in e.message) for e in errors] == [(2, True)]


def test_unreadable_rows_are_exit_2_counted_apart_and_other_sources_still_audited(
    range_server: RangeServer, fixtures: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    rows = "".join(f"Site{i},https://s{i}.example.com,user{i},{fd.CLEAN},extra,field\n" for i in range(3))
    bad.write_text("name,url,username,password,note\n" + rows)
    code, doc, stderr = audit_json(range_server, fixtures, str(bad), "firefox.csv")
    assert code == 2, stderr
    assert doc["skipped"] == [s for s in doc["skipped"] if s["source"] != str(bad)]  # never a skip
    assert [(e["source"], e["line"]) for e in doc["errors"]] == [(str(bad), 2), (str(bad), 3), (str(bad), 4)]
    assert len(doc["entries"]) == len(fd.FIREFOX)
    assert f"{bad}:2:" in stderr


def test_chrome_rows_without_the_trailing_note_are_read(tmp_path: Path) -> None:
    # Chrome's older exports wrote `name,url,username,password` rows under a header with `note`.
    path = tmp_path / "chrome.csv"
    lines = ["name,url,username,password,note"]
    lines += [f"s{i}.example.com,https://s{i}.example.com/,user{i},pw-{i}" for i in range(11)]
    lines += ["n.example.com,https://n.example.com/,nn,pw-n,a note", "m.example.com,https://m.example.com/,mm,pw-m,"]
    path.write_text("\n".join(lines) + "\n")
    credentials, skipped, errors = events(path)
    assert errors == [] and skipped == []
    assert [c.sha1 for c in credentials] == [sha1(f"pw-{i}") for i in range(11)] + [sha1("pw-n"), sha1("pw-m")]
    assert credentials[3].url == "https://s3.example.com/" and credentials[3].username == "user3"


def test_roboform_pass_import_export_is_read_in_full(fixtures: Path) -> None:
    # pass-import's RoboForm test export (tests/fixtures/SOURCES.md): Rf_fields spills over
    # several fields, and a row without fields ends before it.
    path = fixtures / "roboform-passimport.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    assert {len(row) for row in rows} == {6, 7, 8}  # the file really is ragged
    credentials, skipped, errors = events(path)
    assert errors == []
    assert len(skipped) == 2 and {s.reason for s in skipped} == {"empty password"}
    with_password = [row for row in rows if row[3]]
    assert [(c.title, c.url, c.username, c.sha1) for c in credentials] == [
        (row[0] or None, row[1] or None, row[2] or None, sha1(row[3])) for row in with_password
    ]
    assert len(credentials) == 11


def test_roboform_v2_fields_spilling_over_several_fields_are_read(tmp_path: Path) -> None:
    path = tmp_path / "roboform.csv"
    path.write_bytes(
        "\ufeffName,Url,MatchUrl,Login,Pwd,Note,Folder,RfFieldsV2\n"
        'Example,https://example.test/,https://example.test/login,jane,"pw,1",a note,work,'
        '"User ID$,,,txt,jane","Password$,,,pwd,pw,1","TOTP KEY$,,,txt,JBSWY3DPEHPK3PXP"\n'
        "Bookmark,https://bookmark.test,,,,just a link,,\n"
        "Plain,https://plain.test/,,kim,pw-2,,,\n".encode()
    )
    credentials, skipped, errors = events(path)
    assert errors == []
    assert [(c.username, c.sha1, c.url, c.other_urls) for c in credentials] == [
        ("jane", sha1("pw,1"), "https://example.test/", ("https://example.test/login",)),
        ("kim", sha1("pw-2"), "https://plain.test/", ()),
    ]
    assert [s.line for s in skipped] == [3]


def test_no_credentials_and_unreadable_rows_is_an_error_not_clean(range_server: RangeServer, tmp_path: Path) -> None:
    path = tmp_path / "lastpass.csv"
    path.write_text("url,username,password,totp,extra,name,grouping,fav\nhttps://a.example.com,ann,pw,,,A,,0,surplus\n")
    code, doc, stderr = audit_json(range_server, tmp_path, str(path))
    assert code == 2, stderr
    assert doc["entries"] == [] and len(doc["errors"]) == 1 and doc["errors"][0]["line"] == 2


def test_read_export_yields_the_error_event_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "chrome.csv"
    path.write_text("name,url,username,password\nA,https://a.example.com,ann,pw-a,x\nB,https://b.example.com,bob,pw-b\n")
    items = list(read_export(path))
    assert [type(i).__name__ for i in items] == ["InputError", "Credential"]


def test_summary_counts_not_read_apart_from_skipped_in_every_format(range_server: RangeServer, tmp_path: Path) -> None:
    from tests.support.cli import invoke

    path = tmp_path / "chrome.csv"
    path.write_text(f"name,url,username,password\nA,https://a.example.com,ann,{fd.CLEAN}\nB,https://b.example.com,bob,,x\n"
                    "C,https://c.example.com,cid,\n")
    code, doc, _ = audit_json(range_server, tmp_path, str(path))
    assert code == 2
    assert (doc["stats"]["skipped"], doc["stats"]["not_read"]) == (1, 1)
    for fmt in ("terminal", "markdown", "html"):
        proc = invoke("audit", str(path), "--format", fmt, "--api-url", range_server.url, "--no-progress")
        out = proc.stdout.decode()
        assert proc.returncode == 2
        assert "1 NOT READ" in out and "1 skipped by design" in out and "none pwned" in out, fmt
