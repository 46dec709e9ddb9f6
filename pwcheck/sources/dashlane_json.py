"""The old Dashlane JSON export (Dashlane 6 desktop): `{"AUTHENTIFIANT": [...], "EMAIL": [...], ...}`.

Logins are the `AUTHENTIFIANT` list: `title`, `domain`, `login` (else `secondaryLogin`,
else `email`), `password`. Every entry of the other lists (emails, notes, cards, ids) is
counted as skipped with its list's name. No change time is exported.
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.sources._json import JsonLayout, at, first

LOGINS = "AUTHENTIFIANT"
# What the other lists of the export hold, as Dashlane names them (upper case, French for "login").
KINDS = {"EMAIL": "email address", "NOTE": "secure note", "SECURENOTE": "secure note", "PAYMENTMEANS_CREDITCARD": "card",
         "BANKSTATEMENT": "bank account", "IDENTITY": "identity", "PHONE": "phone number", "ADDRESS": "address"}


def _signature(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get(LOGINS), list) and all(key.isupper() for key in doc)


def _others(doc: Any) -> Iterator[str]:
    for key, entries in doc.items():
        if key != LOGINS and isinstance(entries, list):
            kind = KINDS.get(key, "not a login")  # the key itself is never shown: it is the file's text
            for _ in entries:
                yield kind


FORMAT = JsonLayout(
    name="dashlane-json",
    label="Dashlane JSON (old desktop export)",
    manager="Dashlane",
    carries="title, URL, username, password; no change time",
    export_hint="Dashlane 6 (desktop): File → Export → Unsecured archive (readable) in JSON format",
    head=(f'"{LOGINS}"',),
    signature=_signature,
    items=at(LOGINS),
    password=at("password"),
    url=at("domain"),
    username=first(at("login"), at("secondaryLogin"), at("email")),
    title=at("title"),
    others=_others,
)
