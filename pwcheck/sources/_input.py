"""One opened input file, sniffed once and shared by detection and reading.

Detection looks at content, never at the file name: the BOM and first bytes decide
between text, JSON and ZIP; the first CSV record gives the header. Anything parsed
here is cached so that no file is read twice for detection and then for reading.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Iterator

from pwcheck.errors import InputError

HEAD_BYTES = 64 * 1024
# A password export is at most tens of MB; a larger JSON document is refused rather than
# parsed (parsed JSON takes many times its size in memory: 64 MiB is ~100,000 logins).
MAX_JSON_BYTES = 64 * 1024 * 1024
# Field size limit for CSV: far above any real password or note, far below a memory problem.
CSV_FIELD_LIMIT = 1024 * 1024
# One physical line of a CSV file, in characters: a file with no newline must not be read whole.
CSV_LINE_LIMIT = 4 * CSV_FIELD_LIMIT
# One member of a ZIP export, decompressed: a ZIP bomb stops here, not at the memory limit.
MAX_ZIP_MEMBER_BYTES = 256 * 1024 * 1024


class InputFile:
    """A file given on the command line, with lazily computed views of its content."""

    def __init__(self, path: Path, display: str | None = None) -> None:
        self.path = path
        self.name = display if display is not None else str(path)
        try:
            with open(path, "rb") as handle:
                self.head = handle.read(HEAD_BYTES)
            self.size = path.stat().st_size
        except IsADirectoryError:
            raise InputError(self.name, "is a directory, not an export file") from None
        except FileNotFoundError:
            raise InputError(self.name, "no such file") from None
        except PermissionError:
            raise InputError(self.name, "permission denied") from None
        except OSError as exc:
            raise InputError(self.name, f"cannot read: {exc.strerror or type(exc).__name__}") from None

    @cached_property
    def encoding(self) -> str:
        """UTF-8 (with or without BOM) unless a UTF-16 BOM says otherwise."""
        if self.head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        return "utf-8-sig"

    @cached_property
    def kind(self) -> str:
        """'zip', 'json', 'text', 'empty' or 'binary', from the first bytes."""
        if not self.head:
            return "empty"
        if self.head.startswith(b"PK\x03\x04"):
            return "zip"
        text = self.head_text.lstrip()
        if text.startswith(("{", "[")):
            return "json"
        if "\x00" in self.head_text[:4096]:
            return "binary"
        return "text"

    @cached_property
    def head_text(self) -> str:
        """The first bytes decoded; an undecodable tail of the sample is dropped, not guessed."""
        return self.head.decode(self.encoding, errors="ignore")

    @cached_property
    def csv_header(self) -> tuple[str, ...] | None:
        """The first CSV record, each name stripped of whitespace, or None if not CSV-like."""
        if self.kind != "text":
            return None
        try:
            first = next(csv.reader(io.StringIO(self.head_text, newline="")), None)
        except csv.Error:
            return None
        if not first or len(first) < 2:
            return None
        return tuple(name.strip().strip('"').strip() for name in first)

    def open_text(self) -> IO[str]:
        """The whole file as text for `csv`, streamed, decoding errors raised as they come."""
        return open(self.path, encoding=self.encoding, newline="", errors="strict")

    @cached_property
    def json(self) -> Any:
        """The whole document parsed once; errors name the line."""
        if self.size > MAX_JSON_BYTES:
            raise InputError(self.name, f"JSON document larger than {MAX_JSON_BYTES >> 20} MiB")
        try:
            with open(self.path, encoding=self.encoding, errors="strict") as handle:
                return json.load(handle)
        except UnicodeDecodeError:
            raise InputError(self.name, "not valid UTF-8 or UTF-16 text") from None
        except json.JSONDecodeError as exc:
            raise InputError(self.name, f"invalid JSON ({exc.msg})", line=exc.lineno) from None
        except RecursionError:
            raise InputError(self.name, "JSON nested too deeply") from None

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        """The archive, opened once; a broken archive is one clear error."""
        try:
            return zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(self.name, f"broken ZIP archive ({type(exc).__name__})") from None

    def undecodable_line(self) -> int | None:
        """The physical line holding the first byte that does not decode, streamed."""
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        line = 1
        with open(self.path, "rb") as handle:
            while chunk := handle.read(HEAD_BYTES):
                try:
                    line += decoder.decode(chunk).count("\n")
                except UnicodeDecodeError as exc:
                    valid = exc.object[: exc.start]
                    return line + valid.decode(exc.encoding, errors="ignore").count("\n")
        return None

    def read_zip_member(self, name: str, limit: int = MAX_ZIP_MEMBER_BYTES) -> bytes:
        """One member's bytes, decompressed in chunks and refused past `limit` (ZIP bombs).

        The size the archive declares is not trusted: counting happens while inflating.
        """
        try:
            with self.zip.open(name) as member:
                chunks: list[bytes] = []
                size = 0
                while chunk := member.read(HEAD_BYTES):
                    size += len(chunk)
                    if size > limit:
                        raise InputError(self.name, f"ZIP member {name!r} inflates past {limit >> 20} MiB")
                    chunks.append(chunk)
        except KeyError:
            raise InputError(self.name, f"ZIP archive has no {name!r}") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(self.name, f"broken ZIP archive ({type(exc).__name__})") from None
        return b"".join(chunks)

    def csv_rows(self) -> "CsvRows":
        """Every CSV record with the physical line it starts on."""
        return CsvRows(self)


class CsvRows:
    """Iterates (line, fields) over the file; CSV and decoding errors become InputError."""

    def __init__(self, inp: InputFile) -> None:
        self.inp = inp

    def __iter__(self):  # type: ignore[no-untyped-def]
        csv.field_size_limit(CSV_FIELD_LIMIT)
        line = 1
        with self.inp.open_text() as handle:
            reader = csv.reader(self._bounded_lines(handle), strict=False)
            try:
                for fields in reader:
                    yield line, fields
                    line = reader.line_num + 1
            except csv.Error as exc:
                reason = str(exc).split("(")[0].strip() or "malformed CSV"
                raise InputError(self.inp.name, reason, line=reader.line_num or line) from None
            except UnicodeDecodeError:
                # Text is decoded a chunk ahead of the CSV reader, so its line count is not
                # where the bad byte is: find that line in the bytes instead.
                raise InputError(self.inp.name, "not valid UTF-8 or UTF-16 text", line=self.inp.undecodable_line()) from None

    def _bounded_lines(self, handle: IO[str]) -> Iterator[str]:
        """The file's lines as `csv` would iterate them, refusing one longer than the limit."""
        line_number = 0
        while line := handle.readline(CSV_LINE_LIMIT + 1):
            line_number += 1
            if len(line) > CSV_LINE_LIMIT:
                raise InputError(self.inp.name, f"line longer than {CSV_LINE_LIMIT >> 20} Mi characters", line=line_number)
            yield line
