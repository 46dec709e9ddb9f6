"""Password Safe XML export (`<passwordsafe delimiter=...><entry id=...>`).

Each `entry` holds `title`, `username`, `password`, `url` and, since Password Safe 3.40,
`twofactorkey` (a TOTP secret). `pmtimex` is when the password last changed (kind
"password"); without it `rmtimex`, the last change of the record (kind "edit"). Earlier
passwords (`pwhistory`) are not read. Times are local ISO 8601 without a zone, taken as UTC.
"""

from __future__ import annotations

from pwcheck.sources._time import from_iso
from pwcheck.sources._xml import XmlLayout

FORMAT = XmlLayout(
    name="pwsafe-xml",
    label="Password Safe XML",
    manager="Password Safe",
    carries="title, URL, username, password, password-changed time (else last edit)",
    export_hint="Password Safe: File → Export To → XML format",
    root="passwordsafe",
    record="entry",
    signature="<passwordsafe",
    password=("password",),
    url=("url",),
    username=("username", "email"),
    title=("title",),
    changed=("pmtimex",),
    edited=("rmtimex",),
    parse_time=from_iso,
    totp=("twofactorkey",),
)
