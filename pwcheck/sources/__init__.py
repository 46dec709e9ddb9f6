"""Where credentials come from: one registry of export formats, detected by content.

Adding a format is one module that defines `FORMAT` and one line in `FORMATS`.
Order matters only for formats whose signatures overlap: the more specific first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from pwcheck.credential import SourceItem
from pwcheck.errors import InputError
from pwcheck.sources import bitwarden_json, chromium, firefox
from pwcheck.sources._input import InputFile
from pwcheck.sources._interface import SourceFormat

FORMATS: tuple[SourceFormat, ...] = (
    firefox.FORMAT,
    chromium.FORMAT,
    bitwarden_json.FORMAT,
)


def format_names() -> list[str]:
    """The names `--input-format` accepts."""
    return [fmt.name for fmt in FORMATS]


def by_name(name: str) -> SourceFormat:
    """The format called `name` (as listed by `pwcheck formats`)."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def detect(inp: InputFile) -> SourceFormat:
    """The format whose signature the content matches, or an error naming the closest one."""
    for fmt in FORMATS:
        if fmt.matches(inp):
            return fmt
    raise InputError(inp.name, _unrecognised(inp))


def read_export(path: Path, display: str | None = None, forced: str | None = None) -> Iterator[SourceItem]:
    """Open, detect (unless `forced`) and stream one export file."""
    inp = InputFile(path, display)
    fmt = by_name(forced) if forced else detect(inp)
    yield from fmt.read(inp)


def _unrecognised(inp: InputFile) -> str:
    if inp.kind == "empty":
        return "empty file"
    if inp.kind == "binary":
        return "binary data, not a password export"
    header = inp.csv_header
    if header is None:
        if inp.kind == "json":
            return "JSON, but not a recognised export structure"
        if inp.kind == "zip":
            return "ZIP archive without a recognised export inside"
        return "not a recognised password export (no CSV header)"
    candidates = [(fmt, fmt.missing_columns(header)) for fmt in FORMATS]
    csv_formats = [(len(missing), index, fmt, missing) for index, (fmt, missing) in enumerate(candidates) if missing is not None]
    if not csv_formats:
        return "unrecognised CSV header"
    _, _, fmt, missing = min(csv_formats, key=lambda item: item[:2])
    if missing:
        return f"unrecognised CSV header; closest format: {fmt.label} (missing columns: {', '.join(missing)})"
    return f"unrecognised CSV header; closest format: {fmt.label} (has unexpected extra columns)"
