"""CSV exports described as a table: which columns identify the format and mean what.

Most password managers export one CSV row per login; they differ only in column names,
which rows to skip, how URLs are joined and how a change time is written. Each format
module declares a `CsvLayout`; the reading, line tracking and error handling live here once.

A role (password, url, username, ...) names one column, or several candidates in order of
preference: the first one present in the header with a non-empty value wins. That covers
header versions (Safari's `URL` / `Url`), alternates (Dashlane's `username2`) and the
generic CSV's aliases with one mechanism.

A few exporters write no header at all (Keeper, UPM, Dashlane before 2020): their layout names
its `positional` columns instead, and such a file is recognised by content (see
`CsvLayout.positional`), never by a header it does not have.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Iterator, Mapping, Union

from pwcheck.model.credential import ChangeKind, Skipped, SourceItem
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._input import HEAD_BYTES, InputFile
from pwcheck.sources.interface import NO_TOTP, SourceFormat, make_credential

Row = Mapping[str, str]
Column = Union[str, tuple[str, ...]]
# (line, fields) per record; a records reader may yield an `InputError` for a record it cannot read exactly.
Records = Iterable[Union[tuple[int, list[str]], InputError]]
ROLES = ("password", "url", "username", "title", "changed", "extra_urls", "totp")


def single_url(value: str) -> list[str]:
    """The URL column as one address (the common case)."""
    return [value] if value else []


def comma_joined(value: str) -> list[str]:
    """Several addresses joined with commas (Bitwarden's `login_uri`, Proton's `url`)."""
    return [part.strip() for part in value.split(",") if part.strip()]


def json_list(value: str) -> list[str]:
    """A JSON array of strings (NordPass `additional_urls`); anything else gives no URL."""
    try:
        parsed = json.loads(value) if value else []
    except (ValueError, RecursionError):
        return []
    return [item for item in parsed if isinstance(item, str)] if isinstance(parsed, list) else []


# What an address column holds: a URL with a scheme, or a bare host name with a dot (and a path).
ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]+)?(?:[/?#]\S*)?")
# The records of a header-less file looked at to recognise it (from the first 64 KiB only).
SIGNATURE_RECORDS = 200


def looks_like_address(value: str) -> bool:
    """Whether a cell is a web address (`https://a.example/x`, `www.a.example`), never a header name."""
    return ADDRESS.fullmatch(value) is not None


def _never(row: Row) -> str | None:
    return None


def _file_records(inp: InputFile) -> Records:
    return inp.csv_rows()


@dataclass(frozen=True)
class CsvLayout(SourceFormat):
    """A CSV export format: the header that identifies it and the meaning of its columns.

    `required` must all be present and, unless `open_header`, every column must be in
    `required | optional` (compared case-sensitively unless `case_sensitive=False`: Safari's
    `URL` vs 1Password's `Url` tells them apart). `needs` lists groups of roles of which at
    least one must resolve to a present column. `fallback` formats (the generic CSV) are
    tried only after every other format refused.

    A row must have as many fields as the header, with two exceptions an exporter really
    writes: `may_end_before` columns may be missing from the end of a row (Chrome's older
    rows without `note`), and a `spill` column last in the header takes every field from
    its position on (RoboForm writes each form field as a field of its own). Any other row
    is an `InputError` with its line (could not read), never a skip: which field is the
    password is no longer known.
    """

    name: str
    label: str
    carries: str
    required: frozenset[str]
    password: Column
    optional: frozenset[str] = frozenset()
    url: Column | None = None
    username: Column | None = None
    title: Column | None = None
    changed: Column | None = None
    parse_changed: Callable[[str], datetime | None] | None = None
    changed_kind: ChangeKind = "password"
    split_urls: Callable[[str], list[str]] = single_url
    extra_urls: Column | None = None
    split_extra_urls: Callable[[str], list[str]] = single_url
    # The one-time-password column(s): only whether a row holds a secret is kept (`totp_stored`);
    # an export whose header lacks every one of them cannot tell (None), nor can a layout without one.
    totp: Column | None = None
    skip_row: Callable[[Row], str | None] = field(default=_never)
    needs: tuple[tuple[str, ...], ...] = (("password",),)
    open_header: bool = False
    case_sensitive: bool = True
    fallback: bool = False
    records: Callable[[InputFile], Records] = field(default=_file_records)
    may_end_before: frozenset[str] = frozenset()
    spill: frozenset[str] = frozenset()
    export_hint: str = ""
    manager: str = ""
    # A header-less format: its columns by position (`url` and `password` name one each). Such a
    # file is this format when, in its first records, every record fits these columns, the url
    # column holds only addresses (or nothing) and at least one, and the password column holds at
    # least one value that is not an address. A file with a header never passes (the header's name
    # in the url column is no address); two header-less layouts whose url column is the other's
    # password column (UPM, old Dashlane) can never both pass; widths tell the others apart, and a
    # file two layouts fit is refused as ambiguous (`sources.detect`). A file that passes none (no
    # address anywhere, a URL field of `intranet`) is refused, unread, naming the layouts
    # `--input-format` may choose (see `refusal`).
    positional: tuple[str, ...] = ()

    def change_kinds(self) -> tuple[ChangeKind, ...]:
        """A change time only where a `changed` column is read, of the one kind it holds."""
        return (self.changed_kind,) if self.changed is not None and self.parse_changed is not None else ()

    def detects_totp(self) -> bool:
        return self.totp is not None

    # -- detection ---------------------------------------------------------------------
    def matches(self, inp: InputFile) -> bool:
        if self.positional:
            return self._signature(inp, strict=True)
        header = inp.csv_header
        return header is not None and self.matches_header(header)

    def matches_header(self, header: tuple[str, ...]) -> bool:
        """Exactly this format's vocabulary (or, for open formats, its roles present)."""
        if self.positional:
            return False
        names = set(self._fold(header))
        if not self.open_header and not names <= self._fold(self.required | self.optional):
            return False
        return not self.missing_columns(header)

    def missing_columns(self, header: tuple[str, ...]) -> list[str] | None:
        if self.positional:
            return None  # no header to miss columns from: recognised by content only
        names = set(self._fold(header))
        missing = sorted(self._fold(self.required) - names)
        columns = self.resolve(header)
        for group in self.needs:
            wanted = " or ".join(_candidates(getattr(self, role))[0] for role in group)
            if not any(columns.get(role) for role in group) and wanted not in missing:
                missing.append(wanted)
        return missing

    def refusal(self, inp: InputFile) -> str | None:
        if self.positional:
            # Forced, a header-less file need not show an address (a Keeper URL may be `intranet`),
            # but every record must fit, and the first record's url field be an address or empty:
            # a header's name there never is, so no header row is ever read as a login.
            if self._signature(inp, strict=False):
                return None
            return f"not a {self.label} (its records do not fit its {len(self.positional)} header-less columns, or the first has no address where the URL goes)"
        header = inp.csv_header
        if header is None:
            return f"not a {self.label} (no CSV header)"
        missing = self.missing_columns(header)
        if missing:
            return f"not a {self.label} (missing columns: {', '.join(missing)})"
        return None

    def resolve(self, header: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """For each role, the header's own names of its present candidate columns, in order."""
        by_folded: dict[str, str] = {}
        for name in header:
            by_folded.setdefault(self._fold1(name), name)
        resolved = {}
        for role in ROLES:
            present = [by_folded[self._fold1(c)] for c in _candidates(getattr(self, role)) if self._fold1(c) in by_folded]
            resolved[role] = tuple(present)
        return resolved

    def _fold1(self, name: str) -> str:
        return name if self.case_sensitive else name.casefold()

    def _fold(self, names: Iterable[str]) -> set[str]:
        return {self._fold1(name) for name in names}

    def _signature(self, inp: InputFile, strict: bool) -> bool:
        """Whether the first records are this header-less layout's (see `positional`)."""
        if inp.kind != "text":
            return False
        fit = self._fitter(list(self.positional))
        url_at = self.positional.index(_candidates(self.url)[0])
        password_at = self.positional.index(_candidates(self.password)[0])
        seen_address = seen_secret = seen_record = False
        for fields in _head_records(inp):
            if not any(fields):
                continue
            fitted = fit(fields)
            if fitted is None:
                return False
            url, password = fitted[url_at], fitted[password_at]
            if url and not looks_like_address(url) and (strict or not seen_record):
                return False
            seen_record = True
            seen_address = seen_address or bool(url)
            seen_secret = seen_secret or (bool(password) and not looks_like_address(password))
        return (seen_address and seen_secret) or not strict

    # -- reading -----------------------------------------------------------------------
    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        records = self.records(inp)
        if self.positional:
            records = _with_header(self.positional, records)
        return self.read_records(inp.name, records)

    def read_records(self, source: str, records: Records) -> Iterator[SourceEvent]:
        """Every row of `records` (the first is the header) as a credential or a skip."""
        rows = iter(records)
        first = next(rows, None)
        if first is None:
            return
        if isinstance(first, InputError):
            raise first
        header = [name.strip() for name in first[1]]
        columns = self.resolve(header)
        fit = self._fitter(header)
        for record in rows:
            if isinstance(record, InputError):
                yield record
                continue
            line, fields = record
            if not any(fields):
                continue  # blank line: exporters end files with one
            fitted = fit(fields)
            if fitted is None:
                yield InputError(source, f"row has {len(fields)} fields, header has {len(header)}: "
                                 "cannot tell which is the password", line=line)
                continue
            yield self.row_item(source, line, dict(zip(header, fitted)), columns)

    def _fitter(self, header: list[str]) -> Callable[[list[str]], list[str] | None]:
        """Maps a row's fields onto the header's columns, or None when the row does not fit."""
        width = len(header)
        spills = bool(header) and self._fold1(header[-1]) in self._fold(self.spill)
        omittable = self._fold(self.may_end_before | self.spill)
        # The shortest row that still fits: every column after it may be left out.
        shortest = width
        while shortest > 0 and self._fold1(header[shortest - 1]) in omittable:
            shortest -= 1

        def fit(fields: list[str]) -> list[str] | None:
            count = len(fields)
            if count == width:
                return fields
            if count > width and spills:
                return fields[: width - 1] + [",".join(fields[width - 1:])]
            if shortest <= count < width:
                return fields + [""] * (width - count)
            return None

        return fit

    def row_item(self, source: str, line: int, row: Row, columns: Mapping[str, tuple[str, ...]]) -> SourceItem:
        """One row as a credential (or the reason it is skipped)."""
        reason = self.skip_row(row)
        if reason:
            return Skipped(source, line, reason)
        changed = None
        if self.parse_changed is not None:
            changed = self.parse_changed(_first(row, columns["changed"]))
        urls = self.split_urls(_first(row, columns["url"]))
        for name in columns["extra_urls"]:
            urls += self.split_extra_urls(row[name])
        return make_credential(
            source,
            self.name,
            line,
            password=_first(row, columns["password"]) or None,
            title=_first(row, columns["title"]) or None,
            urls=urls,
            username=_first(row, columns["username"]) or None,
            changed=changed,
            changed_kind=self.changed_kind,
            totp=_first(row, columns["totp"]) if columns["totp"] else NO_TOTP,
        )


def _with_header(names: tuple[str, ...], records: Records) -> Records:
    """A header-less file's records after the header its layout names (line 0: no line of the file)."""
    yield 0, list(names)
    yield from records


def _head_records(inp: InputFile) -> list[list[str]]:
    """The first records of the sample read for detection; a record the sample may cut is left out."""
    text = inp.head_text
    cut = len(inp.head) >= HEAD_BYTES
    records: list[list[str]] = []
    try:
        for fields in csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=inp.csv_delimiter):
            records.append(fields)
            if len(records) > SIGNATURE_RECORDS:
                break
    except csv.Error:
        if not cut:
            return []  # malformed quoting in a whole small file: no signature to see
    if cut or len(records) > SIGNATURE_RECORDS:
        records = records[:-1]
    return records


def _candidates(column: Column | None) -> tuple[str, ...]:
    if column is None:
        return ()
    return (column,) if isinstance(column, str) else column


def _first(row: Row, names: tuple[str, ...]) -> str:
    """The first non-empty value among `names` (already resolved to present columns)."""
    for name in names:
        value = row[name]
        if value:
            return value
    return ""
