"""Blur (Abine, "DoNotTrackMe") JSON export: `{dntmeExport, accounts, cards, addresses, notes, identities}`.

Logins are `accounts`: `label`, `username` (else `email`), `password`, the URL in
`login_url` else `domain`. Blur's web page writes a missing domain as the text
`undefined` (JavaScript's name for "no value"), which is no address and is left out.
`modifiedAt` is any edit: kind "edit". Each card, address, note and identity is counted as skipped.
"""

from __future__ import annotations

from typing import Any

from pwcheck.sources._json import JsonLayout, at, first, other_lists
from pwcheck.sources._time import from_iso

OTHERS = {"cards": "card", "addresses": "address", "notes": "secure note", "identities": "identity"}


def _signature(doc: Any) -> bool:
    return isinstance(doc, dict) and "dntmeExport" in doc and isinstance(doc.get("accounts"), list)


def _url(item: Any) -> Any:
    value = first(at("login_url"), at("domain"))(item)
    return None if value == "undefined" else value


FORMAT = JsonLayout(
    name="blur-json",
    label="Blur JSON",
    manager="Blur (Abine)",
    carries="title, URL, username or email, password, modification time (any edit)",
    export_hint="Blur: Settings → Export / Backup → Export data (JSON)",
    head=('"dntmeExport"',),
    signature=_signature,
    items=at("accounts"),
    password=at("password"),
    url=_url,
    username=first(at("username"), at("email")),
    title=at("label"),
    changed=at("modifiedAt"),
    parse_changed=from_iso,
    changed_kind="edit",
    others=other_lists(OTHERS),
)
