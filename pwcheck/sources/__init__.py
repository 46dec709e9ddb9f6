"""Where credentials come from: one registry of export formats, detected by content.

Adding a format is one module that defines `FORMAT` and one line in `FORMATS`.
Detection tries, in order: every format's exact signature (registry order matters only
where signatures overlap: the more specific first); then the CSV format whose required
columns are all present with the most of them (a newer exporter version that added a
column still reads as itself); then the fallback generic CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

from pwcheck.credential import SourceItem
from pwcheck.errors import InputError
from pwcheck.sources import (
    bitwarden_csv,
    bitwarden_json,
    chromium,
    dashlane,
    firefox,
    generic_csv,
    kdbx,
    keepass_xml,
    keepassxc_csv,
    lastpass,
    nordpass,
    onepassword_1pux,
    onepassword_csv,
    proton_csv,
    proton_json,
    roboform,
    safari,
)
from pwcheck.sources._csv import CsvLayout
from pwcheck.sources._input import InputFile
from pwcheck.sources._interface import SourceFormat

FORMATS: tuple[SourceFormat, ...] = (
    firefox.FORMAT,
    chromium.FORMAT,
    safari.FORMAT,
    onepassword_csv.FORMAT,
    bitwarden_csv.FORMAT,
    lastpass.FORMAT,
    keepassxc_csv.FORMAT,
    nordpass.FORMAT,
    proton_csv.FORMAT,
    roboform.FORMAT,
    dashlane.FORMAT,
    bitwarden_json.FORMAT,
    proton_json.FORMAT,
    onepassword_1pux.FORMAT,
    keepass_xml.FORMAT,
    kdbx.FORMAT,
    generic_csv.FORMAT,  # fallback: last, and only when nothing else took the file
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
    exact = _exact(inp)
    if exact is not None:
        return exact
    header = inp.csv_header
    if header is not None:
        tolerant = [f for f in FORMATS if isinstance(f, CsvLayout) and not f.fallback and not f.missing_columns(header)]
        if tolerant:
            return max(tolerant, key=lambda f: len(f.required))
    for fmt in FORMATS:
        if fmt.fallback and fmt.matches(inp):
            return fmt
    raise InputError(inp.name, _unrecognised(inp), line=inp.first_nul_line() if inp.kind == "binary" else None)


def read_export(
    path: Path, display: str | None = None, forced: str | None = None, unlock: Callable[[str], Any] | None = None
) -> Iterator[SourceItem]:
    """Open, detect (unless `forced`: then check it fits) and stream one export file."""
    inp = InputFile(path, display)
    inp.unlock = unlock
    if forced:
        fmt = by_name(forced)
        _check_forced(inp, fmt)
    else:
        fmt = detect(inp)
    yield from fmt.read(inp)


def _exact(inp: InputFile) -> SourceFormat | None:
    for fmt in FORMATS:
        if not fmt.fallback and fmt.matches(inp):
            return fmt
    return None


def _check_forced(inp: InputFile, fmt: SourceFormat) -> None:
    """`--input-format` skips detection, never validation: a wrong choice is refused, not misread."""
    problem = fmt.refusal(inp)
    if problem is None:
        other = _exact(inp)
        if other is not None and other is not fmt:
            problem = f"this is a {other.label} export, not {fmt.label} (use --input-format {other.name}, or none)"
    if problem:
        raise InputError(inp.name, problem)


KIND_MESSAGES = {
    "empty": "empty file",
    "binary": "binary data (NUL bytes), not a password export",
    "utf16-no-bom": "UTF-16 text without a byte-order mark: save the export as UTF-8",
    "json": "JSON, but not a recognised export structure",
    "zip": "ZIP archive without a recognised export inside",
    "xml": "XML, but not a KeePass export",
    "pgp": "PGP-encrypted file: export again without encryption (e.g. Proton Pass: JSON or CSV), audit it, then delete it",
    "kdbx": "KeePass database",
}


def _unrecognised(inp: InputFile) -> str:
    header = inp.csv_header
    if header is None:
        return KIND_MESSAGES.get(inp.kind, "not a recognised password export (no CSV header)")
    candidates = [(fmt, fmt.missing_columns(header)) for fmt in FORMATS]
    csv_formats = [
        (len(missing), fmt.fallback, index, fmt, missing) for index, (fmt, missing) in enumerate(candidates) if missing is not None
    ]
    if not csv_formats:
        return "unrecognised CSV header"
    *_, fmt, missing = min(csv_formats, key=lambda item: item[:3])
    if missing:
        return f"unrecognised CSV header; closest format: {fmt.label} (missing columns: {', '.join(missing)})"
    return f"unrecognised CSV header; closest format: {fmt.label} (has unexpected extra columns)"
