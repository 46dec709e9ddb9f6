"""Avira Password Manager CSV: `name`, `website`, `username`, `secondary_username`, `password`.

No real Avira export is public (none in pass-import's, Bitwarden's or Proton's test data):
this layout is the columns Bitwarden's `AviraCsvImporter` reads by name (bitwarden/jslib
`common/src/importers/aviraCsvImporter.ts`), and its fixture is constructed from them
(tests/fixtures/constructed/). The username is `username`, else `secondary_username` (as
Bitwarden reads it). No change time, no TOTP column.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="avira-csv",
    label="Avira Password Manager CSV",
    manager="Avira Password Manager",
    carries="title, URL, username (else secondary username), password; no change time",
    export_hint="Avira Password Manager: its export to CSV (the menu path is not verified: no real export was available)",
    required=frozenset({"name", "website", "username", "secondary_username", "password"}),
    password="password",
    url="website",
    username=("username", "secondary_username"),
    title="name",
)
