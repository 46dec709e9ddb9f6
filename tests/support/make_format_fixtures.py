"""The fixture files of every format added by issue 3, written from `fixture_data` tables.

Each function writes one export the way its exporter does (see `tests/support/exporters.py`),
with the expected credentials plus the items the reader must skip (notes, cards, the
recycle bin, archived or trashed items, empty passwords).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tests.support import exporters as ex
from tests.support import fixture_data as fd


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def basic(rows: list[fd.Expected], url: str, user: str, pw: str, title: str, **extra: Any) -> list[dict[str, Any]]:
    return [{url: e.url or "", user: e.username or "", pw: e.password, title: e.title or "", **extra} for e in rows]


def write_csv_formats(here: Path) -> None:
    safari = basic(fd.SAFARI, "URL", "Username", "Password", "Title", Notes="n, with comma")
    safari.append({"Title": "Empty", "URL": "https://empty.example.com/", "Username": "x", "Password": ""})
    (here / "safari.csv").write_text(ex.csv_text(["Title", "URL", "Username", "Password", "Notes", "OTPAuth"], safari), newline="")
    old = basic(fd.SAFARI_OLD, "Url", "Username", "Password", "Title")
    (here / "safari-old.csv").write_text(ex.csv_text(["Title", "Url", "Username", "Password"], old), newline="")

    onep = basic(fd.ONEPASSWORD_CSV, "Url", "Username", "Password", "Title", Archived="false", Favorite="false")
    onep.append({"Title": "Old", "Url": "https://arch.example.com", "Username": "a", "Password": "pw-archived-Papa-16", "Archived": "true"})
    header = ["Title", "Url", "Username", "Password", "OTPAuth", "Favorite", "Archived", "Tags", "Notes"]
    (here / "1password.csv").write_text(ex.csv_text(header, onep), newline="")

    bw = basic(fd.BITWARDEN_CSV, "login_uri", "login_username", "login_password", "name", type="login")
    bw[0]["login_uri"] = ",".join([fd.BITWARDEN_CSV[0].url, *fd.BITWARDEN_CSV[0].other_urls])
    bw.insert(1, {"type": "note", "name": "Note", "notes": "pw-in-note-Quebec-17\\nline"})
    bw += [{"type": "card", "name": "Card"}, {"type": "identity", "name": "Me"}]
    cols = ["type", "name", "notes", "fields", "reprompt", "login_uri", "login_username", "login_password", "login_totp"]
    (here / "bitwarden.csv").write_text(ex.csv_text(["folder", "favorite", *cols], bw), newline="")
    org = basic(fd.BITWARDEN_ORG_CSV, "login_uri", "login_username", "login_password", "name", type="login", collections="Team")
    (here / "bitwarden-org.csv").write_text(ex.csv_text(["collections", *cols], org), newline="")

    lp = basic(fd.LASTPASS, "url", "username", "password", "name", fav="0", grouping="Social")
    lp.insert(2, {"url": "http://sn", "name": "Server", "extra": 'NoteType:Server\nHostname:db, "main"\nPassword:pw-note-Romeo-18', "fav": "0"})
    header = ["url", "username", "password", "totp", "extra", "name", "grouping", "fav"]
    (here / "lastpass.csv").write_bytes(ex.lastpass_text(header, lp, windows=True).encode())
    old = basic(fd.LASTPASS_OLD, "url", "username", "password", "name", fav="1")
    (here / "lastpass-old.csv").write_bytes(ex.lastpass_text([h for h in header if h != "totp"], old, windows=False).encode())

    kx = basic(fd.KEEPASSXC, "URL", "Username", "Password", "Title", Group="Root")
    for row, e in zip(kx, fd.KEEPASSXC):
        row.update({"Last Modified": e.changed, "Created": "2019-01-01T00:00:00Z", "Icon": "0"})
    kx.append({"Group": "Root/Recycle Bin", "Title": "Gone", "Username": "g", "Password": "pw-binned-Sierra-19", "Last Modified": "2024-01-01T00:00:00Z"})
    six = ["Group", "Title", "Username", "Password", "URL", "Notes"]
    (here / "keepassxc.csv").write_text(ex.csv_text(six + ["TOTP", "Icon", "Last Modified", "Created"], kx, quote_all=True), newline="")
    old = basic(fd.KEEPASSXC_OLD, "URL", "Username", "Password", "Title", Group="Root/Web")
    (here / "keepassxc-old.csv").write_text(ex.csv_text(six, old, quote_all=True), newline="")

    nord = basic(fd.NORDPASS, "url", "username", "password", "name", type="password")
    nord[0]["additional_urls"] = '["https://np2.example.com","https://np3.example.com"]'
    nord += [{"name": "Work", "type": "folder"}, {"name": "Memo", "note": "pw-memo-Tango-20", "type": "note"},
             {"name": "Visa", "cardnumber": "4111111111111111", "cvc": "123", "type": "credit_card"}]
    from pwcheck.sources.nordpass import COLUMNS

    (here / "nordpass.csv").write_text(ex.csv_text(COLUMNS.split(","), nord), newline="")

    proton = basic(fd.PROTON_CSV, "url", "username", "password", "name", type="login", vault="Personal")
    proton[0]["url"] = ", ".join([fd.PROTON_CSV[0].url, *fd.PROTON_CSV[0].other_urls])
    proton[1].update({"username": "", "email": fd.PROTON_CSV[1].username})
    for row, e in zip(proton, fd.PROTON_CSV):
        row.update({"createTime": "1600000000", "modifyTime": str(epoch(e.changed))})
    proton.append({"type": "note", "name": "Memo", "note": "pw-memo-Uniform-21", "vault": "Personal"})
    header = ["type", "name", "url", "email", "username", "password", "note", "totp", "createTime", "modifyTime", "vault"]
    (here / "proton-pass.csv").write_text(ex.csv_text(header, proton), newline="")

    rf = basic(fd.ROBOFORM, "Url", "Login", "Pwd", "Name", MatchUrl=fd.ROBOFORM[0].other_urls[0], Folder="/Web")
    (here / "roboform.csv").write_text(ex.csv_text(["Name", "Url", "MatchUrl", "Login", "Pwd", "Note", "Folder", "RfFieldsV2"], rf), newline="")
    old = basic(fd.ROBOFORM_OLD, "Url", "Login", "Pwd", "Name")
    (here / "roboform-old.csv").write_text(ex.csv_text(["Name", "Url", "Login", "Pwd", "Note", "Folder", "Rf_fields"], old), newline="")

    generic = basic(fd.GENERIC, "Website", "Login", "Password", "Title")
    (here / "generic.csv").write_text(ex.csv_text(["Title", "Website", "Login", "Password", "Category"], generic), newline="")


def write_archives(here: Path) -> None:
    dash = basic(fd.DASHLANE, "url", "username", "password", "title", category="Web")
    dash[1].update({"username": "", "username2": fd.DASHLANE[1].username})
    header = ["username", "username2", "username3", "title", "password", "note", "url", "category", "otpSecret"]
    notes = ex.csv_text(["title", "note"], [{"title": "Memo", "note": "pw-memo-Victor-22"}])
    (here / "dashlane.zip").write_bytes(ex.zip_bytes({"credentials.csv": ex.csv_text(header, dash), "securenotes.csv": notes}))

    def proton_item(e: fd.Expected, **over: Any) -> dict[str, Any]:
        content = {"itemEmail": "", "itemUsername": e.username, "password": e.password,
                   "urls": [u for u in (e.url, *e.other_urls) if u], "totpUri": "", "passkeys": []}
        if e.username and "@" in e.username:
            content.update({"itemEmail": e.username, "itemUsername": ""})
        item = {"itemId": "i", "shareId": "s", "state": 1, "createTime": 1600000000, "modifyTime": epoch(e.changed), "pinned": False,
                "data": {"metadata": {"name": e.title, "note": "", "itemUuid": "u"}, "extraFields": [], "type": "login", "content": content}}
        item.update(over)
        return item

    first, second, third = fd.PROTON_JSON
    alias = {"state": 1, "modifyTime": 1, "data": {"type": "alias", "metadata": {"name": "Alias"}, "content": {}}}
    trashed = proton_item(fd.Expected("https://t.example.com", "t", "pw-trashed-Whiskey-23", None, "2020-01-01T00:00:00Z"), state=2)
    doc = {"version": "1.21.2", "userId": "u", "encrypted": False, "vaults": {
        "v1": {"name": "Personal", "description": "", "items": [proton_item(first), alias, proton_item(second), trashed]},
        "v2": {"name": "Work", "description": "", "items": [proton_item(third)]}}}
    (here / "proton-pass.zip").write_bytes(ex.zip_bytes({"Proton Pass/data.json": ex.json_text(doc)}))

    history, plain, password_item = fd.ONEPUX
    def login(e: fd.Expected, **details: Any) -> dict[str, Any]:
        fields = [{"value": e.username, "id": "u", "name": "username", "fieldType": "T", "designation": "username"},
                  {"value": e.password, "id": "p", "name": "password", "fieldType": "P", "designation": "password"}]
        urls = [{"label": "", "url": u} for u in (e.url, *e.other_urls)]
        return {"uuid": "x", "favIndex": 0, "createdAt": 1500000000, "updatedAt": epoch(e.changed), "state": "active",
                "categoryUuid": "001", "details": {"loginFields": fields, "notesPlain": "", "sections": [], **details},
                "overview": {"subtitle": e.username, "title": e.title, "url": e.url, "urls": urls, "ps": 100}}

    items = [
        login(history, passwordHistory=[{"value": "pw-older-Xray-24", "time": 1600000000}, {"value": "pw-old-Yankee-25", "time": epoch(history.changed)}]),
        {"uuid": "n", "createdAt": 1, "updatedAt": 1, "state": "active", "categoryUuid": "003", "details": {"notesPlain": "pw-note-Zulu-26"}, "overview": {"title": "Memo"}},
        login(plain),
        {"uuid": "c", "createdAt": 1, "updatedAt": 1, "state": "active", "categoryUuid": "002", "details": {}, "overview": {"title": "Card"}},
        {"uuid": "p", "createdAt": 1, "updatedAt": epoch(password_item.changed), "state": "active", "categoryUuid": "005",
         "details": {"password": password_item.password}, "overview": {"title": password_item.title}},
    ]
    archived = login(fd.Expected("https://arch.example.com", "old", "pw-archived-Alfa-27", None, "2020-01-01T00:00:00Z"))
    archived["state"] = "archived"
    items.append(archived)
    data = {"accounts": [{"attrs": {"accountName": "Me", "name": "Me", "email": "me@example.com", "uuid": "a", "domain": "my.1password.com"},
                          "vaults": [{"attrs": {"uuid": "v", "name": "Private", "type": "P"}, "items": items}]}]}
    attributes = {"version": 3, "description": "1Password Unencrypted Export", "createdAt": 1700000000}
    (here / "1password.1pux").write_bytes(ex.zip_bytes({"export.attributes": ex.json_text(attributes), "export.data": ex.json_text(data), "files/": b""}))


def write_keepass(here: Path) -> None:
    changed, markup, same = fd.KEEPASS_XML

    def strings(e: fd.Expected, password: str | None = None) -> dict[str, str]:
        return {"Title": e.title or "", "UserName": e.username or "", "Password": password or e.password, "URL": e.url or "", "Notes": ""}

    entries = [
        {"strings": strings(changed), "mtime": "2023-01-01T00:00:00Z", "history": [
            {"strings": strings(changed, "pw-old-Bravo-28"), "mtime": "2021-01-01T00:00:00Z"},
            {"strings": strings(changed), "mtime": changed.changed}]},
        {"strings": strings(markup), "mtime": markup.changed},
        {"strings": strings(same), "mtime": same.changed, "history": [{"strings": strings(same), "mtime": "2019-01-01T00:00:00Z"}]},
    ]
    binned = [{"strings": {"Title": "Gone", "UserName": "g", "Password": "pw-binned-Charlie-29", "URL": ""}, "mtime": "2024-01-01T00:00:00Z"}]
    (here / "keepass.xml").write_text(ex.keepass_xml(entries, binned), encoding="utf-8", newline="")
    write_kdbx(here / "keepass.kdbx")


def write_kdbx(path: Path) -> None:
    from pykeepass import create_database

    def at(iso: str) -> datetime:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))

    path.unlink(missing_ok=True)
    db = create_database(str(path), password=fd.KDBX_PASSWORD)
    changed, plain = fd.KDBX
    entry = db.add_entry(db.root_group, changed.title, changed.username, "pw-old-Delta-30", url=changed.url)
    entry.mtime = at("2022-01-01T00:00:00Z")
    entry.save_history()
    entry.password = changed.password
    entry.mtime = at(changed.changed)
    entry.save_history()
    entry.mtime = at("2024-01-01T00:00:00Z")
    other = db.add_entry(db.root_group, plain.title, plain.username, plain.password, url=plain.url)
    other.mtime = at(plain.changed)
    gone = db.add_entry(db.root_group, "Gone", "g", "pw-binned-Echo-31", url="https://gone.example.com")
    db.trash_entry(gone)
    db.save()


def write_formats(here: Path) -> None:
    write_csv_formats(here)
    write_archives(here)
    write_keepass(here)


if __name__ == "__main__":
    write_formats(Path(__file__).resolve().parents[1] / "fixtures")
