"""SafeInCloud XML export (`<database><card title=...><field type="password">...`).

A `card` is an item; its `field`s are known by their `type`: the password is the first
non-empty `password` field, the username `login`, the URL `website`, the TOTP secret
`one_time_password`. Templates, notes and cards the export marks `deleted` are skipped;
a card without a password field (a bank card, a passport) is skipped as not a login.
`time_stamp` (Unix milliseconds) is the last edit of the card: kind "edit".
"""

from __future__ import annotations

from pwcheck.sources._time import from_epoch_ms
from pwcheck.sources._xml import Item, XmlLayout


def _skip(item: Item) -> str | None:
    if item.get("@template") == "true":
        return "template"
    if item.get("@deleted") == "true":
        return "in the trash"
    if item.get("@type") == "note":
        return "secure note"
    if "field:password" not in item:
        return "not a login (no password field)"
    return None


FORMAT = XmlLayout(
    name="safeincloud-xml",
    label="SafeInCloud XML",
    manager="SafeInCloud",
    carries="title, URL, username, password, modification time (any edit)",
    export_hint="SafeInCloud: File → Export → As XML",
    root="database",
    record="card",
    signature="<card ",
    key_attr="type",
    password=("field:password",),
    url=("field:website",),
    username=("field:login",),
    title=("@title",),
    edited=("@time_stamp",),
    parse_time=from_epoch_ms,
    totp=("field:one_time_password",),
    attributes=("@template", "@deleted", "@type"),
    skip=_skip,
)
