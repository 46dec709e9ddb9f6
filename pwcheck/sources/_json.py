"""JSON exports described as a table: where the items are and which keys mean what.

Many password managers export one JSON list of items; they differ only in where the list
is, which key (or which entry of a `fields` list) holds the password, URL, username,
title, change time and TOTP secret, and which kinds of item are not logins. Each such
format is a `JsonLayout` row, as each CSV format is a `CsvLayout` row; the reading, the
type checks and the errors live here once. An irregular format (1PIF's records, a ZIP)
finds its items itself and hands them to `JsonLayout.read_items`.

A hostile export may put any JSON type anywhere: a getter returns whatever is at its path
(None when a step is missing or not an object), and the layout keeps only text. A password
that is there but is not text cannot be read exactly: that item is an `InputError`, never
a skip or a clean. An item that is not an object is one too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator

from pwcheck.model.credential import ChangeKind, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._input import InputFile
from pwcheck.sources.interface import NO_TOTP, SourceFormat, at_position, make_credential

Getter = Callable[[Any], Any]
# (where the item is: "item 3", its line if the format has one, the item)
Placed = tuple[str, "int | None", Any]


def at(*path: str) -> Getter:
    """The value at `path` through nested objects, or None where a step is missing or not an object."""

    def get(item: Any) -> Any:
        for key in path:
            if not isinstance(item, dict):
                return None
            item = item.get(key)
        return item

    return get


def first(*getters: Getter) -> Getter:
    """The first of several getters' values that is non-empty text (`Login`, else `Email`).

    A value that is there but not text is returned as it is, so a wrong-typed password is
    still seen (and refused) rather than passed over for the next candidate.
    """

    def get(item: Any) -> Any:
        for getter in getters:
            value = getter(item)
            if value is None or value == "":
                continue
            return value
        return None

    return get


class _TwoValues:
    """What a `unique` `field_where` gives when an item holds two different values: never a guess."""

    def __repr__(self) -> str:
        return "TWO_VALUES"


TWO_VALUES: Any = _TwoValues()


def field_where(fields: Getter, key: str, wanted: str, value: str = "value", skip: Callable[[dict[str, Any]], bool] | None = None,
                unique: bool = False) -> Getter:
    """The `value` of the first object in the list at `fields` whose `key` is `wanted` and whose value is non-empty.

    Enpass and 1PIF keep a login's parts as a list of typed fields (`{"type": "password",
    "value": ...}`) rather than fixed keys. `skip` leaves out fields the export marks as removed.
    `unique` (a password): two different non-empty values give `TWO_VALUES`, which the layout
    reads as "cannot tell which", never as the first of them.
    """

    def get(item: Any) -> Any:
        found = fields(item)
        chosen = None
        for entry in found if isinstance(found, list) else []:
            if not isinstance(entry, dict) or entry.get(key) != wanted or (skip is not None and skip(entry)):
                continue
            candidate = entry.get(value)
            if candidate in (None, ""):
                continue
            if not unique:
                return candidate
            if chosen is not None and candidate != chosen:
                return TWO_VALUES
            chosen = candidate
        return chosen

    return get


def _never(item: dict[str, Any]) -> str | None:
    return None


def _no_others(doc: Any) -> Iterable[str]:
    return ()


def _none(item: Any) -> Any:
    return None


def _no_urls(item: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class JsonLayout(SourceFormat):
    """A JSON export format: how to recognise it, where its items are, what each key means.

    `head` are strings the first bytes must hold (cheap, before the document is parsed);
    `signature` then checks the parsed document's shape. `items` finds the list of items
    (anything else there is an error: the export is not what it claims). `skip` names
    the kind of an item that is deliberately not a login (a note, a card, the trash), and
    `others` the kind of each item in a document's other lists (Blur's `notes`), each a `Skipped`.
    """

    name: str
    label: str
    carries: str
    head: tuple[str, ...]
    signature: Callable[[Any], bool]
    items: Getter
    password: Getter
    url: Getter = _none
    extra_urls: Callable[[Any], list[str]] = _no_urls
    username: Getter = _none
    title: Getter = _none
    changed: Getter = _none
    parse_changed: Callable[[Any], datetime | None] | None = None
    changed_kind: ChangeKind = "password"
    totp: Getter | None = None
    skip: Callable[[dict[str, Any]], str | None] = field(default=_never)
    others: Callable[[Any], Iterable[str]] = field(default=_no_others)
    export_hint: str = ""
    manager: str = ""

    @property
    def carries_totp(self) -> bool:  # type: ignore[override]
        return self.totp is not None

    def change_kinds(self) -> tuple[ChangeKind, ...]:
        """A change time only where a `changed` key is read, of the one kind it holds."""
        return (self.changed_kind,) if self.changed is not _none and self.parse_changed is not None else ()

    def matches(self, inp: InputFile) -> bool:
        if inp.kind != "json" or not all(mark in inp.head_text for mark in self.head):
            return False
        return bool(self.signature(inp.json))

    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        doc = inp.json
        if not self.signature(doc):  # reachable with --input-format only after `refusal`, kept as a guard
            raise InputError(inp.name, f"not a {self.label}")
        items = self.items(doc)
        if not isinstance(items, list):
            raise InputError(inp.name, f"not a {self.label} (no list of items)")
        yield from self.read_items(inp.name, ((f"item {index}", None, item) for index, item in enumerate(items, start=1)))
        for reason in self.others(doc):
            yield Skipped(inp.name, None, reason)

    def read_items(self, source: str, items: Iterable[Placed]) -> Iterator[SourceEvent]:
        """Each placed item as a credential, a skip with its kind, or an error when it cannot be read."""
        for position, line, item in items:
            yield self.item(source, position, line, item)

    def item(self, source: str, position: str, line: int | None, item: Any) -> SourceEvent:
        if not isinstance(item, dict):
            return InputError(source, f"{position}: not an object, cannot be read", line=line)
        reason = self.skip(item)
        if reason:
            return Skipped(source, line, f"{position}: {reason}")
        password = self.password(item)
        if password is TWO_VALUES:
            return InputError(source, f"{position}: two different passwords: which is the login's cannot be told", line=line)
        if password is not None and not isinstance(password, str):
            return InputError(source, f"{position}: the password is not text, cannot be read", line=line)
        urls = [u for u in [self.url(item), *self.extra_urls(item)] if isinstance(u, str)]
        changed = self.parse_changed(self.changed(item)) if self.parse_changed is not None else None
        credential = make_credential(
            source, self.name, line, password=password, title=_text(self.title(item)), urls=urls,
            username=_text(self.username(item)), changed=changed, changed_kind=self.changed_kind,
            totp=self.totp(item) if self.totp is not None else NO_TOTP,
        )
        return at_position(credential, position)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def list_of_objects(value: Any) -> bool:
    """A non-empty list whose entries are all objects: the shape every item list has."""
    return isinstance(value, list) and bool(value) and all(isinstance(entry, dict) for entry in value)


def other_lists(kinds: dict[str, str]) -> Callable[[Any], Iterator[str]]:
    """A layout's `others`: each entry of the document's lists named in `kinds` (`{"notes": "secure note"}`)
    counted as one skipped item of that kind ("notes 2: secure note")."""

    def others(doc: Any) -> Iterator[str]:
        for key, kind in kinds.items():
            entries = doc.get(key) if isinstance(doc, dict) else None
            for index, _ in enumerate(entries if isinstance(entries, list) else [], start=1):
                yield f"{key} {index}: {kind}"

    return others


def strings(value: Any) -> list[str]:
    """A JSON list's text entries (a URL list); anything else gives none."""
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, list) else []
