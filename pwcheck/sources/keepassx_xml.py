"""KeePassX 0.4 XML (`<!DOCTYPE KEEPASSX_DATABASE><database><group><title/>...<entry>`).

Each `entry` holds `title`, `username`, `password`, `url` and times; groups nest. KeePass 1
and KeePassX 0.4 keep earlier versions of edited and deleted entries in a top-level group
called `Backup`: those are skipped (they are not the current password of anything).
`lastmod` is any edit of the entry: kind "edit".
"""

from __future__ import annotations

from pwcheck.sources._time import from_iso
from pwcheck.sources._xml import Item, XmlLayout

BACKUP = "Backup"


def _skip(item: Item) -> str | None:
    return "in the Backup group (an earlier or deleted version)" if item["@group"].split("/")[0] == BACKUP else None


FORMAT = XmlLayout(
    name="keepassx-xml",
    label="KeePassX 0.4 XML",
    manager="KeePassX",
    carries="title, URL, username, password, modification time (any edit)",
    export_hint="KeePassX 0.4: File → Export to → KeePassX XML File",
    root="database",
    record="entry",
    signature="<!DOCTYPE KEEPASSX_DATABASE",
    doctype="KEEPASSX_DATABASE",
    group="group",
    password=("password",),
    url=("url",),
    username=("username",),
    title=("title",),
    edited=("lastmod",),
    parse_time=from_iso,
    skip=_skip,
)
