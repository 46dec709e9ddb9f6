"""Password Gorilla CSV: `uuid,group,title,url,user,password,notes`.

Gorilla's File → Export writes its Password Safe database as this table; a group path is
dot-separated (`Emails.WS`). No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="password-gorilla-csv",
    label="Password Gorilla CSV",
    manager="Password Gorilla",
    carries="title, URL, username, password; no change time",
    export_hint="Password Gorilla: File → Export → CSV Files",
    required=frozenset({"uuid", "group", "title", "url", "user", "password", "notes"}),
    password="password",
    url="url",
    username="user",
    title="title",
)
