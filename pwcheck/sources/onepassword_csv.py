"""1Password 8 CSV: `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`.

Archived items are still in the export; they are skipped (and counted) because the
person has put them away, as the 1PUX reader does. No change time is exported.
"""

from pwcheck.sources._csv import CsvLayout, Row


def _skip_archived(row: Row) -> str | None:
    return "archived item" if row.get("Archived", "").strip().lower() == "true" else None


FORMAT = CsvLayout(
    name="1password-csv",
    label="1Password 8 CSV",
    carries="title, URL, username, password; no change time",
    export_hint="1Password 8: File → Export → choose the account → CSV (prefer .1pux: it has history)",
    manager="1Password",
    required=frozenset({"Title", "Url", "Username", "Password", "OTPAuth", "Favorite", "Archived", "Tags", "Notes"}),
    password="Password",
    totp="OTPAuth",
    url="Url",
    username="Username",
    title="Title",
    skip_row=_skip_archived,
)
