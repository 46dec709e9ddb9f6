"""Proton Pass JSON export: a ZIP with `Proton Pass/data.json` (or that file alone).

`{version, encrypted, vaults: {<id>: {name, items: [{state, createTime, modifyTime, data:
{type, metadata{name}, content{itemUsername, itemEmail, password, urls[]}}}]}}}`. Only
`login` items carry a password; trashed items (`state` 2) are skipped. The username is
`itemUsername`, else `itemEmail` (older exports: `username`). `modifyTime` is Unix
seconds of any edit: kind "edit". The PGP-encrypted variant (`data.pgp`) is refused
with how to export unencrypted: pwcheck does not ask for the export's passphrase.
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.model.credential import Skipped, SourceItem
from pwcheck.model.errors import InputError
from pwcheck.sources._input import InputFile
from pwcheck.sources._time import from_epoch_s
from pwcheck.sources._zip import find_member, member_json
from pwcheck.sources.interface import SourceFormat, as_list, at_position, make_credential, text

DATA = "Proton Pass/data.json"
ENCRYPTED = "Proton Pass/data.pgp"
TRASHED = 2
KINDS = {"note": "secure note", "alias": "email alias", "creditCard": "card", "identity": "identity"}
UNENCRYPTED = "encrypted Proton Pass export: export again with 'File format: JSON' or CSV without encryption, audit it, then delete it"


class ProtonJson(SourceFormat):
    name = "proton-pass-json"
    carries_totp = True
    label = "Proton Pass JSON (ZIP, or its data.json)"
    carries = "title, every URL, username or email, password, modification time (any edit)"
    export_hint = "Proton Pass: Settings → Export → JSON, without encryption (a ZIP)"
    manager = "Proton Pass"
    changes = ("edit",)

    def matches(self, inp: InputFile) -> bool:
        if inp.kind == "zip":
            return find_member(inp, DATA, ENCRYPTED) is not None
        if inp.kind != "json" or '"vaults"' not in inp.head_text:
            return False
        doc = inp.json
        return isinstance(doc, dict) and isinstance(doc.get("vaults"), dict) and "encrypted" in doc

    def read(self, inp: InputFile) -> Iterator[SourceItem]:
        if inp.kind == "zip":
            member = find_member(inp, DATA)
            if member is None:
                raise InputError(inp.name, UNENCRYPTED)
            doc = member_json(inp, member)
        else:
            doc = inp.json
        if not isinstance(doc, dict) or not isinstance(doc.get("vaults"), dict):
            raise InputError(inp.name, "Proton Pass export without a 'vaults' object")
        if doc.get("encrypted"):
            raise InputError(inp.name, UNENCRYPTED)
        index = 0
        for vault in doc["vaults"].values():
            items = vault.get("items") if isinstance(vault, dict) else None
            for item in items if isinstance(items, list) else []:
                index += 1
                yield self._item(inp.name, index, item)

    def _item(self, source: str, index: int, item: Any) -> SourceItem:
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(data, dict):
            return Skipped(source, None, f"item {index}: not an object")
        kind = text(data.get("type")) or "not a login"
        if kind != "login":
            return Skipped(source, None, f"item {index}: {KINDS.get(kind, kind)}")
        if item.get("state") == TRASHED:
            return Skipped(source, None, f"item {index}: in the trash")
        content = _dict(data.get("content"))
        metadata = _dict(data.get("metadata"))
        urls = as_list(content.get("urls"))
        username = next((v for v in (text(content.get(k)) for k in ("itemUsername", "itemEmail", "username")) if v), None)
        credential = make_credential(
            source, self.name, None, password=text(content.get("password")), title=text(metadata.get("name")),
            urls=[u for u in urls if isinstance(u, str)], username=username,
            changed=from_epoch_s(item.get("modifyTime")), changed_kind="edit", totp=content.get("totpUri"),
        )
        return at_position(credential, f"item {index}")


FORMAT = ProtonJson()


def _dict(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one: a hostile export may put any type anywhere."""
    return value if isinstance(value, dict) else {}
