"""One opened input, sniffed once and shared by detection and reading.

Every input is opened once. A regular file stays open and is streamed from disk (a
100,000-row export must not sit in memory), each view reading it through its own offset
on the one descriptor. Anything else, stdin (`-`), `/dev/stdin`, a process substitution
(`<(gpg -d ...)`) or a named pipe, can be read only once: it is read whole into a
bounded buffer and every view reads that buffer. A named pipe with no writer yet blocks
in `open`; after a moment the person is told what pwcheck waits for.

Detection looks at content, never at the file name: the BOM and first bytes decide
between text, JSON and ZIP; the first CSV record gives the header. Anything parsed
here is cached so that no input is read twice for detection and then for reading.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import stat
import sys
import threading
import zipfile
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from pwcheck.model.errors import InputError
from pwcheck.model.source import FileIdentity
from pwcheck.system.bounded_json import value_count

HEAD_BYTES = 64 * 1024
KDBX_MAGIC = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5"
# Files that are recognisably something other than an export: named, with what to do instead.
FOREIGN_MAGIC = {
    b"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5": "kdb",  # KeePass 1.x database
    b"SQLite format 3\x00": "sqlite",  # a browser's own store (Login Data, key4.db)
}
# Delimiters a CSV export may use: exporters write ","; a spreadsheet re-saves with ";".
CSV_DELIMITERS = (",", ";")
PGP_ARMOR = "-----BEGIN PGP MESSAGE-----"
# A password export is at most tens of MB; a larger JSON document is refused rather than
# parsed (64 MiB is ~200,000 Bitwarden logins or ~25,000 1Password items).
MAX_JSON_BYTES = 64 * 1024 * 1024
# Parsed JSON takes up to ~25 times its size in memory (a dict per 3 bytes), so the values
# are counted before parsing (`system.bounded_json`). Real exports hold one value per 15-20
# bytes, so this admits every document under MAX_JSON_BYTES made of real items, and bounds
# the worst one (SECURITY.md, Hostile input: measured peak RSS).
MAX_JSON_VALUES = 2_000_000
# Field size limit for CSV: far above any real password or note, far below a memory problem.
CSV_FIELD_LIMIT = 1024 * 1024
# One physical line of a CSV file, in characters: a file with no newline must not be read whole.
CSV_LINE_LIMIT = 4 * CSV_FIELD_LIMIT
# One member of a ZIP export, decompressed: a ZIP bomb stops here, not at the memory limit.
MAX_ZIP_MEMBER_BYTES = 256 * 1024 * 1024
# A pipe is held in memory to be read once: the bound of a JSON export (~100,000 logins),
# several times any real CSV export.
MAX_STREAM_BYTES = MAX_JSON_BYTES
# How long a named pipe may wait for a writer before the person is told why nothing happens.
FIFO_NOTICE_SECONDS = 1.0
STDIN = "-"


class InputFile:
    """An input given on the command line, opened once, with lazily computed views of its content."""

    def __init__(self, path: Path, display: str | None = None, notify: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.is_stdin = str(path) == STDIN
        self.name = display if display is not None else ("stdin" if self.is_stdin else str(path))
        # How to open a locked input (a .kdbx): set by the caller, asked only when needed.
        self.unlock: Callable[[str], Any] | None = None
        self._fd: int | None = None
        self._buffer: bytes | None = None
        # A regular file's device, inode, size and mtime as opened (`--delete-exports` wipes nothing else).
        self.identity: FileIdentity | None = None
        try:
            if self.is_stdin:
                self._buffer = self._read_whole(_stdin_reader(self.name, notify))
            else:
                self._open(notify)
        except IsADirectoryError:
            raise InputError(self.name, "is a directory, not an export file") from None
        except FileNotFoundError:
            raise InputError(self.name, "no such file") from None
        except PermissionError:
            raise InputError(self.name, "permission denied") from None
        except OSError as exc:
            raise InputError(self.name, f"cannot read: {exc.strerror or type(exc).__name__}") from None
        with self.open_binary() as handle:
            self.head = handle.read(HEAD_BYTES)

    def _open(self, notify: Callable[[str], None] | None) -> None:
        """Open the path once; keep a regular file open, read anything else whole."""
        waiting = _fifo_notice(self.path, self.name, notify)
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        finally:
            if waiting is not None:
                waiting.cancel()
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            os.close(fd)
            raise IsADirectoryError
        self.regular = stat.S_ISREG(info.st_mode)
        if self.regular:
            self._fd, self.size, self.identity = fd, info.st_size, FileIdentity.of(info)
            return
        with open(fd, "rb", buffering=0) as stream:
            self._buffer = self._read_whole(stream.read)

    def _read_whole(self, read: Callable[[int], bytes]) -> bytes:
        """A pipe's bytes, at most MAX_STREAM_BYTES: more is refused, not held."""
        chunks, total = [], 0
        while chunk := read(min(HEAD_BYTES, MAX_STREAM_BYTES + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_STREAM_BYTES:
                raise InputError(self.name, f"more than {MAX_STREAM_BYTES >> 20} MiB through a pipe: not a password export")
        data = b"".join(chunks)
        self.regular, self.size = False, len(data)
        return data

    def open_binary(self) -> IO[bytes]:
        """The whole input from its first byte, as a stream of its own (closing it keeps the input open)."""
        if self._buffer is not None:
            return io.BytesIO(self._buffer)
        if self._fd is None:
            raise ValueError("input closed")
        return io.BufferedReader(_Positional(self._fd, self.size), buffer_size=HEAD_BYTES)

    def close(self) -> None:
        """Release the descriptor (and the archive, if one was opened)."""
        if "zip" in self.__dict__:
            self.__dict__["zip"].close()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._buffer = None

    @cached_property
    def encoding(self) -> str:
        """UTF-8 (with or without BOM) unless a UTF-16 BOM says otherwise."""
        return encoding_of(self.head)

    @cached_property
    def kind(self) -> str:
        """'zip', 'kdbx', 'json', 'xml', 'pgp', 'text', 'utf16-no-bom', 'empty', 'binary' or a `FOREIGN_MAGIC` kind."""
        if not self.head:
            return "empty"
        if self.head.startswith(b"PK\x03\x04"):
            return "zip"
        if self.head.startswith(KDBX_MAGIC):
            return "kdbx"
        for magic, kind in FOREIGN_MAGIC.items():
            if self.head.startswith(magic):
                return kind
        text = self.head_text.lstrip()
        if text.startswith(("{", "[")):
            return "json"
        if "\x00" in self.head_text[:4096]:
            return "utf16-no-bom" if _looks_utf16(self.head[:4096]) else "binary"
        if text.startswith("<"):
            return "xml"
        if text.startswith(PGP_ARMOR):
            return "pgp"
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
        return csv_header_of(self.head_text, self.csv_delimiter)

    @cached_property
    def csv_delimiter(self) -> str:
        """The delimiter of the header line: the candidate that splits it into the most names."""
        return csv_delimiter_of(self.head_text)

    def open_text(self, newline: str | None = "") -> IO[str]:
        """The whole input as text for `csv`, streamed, decoding errors raised as they come."""
        return io.TextIOWrapper(self.open_binary(), encoding=self.encoding, newline=newline, errors="strict")

    @cached_property
    def json(self) -> Any:
        """The whole document parsed once, within the size and value limits; errors name the line."""
        if self.size > MAX_JSON_BYTES:
            raise InputError(self.name, f"JSON document larger than {MAX_JSON_BYTES >> 20} MiB")
        with self.open_binary() as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
        return parse_json(data, self.name, self.encoding)

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        """The archive, opened once; a broken archive is one clear error."""
        try:
            return zipfile.ZipFile(self.open_binary())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(self.name, f"broken ZIP archive ({type(exc).__name__})") from None

    def csv_rows(self) -> "CsvRows":
        """Every CSV record with the physical line it starts on."""
        return CsvRows(self.name, self.open_text, self.undecodable_line, self.csv_delimiter)

    def undecodable_line(self) -> int | None:
        """The physical line holding the first byte that does not decode, streamed."""
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        line = 1
        with self.open_binary() as handle:
            while chunk := handle.read(HEAD_BYTES):
                try:
                    line += decoder.decode(chunk).count("\n")
                except UnicodeDecodeError as exc:
                    valid = exc.object[: exc.start]
                    return line + valid.decode(exc.encoding, errors="ignore").count("\n")
        return None

    def first_nul_line(self) -> int | None:
        """The line of the first NUL byte in the sample, if any (for 'binary data' errors)."""
        index = self.head.find(b"\x00")
        return None if index < 0 else self.head[:index].count(b"\n") + 1


class _Positional(io.RawIOBase):
    """A read-only view of an open regular file with its own offset (`os.pread`): views never share one."""

    def __init__(self, fd: int, size: int) -> None:
        self._fd, self._size, self._pos = fd, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        data = os.pread(self._fd, len(buffer), self._pos)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


def _stdin_reader(name: str, notify: Callable[[str], None] | None) -> Callable[[int], bytes]:
    """How to read standard input as bytes (never closed: pwcheck does not own it); on a terminal, say how to end it."""
    stream: IO[bytes] = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else io.BytesIO()
    if notify is not None and stream.isatty():
        notify(f"{name}: reading the export from the terminal: paste it, then Ctrl-D (Ctrl-C stops)")
    return stream.read


def _fifo_notice(path: Path, name: str, notify: Callable[[str], None] | None) -> threading.Timer | None:
    """For a named pipe: a timer that tells the person, if `open` still waits, that it waits for a writer."""
    try:
        is_fifo = stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return None
    if not is_fifo or notify is None:
        return None
    timer = threading.Timer(FIFO_NOTICE_SECONDS, notify, [
        f"{name}: waiting for a program to write to this named pipe (nothing has opened it for writing yet; Ctrl-C stops)"
    ])
    timer.daemon = True
    timer.start()
    return timer


def encoding_of(head: bytes) -> str:
    """The text encoding of a file or ZIP member from its first bytes: UTF-8 unless a UTF-16 BOM says otherwise."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def csv_delimiter_of(text: str) -> str:
    """Which of `CSV_DELIMITERS` splits the first record of `text` into the most fields ("," on a tie)."""
    best, most = CSV_DELIMITERS[0], 0
    for delimiter in CSV_DELIMITERS:
        try:
            first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
        except csv.Error:
            continue
        if first is not None and len(first) > most:
            best, most = delimiter, len(first)
    return best


def csv_header_of(text: str, delimiter: str = ",") -> tuple[str, ...] | None:
    """The first CSV record of `text`, each name stripped of whitespace and quotes, or None."""
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
    except csv.Error:
        return None
    if not first or len(first) < 2:
        return None
    return tuple(name.strip().strip('"').strip() for name in first)


def _looks_utf16(sample: bytes) -> bool:
    """Mostly-ASCII UTF-16 without a BOM: every other byte is NUL."""
    even, odd = sample[0::2], sample[1::2]
    return len(sample) >= 8 and (even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd))


NOT_UTF8 = "not valid UTF-8 text (nor UTF-16 with a byte-order mark): export again, or save it as UTF-8"


def parse_json(data: bytes, name: str, encoding: str = "utf-8-sig", member: str | None = None) -> Any:
    """One JSON document (a file's bytes, or a ZIP `member`'s), refused past MAX_JSON_BYTES or
    MAX_JSON_VALUES before anything is parsed; each error is one line naming the input and line."""
    where = f"ZIP member {member}: " if member is not None else ""
    if len(data) > MAX_JSON_BYTES:
        raise InputError(name, f"{where}JSON document larger than {MAX_JSON_BYTES >> 20} MiB")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(name, where + NOT_UTF8) from None
    del data
    if value_count(text, MAX_JSON_VALUES) > MAX_JSON_VALUES:
        raise InputError(name, f"{where}JSON document with more than {MAX_JSON_VALUES:,} values: not a password export")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"{where}invalid JSON ({exc.msg})", line=_line_of(text, exc.pos)) from None
    except RecursionError:
        raise InputError(name, f"{where}JSON nested too deeply") from None


def _line_of(text: str, position: int) -> int:
    """The line of `position`, a line ending in LF, CRLF or a lone CR (as a text editor counts)."""
    return 1 + text.count("\n", 0, position) + text.count("\r", 0, position) - text.count("\r\n", 0, position)


def _text_lines(handle: IO[str], name: str) -> Iterator[str]:
    """The lines as `csv` would iterate them, refusing one longer than the limit or holding a NUL."""
    line_number = 0
    while line := handle.readline(CSV_LINE_LIMIT + 1):
        line_number += 1
        if len(line) > CSV_LINE_LIMIT:
            raise InputError(name, f"line longer than {CSV_LINE_LIMIT >> 20} Mi characters", line=line_number)
        if "\x00" in line:
            raise InputError(name, "NUL byte in the text: not a text export", line=line_number)
        yield line


class CsvRows:
    """Iterates (line, fields) over a text stream; CSV, NUL and decoding errors become InputError."""

    def __init__(
        self, name: str, opener: Callable[[], IO[str]], locate: Callable[[], int | None] | None = None, delimiter: str = ",",
        lines: Callable[[Iterator[str]], Iterator[str]] | None = None,
    ) -> None:
        self.name = name
        self.opener = opener
        self.locate = locate
        self.delimiter = delimiter
        self.lines = lines  # rewrites each physical line before `csv` (an exporter's own quoting)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        csv.field_size_limit(CSV_FIELD_LIMIT)
        line = 1
        with self.opener() as handle:
            physical = _text_lines(handle, self.name)
            # strict: a quote where CSV allows none (`"ab"c`, an unclosed quote at the end) is an
            # error, not a silently different password.
            reader = csv.reader(self.lines(physical) if self.lines else physical, strict=True, delimiter=self.delimiter)
            try:
                for fields in reader:
                    yield line, fields
                    line = reader.line_num + 1
            except csv.Error as exc:
                reason = str(exc).split("(")[0].strip()
                if "field limit" not in reason:
                    reason = f"malformed CSV quoting ({reason})" if reason else "malformed CSV"
                raise InputError(self.name, reason, line=reader.line_num or line) from None
            except UnicodeDecodeError:
                # Text is decoded a chunk ahead of the CSV reader, so its line count is not
                # where the bad byte is: find that line in the bytes instead.
                where = self.locate() if self.locate else None
                raise InputError(self.name, NOT_UTF8, line=where) from None
