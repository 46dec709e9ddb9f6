"""SafeInCloud CSV: `"Title","Login","Password","URL","Notes","OTP"`.

`OTP` is the login's TOTP secret (only whether one is stored is kept). No change time (the
XML export has none either).
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="safeincloud-csv",
    label="SafeInCloud CSV",
    manager="SafeInCloud",
    carries="title, URL, username, password; no change time",
    export_hint="SafeInCloud: File → Export → Comma-Separated Values (CSV)",
    required=frozenset({"Title", "Login", "Password", "URL"}),
    optional=frozenset({"Notes", "OTP"}),
    password="Password",
    url="URL",
    username="Login",
    title="Title",
    totp="OTP",
)
