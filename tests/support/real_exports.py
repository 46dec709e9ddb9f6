"""What the real-export tests share: where the fixtures are, pass-import's test vault, one way to read.

pass-import's test vault (its tests/assets/db/) is what most real fixtures hold, each in its
exporter's layout: (title, URL, other URLs, username, SHA-1 of the password), the digests
worked out independently (`printf %s '...' | sha1sum`), never with pwcheck's own code.
"""

from __future__ import annotations

from pathlib import Path

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import read_export
from pwcheck.sources.kdbx import KdbxKey

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"

MASTODON = ("mastodon.social", "https://mastodon.social/", (), "ostqxi", "4454D3DAA659D67994C64F89D9A9B4B5B532EBA6")
TWITTER = ("twitter.com", "https://twitter.com/", (), "ostqxi", "EC3DDA9273BC8ED391359E1E8D922024A73924AD")
HN = ("https://news.ycombinator.com", "https://news.ycombinator.com", (), "ostqxi", "6B6C57CE25A67E2B6C519D98FD98389B6F597EC2")
OVH_J = ("ovh.com", "https://www.ovh.com/manager/web/", (), "jsdkyvbwjn", "5D189CF24DB3158B116BA2A5433B200A28772852")
OVH_B = ("ovh.com", "https://www.ovh.com/manager/web/", (), "bynbyjhqjz", "ADE2175C4D03E91ED8F44BBD5C275707487EF0B1")
AIB = ("aib", "https://onlinebanking.aib.ie", (), "dpbx@fner.ws", "0A34B4C2765AD97F2D1920D25F013208AD7804D9")
AFOQWDR = ("dpbx@afoqwdr.tx", "https://afoqwdr.tx", (), "dpbx", "13A817C66A968AC8F35C7A5A24470C44E68D39F8")
KLIVAK = ("dpbx@klivak.xb", None, (), "dpbx", "3D25787ED15E815050DB178B5CBB45EC1D8F21A2")
MNYFYMT = ("dpbx@mnyfymt.ws", "https://mail.mnyfymt.ws", (), "dpbx", "89868069DDCFECD4AE9AC581B7327CCA19C9BBCB")
FNER = ("dpbx@fner.ws", None, (), "dpbx", "D99E318D24294125E1E6BAF200C012FFE1C525B5")
SPACE = ("space title", "https://nhysdo.wg", (), "vkeelpbu", "760F5A957C5282EA63CF7EA9A76EAAA2EE7D5EF9")
# The vault in the order most exporters write it (pass-import's own order).
VAULT = [MASTODON, TWITTER, HN, OVH_J, OVH_B, AIB, AFOQWDR, KLIVAK, MNYFYMT, FNER, SPACE]


def empty_password(display: str) -> KdbxKey:
    """The key of pass-import's KeePass databases (no password)."""
    return KdbxKey("", None)


def read(path: Path, forced: str | None = None, *, errors_allowed: bool = False) -> tuple[list[tuple[object, ...]], list[str]]:
    """(credentials as tuples in file order, skip reasons in file order); no unreadable item unless allowed."""
    items = list(read_export(path, forced=forced, unlock=empty_password))
    if not errors_allowed:
        assert not [i for i in items if isinstance(i, InputError)]
    credentials = [(c.title, c.url, c.other_urls, c.username, c.sha1.hex().upper()) for c in items if isinstance(c, Credential)]
    return credentials, [s.reason for s in items if isinstance(s, Skipped)]
