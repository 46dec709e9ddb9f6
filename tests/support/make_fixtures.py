"""Write the fixture exports exactly as each exporter writes them (run once; files are committed).

Chromium: `csv` minimal quoting, LF. Firefox: every field quoted, empty unquoted, CRLF, no
trailing newline. Bitwarden: its JSON export shape. The other formats (issue 3) are written
by `write_formats` with the writers in `tests/support/exporters.py`, from `fixture_data` tables.
Run: `python -m tests.support.make_fixtures` (the .kdbx needs the `kdbx` extra).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.support import fixture_data as fd

HERE = Path(__file__).resolve().parents[1] / "fixtures"


def chrome(rows: list[list[str]], header: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def firefox_field(value: str | None) -> str:
    return "" if value is None else '"' + value.replace('"', '""') + '"'


def main() -> None:
    HERE.mkdir(exist_ok=True)
    rows = [[e.title, e.url, e.username, e.password, ""] for e in fd.CHROME]
    rows[0][4] = "hello, world"
    rows[2][4] = "multi\nline note"
    rows.insert(3, ["Empty", "https://empty.example.net/", "erin", "", ""])
    (HERE / "chrome.csv").write_text(chrome(rows, ["name", "url", "username", "password", "note"]), newline="")
    old = [[e.title, e.url, e.username, e.password] for e in fd.CHROME_OLD]
    (HERE / "chrome-old.csv").write_text(chrome(old, ["name", "url", "username", "password"]), newline="")

    header = ["url", "username", "password", "httpRealm", "formActionOrigin", "guid", "timeCreated", "timeLastUsed", "timePasswordChanged"]
    times = {"2019-01-01T00:00:00Z": "1546300800000", "2023-11-14T22:13:20Z": "1700000000000", "2024-03-05T06:07:08.123000Z": "1709618828123", None: ""}
    lines = [",".join(f'"{h}"' for h in header)]
    lines.append(",".join(firefox_field(v) for v in ["chrome://FirefoxAccounts", "sync@example.org", "pw-sync-Juliet-10", None, None, "{guid-0}", "1546300800000", "1546300800000", "1546300800000"]))
    for index, e in enumerate(fd.FIREFOX):
        realm = "Router admin" if e.username == "admin" else None
        action = None if realm else e.url
        lines.append(",".join(firefox_field(v) for v in [e.url, e.username, e.password, realm, action, f"{{guid-{index + 1}}}", "1546300800000", "1700000000000", times[e.changed]] if True))
    (HERE / "firefox.csv").write_text("\r\n".join(lines), newline="", encoding="utf-8")

    vault, app, nosite = fd.BITWARDEN
    items = [
        {"id": "1", "type": 1, "name": "Vault", "favorite": False, "revisionDate": "2025-01-01T00:00:00.000Z",
         "login": {"uris": [{"match": None, "uri": vault.url}] + [{"match": None, "uri": u} for u in fd.BITWARDEN_OTHER_URLS["Vault"]],
                   "username": vault.username, "password": vault.password, "totp": None, "passwordRevisionDate": "2024-05-06T07:08:09.123Z"},
         "passwordHistory": [{"lastUsedDate": "2023-01-01T00:00:00.000Z", "password": "pw-old-Kilo-11"}]},
        {"id": "2", "type": 1, "name": "App", "revisionDate": "2025-01-01T00:00:00.000Z",
         "login": {"uris": [{"match": None, "uri": app.url}], "username": app.username, "password": app.password, "totp": None, "passwordRevisionDate": None},
         "passwordHistory": [{"lastUsedDate": "2021-01-01T00:00:00.000Z", "password": "x"}, {"lastUsedDate": "2022-02-03T04:05:06.000Z", "password": "y"}]},
        {"id": "3", "type": 1, "name": "No site", "revisionDate": "2025-01-01T00:00:00.000Z",
         "login": {"uris": [], "username": nosite.username, "password": nosite.password, "totp": None, "passwordRevisionDate": None}, "passwordHistory": None},
        {"id": "4", "type": 2, "name": "A note", "notes": "pw-in-a-note-Lima-12", "secureNote": {"type": 0}},
        {"id": "5", "type": 3, "name": "Card", "card": {"number": "4111111111111111"}},
        {"id": "6", "type": 4, "name": "Me", "identity": {"firstName": "A"}},
        {"id": "7", "type": 1, "name": "Empty", "login": {"uris": [{"uri": "https://e.example.com"}], "username": "x", "password": None}},
    ]
    doc = {"encrypted": False, "folders": [], "items": items}
    (HERE / "bitwarden.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    from tests.support.make_format_fixtures import write_formats

    write_formats(HERE)


if __name__ == "__main__":
    main()
