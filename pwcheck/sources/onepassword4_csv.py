"""1Password 4 CSV: `title,notes,username,password,url`, lower-case, every field quoted.

Read as pass-import reads it (its `OnePassword4CSV`): plain CSV quoting. Items without a
password (secure notes, empty entries) are skipped as having none. No change time.
Before this reader the file was read by the generic CSV and labelled as such.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="1password4-csv",
    label="1Password 4 CSV",
    carries="title, URL, username, password; no change time",
    export_hint="1Password 4: File → Export → CSV (title, notes, username, password, url)",
    manager="1Password",
    required=frozenset({"title", "notes", "username", "password", "url"}),
    password="password",
    url="url",
    username="username",
    title="title",
)
