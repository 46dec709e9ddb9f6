"""Chromium's `Login Data` database, its `logins` table dumped to CSV (`origin_url,action_url,...,password_value,...`).

Not an export the browser writes: people (and tools such as pass-import's documentation)
dump the SQLite table with `sqlite3 -csv -header`. The column names are the table's own, and
Chrome adds columns over the years, so the header is open and these name it: `origin_url`,
`username_value`, `password_value`, `signon_realm`. `password_value` is read as the text the
dump holds: a dump of a profile whose passwords are still encrypted holds bytes that are not
UTF-8 text and the file is refused as such, never hashed; a row whose value still reads as text
but is Chrome's ciphertext (`v10`/`v11`/`v20` then unprintable bytes) is skipped as encrypted. `date_password_modified` (newer
Chrome) is microseconds since 1601: the password change time; older tables lack it.
"""

from pwcheck.sources._csv import CsvLayout, Row
from pwcheck.sources._time import from_webkit_us


def _skip_encrypted(row: Row) -> str | None:
    value = row["password_value"]
    if value.startswith(("v10", "v11", "v20")) and not value[3:].isprintable():
        return "encrypted password value (the table was dumped without decrypting it)"
    return None

FORMAT = CsvLayout(
    name="chrome-login-data-csv",
    label="Google Chrome / Chromium Login Data table dumped to CSV",
    manager="Google Chrome / Chromium browsers",
    carries="title, URL, username, password; password change time where the table has it",
    export_hint="prefer the browser's own export (Settings → Passwords → Export passwords); "
    "a dump: sqlite3 -csv -header 'Login Data' 'select * from logins'",
    required=frozenset({"origin_url", "username_value", "password_value", "signon_realm"}),
    open_header=True,
    password="password_value",
    url="origin_url",
    username="username_value",
    title="display_name",
    changed="date_password_modified",
    parse_changed=from_webkit_us,
    skip_row=_skip_encrypted,
)
