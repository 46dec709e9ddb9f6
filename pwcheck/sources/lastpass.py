"""LastPass CSV: `url,username,password,totp,extra,name,grouping,fav` (older: without `totp`).

LastPass's browser export is not quite CSV, and is read as LastPass writes it:

* Line ends: on Windows the "\\r\\n" it writes went through a text-mode file, so every
  "\\n" became "\\r\\n": rows end in CR CR LF and a line break inside a note gained a CR.
  When the first line ends in CR CR LF, one CR before every LF is removed, which undoes
  exactly that translation (a password's own "\\r\\n" comes back as "\\r\\n").
* Quoting: fields are quoted when they hold a comma or a line break, but a quote in an
  otherwise plain field is written raw (`pa"ss`, even `""pass`). A field is therefore
  taken as quoted only when it is well formed (opens with a quote, interior quotes doubled,
  closes with a quote right before a comma or the line end); anything else is literal.
  The one ambiguity left: a raw field that itself looks well formed (`"abc"`) reads as `abc`.
* Secure notes are rows with the URL `http://sn`: skipped.
"""

from __future__ import annotations

import re
from collections import deque
from typing import IO, Iterator

from pwcheck.model.errors import InputError
from pwcheck.sources._csv import CsvLayout, Row
from pwcheck.sources._input import CSV_FIELD_LIMIT, NOT_UTF8, InputFile

# A well-formed quoted field at a position: interior quotes doubled, closed before `,` or the end.
QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"(?=,|\Z)', re.S)
# A quoted field still open at the end of the text: it may continue on the next line.
OPEN_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*\Z', re.S)
# A note longer than this is not looked for: the opening quote is then taken literally.
MAX_RECORD_LINES = 100


def split_record(text: str, allow_open: bool = True) -> list[str] | None:
    """The fields of one record's text, or None when a quoted field runs past the end."""
    fields: list[str] = []
    pos, end = 0, len(text)
    while True:
        if text.startswith('"', pos):
            match = QUOTED.match(text, pos)
            if match:
                fields.append(match.group(1).replace('""', '"'))
                pos = match.end()
            elif allow_open and OPEN_QUOTED.match(text, pos):
                return None
            else:
                pos = _literal(text, pos, fields)
        else:
            pos = _literal(text, pos, fields)
        if pos >= end:
            return fields
        pos += 1  # the comma
        if pos == end:
            fields.append("")
            return fields


def _literal(text: str, pos: int, fields: list[str]) -> int:
    comma = text.find(",", pos)
    stop = len(text) if comma < 0 else comma
    fields.append(text[pos:stop])
    return stop


def _strip_end(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith(("\n", "\r")) else text


def lastpass_records(inp: InputFile) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) for every record; decoding, NUL and size errors name the line."""
    line_no = 0
    width = None  # the header's, once read: a joined multi-line record must have it
    try:
        with inp.open_text(newline="\n") as handle:
            lines = _physical_lines(handle, inp.name)
            pending: deque[tuple[int, str]] = deque()
            while True:
                nxt = pending.popleft() if pending else next(lines, None)
                if nxt is None:
                    return
                line_no, text = nxt
                fields = split_record(_strip_end(text))
                if fields is None:
                    fields = _multi_line(line_no, text, lines, pending, width)
                if any(len(field) > CSV_FIELD_LIMIT for field in fields):
                    raise InputError(inp.name, "field larger than field limit", line=line_no)
                width = len(fields) if width is None else width
                yield line_no, fields
    except UnicodeDecodeError:
        raise InputError(inp.name, NOT_UTF8, line=inp.undecodable_line()) from None


def _multi_line(
    start: int, text: str, lines: Iterator[tuple[int, str]], pending: deque[tuple[int, str]], width: int | None
) -> list[str]:
    """A record whose quoted field continues on the next lines, or the first line taken literally.

    The continuation is accepted only if it closes within the limits and gives the header's
    number of fields; otherwise the opening quote was a raw one and the lines are re-read.
    """
    parts = [text]
    while True:
        more = pending.popleft() if pending else next(lines, None)
        if more is None or len(parts) >= MAX_RECORD_LINES or sum(map(len, parts)) > CSV_FIELD_LIMIT:
            break
        parts.append(more[1])
        fields = split_record(_strip_end("".join(parts)))
        if fields is not None:
            if width is None or len(fields) == width:
                return fields
            more = None
            break
    pending.extendleft(reversed(list(_numbered(start + 1, parts[1:])) + ([more] if more else [])))
    return split_record(_strip_end(text), allow_open=False) or []


def _numbered(first: int, texts: list[str]) -> Iterator[tuple[int, str]]:
    return ((first + index, text) for index, text in enumerate(texts))


def _physical_lines(handle: IO[str], name: str) -> Iterator[tuple[int, str]]:
    """Numbered lines with their ends; Windows' doubled CR undone when the file has it."""
    undo_cr = None
    for number, text in enumerate(handle, start=1):
        if "\x00" in text:
            raise InputError(name, "NUL byte in the text: not a text export", line=number)
        if undo_cr is None:
            undo_cr = text.endswith("\r\r\n")
        if undo_cr and text.endswith("\r\n"):
            text = text[:-2] + "\n"
        yield number, text


def _skip_secure_note(row: Row) -> str | None:
    return "secure note" if row.get("url") == "http://sn" else None


FORMAT = CsvLayout(
    name="lastpass",
    label="LastPass CSV",
    carries="title, URL, username, password; no change time",
    export_hint="LastPass: Advanced Options → Export → LastPass CSV File",
    manager="LastPass",
    required=frozenset({"url", "username", "password", "extra", "name", "grouping", "fav"}),
    optional=frozenset({"totp"}),
    password="password",
    totp="totp",
    url="url",
    username="username",
    title="name",
    skip_row=_skip_secure_note,
    records=lastpass_records,
)
