"""CSV exports described as a table: which columns identify the format and mean what.

Most password managers export one CSV row per login; they differ only in column names,
which rows to skip, and how a change time is written. Each format module declares a
`CsvLayout`; the reading, line tracking and error handling live here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterator, Mapping

from pwcheck.credential import ChangeKind, SourceItem, Skipped
from pwcheck.sources._input import InputFile
from pwcheck.sources._interface import SourceFormat, make_credential

Row = Mapping[str, str]


def single_url(value: str) -> list[str]:
    """The URL column as one address (the common case)."""
    return [value] if value else []


@dataclass(frozen=True)
class CsvLayout(SourceFormat):
    """A CSV export format: the header that identifies it and the meaning of its columns.

    `required` must all be present and every column must be in `required | optional`,
    compared case-sensitively (Safari's `URL` vs 1Password's `Url` tells them apart).
    """

    name: str
    label: str
    carries: str
    required: frozenset[str]
    password: str
    optional: frozenset[str] = frozenset()
    url: str | None = None
    username: str | None = None
    title: str | None = None
    changed: str | None = None
    parse_changed: Callable[[str], datetime | None] | None = None
    changed_kind: ChangeKind = "password"
    split_urls: Callable[[str], list[str]] = single_url
    skip_row: Callable[[Row], str | None] = field(default=lambda row: None)

    def matches(self, inp: InputFile) -> bool:
        header = inp.csv_header
        if header is None:
            return False
        names = set(header)
        return self.required <= names and names <= (self.required | self.optional)

    def missing_columns(self, header: tuple[str, ...]) -> list[str] | None:
        return sorted(self.required - set(header))

    def read(self, inp: InputFile) -> Iterator[SourceItem]:
        rows = iter(inp.csv_rows())
        first = next(rows, None)
        if first is None:
            return
        header = [name.strip() for name in first[1]]
        width = len(header)
        for line, fields in rows:
            if not any(fields):
                continue  # blank line: exporters end files with one
            if len(fields) != width:
                yield Skipped(inp.name, line, f"malformed row: {len(fields)} fields, header has {width}")
                continue
            row = dict(zip(header, fields))
            yield self.row_item(inp.name, line, row)

    def row_item(self, source: str, line: int, row: Row) -> SourceItem:
        """One row as a credential (or the reason it is skipped)."""
        reason = self.skip_row(row)
        if reason:
            return Skipped(source, line, reason)
        changed = None
        if self.changed and self.parse_changed:
            changed = self.parse_changed(row.get(self.changed, ""))
        return make_credential(
            source,
            self.name,
            line,
            password=row.get(self.password),
            title=row.get(self.title) if self.title else None,
            urls=self.split_urls(row.get(self.url, "")) if self.url else [],
            username=row.get(self.username) if self.username else None,
            changed=changed,
            changed_kind=self.changed_kind,
        )

