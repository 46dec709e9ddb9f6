"""Passman (Nextcloud) CSV: `label,username,password,email,description,tags,url,custom_fields,files`.

`custom_fields` and `files` are JSON inside the cell and are not read (a custom field marked
secret is not the login's password). The username is `username`, else `email`. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="passman-csv",
    label="Passman CSV (Nextcloud)",
    manager="Passman",
    carries="title, URL, username, password; no change time",
    export_hint="Passman (Nextcloud): Settings → Export credentials → Export type: CSV",
    required=frozenset({"label", "username", "password", "email", "description", "tags", "url", "custom_fields", "files"}),
    password="password",
    url="url",
    username=("username", "email"),
    title="label",
)
