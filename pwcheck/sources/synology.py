"""Synology C2 Password CSV: `Display_Name,Login_Username,Login_Password,Login_URLs,Login_TOTP,Notes,Favorite`.

Written with a UTF-8 byte-order mark (read as any other). `Login_TOTP` is the login's TOTP secret
(only whether one is stored is kept). `Login_URLs` is taken as one address: the only real export
seen holds one per login. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="synology-c2-csv",
    label="Synology C2 Password CSV",
    manager="Synology C2 Password",
    carries="title, URL, username, password; no change time",
    export_hint="Synology C2 Password: Profile → Export → Download (CSV)",
    required=frozenset({"Display_Name", "Login_Username", "Login_Password", "Login_URLs", "Login_TOTP", "Notes"}),
    optional=frozenset({"Favorite"}),
    password="Login_Password",
    url="Login_URLs",
    username="Login_Username",
    title="Display_Name",
    totp="Login_TOTP",
)
