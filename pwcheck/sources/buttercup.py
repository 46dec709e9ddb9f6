"""Buttercup CSV: `!type,!group_id,!group_name,!group_parent,title,username,password,URL,id,Notes,...`.

Groups and entries share the table: a `!type` of `group` declares a folder and is skipped as
one. Every custom field of an entry becomes a column of its own after `Notes` (`pin` in the
real export), so the header is open: the `!`-prefixed columns identify it. No change time.
"""

from pwcheck.sources._csv import CsvLayout, Row


def _skip_group(row: Row) -> str | None:
    kind = row["!type"]
    if kind == "entry":
        return None
    return "group" if kind == "group" else f"{kind or 'untyped'} row"


FORMAT = CsvLayout(
    name="buttercup-csv",
    label="Buttercup CSV",
    manager="Buttercup",
    carries="title, URL, username, password; no change time",
    export_hint="Buttercup: File → Export → Export File to CSV",
    required=frozenset({"!type", "!group_id", "!group_name", "!group_parent", "title", "username", "password", "URL", "id"}),
    open_header=True,
    password="password",
    url="URL",
    username="username",
    title="title",
    skip_row=_skip_group,
)
