"""Keeper JSON export: `{shared_folders: [...], records: [{title, login, password, login_url, custom_fields, ...}]}`.

Every record holding a password is checked, whatever its `$type` (a server, a database,
a Wi-Fi record holds one too); a record without one (a note, a photo, an address) is skipped
for that. The TOTP secret is the custom field `TFC:Keeper` (older exports) or `$oneTimeCode`.
Newer exports add more addresses in the custom field `$url` (a list or one address). Their
`last_modified` (Unix seconds) is any edit of the record: kind "edit".
"""

from __future__ import annotations

from typing import Any

from pwcheck.sources._json import JsonLayout, at, first, list_of_objects, strings
from pwcheck.sources._time import from_epoch_s

CUSTOM = "custom_fields"


def _signature(doc: Any) -> bool:
    return isinstance(doc, dict) and set(doc) <= {"shared_folders", "records"} and list_of_objects(doc.get("records")) \
        and all("title" in record for record in doc["records"])


def _extra_urls(record: Any) -> list[str]:
    value = at(CUSTOM, "$url")(record)
    return [value] if isinstance(value, str) else strings(value)


FORMAT = JsonLayout(
    name="keeper-json",
    label="Keeper JSON",
    manager="Keeper",
    carries="title, every URL, username, password, modification time (newer exports: any edit)",
    export_hint="Keeper: Settings → Export → JSON (or keeper-commander export --format json)",
    head=('"records"',),
    signature=_signature,
    items=at("records"),
    password=at("password"),
    url=at("login_url"),
    extra_urls=_extra_urls,
    username=at("login"),
    title=at("title"),
    changed=at("last_modified"),
    parse_changed=from_epoch_s,
    changed_kind="edit",
    totp=first(at(CUSTOM, "TFC:Keeper"), at(CUSTOM, "$oneTimeCode")),
)
