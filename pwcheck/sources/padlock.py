"""Padloc (formerly Padlock) CSV: `name,tags,url,username,password,notes`.

Padloc's "Export Data" writes one row per item with these columns; `tags` holds the
folder-like tags. Rows without a password (notes) are skipped for that. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="padlock",
    label="Padloc / Padlock CSV",
    carries="title, URL, username, password; no change time",
    export_hint="Padloc: Settings → Export Data → CSV",
    manager="Padloc",
    required=frozenset({"name", "tags", "url", "username", "password", "notes"}),
    password="password",
    url="url",
    username="username",
    title="name",
)
