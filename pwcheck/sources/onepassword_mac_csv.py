r"""1Password 7 for Mac CSV with all fields: `label(name)` columns, without 1Password 6's `uuid`.

The header is the union of every item's fields, each named `label(name)` (`number(ccnum)`,
`username(pop_username)`, ...) beside the fixed `Title`, `Type`, `URL`, `Username`, `Password`,
`Notes`, `Tags`, `Created Date`, `Modified Date`, and it ends with an empty column. `Type`
says what an item is (`Login`, `Secure Note`, `Identity`, `Credit Card`, ...): an item that
is not a login and has no `Password` is skipped as its kind. `Modified Date` is Unix seconds
of any edit: kind "edit". A quote inside a field is written `\"` (see `_backslash_csv`).
Without its own reader this export was taken for Safari's (same four names) and refused at
its first escaped quote.
"""

from pwcheck.sources._backslash_csv import backslash_records
from pwcheck.sources._csv import CsvLayout, Row
from pwcheck.sources._time import from_epoch_s


def _skip_non_login(row: Row) -> str | None:
    kind = row.get("Type", "").strip()
    if kind and kind != "Login" and not row.get("Password"):
        return kind.lower()
    return None


FORMAT = CsvLayout(
    name="1password-mac-csv",
    label="1Password 7 for Mac CSV (all fields)",
    carries="title, URL, username, password, modification time (any edit)",
    export_hint="1Password 7 for Mac: File → Export → All Items → CSV (prefer 1Password 8's .1pux: it has history)",
    manager="1Password",
    required=frozenset({"Title", "Type", "URL", "Username", "Password", "Modified Date"}),
    password="Password",
    url="URL",
    username="Username",
    title="Title",
    changed="Modified Date",
    parse_changed=from_epoch_s,
    changed_kind="edit",
    skip_row=_skip_non_login,
    open_header=True,
    records=backslash_records,
)
