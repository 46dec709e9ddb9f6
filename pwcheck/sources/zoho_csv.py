"""Zoho Vault's older CSV: the header `"Secret Name","Secret URL","Notes"`, but records of five fields or more.

The header names three columns, and every record holds two more after them: the user name and
the password (pass-import reads it so), then a custom field's value where the secret has one.
The header is replaced by those five names; a record of fewer than five fields cannot be read
exactly (`InputError`). No change time.
"""

from __future__ import annotations

from pwcheck.sources._csv import CsvLayout, Records
from pwcheck.sources._input import InputFile

COLUMNS = ["Secret Name", "Secret URL", "Notes", "User Name", "Password", "Custom Data"]


def zoho_old_records(inp: InputFile) -> Records:
    """The file's records under `COLUMNS` instead of its three-name header."""
    rows = iter(inp.csv_rows())
    first = next(rows, None)
    if first is None:
        return
    yield first[0], list(COLUMNS)
    yield from rows


FORMAT = CsvLayout(
    name="zoho-csv",
    label="Zoho Vault CSV (older, three-column header)",
    manager="Zoho Vault",
    carries="title, URL, username, password; no change time",
    export_hint="Zoho Vault: Tools → Export Secrets → CSV (prefer today's Zoho Vault Format CSV)",
    required=frozenset({"Secret Name", "Secret URL", "Notes"}),
    spill=frozenset({"Custom Data"}),  # a custom field's value, or several, or none
    needs=(),  # the file's header does not name the password column: the records put it there
    password="Password",
    url="Secret URL",
    username="User Name",
    title="Secret Name",
    records=zoho_old_records,
)
