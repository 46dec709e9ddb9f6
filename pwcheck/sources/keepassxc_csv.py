"""KeePassXC CSV: `Group,Title,Username,Password,URL,Notes` plus (2.6+) `TOTP,Icon,Last Modified,Created`.

KeePassX 2 writes the same six columns (KeePassXC began as its fork): one reader, both names.

Every field is quoted. `Last Modified` is the entry's modification time: any edit, not
necessarily the password, so it is recorded with kind "edit". The exporter walks every
group, the recycle bin included: entries under a `Recycle Bin` group are skipped.
"""

from pwcheck.sources._csv import CsvLayout, Row
from pwcheck.sources._time import from_iso

RECYCLE_BIN = "Recycle Bin"


def _skip_recycle_bin(row: Row) -> str | None:
    return "in the recycle bin" if RECYCLE_BIN in row.get("Group", "").split("/") else None


FORMAT = CsvLayout(
    name="keepassxc-csv",
    label="KeePassXC / KeePassX 2 CSV",
    carries="title, URL, username, password, last-modified time (any edit)",
    export_hint="KeePassXC: Database → Export → CSV File (or `keepassxc-cli export -f csv`)",
    manager="KeePassXC / KeePassX",
    required=frozenset({"Group", "Title", "Username", "Password", "URL", "Notes"}),
    optional=frozenset({"TOTP", "Icon", "Last Modified", "Created"}),
    password="Password",
    totp="TOTP",
    url="URL",
    username="Username",
    title="Title",
    changed="Last Modified",
    parse_changed=from_iso,
    changed_kind="edit",
    skip_row=_skip_recycle_bin,
)
