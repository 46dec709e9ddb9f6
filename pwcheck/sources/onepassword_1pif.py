"""1Password interchange file (.1pif, 1Password 3 to 7): one JSON record per line, each followed by
the line `***5642bee8-a5ff-11dc-8314-0800200c9a66***`.

A login (`webforms.WebForm`) keeps its parts as a list of typed fields under
`secureContents.fields`: the password is the field whose `designation` is `password`, the
username `username`; the URL is `location`, then `secureContents.URLs[].url`. A password item
(`passwords.Password`) holds `secureContents.password`. Folders, notes, cards, identities and
trashed items are skipped. A TOTP secret is a section field named `TOTP_...`. `updatedAt`
(Unix seconds) is any edit: kind "edit". Each record is parsed on its own, with a JSON
file's limits, and carries its line; a record that is not JSON is an error for that record only.
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.model.credential import ChangeKind
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._input import MAX_JSON_BYTES, NOT_UTF8, InputFile, parse_json
from pwcheck.sources._json import JsonLayout, Placed, at, field_where, first, strings
from pwcheck.sources._time import from_epoch_s
from pwcheck.sources.interface import SourceFormat, as_list

SEPARATOR = "***5642bee8-a5ff-11dc-8314-0800200c9a66***"
LOGINS = {"webforms.WebForm", "passwords.Password"}
KINDS = {"system.folder.Regular": "folder", "system.folder.SavedSearch": "saved search", "securenotes.SecureNote": "secure note",
         "wallet.financial.CreditCard": "card", "wallet.financial.BankAccountUS": "bank account", "identities.Identity": "identity"}
FIELDS = at("secureContents", "fields")


def _skip(record: dict[str, Any]) -> str | None:
    if record.get("trashed") is True:
        return "in the trash"
    kind = record.get("typeName")
    if not isinstance(kind, str) or kind not in LOGINS:
        return KINDS.get(kind, "not a login") if isinstance(kind, str) else "not a login"
    return None


def _urls(record: Any) -> list[str]:
    return strings([entry.get("url") for entry in as_list(at("secureContents", "URLs")(record)) if isinstance(entry, dict)])


def _totp(record: Any) -> list[Any]:
    """Every section field named `TOTP_...`: only whether one holds a secret is kept."""
    fields = [f for s in as_list(at("secureContents", "sections")(record)) for f in as_list(at("fields")(s))]
    return [f.get("v") for f in fields if isinstance(f, dict) and isinstance(f.get("n"), str) and f["n"].startswith("TOTP_")]


LAYOUT = JsonLayout(
    name="1password-1pif",
    label="1Password interchange file (.1pif)",
    manager="1Password",
    carries="title, every URL, username, password, modification time (any edit)",
    export_hint="1Password 7 and earlier: File → Export → All Items → 1Password Interchange File (.1pif)",
    head=(SEPARATOR,),
    signature=lambda doc: True,
    items=lambda doc: None,
    password=first(field_where(FIELDS, "designation", "password", unique=True), at("secureContents", "password")),
    url=first(at("location"), at("secureContents", "location")),
    extra_urls=_urls,
    username=field_where(FIELDS, "designation", "username"),
    title=at("title"),
    changed=at("updatedAt"),
    parse_changed=from_epoch_s,
    changed_kind="edit",
    totp=_totp,
    skip=_skip,
)


class OnePif(SourceFormat):
    """Detected by the separator line; each record read by `LAYOUT`, the table row of its fields."""

    name = LAYOUT.name
    label = LAYOUT.label
    manager = LAYOUT.manager
    carries = LAYOUT.carries
    export_hint = LAYOUT.export_hint
    carries_totp = True

    def change_kinds(self) -> tuple[ChangeKind, ...]:
        return LAYOUT.change_kinds()

    def matches(self, inp: InputFile) -> bool:
        return inp.kind in ("json", "text") and SEPARATOR in inp.head_text

    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        for index, record in enumerate(records(inp), start=1):
            if isinstance(record, InputError):
                yield record
                continue
            _, line, item = record
            yield LAYOUT.item(inp.name, f"record {index}", line, item)


FORMAT = OnePif()


def records(inp: InputFile) -> Iterator[Placed | InputError]:
    """Each record's text with its first line, streamed; the separator lines between them dropped."""
    if inp.size > MAX_JSON_BYTES:
        raise InputError(inp.name, f"1PIF file larger than {MAX_JSON_BYTES >> 20} MiB")
    lines: list[str] = []
    start = 1
    try:
        with inp.open_text(newline=None) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip() == SEPARATOR:
                    yield from _record(inp.name, start, lines)
                    lines, start = [], number + 1
                else:
                    lines.append(line)
    except UnicodeDecodeError:
        raise InputError(inp.name, NOT_UTF8, line=inp.undecodable_line()) from None
    yield from _record(inp.name, start, lines)


def _record(source: str, line: int, lines: list[str]) -> Iterator[Placed | InputError]:
    text = "".join(lines)
    if not text.strip():
        return
    try:
        yield "record", line, parse_json(text.encode("utf-8"), source)
    except InputError as error:
        yield InputError(source, f"record not readable: {error.message}", line=line)
