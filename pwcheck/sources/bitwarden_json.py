"""Bitwarden unencrypted JSON export (with or without the `"encrypted": false` flag).

Only login items (`type: 1`) carry passwords; notes, cards, identities and SSH keys are
skipped with their kind. The password-changed time is `login.passwordRevisionDate`, else
the newest `passwordHistory[].lastUsedDate` (when the previous password was replaced).
`revisionDate` is any edit and is not used: a later time than the real change would
make a stale password look fresh. Encrypted exports cannot be read without the user's
password, which pwcheck never asks for: the error says how to export unencrypted.
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.model.credential import Skipped, SourceItem
from pwcheck.model.errors import InputError
from pwcheck.sources._input import InputFile
from pwcheck.sources._time import from_iso
from pwcheck.sources.interface import SourceFormat, as_list, make_credential, text

ITEM_KINDS = {2: "secure note", 3: "card", 4: "identity", 5: "SSH key"}


class BitwardenJson(SourceFormat):
    name = "bitwarden-json"
    carries_totp = True
    label = "Bitwarden JSON (unencrypted)"
    carries = "title, every URI, username, password, password-changed time"
    export_hint = "Bitwarden: Tools → Export vault → File format .json (not .json (Encrypted))"
    manager = "Bitwarden"
    changes = ("password",)

    def matches(self, inp: InputFile) -> bool:
        if inp.kind != "json":
            return False
        head = inp.head_text
        if '"items"' not in head and '"encrypted"' not in head:
            return False
        return is_export(inp.json)

    def refusal(self, inp: InputFile) -> str | None:
        if inp.kind in ("json", "text") and not isinstance(inp.json, dict):  # invalid JSON raises its own error
            return "not a Bitwarden export (the JSON is not an object)"
        return super().refusal(inp)

    def read(self, inp: InputFile) -> Iterator[SourceItem]:
        return read_document(inp.name, self.name, inp.json)


def is_export(doc: Any) -> bool:
    """Whether a parsed JSON document is a Bitwarden export (the file, or a ZIP export's `data.json`)."""
    if not isinstance(doc, dict):
        return False
    if "encrypted" in doc:
        return "items" in doc or "data" in doc
    # Bitwarden's own importer needs only `items` (older exports and other tools' Bitwarden
    # exports have no `encrypted` flag): a non-empty list of objects with an integer `type`.
    items = doc.get("items")
    return isinstance(items, list) and bool(items) and all(_is_item(item) for item in items)


def read_document(source: str, fmt: str, doc: Any) -> Iterator[SourceItem]:
    """Every item of a parsed export; an encrypted one is refused with how to export it readable."""
    if not isinstance(doc, dict):  # reachable with --input-format (found by fuzzing)
        raise InputError(source, "not a Bitwarden export (the JSON is not an object)")
    if doc.get("encrypted"):
        raise InputError(
            source,
            "encrypted Bitwarden export: export again choosing 'File format: .json' "
            "(not '.json (Encrypted)'), audit it, then delete it",
        )
    items = doc.get("items")
    if not isinstance(items, list):
        raise InputError(source, "Bitwarden export without an 'items' list")
    for index, item in enumerate(items, start=1):
        yield read_item(source, fmt, index, item)


def read_item(source: str, fmt: str, index: int, item: Any) -> SourceItem:
    """One vault item as the export's `items` and `bw list items` both give it (the CLI's item is the
    export's, plus `object` and dates: bitwarden/clients `CipherResponse extends CipherWithIdExport`).

    JSON has no useful line numbers after parsing; the item's position stands in. An organisation
    item the user may use but not see (`viewPassword: false`) comes with its password left out
    (`null`): it is skipped as hidden, not as empty.
    """
    if not isinstance(item, dict):
        return Skipped(source, None, f"item {index}: not an object")
    kind = item.get("type")
    if type(kind) is not int or kind != 1:  # not `True`, not a list (unhashable: found by fuzzing)
        label = ITEM_KINDS.get(kind, "not a login") if type(kind) is int else "not a login"
        return Skipped(source, None, f"item {index}: {label}")
    if item.get("deletedDate"):
        return Skipped(source, None, f"item {index}: in the trash")
    login = item.get("login")
    if not isinstance(login, dict):
        return Skipped(source, None, f"item {index}: login without fields")
    uris = [u.get("uri") for u in as_list(login.get("uris")) if isinstance(u, dict)]
    changed = from_iso(login.get("passwordRevisionDate")) or _newest_history(item)
    password = login.get("password")
    if password is None and item.get("viewPassword") is False:
        return Skipped(source, None, f"item {index}: password hidden from you (organisation item)")
    return make_credential(
        source,
        fmt,
        None,
        password=password if isinstance(password, str) else None,
        title=text(item.get("name")),
        urls=[u for u in uris if isinstance(u, str)],
        username=text(login.get("username")),
        changed=changed,
        changed_kind="password",
        totp=login.get("totp"),
    )


def _is_item(item: Any) -> bool:
    return isinstance(item, dict) and type(item.get("type")) is int


def _newest_history(item: dict) -> Any:  # type: ignore[type-arg]
    return newest_replacement(item.get("passwordHistory"), "lastUsedDate")


def newest_replacement(history: Any, key: str) -> Any:
    """When the current password was set: the newest time a previous one stopped being used (`key` of
    each history entry; Bitwarden's `lastUsedDate`, rbw's `last_used_date`), or None."""
    times = [from_iso(entry.get(key)) for entry in as_list(history) if isinstance(entry, dict)]
    known = [t for t in times if t is not None]
    return max(known) if known else None


FORMAT = BitwardenJson()
