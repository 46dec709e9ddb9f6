"""Zoho Vault CSV ("Zoho Vault Format"): `"Secret Name","Description","Secret URL","SecretData","Notes","CustomData",...`.

The login is not in columns: `SecretData` holds it as lines `SecretType:Web Account`,
`User Name:...`, `Password:...`, each name, a colon, then the value exactly (a password may hold
colons). Zoho ends every record with a comma, one field more than the header: that empty field
is dropped. A `SecretData` line without a colon, or a name given twice, cannot be read exactly
(a password with a line break would look so): an `InputError` for its record. A secret without a
`Password` line (a note, a card) is skipped as its `SecretType`. No change time.
"""

from __future__ import annotations

from pwcheck.model.errors import InputError
from pwcheck.sources._csv import CsvLayout, Records, Row
from pwcheck.sources._input import InputFile

REQUIRED = frozenset({"Secret Name", "Description", "Secret URL", "SecretData", "Notes", "CustomData"})
ADDED = ["User Name", "Password", "Password line", "Secret type"]
# The names a web account's SecretData holds (Zoho writes SecretType, User Name, Password).
WEB_ACCOUNT = frozenset({"SecretType", "User Name", "Password"})


def secret_fields(data: str) -> list[str] | str:
    """`ADDED` read from a `SecretData` cell, or why it cannot be read exactly."""
    found: dict[str, str] = {}
    crlf = "\r\n" in data
    if crlf and "\n" in data.replace("\r\n", ""):
        return "SecretData with line breaks of two kinds (one may be inside a value): cannot be read exactly"
    for text in data.split("\r\n" if crlf else "\n"):
        if not text:
            continue
        name, colon, value = text.partition(":")
        if not colon:
            return "a SecretData line without a name (a value with a line break?): cannot be read exactly"
        if name in found:
            return "a SecretData name given twice: which value is meant cannot be told"
        if "Password" in found and name not in WEB_ACCOUNT:
            # `Password:a` then `b:c` may be one password holding a line break: refused, not cut short.
            return "a SecretData line after the password that may belong to it: cannot be read exactly"
        found[name] = value
    return [found.get("User Name", ""), found.get("Password", ""), "yes" if "Password" in found else "",
            found.get("SecretType", "")]


def zoho_records(inp: InputFile) -> Records:
    rows = iter(inp.csv_rows())
    first = next(rows, None)
    if first is None:
        return
    header = [name.strip() for name in first[1]]
    width, data_at = len(header), header.index("SecretData")
    yield first[0], header + ADDED
    for line, fields in rows:
        if not any(fields):
            continue
        if len(fields) == width + 1 and fields[-1] == "":
            fields = fields[:-1]
        if len(fields) != width:
            yield InputError(inp.name, f"row has {len(fields)} fields, header has {width}: cannot tell which is the password", line=line)
            continue
        added = secret_fields(fields[data_at])
        yield InputError(inp.name, added, line=line) if isinstance(added, str) else (line, fields + added)


def _skip_without_password(row: Row) -> str | None:
    if row["Password line"]:
        return None
    kind = row["Secret type"].strip().lower()
    # The type is a word Zoho writes ("web account"); anything else is not repeated in a report.
    return f"{kind if kind.replace(' ', '').isalnum() and len(kind) <= 40 else 'secret'} without a password"


FORMAT = CsvLayout(
    name="zoho-vault-csv",
    label="Zoho Vault CSV",
    manager="Zoho Vault",
    carries="title, URL, username, password; no change time",
    export_hint="Zoho Vault: Tools → Export Secrets → Zoho Vault Format (CSV)",
    required=REQUIRED,
    open_header=True,
    needs=(),  # the file's header does not name the password column: the records put it there
    password="Password",
    url="Secret URL",
    username="User Name",
    title="Secret Name",
    skip_row=_skip_without_password,
    records=zoho_records,
)
