"""Avast Passwords JSON: `{logins: [...], notes: [...], cards: [...]}`.

No real Avast export is public (none in pass-import's, Bitwarden's or Proton's test data):
this layout is the keys Bitwarden's `AvastJsonImporter` reads (bitwarden/jslib
`common/src/importers/avastJsonImporter.ts`): each login's `custName` (title), `url`,
`loginName`, `pwd`; each note and card is counted as skipped. Its fixture is constructed
from them (tests/fixtures/constructed/). No change time, no TOTP.
"""

from __future__ import annotations

from typing import Any

from pwcheck.sources._json import JsonLayout, at, other_lists

OTHERS = {"notes": "secure note", "cards": "card"}
LOGIN_KEYS = frozenset({"custName", "url", "loginName", "pwd"})


def _signature(doc: Any) -> bool:
    """A `logins` list whose objects use Avast's own keys (an empty vault: only notes or cards)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("logins"), list):
        return False
    logins = doc["logins"]
    if not logins:
        return any(isinstance(doc.get(key), list) and doc[key] for key in OTHERS)
    return any(isinstance(entry, dict) and LOGIN_KEYS & entry.keys() for entry in logins)


FORMAT = JsonLayout(
    name="avast-json",
    label="Avast Passwords JSON",
    manager="Avast Passwords",
    carries="title, URL, username, password; no change time",
    export_hint="Avast Passwords: its export to JSON (the menu path is not verified: no real export was available)",
    head=('"logins"',),
    signature=_signature,
    items=at("logins"),
    password=at("pwd"),
    url=at("url"),
    username=at("loginName"),
    title=at("custName"),
    others=other_lists(OTHERS),
)
