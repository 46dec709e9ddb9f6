"""KeePass 2 XML export (`KeePassFile/Root/Group/.../Entry`), streamed with expat, no DTDs.

Parsed with the standard library's expat driven by hand rather than a tree: the file is
read in chunks and each entry is emitted as soon as it closes, so memory holds one entry.
Any DOCTYPE or entity declaration is refused before it is used (no entity expansion, no
external fetches), which is all defusedxml would add here, without a new dependency.

Entries under the recycle bin (`Meta/RecycleBinUUID`) are skipped. The change time comes
from the entry's `History` (see `_history`), else `Times/LastModificationTime` as an edit.
Times are ISO 8601 in XML exports, base64 seconds since year 1 in KDBX 4's inner XML.
Values still marked `Protected="True"` are encrypted with the database's inner stream:
such a file is a raw database dump, not an export, and is refused.

Limits, like the CSV ones, so a hostile file is one error line instead of gigabytes: at most
`MAX_DEPTH` levels of nesting, `MAX_ELEMENTS` elements, `MAX_HISTORY` versions of one entry
and no entry inside a history version; only the text pwcheck reads (the title, username,
password and URL strings, UUIDs, times) is kept, each at most `MAX_TEXT` characters, and
every other text (notes, custom fields, attachments) is passed over without being held.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from pwcheck.model.credential import Skipped, SourceItem, password_sha1
from pwcheck.model.errors import InputError
from pwcheck.sources._expat import stream
from pwcheck.sources._history import password_change
from pwcheck.sources._input import InputFile
from pwcheck.sources._time import from_iso
from pwcheck.sources.interface import KEEPASS_TOTP_FIELDS, SourceFormat, make_credential

YEAR_ONE = datetime(1, 1, 1, tzinfo=timezone.utc)
# Real exports nest under 30 deep (KeePassFile/Root, groups in groups, Entry/History/Entry/String/Value).
MAX_DEPTH = 100
# A 100,000-entry database is about 4 million elements (about 10 s to read); 10,000 entries with full history fewer.
MAX_ELEMENTS = 5_000_000
# One kept value (a title, username, password, URL, UUID or time), as a CSV field.
MAX_TEXT = 1024 * 1024
# Versions of one entry: KeePass and KeePassXC keep 10 by default.
MAX_HISTORY = 10_000
# The strings an entry is read for (a TOTP field only to tell whether one is set; the
# secret goes no further than `make_credential`); others (Notes, custom fields) are never held.
KEPT_STRINGS = frozenset({"Title", "UserName", "Password", "URL", *KEEPASS_TOTP_FIELDS})
# Elements whose text is read (a `Value` only under a kept key).
TEXT_ELEMENTS = frozenset({"Key", "Value", "UUID", "RecycleBinUUID", "LastModificationTime"})


def keepass_time(text: str | None) -> datetime | None:
    """ISO 8601 (XML export) or base64 little-endian seconds since 0001-01-01 (KDBX 4)."""
    if not text:
        return None
    parsed = from_iso(text)
    if parsed is not None:
        return parsed
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 8:
        return None
    try:
        return YEAR_ONE + timedelta(seconds=int.from_bytes(raw, "little"))
    except OverflowError:
        return None


class _Entry:
    """One entry's strings and times while it is parsed (history versions nest inside)."""

    def __init__(self, line: int, in_bin: bool) -> None:
        self.line, self.in_bin = line, in_bin
        self.strings: dict[str, str] = {}
        self.mtime: datetime | None = None
        self.history: list[tuple[datetime | None, bytes]] = []


class KeePassXml(SourceFormat):
    name = "keepass-xml"
    carries_totp = True
    label = "KeePass 2 XML"
    carries = "title, URL, username, password, password-changed time from history (else last edit)"
    export_hint = "KeePass 2: File → Export → KeePass XML (2.x); KeePassXC: keepassxc-cli export -f xml"
    manager = "KeePass"
    changes = ("password", "edit")

    def matches(self, inp: InputFile) -> bool:
        return inp.kind == "xml" and "<KeePassFile" in inp.head_text

    def read(self, inp: InputFile) -> Iterator[SourceItem]:
        yield from stream(inp, lambda parser: _State(inp.name, parser), "XML without a KeePassFile root: not a KeePass export")


class _State:
    """The expat callbacks: a path of element names and the entries being built."""

    def __init__(self, source: str, parser: Any) -> None:
        self.source, self.parser = source, parser
        self.path: list[str] = []
        self.buffer: list[str] = []
        self.recycle_bin: str | None = None
        self.groups: list[bool] = []  # per open group: is it (inside) the recycle bin
        self.entries: list[_Entry] = []  # the open entry, then history versions inside it
        self.key: str | None = None
        self.protected = False
        self.ready: list[SourceItem] = []
        self.seen_root = False
        self.elements = 0
        self.keep_text = False
        self.text_length = 0

    def _limit(self, why: str) -> InputError:
        return InputError(self.source, why, line=self.parser.CurrentLineNumber)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self._limit(f"more than {MAX_ELEMENTS:,} XML elements: not a password export")
        if len(self.path) >= MAX_DEPTH:
            raise self._limit(f"XML nested deeper than {MAX_DEPTH} elements: not a KeePass export")
        self.path.append(name)
        self.buffer, self.text_length = [], 0
        self.keep_text = name in TEXT_ELEMENTS and (name != "Value" or self.key in KEPT_STRINGS)
        if name == "KeePassFile" and len(self.path) == 1:
            self.seen_root = True
        elif name == "Group":
            self.groups.append(bool(self.groups and self.groups[-1]))
        elif name == "Entry":
            if len(self.entries) >= 2:
                raise self._limit("entries nested more than two deep (an entry, then its history): not a KeePass export")
            if self.entries and len(self.entries[-1].history) >= MAX_HISTORY:
                raise self._limit(f"an entry with more than {MAX_HISTORY:,} history versions: not a KeePass export")
            self.entries.append(_Entry(self.parser.CurrentLineNumber, bool(self.groups and self.groups[-1])))
        elif name == "Value" and attrs.get("Protected", "").lower() == "true":
            self.protected = True

    def text(self, data: str) -> None:
        if not self.keep_text:
            return  # text pwcheck does not read (notes, custom fields, attachments, whitespace) is not held
        self.text_length += len(data)
        if self.text_length > MAX_TEXT:
            raise self._limit(f"XML value longer than {MAX_TEXT >> 20} Mi characters")
        self.buffer.append(data)

    def end(self, name: str) -> None:
        value = "".join(self.buffer)
        self.buffer, self.text_length, self.keep_text = [], 0, False
        parent = self.path[-2] if len(self.path) > 1 else ""
        self.path.pop()
        if name == "RecycleBinUUID" and parent == "Meta":
            self.recycle_bin = value.strip() or None
        elif name == "UUID" and parent == "Group" and self.groups:
            self.groups[-1] = self.groups[-1] or (self.recycle_bin is not None and value.strip() == self.recycle_bin)
        elif name == "Group" and self.groups:
            self.groups.pop()
        elif self.entries:
            self._entry_part(name, parent, value)

    def _entry_part(self, name: str, parent: str, value: str) -> None:
        entry = self.entries[-1]
        if name == "Key" and parent == "String":
            self.key = value
        elif name == "Value" and parent == "String" and self.key is not None:
            if self.protected and self.key == "Password":
                raise InputError(
                    self.source,
                    "password values are still encrypted (a raw database dump): export as KeePass XML (2.x)",
                    line=self.parser.CurrentLineNumber,
                )
            if self.key in KEPT_STRINGS:
                entry.strings[self.key] = value
            self.key, self.protected = None, False
        elif name == "LastModificationTime" and parent == "Times":
            entry.mtime = keepass_time(value.strip())
        elif name == "Entry":
            self.entries.pop()
            if self.entries:  # a history version of the entry below it
                self.entries[-1].history.append((entry.mtime, password_sha1(entry.strings.get("Password", ""))))
            else:
                self.ready.append(self._emit(entry))

    def _emit(self, entry: _Entry) -> SourceItem:
        if entry.in_bin:
            return Skipped(self.source, entry.line, "in the recycle bin")
        password = entry.strings.get("Password", "")
        changed, kind = password_change((entry.mtime, password_sha1(password)), entry.history) if password else (None, None)
        return make_credential(
            self.source,
            KeePassXml.name,
            entry.line,
            password=password,
            title=entry.strings.get("Title"),
            urls=[entry.strings.get("URL", "")],
            username=entry.strings.get("UserName"),
            changed=changed,
            changed_kind=kind,
            totp=[entry.strings.get(key) for key in KEEPASS_TOTP_FIELDS],
        )

    def drain(self) -> Iterator[SourceItem]:
        items, self.ready = self.ready, []
        return iter(items)


FORMAT = KeePassXml()
