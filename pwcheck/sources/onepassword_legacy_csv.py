"""1Password 6 / 7 CSV with all fields: one column per field name any exported item uses.

The header is the sorted union of field names, starting with an unnamed column; which
columns appear depends on the items (cards add `ccnum`, identities `firstname`, sections
`section:<id>`...). Logins fill `Title`, `URL`, `Username`, `Password`; `uuid` and `Type`
are always there. Its `Title,URL,Username,Password` overlap Safari's header, so the
1Password-only `uuid` column tells them apart. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="1password-legacy-csv",
    label="1Password 6 / 7 CSV (all fields)",
    carries="title, URL, username, password; no change time",
    export_hint="1Password 7: File → Export → All Items → CSV (prefer 1Password 8's .1pux: it has history)",
    required=frozenset({"Title", "URL", "Username", "Password", "uuid"}),
    password="Password",
    url="URL",
    username="Username",
    title="Title",
    open_header=True,
)
