"""Generated benchmark data: passwords, a matching corpus, realistic range bodies, exports.

Everything is deterministic (seeded) so pwcheck and the peers see the same inputs in
every run, and every answer can be checked: the benchmark knows which passwords are in
the corpus and with which count, so a fast wrong answer fails instead of winning.
The passwords are synthetic (`bench-...`), never real ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import string
from dataclasses import dataclass
from pathlib import Path

PWNED_EVERY = 10  # one password in ten is in the corpus
LINES_PER_RANGE = (880, 960)  # real lines per range, before padding
PADDING_LINES = (100, 200)  # what HIBP adds for Add-Padding: true
MERGED_KEPT = 4096  # merged bodies kept by the server (~40 KB each)


@dataclass(frozen=True)
class Password:
    text: str
    sha1_hex: str  # uppercase
    count: int  # 0 = not in the corpus

    @property
    def prefix(self) -> str:
        return self.sha1_hex[:5]


def passwords(n: int, *, distinct_prefixes: bool = True, seed: int = 1) -> list[Password]:
    """The first `n` benchmark passwords; by default no two share a 5-hex prefix.

    Distinct prefixes make N passwords exactly N range requests, so the network limit
    ceil(N / C) x R is exact. The sequence is the same for every n (n=100 is a prefix of
    n=10,000), so one server corpus serves every size.
    """
    out: list[Password] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        text = f"bench-{seed}-{i:07d}-Qx"
        i += 1
        digest = hashlib.sha1(text.encode()).hexdigest().upper()
        if distinct_prefixes:
            if digest[:5] in seen:
                continue
            seen.add(digest[:5])
        index = len(out)
        count = 1 + (index * 7919) % 50_000 if index % PWNED_EVERY == 0 else 0
        out.append(Password(text, digest, count))
    return out


_WORDS = ("dragon monkey summer winter football baseball sunshine princess shadow master michael jessica "
          "charlie london berlin coffee purple orange tiger falcon rocket garden silver castle ocean thunder "
          "anchor harbour meadow pepper violet marble canyon pilot lemon velvet").split()
_KEYBOARD = ("qwerty", "asdfgh", "1qaz2wsx", "zxcvbn", "123456", "qazwsx")


def realistic_passwords(n: int, *, seed: int = 5) -> list[Password]:
    """`n` passwords shaped like people's (for strength scoring), distinct prefixes, one in ten in the corpus.

    Six kinds in turn: word + number, Capitalised word + symbol + year, a random 12-24
    character string (a generator's), a 3-5 word passphrase, a keyboard walk + word, and
    leetspeak words. Generated, so nobody's real password.
    """
    rng = random.Random(seed)
    charset = string.ascii_letters + string.digits + "!@#$%^&*"
    kinds = (
        lambda: rng.choice(_WORDS) + str(rng.randint(1, 9999)),
        lambda: rng.choice(_WORDS).capitalize() + rng.choice("!@#$") + str(rng.randint(1950, 2025)),
        lambda: "".join(rng.choice(charset) for _ in range(rng.randint(12, 24))),
        lambda: "-".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 5))),
        lambda: rng.choice(_KEYBOARD) + rng.choice(_WORDS),
        lambda: rng.choice(_WORDS).replace("a", "@").replace("o", "0") + rng.choice(_WORDS).capitalize(),
    )
    out: list[Password] = []
    seen: set[str] = set()
    while len(out) < n:
        text = kinds[len(out) % len(kinds)]()
        digest = hashlib.sha1(text.encode()).hexdigest().upper()
        if digest[:5] in seen:
            continue
        seen.add(digest[:5])
        index = len(out)
        out.append(Password(text, digest, 1 + (index * 7919) % 50_000 if index % PWNED_EVERY == 0 else 0))
    return out


def corpus_lines(pwds: list[Password]) -> list[str]:
    """`FULLHASH:COUNT` for the passwords that are in the corpus (the downloader's layout)."""
    return [f"{p.sha1_hex}:{p.count}" for p in pwds if p.count]


class SyntheticRanges:
    """Range bodies shaped like the real API's, fast enough that serving is never the limit.

    A few dozen ~1,000-line bodies (random suffixes, heavy-tailed counts) are built once,
    with and without padding; a prefix gets one of them by number, with the corpus's own
    lines for that prefix merged in (built once per prefix and kept).
    """

    def __init__(self, corpus: list[str], templates: int = 64, seed: int = 7) -> None:
        rng = random.Random(seed)
        self._plain: list[list[tuple[str, int]]] = []
        self._padding: list[list[tuple[str, int]]] = []
        self._bodies: dict[tuple[int, bool], bytes] = {}
        for index in range(templates):
            lines = [(f"{rng.getrandbits(140):035X}", _count(rng)) for _ in range(rng.randint(*LINES_PER_RANGE))]
            pads = [(f"{rng.getrandbits(140):035X}", 0) for _ in range(rng.randint(*PADDING_LINES))]
            self._plain.append(lines)
            self._padding.append(pads)
            self._bodies[index, False] = _join(lines)
            self._bodies[index, True] = _join(lines + pads)
        self._extra: dict[str, list[tuple[str, int]]] = {}
        for line in corpus:
            digest, _, count = line.partition(":")
            self._extra.setdefault(digest[:5].upper(), []).append((digest[5:].upper(), int(count)))
        self._merged: dict[tuple[str, bool], bytes] = {}

    def body(self, prefix: str, padded: bool) -> bytes:
        """The body for an uppercase prefix, as the API sends it."""
        index = int(prefix, 16) % len(self._plain)
        if prefix not in self._extra:
            return self._bodies[index, padded]
        key = (prefix, padded)
        body = self._merged.get(key)
        if body is None:
            lines = self._plain[index] + self._extra[prefix] + (self._padding[index] if padded else [])
            body = _join(lines)
            if len(self._merged) < MERGED_KEPT:  # bounded: a 100,000-password run must not hold GBs
                self._merged[key] = body
        return body


def _count(rng: random.Random) -> int:
    return min(10_000_000, int(rng.paretovariate(0.9)))


def _join(lines: list[tuple[str, int]]) -> bytes:
    return "\r\n".join(f"{s}:{c}" for s, c in sorted(lines)).encode("ascii")


def site_domain(k: int) -> str:
    """The k-th site's registrable domain: its own contact, as each site in a real export is.

    (An earlier `site{k}.example{k % 7}.com` put every site under seven registrable domains,
    so 500 logins made 7 contacts, each with ~130 breaches and a third of the 2FA Directory:
    a grouping no real export has, which inflated the analysis and the report.)
    """
    return f"site{k}.com"


def write_chromium(path: Path, pwds: list[Password], rows: int | None = None) -> Path:
    """A Chromium CSV export with `rows` logins (passwords reused in turn when rows > len), one site each."""
    rows = len(pwds) if rows is None else rows
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "url", "username", "password", "note"])
    for i in range(rows):
        site = site_domain(i % 5000)
        writer.writerow([site, f"https://login.{site}/signin", f"user{i}@example.org", pwds[i % len(pwds)].text, ""])
    _write_private(path, out.getvalue())
    return path


def write_lines(path: Path, lines: list[str]) -> Path:
    _write_private(path, "".join(line + "\n" for line in lines))
    return path


def _write_private(path: Path, text: str) -> None:
    from pwcheck.system.files import write_private

    write_private(path, text)


# ------------------------------------------------------------------ the default path's public lists

CATALOGUE_BREACHES = 900  # the real catalogue: about 900 breaches, about 1 MB of JSON
TWOFACTOR_SITES = 2_500  # the real totp.json: about 2,500 entries, about 165 KB
PASSKEY_SITES = 600


def catalogue_document(n: int = CATALOGUE_BREACHES) -> bytes:
    """A breach catalogue in HIBP's shape and real size; some breached domains are the export's sites.

    Each entry carries a description of about 1 KB of HTML, as the real ones do, so the bytes
    parsed and cached match the real catalogue's (about 0.95 MB).
    """
    import json

    filler = ("In {month} {year}, the service suffered a data breach that exposed {count:,} customer records. "
              "The data included email addresses, names and <a href=\"https://example.org/notice/{i}\" target=\"_blank\" "
              "rel=\"noopener\">passwords stored as salted hashes</a>. The incident was disclosed to customers by email. ")
    items = []
    for i in range(n):
        year = 2008 + i % 17
        domain = site_domain(i * 11 % 5000) if i % 3 == 0 else f"breached{i}.example.net"
        items.append({
            "Name": f"Breach{i}", "Title": f"Breach {i}", "Domain": domain, "BreachDate": f"{year}-{1 + i % 12:02d}-15",
            "AddedDate": f"{year + 1}-01-0{1 + i % 9}T10:00:00Z", "ModifiedDate": f"{year + 1}-02-01T10:00:00Z",
            "PwnCount": 10_000 + i * 7_919, "Description": (filler * 2).format(month="March", year=year, count=10_000 + i, i=i),
            "LogoPath": f"https://logos.example.org/{i}.png", "DataClasses": ["Email addresses", "Names", "Passwords"][: 1 + i % 3],
            "IsVerified": i % 10 != 0, "IsFabricated": False, "IsSensitive": False, "IsRetired": False, "IsSpamList": False,
            "IsMalware": False, "IsSubscriptionFree": False, "IsStealerLog": False,
        })
    return json.dumps(items).encode()


def twofactor_document(n: int = TWOFACTOR_SITES) -> bytes:
    """The 2FA Directory's `totp.json` shape at its real size: `[name, {domain, tfa, documentation, ...}]` pairs."""
    import json

    methods = [["totp"], ["sms", "totp"], ["u2f", "totp"], ["sms"], ["email"]]
    return json.dumps([
        [f"Site {i}", {"domain": site_domain(i * 2 % 5000), "tfa": methods[i % len(methods)],
                       "documentation": f"https://help.example.org/2fa/{i}", "keywords": ["other"]}]
        for i in range(n)
    ]).encode()


def passkeys_document(n: int = PASSKEY_SITES) -> bytes:
    """The Passkeys Directory's `supported.json` shape: an object keyed by domain."""
    import json

    return json.dumps({
        site_domain(i * 8 % 5000): {"passwordless": "allowed", "documentation": f"https://help.example.org/pk/{i}"}
        for i in range(n)
    }).encode()
