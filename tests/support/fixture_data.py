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
    kind: str | None = None  # "password" or "edit" when `changed` is set
    other_urls: tuple[str, ...] = ()


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


# ---- Every other format (issue 3). `domain` is left to the contact tests: None here.
RAW_QUOTE = '""raw-quote-Mike-13'  # LastPass writes it unquoted, quotes raw
MARKUP = "pw<&>markup-November-14"  # XML must escape it
EXTRA_PASSWORDS = [RAW_QUOTE, MARKUP]


def E(url: str | None, username: str | None, password: str, changed: str | None = None, kind: str | None = None,
      title: str | None = None, other: tuple[str, ...] = ()) -> Expected:  # noqa: N802 - a table row
    return Expected(url, username, password, None, changed, title, kind, other)


SAFARI = [
    E("https://example.org/", "alice", COMMA, title="Example"),
    E("https://quote.example.com/", "bob", QUOTE, title="Quote"),
    E("https://nl.example.net/", "carol", NEWLINE, title="Newline"),
]
SAFARI_OLD = [E("https://s.example.org", "dave", SPACED, title="Spaces"), E("https://e.example.org", "erin", EMOJI, title="Emoji")]
ONEPASSWORD_CSV = [E("https://grüße.example.de", "frank", UMLAUT, title="Grüße"), E("https://c.example.fr", "gina", CAFE_NFD, title="Café")]
BITWARDEN_CSV = [
    E("https://a.example.com", "hank", QUOTE, title="Multi", other=("https://b.example.com",)),
    E("https://nl.example.com", "ivy", NEWLINE, title="NL"),
]
BITWARDEN_ORG_CSV = [E("https://org.example.com", "jack", EMOJI, title="Org")]
LASTPASS = [
    E("https://comma.example.com", "kate", COMMA, title="Comma"),
    E("https://quote.example.com", "liam", QUOTE, title="Quote"),
    E("https://raw.example.com", "mia", RAW_QUOTE, title="Raw"),
    E("https://nl.example.com", "noah", NEWLINE, title="Newline"),
    E("https://sp.example.com", "olga", SPACED, title="Spaces"),
]
LASTPASS_OLD = [E("https://old.example.com", "pete", UMLAUT, title="Old")]
KEEPASSXC = [
    E("https://k.example.com", "quinn", SPACED, "2024-02-03T04:05:06Z", "edit", "Spaces"),
    E("https://n.example.com", "rosa", CAFE_NFC, "2023-07-08T09:10:11Z", "edit", "NFC"),
]
KEEPASSXC_OLD = [E("https://o.example.com", "sam", UMLAUT, title="Old")]
KEEPASS_XML = [
    E("https://x.example.com", "tina", ALPHA, "2022-06-01T00:00:00Z", "password", "Changed"),
    E("https://y.example.com", "uma", MARKUP, "2021-05-05T05:05:05Z", "edit", "Markup"),
    E(None, "vic", NEWLINE, "2020-03-03T03:03:03Z", "edit", "Same history"),
]
KDBX = [
    E("https://kdbx.example.com", "walt", CAFE_NFD, "2023-03-01T00:00:00Z", "password", "Changed"),
    E("https://k2.example.com", "xena", COMMA, "2022-01-01T00:00:00Z", "edit", "Plain"),
]
KDBX_PASSWORD = "fixture-db-secret"
DASHLANE = [E("https://d.example.com", "yara", QUOTE, title="Dash"), E("https://d2.example.com", "second@example.com", EMOJI, title="Alt user")]
NORDPASS = [
    E("https://np.example.com", "zed", UMLAUT, title="Nord", other=("https://np2.example.com", "https://np3.example.com")),
    E("https://sp.example.net", "amy", SPACED, title="Spaced"),
]
PROTON_CSV = [
    E("https://p.example.com", "ben", NEWLINE, "2023-11-14T22:13:20Z", "edit", "Proton", ("https://p2.example.com",)),
    E("https://mail.example.com", "cleo@example.com", CAFE_NFD, "2024-01-01T00:00:00Z", "edit", "Email only"),
]
PROTON_JSON = [
    E("https://pj.example.com", "dan", COMMA, "2023-11-14T22:13:20Z", "edit", "Proton", ("https://pj2.example.com",)),
    E(None, "eve@example.com", EMOJI, "2024-01-01T00:00:00Z", "edit", "No URL"),
    E("https://v2.example.com", "fay", QUOTE, "2022-02-02T02:02:02Z", "edit", "Second vault"),
]
ONEPUX = [
    E("https://op.example.com", "gus", UMLAUT, "2023-01-02T03:04:05Z", "password", "History", ("https://op2.example.com",)),
    E("https://op3.example.com", "hal", SPACED, "2022-05-06T07:08:09Z", "edit", "No history"),
    E(None, None, NEWLINE, "2021-01-01T00:00:00Z", "edit", "A password item"),
]
ROBOFORM = [E("https://rf.example.com/", "ian", COMMA, title="RF", other=("https://rf.example.com/login",))]
ROBOFORM_OLD = [E("https://rfo.example.com/", "jo", NEWLINE, title="RF old")]
GENERIC = [E("https://g.example.com", "kim", QUOTE, title="Generic"), E("https://g2.example.com", "lou", SPACED, title=None)]

# (fixture file, format name, expected credentials, how many items are skipped)
FORMAT_CASES = [
    ("safari.csv", "safari", SAFARI, 1),
    ("safari-old.csv", "safari", SAFARI_OLD, 0),
    ("1password.csv", "1password-csv", ONEPASSWORD_CSV, 1),
    ("bitwarden.csv", "bitwarden-csv", BITWARDEN_CSV, 3),
    ("bitwarden-org.csv", "bitwarden-csv", BITWARDEN_ORG_CSV, 0),
    ("lastpass.csv", "lastpass", LASTPASS, 1),
    ("lastpass-old.csv", "lastpass", LASTPASS_OLD, 0),
    ("keepassxc.csv", "keepassxc-csv", KEEPASSXC, 1),
    ("keepassxc-old.csv", "keepassxc-csv", KEEPASSXC_OLD, 0),
    ("keepass.xml", "keepass-xml", KEEPASS_XML, 1),
    ("keepass.kdbx", "kdbx", KDBX, 1),
    ("dashlane.zip", "dashlane", DASHLANE, 1),
    ("nordpass.csv", "nordpass", NORDPASS, 3),
    ("proton-pass.csv", "proton-pass-csv", PROTON_CSV, 1),
    ("proton-pass.zip", "proton-pass-json", PROTON_JSON, 2),
    ("1password.1pux", "1password-1pux", ONEPUX, 3),
    ("roboform.csv", "roboform", ROBOFORM, 0),
    ("roboform-old.csv", "roboform", ROBOFORM_OLD, 0),
    ("generic.csv", "generic-csv", GENERIC, 0),
]
