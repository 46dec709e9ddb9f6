"""Dashlane's CSV before 2020: no header; `title,url,login,password,note` (a secure note: one field more).

Recognised by content (see `CsvLayout.positional`): at most six fields per record, the second
an address or empty and at least one an address, the fourth at least once something else. UPM's
header-less CSV has its address in the fourth field, so no file is both. Dashlane wrote an item
with nothing but a title as one field (`"empty entry"`): fields missing from the end of a record
are empty, never shifted. A secure note has a sixth, empty field, after its text. Today's Dashlane export (a ZIP with `credentials.csv`) is `dashlane`.
No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="dashlane-old-csv",
    label="Dashlane CSV before 2020 (no header)",
    manager="Dashlane",
    carries="title, URL, username, password; no change time",
    export_hint="Dashlane (before 2020): File → Export → Unsecured Archive in CSV (today: Settings → Export data, read as dashlane)",
    required=frozenset(),
    positional=("title", "url", "login", "password", "note", "other"),
    may_end_before=frozenset({"url", "login", "password", "note", "other"}),
    password="password",
    url="url",
    username="login",
    title="title",
)
