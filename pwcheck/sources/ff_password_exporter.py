"""FF Password Exporter CSV (a Firefox add-on, before Firefox exported by itself): `hostname,username,password`.

`hostname` is the address Firefox saved the login for (the only address, and no title).
Newer versions of the add-on write Firefox's own CSV, read as `firefox`. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="ff-password-exporter-csv",
    label="FF Password Exporter CSV (Firefox add-on)",
    manager="FF Password Exporter",
    carries="URL, username, password; no title, no change time",
    export_hint="FF Password Exporter add-on: Preferences → Export Passwords → CSV",
    required=frozenset({"hostname", "username", "password"}),
    password="password",
    url="hostname",
    username="username",
)
