"""What the fixture exports hold, written once here; `make_fixtures.py` wrote the files.

Tests read the files with the real readers and compare against this table, so a reader
that trims, normalises, mis-quotes or drops a row fails. Passwords are distinctive
(`pw-...`) so the privacy tests can scan every output for them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

ALPHA = "pw-Plain-Alpha-1"
COMMA = "pw,comma,Bravo-2"
QUOTE = 'pw"quote"Charlie-3'
NEWLINE = "pw\nnewline\r\nDelta-4"
SPACED = "  pw-spaced-Echo-5  "
UMLAUT = "pw-Grüße-Foxtrot-6"
EMOJI = "pw-🔥-Golf-7"
CAFE_NFC = unicodedata.normalize("NFC", "pw-café-Hotel-8")
CAFE_NFD = unicodedata.normalize("NFD", "pw-café-Hotel-8")
CLEAN = "pw-never-seen-India-9"

# The test corpus: counts chosen so that every mistake gives a different number.
# Traps: the trimmed and the NFC forms are in the corpus with other counts, so a reader
# that trims or normalises reports the trap's count instead of the right one.
CORPUS_COUNTS: dict[str, int] = {
    ALPHA: 1234,
    COMMA: 2,
    QUOTE: 77,
    NEWLINE: 5,
    SPACED: 9,
    SPACED.strip(): 666,
    UMLAUT: 31337,
    EMOJI: 1,
    CAFE_NFC: 4242,
}
ALL_PASSWORDS = [ALPHA, COMMA, QUOTE, NEWLINE, SPACED, UMLAUT, EMOJI, CAFE_NFC, CAFE_NFD, CLEAN]


def sha1_hex(password: str) -> str:
    return hashlib.sha1(password.encode("utf-8")).hexdigest().upper()


def corpus_lines() -> list[str]:
    return [f"{sha1_hex(p)}:{c}" for p, c in CORPUS_COUNTS.items()]


@dataclass(frozen=True)
class Expected:
    url: str | None
    username: str | None
    password: str
    domain: str | None
    changed: str | None = None  # ISO 8601 UTC, as the JSON report writes it
    title: str | None = None


CHROME = [
    Expected("https://forum.example.org/login", "alice", ALPHA, "example.org", title="Example Forum"),
    Expected("https://www.shop.example.co.uk/", "bob@example.com", COMMA, "example.co.uk", title="Shop"),
    Expected("https://online.bank.example.com/", "carol", QUOTE, "example.com", title="Bank"),
    Expected(
        "android://xRkqFz3gkmmaLkZoxDJTmx5eEgMhTF5OUxxNaoUdh0M7ElVs8fnJPy4dJm6pmOIdxRNlNFTrObBQGyBUQtiBpA==@com.linkedin.android/",
        "dave", NEWLINE, "linkedin.com", title="com.linkedin.android",
    ),
    Expected("http://192.168.1.1/", "admin", SPACED, "192.168.1.1", title="192.168.1.1"),
    Expected("https://www.münchen.de/", "frank", UMLAUT, "xn--mnchen-3ya.de", title="München"),
]
CHROME_SKIPPED = 1  # a row with an empty password

CHROME_OLD = [
    Expected("https://alice.github.io/", "alice", EMOJI, "alice.github.io", title="alice.github.io"),
    Expected("https://x.service.gov.uk/", "gina", CAFE_NFC, "x.service.gov.uk", title="x service"),
]

FIREFOX = [
    Expected("https://www.xn--mnchen-3ya.de", "frank", CAFE_NFD, "xn--mnchen-3ya.de", "2019-01-01T00:00:00Z"),
    Expected("https://accounts.example.org", "alice@example.com", ALPHA, "example.org", "2023-11-14T22:13:20Z"),
    Expected("https://intranet", "hank", CLEAN, "intranet", "2024-03-05T06:07:08.123000Z"),
    Expected("https://router.example.net:8443", "admin", QUOTE, "example.net", None),
]
FIREFOX_SKIPPED = 1  # the Firefox Accounts row

BITWARDEN = [
    Expected("https://vault.example.com/login", "ivy", EMOJI, "example.com", "2024-05-06T07:08:09.123000Z", "Vault"),
    Expected("androidapp://com.example.app", "jack", COMMA, "example.com", "2022-02-03T04:05:06Z", "App"),
    Expected(None, "kate", CLEAN, None, None, "No site"),
]
BITWARDEN_OTHER_URLS = {"Vault": ["https://login.example.com/", "https://example.com"]}
BITWARDEN_SKIPPED = 4  # secure note, card, identity, login without password
