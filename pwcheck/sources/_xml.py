"""XML exports described as a table: which element is an item and which child means what.

KeePassX 0.4, Password Safe, SafeInCloud, Revelation and Figaro's Password Manager all
write one element per item whose direct children hold its parts (`<password>`,
`<field id="generic-password">`, `<field type="password">`). Each such format is an
`XmlLayout` row; the safe parsing, the limits and the errors live here once.

Parsed as `keepass_xml` does, with expat driven by hand, streamed: a DOCTYPE with an internal
subset, a system or public identifier, or any entity declaration is refused before it is
used (no entity expansion, no external fetch). KeePassX's bare `<!DOCTYPE KEEPASSX_DATABASE>`
declares nothing and is allowed where a layout names it. Only the direct children of an item
that a role names are kept (each at most `MAX_TEXT` characters); notes and everything else
are passed over without being held. Items may nest (Revelation's folders hold entries).

A child is known by its tag, and, when it has the layout's `key_attr`, also as
`tag:value` (`field:generic-password`); an item's own attributes are `@name`. The first
non-empty child under a key wins, as a CSV layout's first non-empty candidate column does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator, Mapping

from pwcheck.model.credential import ChangeKind, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._expat import Forbidden, stream
from pwcheck.sources._input import InputFile
from pwcheck.sources.interface import NO_TOTP, SourceFormat, make_credential

MAX_DEPTH = 100
MAX_ELEMENTS = 5_000_000
MAX_TEXT = 1024 * 1024
# Marks an item that held two different non-empty passwords (its values never hold a key like it).
TWO_PASSWORDS = "#two-passwords"
# Items nested in items (Revelation's folders in folders): far beyond any real tree.
MAX_NESTED_ITEMS = 50

Item = Mapping[str, str]
Keys = tuple[str, ...]


def _never(item: Item) -> str | None:
    return None


def _no_refusal(name: str, attrs: dict[str, str]) -> str | None:
    return None


@dataclass(frozen=True)
class XmlLayout(SourceFormat):
    """An XML export format: its root element, its item element, the keys of each role.

    `signature` is text its first bytes must hold. `changed` keys hold a password-change
    time, `edited` keys any edit (used only without the first), both read by `parse_time`.
    `skip` names an item's kind when it is not a login; `refuse` may reject the whole file
    from any element (an encrypted variant whose values would hash as the wrong passwords).
    `group`/`group_title` name the folder element and its title child, for `@group` (the
    path of titles above the item, joined with `/`).
    """

    name: str
    label: str
    carries: str
    root: str
    record: str
    signature: str
    password: Keys
    url: Keys = ()
    username: Keys = ()
    title: Keys = ()
    changed: Keys = ()
    edited: Keys = ()
    parse_time: Callable[[str], datetime | None] | None = None
    totp: Keys | None = None
    key_attr: str | None = None
    # The item attributes `skip` reads (`@type`); an attribute a role names is kept anyway, no other is held.
    attributes: Keys = ()
    doctype: str | None = None
    group: str | None = None
    group_title: str = "title"
    skip: Callable[[Item], str | None] = field(default=_never)
    refuse: Callable[[str, dict[str, str]], str | None] = field(default=_no_refusal)
    export_hint: str = ""
    manager: str = ""

    @property
    def carries_totp(self) -> bool:  # type: ignore[override]
        return self.totp is not None

    def change_kinds(self) -> tuple[ChangeKind, ...]:
        """Password changes from `changed` keys, any edit from `edited` ones (used only without the first)."""
        if self.parse_time is None:
            return ()
        kinds: tuple[ChangeKind, ...] = ("password",) if self.changed else ()
        return kinds + (("edit",) if self.edited else ())

    def matches(self, inp: InputFile) -> bool:
        head = inp.head_text
        return inp.kind == "xml" and self.signature in head and f"<{self.root}" in head

    def kept(self) -> frozenset[str]:
        return frozenset((*self.password, *self.url, *self.username, *self.title, *self.changed, *self.edited, *(self.totp or ()),
                          *self.attributes))

    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        yield from stream(inp, lambda parser: _State(self, inp.name, parser),
                          f"XML without a <{self.root}> root: not a {self.label} export", doctype=lambda state: state.doctype)

    def item(self, source: str, line: int, item: Item) -> SourceEvent:
        reason = self.skip(item)
        if reason:
            return Skipped(source, line, reason)
        if TWO_PASSWORDS in item:
            return InputError(source, "two different passwords in one item: which is the login's cannot be told", line=line)
        changed, kind = None, None
        if self.parse_time is not None:
            changed = self.parse_time(_first(item, self.changed)) if self.changed else None
            kind = "password" if changed is not None else None
            if changed is None and self.edited:
                changed = self.parse_time(_first(item, self.edited))
                kind = "edit" if changed is not None else None
        return make_credential(
            source, self.name, line, password=_first(item, self.password) or None, title=_first(item, self.title) or None,
            urls=[_first(item, self.url)], username=_first(item, self.username) or None,
            changed=changed, changed_kind=kind,  # type: ignore[arg-type]
            totp=_first(item, self.totp) if self.totp is not None else NO_TOTP,
        )


def _first(item: Item, keys: Keys) -> str:
    for key in keys:
        value = item.get(key)
        if value:
            return value
    return ""


class _Open:
    """An item being parsed: its line, its kept values, and its folder path."""

    def __init__(self, line: int, depth: int, attrs: dict[str, str], group: str, kept: frozenset[str]) -> None:
        self.line, self.depth = line, depth
        self.values: dict[str, str] = {f"@{name}": value for name, value in attrs.items() if f"@{name}" in kept}
        self.values["@group"] = group


class _State:
    """The expat callbacks: the open items, the child being read, the folder titles above."""

    def __init__(self, layout: XmlLayout, source: str, parser: Any) -> None:
        self.layout, self.source, self.parser = layout, source, parser
        self.kept = layout.kept()
        self.depth = 0
        self.elements = 0
        self.seen_root = False
        self.items: list[_Open] = []
        self.groups: list[str | None] = []  # per open group: its title once read
        self._path: str | None = None  # "/".join of the titles, made once per change of `groups`, not per item
        self.group_depths: list[int] = []
        self.keys: tuple[str, ...] = ()  # the keys of the child whose text is being kept
        self.buffer: list[str] = []
        self.length = 0
        self.ready: list[SourceEvent] = []

    def _limit(self, why: str) -> InputError:
        return InputError(self.source, why, line=self.parser.CurrentLineNumber)

    def doctype(self, name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        if name != self.layout.doctype or system_id or public_id or has_internal_subset:
            raise Forbidden

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self._limit(f"more than {MAX_ELEMENTS:,} XML elements: not a password export")
        if self.depth >= MAX_DEPTH:
            raise self._limit(f"XML nested deeper than {MAX_DEPTH} elements: not a {self.layout.label} export")
        self.depth += 1
        if self.depth == 1:
            if name != self.layout.root:
                raise self._limit(f"XML whose root is not <{self.layout.root}>: not a {self.layout.label} export")
            self.seen_root = True
        if self.keys:
            raise self._limit(f"an item's <{self.keys[0].split(':')[0]}> holds XML elements, not text: cannot be read")
        problem = self.layout.refuse(name, attrs)
        if problem:
            raise self._limit(problem)
        self.keys, self.buffer, self.length = (), [], 0
        if name == self.layout.record:
            if len(self.items) >= MAX_NESTED_ITEMS:
                raise self._limit(f"items nested more than {MAX_NESTED_ITEMS} deep: not a {self.layout.label} export")
            if self._path is None:
                self._path = "/".join(title or "" for title in self.groups)
            self.items.append(_Open(self.parser.CurrentLineNumber, self.depth, attrs, self._path, self.kept))
        elif name == self.layout.group:
            self.groups.append(None)
            self.group_depths.append(self.depth)
            self._path = None
        elif self.items and self.depth == self.items[-1].depth + 1:
            keys = (name, f"{name}:{attrs.get(self.layout.key_attr, '')}") if self.layout.key_attr else (name,)
            self.keys = tuple(key for key in keys if key in self.kept)
        elif self.group_depths and self.depth == self.group_depths[-1] + 1 and name == self.layout.group_title:
            self.keys = ("#group-title",)

    def text(self, data: str) -> None:
        if not self.keys:
            return  # text pwcheck does not read (notes, whitespace) is not held
        self.length += len(data)
        if self.length > MAX_TEXT:
            raise self._limit(f"XML value longer than {MAX_TEXT >> 20} Mi characters")
        self.buffer.append(data)

    def end(self, name: str) -> None:
        value = "".join(self.buffer)
        keys, self.keys, self.buffer, self.length = self.keys, (), [], 0
        if keys == ("#group-title",):
            if self.groups and self.groups[-1] is None:
                self.groups[-1] = value
                self._path = None
        elif keys and self.items:
            values = self.items[-1].values
            for key in keys:
                if not values.get(key):
                    values[key] = value
                elif value and value != values[key] and key in self.layout.password:
                    values[TWO_PASSWORDS] = key  # never a guess at which one is meant
        elif self.items and name == self.layout.record and self.depth == self.items[-1].depth:
            done = self.items.pop()
            self.ready.append(self.layout.item(self.source, done.line, done.values))
        elif self.group_depths and name == self.layout.group and self.depth == self.group_depths[-1]:
            self.groups.pop()
            self.group_depths.pop()
            self._path = None
        self.depth -= 1

    def drain(self) -> Iterator[SourceEvent]:
        events, self.ready = self.ready, []
        return iter(events)
