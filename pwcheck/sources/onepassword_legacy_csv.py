r"""1Password 6 / 7 CSV with all fields: one column per field name any exported item uses.

The header is the union of field names; which columns appear depends on the items (cards
add `ccnum`, identities `firstname`, sections `section:<id>`...). Logins fill `Title`, `URL`,
`Username`, `Password`; `uuid` is always there. 1Password 7 for Windows writes the same
columns upper-case (`UUID,TITLE,USERNAME,PASSWORD,URL,URLS,...`, every URL of a login in
`URLS`, one per line), so names are compared without case. Its `Title,URL,Username,Password`
overlap Safari's header, so the 1Password-only `uuid` column tells them apart. A quote inside
a field is written `\"` (see `_backslash_csv`). No change time.
"""

from pwcheck.sources._backslash_csv import backslash_records
from pwcheck.sources._csv import CsvLayout


def _lines(value: str) -> list[str]:
    """`URLS`: one address per line."""
    return [line.strip() for line in value.splitlines() if line.strip()]


FORMAT = CsvLayout(
    name="1password-legacy-csv",
    label="1Password 6 / 7 CSV (all fields)",
    carries="title, every URL, username, password; no change time",
    export_hint="1Password 7: File → Export → All Items → CSV (prefer 1Password 8's .1pux: it has history)",
    manager="1Password",
    required=frozenset({"Title", "URL", "Username", "Password", "uuid"}),
    password="Password",
    url="URL",
    extra_urls="URLS",
    split_extra_urls=_lines,
    username="Username",
    title="Title",
    open_header=True,
    case_sensitive=False,
    records=backslash_records,
)
