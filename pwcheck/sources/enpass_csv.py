"""Enpass CSV (Enpass 5 and 6): `"Title","Field","Value","Field","Value",.........,"Note"`, then one item a record.

The header is Enpass's own literal line, dots included, and it is what identifies the file. A
record is not columns: it is the title, then a label and a value for each field the item has,
then the note (so always an even number of fields). A field is a login's when its label is one
of Enpass's own (`Username`, `E-mail`, `Password`, `URL`, `TOTP`, in any case), as Bitwarden's
importer reads them; the first non-empty of each is taken. An item with no `Password` field at
all (a note, a card, an identity) is skipped as such. A record of an odd number of fields, or
with two different passwords, cannot be read exactly: an `InputError` for its line. No change time.
"""

from __future__ import annotations

from pwcheck.model.errors import InputError
from pwcheck.sources._csv import CsvLayout, Records, Row
from pwcheck.sources._input import InputFile

COLUMNS = ["Title", "Username", "Email", "Password", "URL", "TOTP", "Note", "Password field"]
LABELS = {"username": "Username", "e-mail": "Email", "email": "Email", "password": "Password", "url": "URL", "totp": "TOTP"}
ODD = "record has an odd number of fields: Enpass writes a title, label and value pairs, then the note"
TWO = "two different Password fields in one item: which one is the login's cannot be told"


def _item(fields: list[str]) -> list[str] | str:
    """One record as `COLUMNS`, or why it cannot be read exactly."""
    if len(fields) % 2:
        return ODD
    values = dict.fromkeys(COLUMNS, "")
    values["Title"], values["Note"] = fields[0], fields[-1]
    for label, value in zip(fields[1:-1:2], fields[2:-1:2]):
        column = LABELS.get(label.strip().casefold())
        if column is None:
            continue
        if column == "Password":
            values["Password field"] = "yes"
            if value and values[column] and value != values[column]:
                return TWO
        values[column] = values[column] or value
    return [values[name] for name in COLUMNS]


def enpass_records(inp: InputFile) -> Records:
    """The header line replaced by `COLUMNS`, each item laid out under them."""
    rows = iter(inp.csv_rows())
    first = next(rows, None)
    if first is None:
        return
    yield first[0], list(COLUMNS)
    for line, fields in rows:
        if not any(fields):
            continue
        item = _item(fields)
        yield InputError(inp.name, item, line=line) if isinstance(item, str) else (line, item)


def _skip_without_password(row: Row) -> str | None:
    return None if row["Password field"] else "no password field (note, card or other item)"


FORMAT = CsvLayout(
    name="enpass-csv",
    label="Enpass CSV",
    manager="Enpass",
    carries="title, URL, username, password; no change time",
    export_hint="Enpass: File → Export → As CSV (Enpass 6 also writes JSON: File → Export → As JSON)",
    required=frozenset({"Title", "Field", "Value", ".........", "Note"}),
    needs=(),  # the file's header does not name the password column: the records put it there
    password="Password",
    url="URL",
    username=("Username", "Email"),
    title="Title",
    totp="TOTP",
    skip_row=_skip_without_password,
    records=enpass_records,
)
