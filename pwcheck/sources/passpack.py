"""Passpack CSV: `"Entry Name","URL","User ID","Password","Notes","Shared Notes","Tags","Extra Fields","Email"`.

`Tags` and `Extra Fields` are JSON inside the cell; neither holds the login's password, so they
are not read. The username is `User ID`, else `Email`. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="passpack-csv",
    label="Passpack CSV",
    manager="Passpack",
    carries="title, URL, username, password; no change time",
    export_hint="Passpack: Settings → Export → Save to CSV",
    required=frozenset({"Entry Name", "URL", "User ID", "Password", "Notes", "Shared Notes", "Tags", "Extra Fields", "Email"}),
    password="Password",
    url="URL",
    username=("User ID", "Email"),
    title="Entry Name",
)
