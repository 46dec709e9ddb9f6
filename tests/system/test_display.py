"""`system.display`: every control character made visible, no URL userinfo; and the stderr lines and log that use it."""

from __future__ import annotations

import logging

import pytest

from pwcheck.system import console
from pwcheck.system.display import display_url, shown, visible, without_userinfo
from pwcheck.system.logs import HexScrubber

CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]


def raw_controls(text: str) -> list[str]:
    return [c for c in text if c in CONTROLS]


def test_every_c0_c1_and_del_is_written_as_an_escape_nothing_else_changes() -> None:
    text = "".join(CONTROLS)
    out = visible(text)
    assert raw_controls(out) == []
    assert out == "".join(f"\\x{ord(c):02x}" for c in CONTROLS)
    assert visible("ESC[2J: \x1b[2J, OSC 52: \x1b]52;c;aGk=\x07") == "ESC[2J: \\x1b[2J, OSC 52: \\x1b]52;c;aGk=\\x07"
    assert visible("\x9b31m") == "\\x9b31m"  # the 8-bit CSI
    plain = "München · 🔥 · \u00a0non-breaking · tab\\t literal"
    assert visible(plain) is plain


@pytest.mark.parametrize("text,expected", [
    ("https://alice:hunter2@example.com/login", "https://example.com/login"),
    ("see http://team:SECRET@mirror:8080/ for it", "see http://mirror:8080/ for it"),
    ("HTTPS://A:B@H/x and ftp://u@files/", "HTTPS://H/x and ftp://files/"),
    ("https://a@b:c@host/p?next=https://x:y@z/", "https://host/p?next=https://z/"),
    ("https://example.com/?email=alice@example.com", "https://example.com/?email=alice@example.com"),
    ("alice@example.com", "alice@example.com"),
])
def test_userinfo_goes_from_every_url_in_a_text(text: str, expected: str) -> None:
    assert without_userinfo(text) == expected


@pytest.mark.parametrize("url,expected", [
    ("https://alice:hunter2@example.com/", "https://example.com/"),
    ("alice:hunter2@example.com/login", "example.com/login"),  # no scheme: read as that host, so shown as it
    ("https://al ice:hun ter2@example.com/", "https://example.com/"),
    ("android://alice:hunter2@com.example.app/", "android://com.example.app/"),
    ("android://" + "A1b2+/" * 14 + "A==@com.example.app/", "android://" + "A1b2+/" * 14 + "A==@com.example.app/"),  # a signing hash
    ("https://example.com/a@b", "https://example.com/a@b"),
])
def test_url_fields_lose_their_userinfo_with_or_without_a_scheme(url: str, expected: str) -> None:
    assert display_url(url) == expected


def test_console_lines_are_shown_safely(capsys: pytest.CaptureFixture[str]) -> None:
    console.error_line("x\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ at https://u:SECRET@mirror/")
    console.warning("\x9b2J")
    console.note("\x1b]52;c;aGk=\x07")
    err = capsys.readouterr().err
    assert raw_controls(err.replace("\n", "")) == [] and "SECRET" not in err
    assert "pwcheck: x\\x1b]8;;" in err and "pwcheck: warning: \\x9b2J" in err and "\\x1b]52;c;aGk=\\x07" in err


def test_log_records_are_shown_safely_line_by_line() -> None:
    record = logging.LogRecord("httpx", logging.DEBUG, __file__, 1, "GET %s\nnext \x1b[2J", ("http://u:SECRET@h/",), None)
    assert HexScrubber().filter(record)
    assert record.getMessage() == "GET http://h/\nnext \\x1b[2J"


def test_shown_is_both() -> None:
    assert shown("\x1bhttps://u:p@h/") == "\\x1bhttps://h/"
