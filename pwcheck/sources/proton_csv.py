"""Proton Pass CSV: `type,name,url,email,username,password,note,totp,createTime,modifyTime,vault`.

Older versions wrote neither `email` (added in Proton's content format 5) nor `vault`.

Only `login` rows carry a password (notes, aliases, cards, identities are skipped). `url`
joins several addresses with ", ". The username is `username`, else `email`. `modifyTime` is Unix seconds of any edit: kind "edit".
"""

from pwcheck.sources._csv import CsvLayout, Row, comma_joined
from pwcheck.sources._time import from_epoch_s


def _skip_non_login(row: Row) -> str | None:
    kind = row.get("type", "")
    if kind == "login":
        return None
    return {"creditCard": "card", "note": "secure note"}.get(kind, kind or "not a login")


FORMAT = CsvLayout(
    name="proton-pass-csv",
    label="Proton Pass CSV",
    carries="title, every URL, username or email, password, modification time (any edit)",
    export_hint="Proton Pass: Settings → Export → CSV",
    manager="Proton Pass",
    required=frozenset({"type", "name", "url", "username", "password", "note", "totp", "createTime", "modifyTime"}),
    optional=frozenset({"email", "vault", "autofillUrls"}),
    password="password",
    totp="totp",
    url="url",
    split_urls=comma_joined,
    username=("username", "email"),
    title="name",
    changed="modifyTime",
    parse_changed=from_epoch_s,
    changed_kind="edit",
    skip_row=_skip_non_login,
)
