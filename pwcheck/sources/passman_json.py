"""Passman (Nextcloud) JSON export: a list of credentials `{label, username, email, password, url, changed, otp, delete_time}`.

The username is `username`, else `email`. `changed` (Unix seconds) is any edit of the
credential: kind "edit". A credential with a `delete_time` is in the trash and skipped.
`otp` is an object holding the secret when one is set.
"""

from __future__ import annotations

from typing import Any

from pwcheck.sources._json import JsonLayout, at, first, list_of_objects
from pwcheck.sources._time import from_epoch_s


def _signature(doc: Any) -> bool:
    return list_of_objects(doc) and all("credential_id" in item and "guid" in item for item in doc)


def _skip(item: dict[str, Any]) -> str | None:
    """In the trash when `delete_time` is a time (Unix seconds, a number or digits); 0 or absent is not."""
    deleted = item.get("delete_time")
    if isinstance(deleted, str) and deleted.isdigit():
        deleted = int(deleted)
    return "in the trash" if isinstance(deleted, (int, float)) and not isinstance(deleted, bool) and deleted > 0 else None


FORMAT = JsonLayout(
    name="passman-json",
    label="Passman JSON",
    manager="Passman (Nextcloud)",
    carries="title, URL, username or email, password, modification time (any edit)",
    export_hint="Nextcloud Passman: Settings → Export credentials → JSON",
    head=('"credential_id"', '"guid"'),
    signature=_signature,
    items=lambda doc: doc,
    password=at("password"),
    url=at("url"),
    username=first(at("username"), at("email")),
    title=at("label"),
    changed=at("changed"),
    parse_changed=from_epoch_s,
    changed_kind="edit",
    totp=at("otp"),
    skip=_skip,
)
