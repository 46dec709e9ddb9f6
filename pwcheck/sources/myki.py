"""Myki CSV (accounts): `url,username,password,additionalInfo,nickname,twofaSecret` or the newer
`nickname,url,username,password,additionalInfo,twofaSecret,status,tags`.

Myki's export is one CSV per kind of item (accounts, cards, notes, 2FA tokens, identities); only
the accounts file holds passwords, and it is the one with a `password` column. `nickname` is the
title, `twofaSecret` the login's TOTP secret (only whether one is stored is kept). No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="myki-csv",
    label="Myki CSV (accounts)",
    manager="Myki",
    carries="title, URL, username, password; no change time",
    export_hint="Myki: Settings → Export → CSV (the accounts file, UserAccount.csv)",
    required=frozenset({"url", "username", "password", "additionalInfo", "nickname", "twofaSecret"}),
    optional=frozenset({"status", "tags"}),
    password="password",
    url="url",
    username="username",
    title="nickname",
    totp="twofaSecret",
)
