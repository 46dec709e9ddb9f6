"""Revelation XML export (`<revelationdata><entry type="generic">` with `<field id=...>`s).

Entries nest in `folder` entries (skipped as folders). Each entry's parts are `field`s
known by their `id`: `generic-password`, `generic-username` (else `generic-email`), and
the address in `generic-url` else `generic-hostname`. Every entry type that has a password
field (website, ftp, shell, database, ...) is checked; a credit card, phone or door entry
has none and is skipped as not a login. `updated` (Unix seconds) is any edit: kind "edit".
"""

from __future__ import annotations

from pwcheck.sources._time import from_epoch_s
from pwcheck.sources._xml import Item, XmlLayout


def _skip(item: Item) -> str | None:
    if item.get("@type") == "folder":
        return "folder"
    if "field:generic-password" not in item:
        return "not a login (no password field)"
    return None


FORMAT = XmlLayout(
    name="revelation-xml",
    label="Revelation XML",
    manager="Revelation",
    carries="title, URL or host name, username, password, modification time (any edit)",
    export_hint="Revelation: File → Export → XML",
    root="revelationdata",
    record="entry",
    signature="<revelationdata",
    key_attr="id",
    password=("field:generic-password",),
    url=("field:generic-url", "field:generic-hostname"),
    username=("field:generic-username", "field:generic-email"),
    title=("name",),
    edited=("updated",),
    parse_time=from_epoch_s,
    attributes=("@type",),
    skip=_skip,
)
