"""Bitwarden CSV, personal (`folder,favorite,...`) and organisation (`collections,...`) exports.

Only `type=login` rows carry a password: notes, cards and identities are skipped with
their kind. `login_uri` joins every URI with commas (Bitwarden's exporter stringifies
the list), so it is split there; the first is the credential's URL. No change time.
"""

from pwcheck.sources._csv import CsvLayout, Row, comma_joined

KINDS = {"note": "secure note", "card": "card", "identity": "identity", "sshkey": "SSH key"}


def _skip_non_login(row: Row) -> str | None:
    kind = row.get("type", "")
    if kind == "login":
        return None
    return KINDS.get(kind, "not a login")


FORMAT = CsvLayout(
    name="bitwarden-csv",
    label="Bitwarden CSV",
    carries="title, every URI, username, password; no change time",
    export_hint="Bitwarden: Tools → Export vault → File format .csv (prefer .json: it has change times)",
    manager="Bitwarden",
    required=frozenset({"type", "name", "notes", "fields", "login_uri", "login_username", "login_password", "login_totp"}),
    optional=frozenset({"folder", "favorite", "collections", "reprompt", "login_fido2Credentials"}),
    password="login_password",
    totp="login_totp",
    url="login_uri",
    split_urls=comma_joined,
    username="login_username",
    title="name",
    skip_row=_skip_non_login,
)
