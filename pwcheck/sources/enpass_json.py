"""Enpass JSON export: `{folders, items: [{category, title, trashed, fields: [{type, value, ...}]}]}`.

Enpass keeps an item's parts as a list of typed fields, not fixed keys: the password is the
first non-empty field of type `password`, the URL of type `url`, the username of type
`username` (else `email`), the TOTP secret of type `totp`. Every item holding a password
is checked whatever its category (a Wi-Fi or server item holds one too); an item of another
category whose password field is empty or missing (a passport template has one) is skipped
with its category. A password field's `value_updated_at` (Unix
seconds) is when that value last changed: a real password-change time. Trashed and
archived items are skipped.
"""

from __future__ import annotations

from typing import Any

from pwcheck.sources._json import JsonLayout, at, field_where, first, list_of_objects
from pwcheck.sources._time import from_epoch_s

LOGINS = ("login", "password")
KINDS = {"note": "secure note", "creditcard": "card", "identity": "identity", "finance": "financial item",
         "license": "software licence", "travel": "travel document", "misc": "miscellaneous item"}


def _removed(entry: dict[str, Any]) -> bool:
    return bool(entry.get("deleted"))  # a field Enpass marks deleted is no longer the item's


FIELDS = at("fields")


def _skip(item: dict[str, Any]) -> str | None:
    if item.get("trashed") in (1, True):  # Enpass writes 0 or 1; any other value is not a mark
        return "in the trash"
    if item.get("archived") in (1, True):
        return "archived"
    category = item.get("category")
    if category in LOGINS:
        return None  # checked: an empty password is skipped as that
    fields = FIELDS(item)
    entries = fields if isinstance(fields, list) else []
    if not any(isinstance(f, dict) and f.get("type") == "password" and not _removed(f) and f.get("value") not in (None, "")
               for f in entries):
        return KINDS.get(category, "not a login") if isinstance(category, str) else "not a login"
    return None


def _signature(doc: Any) -> bool:
    return isinstance(doc, dict) and list_of_objects(doc.get("items")) and all(
        isinstance(item.get("fields"), list) and "category" in item for item in doc["items"])


FORMAT = JsonLayout(
    name="enpass-json",
    label="Enpass JSON",
    manager="Enpass",
    carries="title, URL, username, password, password-changed time (the password field's own)",
    export_hint="Enpass: File → Export → .json",
    head=('"items"', '"fields"'),
    signature=_signature,
    items=at("items"),
    password=field_where(FIELDS, "type", "password", skip=_removed, unique=True),
    url=field_where(FIELDS, "type", "url", skip=_removed),
    username=first(field_where(FIELDS, "type", "username", skip=_removed), field_where(FIELDS, "type", "email", skip=_removed)),
    title=at("title"),
    changed=field_where(FIELDS, "type", "password", "value_updated_at", skip=_removed),
    parse_changed=from_epoch_s,
    changed_kind="password",
    totp=field_where(FIELDS, "type", "totp", skip=_removed),
    skip=_skip,
)
