"""Keeper CSV: no header; `folder,title,login,password,website address,notes,shared folder[,name,value...]`.

Keeper writes every record without a header row, each custom field as a name and a value after
the shared folder (Bitwarden's importer reads it so). Recognised by content (see
`CsvLayout.positional`): six fields or more per record, the fifth an address or empty and at
least one an address, the fourth at least once something else (a password). Dashlane's old
CSV is at most six fields with its address second: a file both could be is refused as
ambiguous, never guessed. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="keeper-csv",
    label="Keeper CSV (no header)",
    manager="Keeper",
    carries="title, URL, username, password; no change time",
    export_hint="Keeper: Settings → Export → Export to CSV File (prefer JSON: it keeps TOTP and custom fields apart)",
    required=frozenset(),
    positional=("folder", "title", "login", "password", "website address", "notes", "shared folder", "custom fields"),
    may_end_before=frozenset({"shared folder"}),  # Bitwarden reads records of six fields as well
    spill=frozenset({"custom fields"}),  # each custom field is a name and a value of its own
    password="password",
    url="website address",
    username="login",
    title="title",
)
