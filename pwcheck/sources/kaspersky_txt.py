"""Kaspersky Password Manager's text export ("printable format"): sections of `Key: value` entries.

    Websites
    <blank>
    Website name: ...      (Applications: `Application:`, Other Accounts: `Account name:`)
    Website URL: ...
    Login name: ...        (the account's own label)
    Login: ...
    Password: ...
    Comment: ...           (runs to the entry's end, over several lines)
    ---

Entries are separated by a line `---`; a section starts with its name on a line of its own.
`Notes` entries are secure notes, skipped. The password is the rest of its line after
`Password: `, exactly. A login entry must start with its section's name key, and every line before `Comment:`
must be one of the keys above: a name or URL spanning lines, or a comment holding a `---` line, leaves a chunk that is
not an entry, and since which text is the password can no longer be told, that chunk is an
`InputError` with its line, never a guess or a skip. Entries of a section pwcheck does not know
are skipped when they hold no `Password:` line, and an error when they do. No change time.
"""

from __future__ import annotations

from typing import Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._input import NOT_UTF8, InputFile, _text_lines
from pwcheck.sources.interface import SourceFormat, make_credential

LOGIN_SECTIONS = {"Websites": "Website name", "Applications": "Application", "Other Accounts": "Account name"}
OTHER_SECTIONS = {"Notes": "secure note"}
KEYS = frozenset({"Website name", "Website URL", "Login name", "Login", "Password", "Application", "Account name"})
SEPARATOR = "---"
# A chunk of lines is an entry or a section name; more lines than any entry holds is not this format.
MAX_ENTRY_LINES = 100_000
MAX_ENTRY_CHARS = 16 * 1024 * 1024  # and more text than any entry holds (each line may be long)

Line = tuple[int, str]


class KasperskyTxt(SourceFormat):
    name = "kaspersky-txt"
    label = "Kaspersky Password Manager text export"
    manager = "Kaspersky Password Manager"
    carries = "title, URL (websites), username, password; no change time"
    export_hint = "Kaspersky Password Manager: Settings → Import/Export → Export to text file (printable format)"

    def matches(self, inp: InputFile) -> bool:
        if inp.kind != "text":
            return False
        lines = inp.head_text.replace("\r\n", "\n").split("\n", 3)
        return len(lines) > 2 and lines[0] in {*LOGIN_SECTIONS, *OTHER_SECTIONS} and lines[1] == "" and \
            lines[2].split(": ", 1)[0] in {*LOGIN_SECTIONS.values(), "Name"}

    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        section: str | None = None
        for chunk in _chunks(inp):
            if chunk[0][1] in LOGIN_SECTIONS or chunk[0][1] in OTHER_SECTIONS:
                section, chunk = chunk[0][1], _trimmed(chunk[1:])
                if not chunk:
                    continue
            yield self._entry(inp.name, section, chunk)

    def _entry(self, source: str, section: str | None, chunk: list[Line]) -> SourceEvent:
        line = chunk[0][0]
        if section not in LOGIN_SECTIONS:
            # A note section reached through a comment holding `---` and `Notes` must not swallow logins.
            if any(text.startswith("Password:") for _, text in chunk):
                return InputError(source, "an entry with a password outside a login section: cannot be read", line=line)
            return Skipped(source, line, OTHER_SECTIONS.get(section or "", "not a login"))
        if chunk[0][1].partition(":")[0] != LOGIN_SECTIONS[section]:
            return InputError(source, f"an entry not starting with '{LOGIN_SECTIONS[section]}:' (a comment holding '---'?): "
                              "cannot tell which text is the password", line=line)
        fields: dict[str, str] = {}
        for number, text in chunk:
            key, _, value = text.partition(":")
            if key == "Comment":
                break
            if "Password" in fields:  # only a Comment follows the password: `p\nLogin: x` may be one password
                return InputError(source, "a line after the password that may belong to it: cannot tell which text "
                                  "is the password", line=number)
            if key not in KEYS or key in fields or (value and not value.startswith(" ")):
                return InputError(source, "not an entry in Kaspersky's layout (a field over several lines?): "
                                  "cannot tell which text is the password", line=number)
            fields[key] = value[1:]
        if "Password" not in fields:
            return InputError(source, "an entry without a Password line: cannot be read", line=line)
        return make_credential(
            source, self.name, line, password=fields["Password"], title=fields.get(LOGIN_SECTIONS[section]),
            urls=[fields.get("Website URL", "")], username=fields.get("Login"),
        )


def _chunks(inp: InputFile) -> Iterator[list[Line]]:
    """The file's lines, split at `---` lines, leading and trailing blank lines dropped; each line with its number."""
    chunk: list[Line] = []
    size = 0
    try:
        with inp.open_text(newline="") as handle:
            for number, raw in enumerate(_text_lines(handle, inp.name), start=1):  # long lines and NULs refused
                text = raw[:-1] if raw.endswith("\n") else raw
                text = text[:-1] if text.endswith("\r") else text
                if text == SEPARATOR:
                    if _trimmed(chunk):
                        yield _trimmed(chunk)
                    chunk, size = [], 0
                    continue
                size += len(text)
                if len(chunk) >= MAX_ENTRY_LINES or size > MAX_ENTRY_CHARS:
                    raise InputError(inp.name, "an entry larger than any Kaspersky export holds: not read", line=number)
                chunk.append((number, text))
    except UnicodeDecodeError:
        raise InputError(inp.name, NOT_UTF8, line=inp.undecodable_line()) from None
    if _trimmed(chunk):
        yield _trimmed(chunk)


def _trimmed(chunk: list[Line]) -> list[Line]:
    start, end = 0, len(chunk)
    while start < end and not chunk[start][1].strip():
        start += 1
    while end > start and not chunk[end - 1][1].strip():
        end -= 1
    return chunk[start:end]


FORMAT = KasperskyTxt()
