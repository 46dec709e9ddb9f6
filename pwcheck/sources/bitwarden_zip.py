"""Bitwarden's ZIP export with attachments: `data.json` (the unencrypted JSON export) at the root,
and each item's attached files under `attachments/<item id>/<file name>`.

Bitwarden's exporter (bitwarden/clients `individual-vault-export.service.ts`,
`getDecryptedExportZip`) writes exactly that; Proton Pass's importer reads it so
(`bitwarden.archive.reader.ts`). Only the root `data.json` is read, by the Bitwarden JSON
reader itself: an attachment is a file a person attached to an item (a scan, a key, even
another manager's old export) and is never read as an export, whatever its name, so a
`credentials.csv` or a `data.json` under `attachments/` changes nothing. How many
attachments were left unread is said once.
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.model.errors import InputError
from pwcheck.model.source import Note, SourceEvent
from pwcheck.sources._input import InputFile
from pwcheck.sources._zip import ArchiveLimit, member_json, member_names
from pwcheck.sources.bitwarden_json import FORMAT as JSON_FORMAT
from pwcheck.sources.bitwarden_json import is_export, read_document
from pwcheck.sources.interface import SourceFormat

DATA = "data.json"
ATTACHMENTS = "attachments/"


class BitwardenZip(SourceFormat):
    name = "bitwarden-zip"
    label = "Bitwarden ZIP export with attachments (its data.json)"
    carries = JSON_FORMAT.carries
    export_hint = "Bitwarden: Tools → Export vault → File format .zip (with attachments)"
    manager = "Bitwarden"
    carries_totp = JSON_FORMAT.carries_totp
    changes = JSON_FORMAT.changes

    def matches(self, inp: InputFile) -> bool:
        if inp.kind != "zip" or DATA not in member_names(inp):
            return False
        try:
            return is_export(_document(inp))
        except ArchiveLimit:
            raise  # a bomb is named as one
        except InputError:
            return False  # a root data.json that is no JSON: not this format (another may be)

    def refusal(self, inp: InputFile) -> str | None:
        if self.matches(inp):
            return None
        return f"not a {self.label} (no {DATA} holding a Bitwarden export at the top of a ZIP)"

    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        yield from read_document(inp.name, self.name, _document(inp))
        attached = [name for name in member_names(inp) if name.startswith(ATTACHMENTS) and not name.endswith("/")]
        if attached:
            yield Note(inp.name, f"{len(attached)} attachment(s) not read: files attached to items are not exports")


def _document(inp: InputFile) -> Any:
    """The root `data.json`, parsed once per input (detection and reading share it)."""
    cache: dict[str, Any] = inp.__dict__.setdefault("_bitwarden_zip", {})
    if DATA not in cache:
        cache[DATA] = member_json(inp, DATA)
    return cache[DATA]


FORMAT = BitwardenZip()
