"""Every report format, written by the CLI and read back: JSON, CSV, markdown, HTML (in Chromium)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pwcheck.report import format_names
from pwcheck.report._rows import ENTRY_FIELDS, flat_value
from tests.support import fixture_data as fd
from tests.support.breach_fixture import catalogue_bytes
from tests.support.cli import ALL_FILES, invoke
from tests.support.png import pixels
from tests.support.rangeserver import RangeServer

USERNAMES = ["alice@example.com", "bob@example.com", "carol", "dave", "hank"]


def render(server: RangeServer, fixtures: Path, fmt: str, *extra: str, files: list[str] | None = None) -> str:
    server.breaches = catalogue_bytes()
    proc = invoke("audit", *(files or [str(fixtures / n) for n in ALL_FILES]), "--format", fmt, "--all",
               "--api-url", server.url, "--breaches-url", server.breaches_url, *extra)
    assert proc.returncode == 1, proc.stderr
    return proc.stdout.decode("utf-8")


def test_every_format_is_registered() -> None:
    assert format_names() == ["terminal", "json", "csv", "markdown", "html"]


def test_json_entry_fields_are_the_documented_list(range_server: RangeServer, fixtures: Path) -> None:
    doc = json.loads(render(range_server, fixtures, "json"))
    assert all(list(entry) == list(ENTRY_FIELDS) for entry in doc["entries"])
    assert set(doc) >= {"schema", "entries", "domains", "priorities", "breach_data", "account_checks", "stats"}
    assert all(set(d) >= {"breaches", "stale_entries"} for d in doc["domains"])


def test_csv_reads_back_as_the_json_entries(range_server: RangeServer, fixtures: Path) -> None:
    doc = json.loads(render(range_server, fixtures, "json"))
    rows = list(csv.DictReader(io.StringIO(render(range_server, fixtures, "csv"), newline="")))
    assert len(rows) == len(doc["entries"])
    ranks = {i: (p["rank"], p["tier"]) for p in doc["priorities"] for i in p["entries"]}
    for index, (row, entry) in enumerate(zip(rows, doc["entries"])):
        assert {k: row[k] for k in ENTRY_FIELDS} == {k: flat_value(v) for k, v in entry.items()}
        assert (row["priority"], row["priority_tier"]) == tuple(map(str, ranks.get(index, ("", ""))))
    assert rows[0]["breaches"] == "ExampleOrgOld; ExampleOrgForum" and rows[13]["stale"] == "true"


def test_csv_neutralises_formulas(range_server: RangeServer, tmp_path: Path) -> None:
    export = tmp_path / "c.csv"
    export.write_text(f"name,url,username,password\n=HYPERLINK(1),https://a.example.com,@SUM(1),{fd.ALPHA}\n")
    rows = list(csv.DictReader(io.StringIO(render(range_server, tmp_path, "csv", files=[str(export)]))))
    assert rows[0]["title"] == "'=HYPERLINK(1)" and rows[0]["username"] == "'@SUM(1)"


def test_markdown_has_priorities_and_a_table_and_escapes_catalogue_text(range_server: RangeServer, fixtures: Path) -> None:
    text = render(range_server, fixtures, "markdown")
    assert text.index("## Change first") < text.index("## Contacts")
    assert "\n1. **PWNED AND REUSED**" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert table[0] == "| Contact | Account | Site | Pwned | Stale | Reuse | Strength |"
    assert all(line.count(" | ") == 6 for line in table)  # no cell text broke the columns
    assert r"Example \<Forum\> \& Co, 2023-11-14" in text and "<Forum>" not in text
    assert "alice\\@\u2060example.com" in text  # no @-mention or mailto autolink in a tracker (test_injection.py)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        (self.styles if self._open and self._open[-1] == "style" else self.text).append(data)


def parse_html(text: str) -> _Collector:
    parser = _Collector()
    parser.feed(text)
    parser.close()
    return parser


def test_html_is_self_contained_and_escapes_everything(range_server: RangeServer, tmp_path: Path) -> None:
    export = tmp_path / "x.csv"
    export.write_text(
        "name,url,username,password\n"
        f'"<script>alert(1)</script>",https://a.example.com,"<img src=http://evil.example/x onerror=alert(1)>",{fd.ALPHA}\n'
    )
    text = render(range_server, tmp_path, "html", files=[str(export)])
    page = parse_html(text)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "img" not in tags and "link" not in tags and "iframe" not in tags
    assert "<img src=http://evil.example/x onerror=alert(1)>" in "".join(page.text)  # shown as text
    for tag, attrs in page.tags:
        for name, _value in attrs.items():
            if name in ("src", "href", "xlink:href", "action", "poster", "data"):
                raise AssertionError(f"<{tag} {name}=...>: a self-contained page links nothing")
            assert not name.startswith("on"), f"event handler on <{tag}>"
    assert page.styles and not any("url(" in css or "@import" in css or "//" in css for css in page.styles)
    assert all(a.get("style") is None for _, a in page.tags)  # no inline style attribute that could load a URL
    namespaces = {a.get("xmlns") for t, a in page.tags if t == "svg"}
    assert namespaces == {"http://www.w3.org/2000/svg"}  # a namespace name, never fetched
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0]["content"].startswith("default-src 'none'")


def test_html_report_content(range_server: RangeServer, fixtures: Path) -> None:
    text = render(range_server, fixtures, "html")
    page = parse_html(text)
    body = " ".join(page.text)
    assert "Change first" in body and "Findings per contact" in body and "Contacts" in body
    assert "Example <Forum> & Co, 2023-11-14" in body and "Example &lt;Forum&gt; &amp; Co" in text
    assert any(tag == "svg" for tag, _ in page.tags)
    bars = [a for t, a in page.tags if t == "rect" and a.get("fill") == "#ef6c00" and a.get("width") not in ("0", "12")]
    assert len(bars) == 2  # stale bars: example.org and example.com
    for password in fd.ALL_PASSWORDS:
        assert password not in text


@pytest.mark.parametrize("fmt", ["terminal", "json", "csv", "markdown", "html"])
def test_redact_masks_usernames_in_every_format(range_server: RangeServer, fixtures: Path, fmt: str) -> None:
    plain = render(range_server, fixtures, fmt)
    masked = render(range_server, fixtures, fmt, "--redact")
    unescape = (lambda s: s.replace("\\", "").replace("\u2060", "")) if fmt == "markdown" else (lambda s: s)
    for username in USERNAMES:
        assert username in unescape(plain), username
        assert username not in unescape(masked), username
    assert "a***@example.com" in unescape(masked) and "c***" in unescape(masked)


def test_mask_keeps_first_letter_and_domain() -> None:
    from pwcheck.report._rows import mask_username

    assert mask_username("alice@example.com", True) == "a***@example.com"
    assert mask_username("bob", True) == "b***" and mask_username("bob", False) == "bob"
    assert mask_username(None, True) is None and mask_username("x@", True) == "x***"


def test_html_renders_in_headless_chromium(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render(range_server, fixtures, "html"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--password-store=basic",  # never ask the session's keyring (it would try to prompt)
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,900",
         page.as_uri()],
        capture_output=True, timeout=180, env={**{k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"},
                                                "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0 and shot.exists(), proc.stderr.decode()[-2000:]
    width, height, rgb = pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    assert len(set(rgb)) > 50  # text, badges, a table: not one flat colour
    reds = sum(1 for r, g, b in rgb if r > 150 and g < 80 and b < 80)
    assert reds > 100  # the red "pwned" badges and figures were drawn
