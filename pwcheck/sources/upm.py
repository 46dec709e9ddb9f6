"""Universal Password Manager (UPM) CSV: no header; `account,user id,password,url,notes`, five fields a record.

Recognised by content (see `CsvLayout.positional`): five fields per record, the fourth an
address or empty and at least one an address, the third at least once something else. That
last test is what tells it from Dashlane's old header-less CSV, whose fourth field is the
password and second the address. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="upm-csv",
    label="Universal Password Manager (UPM) CSV (no header)",
    manager="Universal Password Manager",
    carries="title, URL, username, password; no change time",
    export_hint="UPM: Database → Export (CSV)",
    required=frozenset(),
    positional=("account", "user id", "password", "url", "notes"),
    password="password",
    url="url",
    username="user id",
    title="account",
)
