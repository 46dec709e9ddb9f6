r"""1Password's CSV quoting: a quote inside a quoted field is written `\"`, not `""`.

1Password 6 and 7 (Mac and Windows) escape a quote with a backslash, as Bitwarden's
importers read their exports (`escapeChar: "\\"`). Every other backslash is itself (`\p` is
a backslash and a `p`), and a doubled quote still reads as one quote. The one thing no
reader can tell apart is two backslashes in a row: one backslash escaped, or two written as
they are. Such a record is an `InputError` for its line (could not read, exit 2), never a
guess at which password it is.
"""

from __future__ import annotations

from typing import Iterator

from pwcheck.model.errors import InputError
from pwcheck.sources._csv import Records
from pwcheck.sources._input import CsvRows, InputFile

AMBIGUOUS = ("two backslashes in a row, which 1Password writes for one backslash or for two: "
             "this item cannot be read exactly (check it in the app, or export as .1pux from 1Password 8)")


class _BackslashQuotes:
    """Rewrites physical lines so that `csv` reads `\\"` inside a quoted field as a quote.

    Also notes the lines holding `\\\\`, so the record spanning them can be refused.
    """

    def __init__(self) -> None:
        self.in_quotes = False
        self.seen = 0  # physical lines handed to `csv`: the last line of the record it just yielded
        self.ambiguous: list[int] = []

    def rewrite(self, lines: Iterator[str]) -> Iterator[str]:
        for text in lines:
            self.seen += 1
            if "\\\\" in text:
                self.ambiguous.append(self.seen)
            if "\\" not in text:
                # No escape on this line: each quote opens or closes (a doubled one does both).
                self.in_quotes ^= text.count('"') % 2 == 1
                yield text
                continue
            yield self._line(text)

    def _line(self, text: str) -> str:
        out, at, end = [], 0, len(text)
        while at < end:
            char = text[at]
            if self.in_quotes and char == "\\" and text.startswith('\\"', at):
                out.append('""')
                at += 2
                continue
            if char == '"':
                self.in_quotes = not self.in_quotes
            out.append(char)
            at += 1
        return "".join(out)

    def refused(self, first: int) -> bool:
        """Whether the record from line `first` to the last line read holds `\\\\` (then forgotten)."""
        hit = any(first <= line <= self.seen for line in self.ambiguous)
        self.ambiguous = [line for line in self.ambiguous if line > self.seen]
        return hit


def backslash_records(inp: InputFile) -> Records:
    """(line, fields) for every record of a 1Password CSV, or an `InputError` for an ambiguous one."""
    quotes = _BackslashQuotes()
    rows: Iterator[tuple[int, list[str]]] = iter(
        CsvRows(inp.name, inp.open_text, inp.undecodable_line, inp.csv_delimiter, lines=quotes.rewrite)
    )
    for line, fields in rows:
        if quotes.refused(line):
            yield InputError(inp.name, AMBIGUOUS, line=line)
        else:
            yield line, fields
