"""KeePass CSV in the 1.x layout: `"Account","Login Name","Password","Web Site","Comments"`.

KeePass 2 writes it with File → Export → "KeePass CSV (1.x)", as KeePass 1.x did. Every
field is quoted. `Account` is the entry's title, `Login Name` its username, `Web Site` its
URL. No group, no change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="keepass-csv",
    label="KeePass CSV (1.x layout: KeePass 2 export, KeePass 1.x)",
    carries="title, URL, username, password; no change time",
    export_hint="KeePass 2: File → Export → KeePass CSV (1.x) (prefer KeePass XML (2.x): it has change times)",
    manager="KeePass",
    required=frozenset({"Account", "Login Name", "Password", "Web Site", "Comments"}),
    password="Password",
    url="Web Site",
    username="Login Name",
    title="Account",
)
