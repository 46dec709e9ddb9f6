"""Chromium family CSV (Chrome, Edge, Brave, Opera, Vivaldi): `name,url,username,password[,note]`.

Chromium writes one row per affiliated domain, so duplicates are expected and kept:
each row is a login the browser will fill. It records no change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="chromium",
    label="Chrome / Edge / Brave / Opera / Vivaldi CSV",
    carries="title, URL, username, password; no change time",
    export_hint="Chrome, Edge, Brave, Opera, Vivaldi: Settings → Passwords (Password Manager) → Export passwords",
    manager="Google Chrome / Chromium browsers",
    required=frozenset({"name", "url", "username", "password"}),
    optional=frozenset({"note"}),
    may_end_before=frozenset({"note"}),  # older Chrome rows stop before `note`
    password="password",
    url="url",
    username="username",
    title="name",
)
