"""SaferPass CSV: `"modelType","modelVersion","url","username","password","notes","favorite","title","text","color"`.

Written with a UTF-8 byte-order mark. `modelType` says what a row is: `Account` for a login;
any other kind is skipped as itself. Before its own reader the file was taken for a 1Password 4
CSV (its five columns are among these ten). No change time.
"""

from pwcheck.sources._csv import CsvLayout, Row


def _skip_non_account(row: Row) -> str | None:
    kind = row["modelType"]
    return None if kind == "Account" else (kind.lower() or "row of no type")


FORMAT = CsvLayout(
    name="saferpass-csv",
    label="SaferPass CSV",
    manager="SaferPass",
    carries="title, URL, username, password; no change time",
    export_hint="SaferPass: Settings → Export Data → Export data",
    required=frozenset({"modelType", "modelVersion", "url", "username", "password", "notes", "favorite", "title"}),
    optional=frozenset({"text", "color"}),
    password="password",
    url="url",
    username="username",
    title="title",
    skip_row=_skip_non_account,
)
