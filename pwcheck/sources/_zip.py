"""ZIP exports (1PUX, Dashlane, Proton Pass) opened with limits, so a hostile archive is one error.

A ZIP's directory states each member's size, but a bomb can lie or simply be huge: the
archive is refused when it lists too many members or declares too many bytes in all, and
every member is read through a stream that stops at a hard cap on the bytes actually
inflated, whatever the header says.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from pwcheck.model.errors import InputError
from pwcheck.sources._input import (
    MAX_JSON_BYTES,
    MAX_ZIP_MEMBER_BYTES,
    CsvRows,
    InputFile,
    csv_delimiter_of,
    csv_header_of,
    encoding_of,
    parse_json,
)

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3  # declared, all members together
MAX_MEMBER_BYTES = MAX_ZIP_MEMBER_BYTES  # actually inflated, one member
HEAD_BYTES = 64 * 1024


class ArchiveLimit(InputError):
    """The archive is larger than any password export (a ZIP bomb, or not an export)."""


def member_names(inp: InputFile) -> list[str]:
    """The members' names, after checking the archive against the limits."""
    archive = inp.zip
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveLimit(inp.name, f"ZIP archive with more than {MAX_MEMBERS:,} members: not a password export")
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise ArchiveLimit(inp.name, f"ZIP archive expands to more than {MAX_TOTAL_BYTES >> 30} GiB: refused")
    return [info.filename for info in infos]


def find_member(inp: InputFile, *wanted: str) -> str | None:
    """The first member whose name is one of `wanted` or ends with `/` + one of them."""
    if inp.kind != "zip":
        return None
    names = member_names(inp)
    for want in wanted:
        for name in names:
            if name == want or name.endswith("/" + want):
                return name
    return None


class CappedReader(io.RawIOBase):
    """A member's bytes, raising once more than `cap` bytes have been inflated."""

    def __init__(self, inp: InputFile, member: str, cap: int | None = None) -> None:
        self._inp, self._member, self._read = inp, member, 0
        self._cap = MAX_MEMBER_BYTES if cap is None else cap
        try:
            self._stream: IO[bytes] = inp.zip.open(member)
        except KeyError:
            raise InputError(inp.name, f"ZIP archive has no {member!r}") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
            raise InputError(inp.name, f"broken ZIP archive ({type(exc).__name__})") from None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            chunk = self._stream.read(min(len(buffer), self._cap + 1 - self._read))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise InputError(self._inp.name, f"broken ZIP archive ({type(exc).__name__} in {self._member!r})") from None
        self._read += len(chunk)
        if self._read > self._cap:
            raise ArchiveLimit(self._inp.name, f"ZIP member {self._member!r} inflates past {self._cap >> 20} MiB")
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._stream.close()
        super().close()


def read_member(inp: InputFile, member: str, cap: int | None = None) -> bytes:
    """A whole member (for JSON documents), at most `cap` bytes."""
    with CappedReader(inp, member, cap) as reader:
        return reader.read()


class MemberText:
    """A CSV member sniffed from its first bytes as a file is (`InputFile`): encoding, delimiter, header."""

    def __init__(self, inp: InputFile, member: str) -> None:
        self.inp, self.member = inp, member
        with CappedReader(inp, member, cap=1 << 62) as reader:
            head = reader.read(HEAD_BYTES)
        self.encoding = encoding_of(head)
        text = head.decode(self.encoding, errors="ignore")
        self.delimiter = csv_delimiter_of(text)
        self.header = csv_header_of(text, self.delimiter)

    def open_text(self) -> IO[str]:
        """The member as text for `csv`, streamed through the cap."""
        raw = io.BufferedReader(CappedReader(self.inp, self.member))
        return io.TextIOWrapper(raw, encoding=self.encoding, newline="", errors="strict")

    def csv_rows(self) -> CsvRows:
        """Every CSV record of the member, named `archive:member` in errors."""
        return CsvRows(f"{self.inp.name}:{self.member}", self.open_text, delimiter=self.delimiter)


def member_text(inp: InputFile, member: str) -> MemberText:
    """The member's sniffed text view, once per input and member (detection and reading share it)."""
    cache: dict[str, MemberText] = inp.__dict__.setdefault("_member_text", {})
    if member not in cache:
        cache[member] = MemberText(inp, member)
    return cache[member]


def member_csv_header(inp: InputFile, member: str) -> tuple[str, ...] | None:
    """The CSV header of a member, from its first bytes, with the member's own delimiter."""
    return member_text(inp, member).header


def member_json(inp: InputFile, member: str) -> Any:
    """A member parsed as one JSON document, with a JSON file's limits; errors name the archive and the member."""
    return parse_json(read_member(inp, member, cap=min(MAX_MEMBER_BYTES, MAX_JSON_BYTES)), inp.name, member=member)
