"""Encryptr CSV: `Entry Type,Label,Password,Username,Site URL,Notes,Text,Type,Name on card,Card Number,CVV,Expiry`.

One table for every kind of entry: `Entry Type` is `Password` for a login, `General` for a note,
`Credit Card` for a card. Only `Password` entries are read; the others are skipped as their kind,
never hashed (a card row has no password, its CVV is not one). No change time.
"""

from pwcheck.sources._csv import CsvLayout, Row

KINDS = {"General": "secure note", "Credit Card": "card"}


def _skip_non_login(row: Row) -> str | None:
    kind = row["Entry Type"]
    return None if kind == "Password" else KINDS.get(kind, kind.lower() or "entry of no type")


FORMAT = CsvLayout(
    name="encryptr-csv",
    label="Encryptr CSV",
    manager="Encryptr",
    carries="title, URL, username, password; no change time",
    export_hint="Encryptr: no export menu; the CSV export built from source (SpiderOak/Encryptr issue 295)",
    required=frozenset({"Entry Type", "Label", "Password", "Username", "Site URL", "Notes"}),
    optional=frozenset({"Text", "Type", "Name on card", "Card Number", "CVV", "Expiry"}),
    password="Password",
    url="Site URL",
    username="Username",
    title="Label",
    skip_row=_skip_non_login,
)
