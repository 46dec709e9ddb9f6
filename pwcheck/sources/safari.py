"""Safari / Apple Passwords CSV: `Title,URL,Username,Password,Notes,OTPAuth` (older: `Title,Url,Username,Password`).

The upper-case `URL` of current versions tells it apart from 1Password's `Url`; the old
four-column header is a strict subset of 1Password's nine columns, so the exact column
set decides. No change time is exported.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="safari",
    label="Safari / Apple Passwords CSV",
    carries="title, URL, username, password; no change time",
    export_hint="Safari: File → Export → Passwords; macOS Passwords app: File → Export All Passwords",
    manager="Apple Safari / Passwords",
    required=frozenset({"Title", "Username", "Password"}),
    optional=frozenset({"URL", "Url", "Notes", "OTPAuth"}),
    password="Password",
    totp="OTPAuth",
    url=("URL", "Url"),
    username="Username",
    title="Title",
    needs=(("password",), ("url",)),
)
