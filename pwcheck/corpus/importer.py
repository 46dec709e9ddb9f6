"""`pwcheck corpus import`: the official downloader's output into a store, streaming.

Two layouts, told apart by what SOURCE is: a file of sorted `HASH:COUNT` lines
(`pwnedpasswords.txt`, CRLF or LF) or a folder of `{PREFIX}.txt` range bodies. The hash
kind is read from the first line (40 hex = SHA-1, 32 = NTLM). Memory stays flat: the
single file is read in 8 MiB chunks, the folder one range at a time.

A folder must hold every prefix of the range imported: a missing file would otherwise
read as an empty bucket and report its hashes as clean.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from pwcheck.check.store_format import BUCKETS, NTLM, SHA1, HashKind, StoreError
from pwcheck.corpus.build import StoreWriter
from pwcheck.corpus.records import BucketRecords, FullLineReader, range_records

CHUNK = 8 << 20
_RANGE_FILE = re.compile(r"[0-9A-Fa-f]{5}\.txt")

Advance = Callable[[int], None]


@dataclass(frozen=True)
class ImportResult:
    path: Path
    kind: HashKind
    hashes: int
    lines: int
    seconds: float


def detect_kind(source: Path) -> HashKind:
    """SHA-1 or NTLM from the first line's hash length; StoreError when it is neither."""
    sample = _first_file(source) if source.is_dir() else source
    try:
        with open(sample, "rb") as handle:
            first = handle.readline(256).lstrip(b"\xef\xbb\xbf")
    except OSError as exc:
        raise StoreError(f"{sample}: cannot read ({exc.strerror or type(exc).__name__})") from None
    width = len(first.split(b":", 1)[0]) + (5 if source.is_dir() else 0)
    for kind in (SHA1, NTLM):
        if width == kind.hex_len:
            return kind
    raise StoreError(f"{sample}:1: neither SHA-1 nor NTLM hash lines")


def source_size(source: Path) -> int:
    """The progress bar's total: bytes for the single file, range files for a folder."""
    return sum(1 for _ in _range_files(source)) if source.is_dir() else source.stat().st_size


def import_corpus(
    source: Path, store_dir: Path, kind: HashKind | None = None, advance: Advance | None = None,
    prefixes: tuple[int, int] = (0, BUCKETS - 1),
) -> ImportResult:
    """Build `store_dir/{kind}.pwstore` from SOURCE; the old store stays until the new one is done."""
    kind = kind or detect_kind(source)
    started = time.perf_counter()
    if source.is_dir():
        buckets, counter = _folder_buckets(source, kind, prefixes, advance), None
        label = f"import of folder {source.name}"
    else:
        counter = FullLineReader(kind, str(source))
        buckets = _file_buckets(source, counter, advance)
        label = f"import of {source.name}"
        prefixes = (0, BUCKETS - 1)
    with StoreWriter(store_dir, kind, label, prefixes) as writer:
        for bucket in buckets:
            writer.add(bucket.prefix, bucket.keys, bucket.counts)
        path = writer.finish()
    lines = counter.lines if counter else writer.hash_count
    return ImportResult(path, kind, writer.hash_count, lines, time.perf_counter() - started)


def _file_buckets(source: Path, reader: FullLineReader, advance: Advance | None) -> Iterator[BucketRecords]:
    with open(source, "rb", buffering=0) as handle:
        carry = b""
        first = True
        while True:
            block = handle.read(CHUNK)
            if advance and block:
                advance(len(block))
            if first:
                block, first = block.removeprefix(b"\xef\xbb\xbf"), False
            data = carry + block
            if not block:
                if data:
                    yield from reader.feed(data)
                break
            cut = data.rfind(b"\n") + 1
            carry = data[cut:]
            if cut:
                yield from reader.feed(data[:cut])
    yield from reader.close()


def _range_files(folder: Path) -> Iterator[str]:
    try:
        names = os.listdir(folder)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot list ({exc.strerror or type(exc).__name__})") from None
    return (name for name in names if _RANGE_FILE.fullmatch(name))


def _first_file(folder: Path) -> Path:
    name = min(_range_files(folder), default=None)
    if name is None:
        raise StoreError(f"{folder}: no {{PREFIX}}.txt range files")
    return folder / name


def _folder_buckets(
    folder: Path, kind: HashKind, prefixes: tuple[int, int], advance: Advance | None
) -> Iterator[BucketRecords]:
    names = {int(name[:5], 16): name for name in _range_files(folder)}
    first, last = prefixes
    missing = sum(1 for prefix in range(first, last + 1) if prefix not in names)
    if missing:
        raise StoreError(
            f"{folder}: {missing} of {last - first + 1} range files are missing (an unfinished download?); "
            "a missing range would read as clean"
        )
    for prefix in range(first, last + 1):
        path = folder / names[prefix]
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
        yield range_records(body, prefix, kind, str(path))
        if advance:
            advance(1)
