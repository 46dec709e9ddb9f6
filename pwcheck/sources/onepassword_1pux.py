"""1Password `.1pux`: a ZIP with `export.attributes` and `export.data` (JSON).

`export.data` holds `accounts[].vaults[].items[]`. Logins (category 001) carry the password
in `details.loginFields` (designation "password"), Password items (005) in
`details.password`; every other category (notes, cards, identities, documents, ...) is
skipped by name, as are archived items. URLs: `overview.url` first, then `overview.urls`.
Change time: the newest `details.passwordHistory[].time` (Unix seconds: when an older
password was replaced, so kind "password"), else `updatedAt` (any edit).
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.model.credential import ChangeKind, Skipped, SourceItem
from pwcheck.model.errors import InputError
from pwcheck.sources._input import InputFile
from pwcheck.sources._time import from_epoch_s
from pwcheck.sources._zip import find_member, member_json
from pwcheck.sources.interface import SourceFormat, as_list, at_position, make_credential, text

LOGIN, PASSWORD = "001", "005"
CATEGORIES = {
    "002": "card", "003": "secure note", "004": "identity", "006": "document", "100": "software licence",
    "101": "bank account", "102": "database", "103": "driver licence", "104": "outdoor licence", "105": "membership",
    "106": "passport", "107": "rewards programme", "108": "social security number", "109": "wireless router",
    "110": "server", "111": "email account", "112": "API credential", "113": "medical record", "114": "SSH key",
}


class OnePux(SourceFormat):
    name = "1password-1pux"
    carries_totp = True
    label = "1Password export (.1pux)"
    carries = "title, every URL, username, password, password-changed time from history (else last edit)"
    export_hint = "1Password 8: File → Export → choose the account → 1PUX"
    manager = "1Password"
    changes = ("password", "edit")

    def matches(self, inp: InputFile) -> bool:
        return find_member(inp, "export.data") is not None and find_member(inp, "export.attributes") is not None

    def read(self, inp: InputFile) -> Iterator[SourceItem]:
        member = find_member(inp, "export.data")
        assert member is not None
        doc = member_json(inp, member)
        if not isinstance(doc, dict) or not isinstance(doc.get("accounts"), list):
            raise InputError(inp.name, "export.data without an 'accounts' list: not a 1PUX export")
        index = 0
        for account in doc["accounts"]:
            for vault in _list(account, "vaults"):
                for item in _list(vault, "items"):
                    index += 1
                    yield self._item(inp.name, index, item)

    def _item(self, source: str, index: int, item: Any) -> SourceItem:
        if not isinstance(item, dict):
            return Skipped(source, None, f"item {index}: not an object")
        category = text(item.get("categoryUuid")) or ""
        if category not in (LOGIN, PASSWORD):
            return Skipped(source, None, f"item {index}: {CATEGORIES.get(category, 'not a login')}")
        if item.get("state") == "archived":
            return Skipped(source, None, f"item {index}: archived")
        details: dict[str, Any] = item["details"] if isinstance(item.get("details"), dict) else {}
        overview: dict[str, Any] = item["overview"] if isinstance(item.get("overview"), dict) else {}
        fields = {text(f.get("designation")): f.get("value") for f in _list(details, "loginFields") if isinstance(f, dict)}
        password = fields.get("password") if category == LOGIN else details.get("password")
        times = [from_epoch_s(h.get("time")) for h in _list(details, "passwordHistory") if isinstance(h, dict)]
        known = [t for t in times if t is not None]
        kind: ChangeKind = "password" if known else "edit"
        changed = max(known) if known else from_epoch_s(item.get("updatedAt"))
        urls = [text(overview.get("url")) or ""] + [text(u.get("url")) or "" for u in _list(overview, "urls") if isinstance(u, dict)]
        credential = make_credential(
            source, self.name, None, password=text(password), title=text(overview.get("title")), urls=urls,
            username=text(fields.get("username")), changed=changed, changed_kind=kind, totp=_one_time_passwords(details),
        )
        return at_position(credential, f"item {index}")


def _one_time_passwords(details: dict[str, Any]) -> list[Any]:
    """The `totp` values of the item's section fields (`{"value": {"totp": "otpauth://..."}}`): checked, not kept."""
    return [
        field["value"].get("totp")
        for section in _list(details, "sections") for field in _list(section, "fields")
        if isinstance(field, dict) and isinstance(field.get("value"), dict)
    ]


def _list(parent: Any, key: str) -> list[Any]:
    return as_list(parent.get(key) if isinstance(parent, dict) else None)


FORMAT = OnePux()
