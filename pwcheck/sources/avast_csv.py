"""Avast Passwords CSV: the columns Bitwarden's importer reads, `name`, `web`, `login`, `password`.

No real Avast export is public (none in pass-import's, Bitwarden's or Proton's test data):
this layout is the columns Bitwarden's `AvastCsvImporter` reads by name (bitwarden/jslib
`common/src/importers/avastCsvImporter.ts`), and its fixture is constructed from them
(tests/fixtures/constructed/). No change time, no TOTP column.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="avast-csv",
    label="Avast Passwords CSV",
    manager="Avast Passwords",
    carries="title, URL, username, password; no change time",
    export_hint="Avast Passwords: its export to CSV (the menu path is not verified: no real export was available)",
    required=frozenset({"name", "web", "login", "password"}),
    password="password",
    url="web",
    username="login",
    title="name",
)
