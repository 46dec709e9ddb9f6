"""Blur (Abine) CSV: `"domain","label","username","email","password"`.

Blur writes JavaScript's `undefined` for a value it does not have, unquoted: a domain of
`undefined` is no address, and a password of `undefined` is no password. Such a row is skipped
and says why, so that an item whose password really is the word stays visible, never hashed as a
guess. `username` is the login, else `email`. No change time.
"""

from pwcheck.sources._csv import CsvLayout, Row

UNDEFINED = "undefined"


def _skip_undefined(row: Row) -> str | None:
    return "no password (Blur writes 'undefined')" if row["password"] == UNDEFINED else None


def _domain(value: str) -> list[str]:
    return [] if value in ("", UNDEFINED) else [value]


FORMAT = CsvLayout(
    name="blur-csv",
    label="Blur CSV",
    manager="Blur",
    carries="title, URL, username, password; no change time",
    export_hint="Blur: Settings → Export Data → Export CSV → Accounts",
    required=frozenset({"domain", "label", "username", "email", "password"}),
    password="password",
    url="domain",
    split_urls=_domain,
    username=("username", "email"),
    title="label",
    skip_row=_skip_undefined,
)
