"""Where credentials come from: one registry of export formats, detected by content.

Adding a format is one module that defines `FORMAT` and one line in `REGISTRY`.
Detection tries, in order: every format's exact signature (registry order matters only
where signatures overlap: the more specific first); then the CSV format whose required
columns are all present with the most of them (a newer exporter version that added a
column still reads as itself); then the fallback generic CSV.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from pwcheck.model.errors import InputError
from pwcheck.model.source import ExportFile, ItemSource, Note, SourceEvent
from pwcheck.sources._csv import CsvLayout
from pwcheck.sources._input import STDIN, InputFile
from pwcheck.sources.interface import SourceFormat
from pwcheck.system.registry import Registry

# Detection order: where signatures overlap, the more specific first.
REGISTRY: Registry[SourceFormat] = Registry("export format", {
    "firefox": "pwcheck.sources.firefox:FORMAT",
    "chromium": "pwcheck.sources.chromium:FORMAT",
    "safari": "pwcheck.sources.safari:FORMAT",
    "1password-csv": "pwcheck.sources.onepassword_csv:FORMAT",
    "1password-legacy-csv": "pwcheck.sources.onepassword_legacy_csv:FORMAT",
    "1password-mac-csv": "pwcheck.sources.onepassword_mac_csv:FORMAT",
    "1password4-csv": "pwcheck.sources.onepassword4_csv:FORMAT",
    "bitwarden-csv": "pwcheck.sources.bitwarden_csv:FORMAT",
    "lastpass": "pwcheck.sources.lastpass:FORMAT",
    "keepassxc-csv": "pwcheck.sources.keepassxc_csv:FORMAT",
    "nordpass": "pwcheck.sources.nordpass:FORMAT",
    "proton-pass-csv": "pwcheck.sources.proton_csv:FORMAT",
    "roboform": "pwcheck.sources.roboform:FORMAT",
    "keepass-csv": "pwcheck.sources.keepass_csv:FORMAT",
    "padlock": "pwcheck.sources.padlock:FORMAT",
    "blur-csv": "pwcheck.sources.blur:FORMAT",
    "buttercup-csv": "pwcheck.sources.buttercup:FORMAT",
    "chrome-login-data-csv": "pwcheck.sources.chrome_login_data:FORMAT",
    "encryptr-csv": "pwcheck.sources.encryptr:FORMAT",
    "enpass-csv": "pwcheck.sources.enpass_csv:FORMAT",
    "ff-password-exporter-csv": "pwcheck.sources.ff_password_exporter:FORMAT",
    "myki-csv": "pwcheck.sources.myki:FORMAT",
    "passman-csv": "pwcheck.sources.passman:FORMAT",
    "passpack-csv": "pwcheck.sources.passpack:FORMAT",
    "password-gorilla-csv": "pwcheck.sources.password_gorilla:FORMAT",
    "safeincloud-csv": "pwcheck.sources.safeincloud:FORMAT",
    "saferpass-csv": "pwcheck.sources.saferpass:FORMAT",
    "synology-c2-csv": "pwcheck.sources.synology:FORMAT",
    "zoho-vault-csv": "pwcheck.sources.zoho_vault:FORMAT",
    "zoho-csv": "pwcheck.sources.zoho_csv:FORMAT",
    "avast-csv": "pwcheck.sources.avast_csv:FORMAT",
    "avira-csv": "pwcheck.sources.avira_csv:FORMAT",
    # Before every format that finds its member anywhere in a ZIP (Dashlane's credentials.csv): an
    # attachment in Bitwarden's ZIP, whatever its name, is never read as an export.
    "bitwarden-zip": "pwcheck.sources.bitwarden_zip:FORMAT",
    "dashlane": "pwcheck.sources.dashlane:FORMAT",
    "1password-1pif": "pwcheck.sources.onepassword_1pif:FORMAT",  # before every JSON format: its records are JSON
    "enpass-json": "pwcheck.sources.enpass_json:FORMAT",
    "passman-json": "pwcheck.sources.passman_json:FORMAT",
    "blur-json": "pwcheck.sources.blur_json:FORMAT",
    "dashlane-json": "pwcheck.sources.dashlane_json:FORMAT",
    "avast-json": "pwcheck.sources.avast_json:FORMAT",
    "keeper-json": "pwcheck.sources.keeper_json:FORMAT",
    "bitwarden-json": "pwcheck.sources.bitwarden_json:FORMAT",
    "proton-pass-json": "pwcheck.sources.proton_json:FORMAT",
    "1password-1pux": "pwcheck.sources.onepassword_1pux:FORMAT",
    "keepass-xml": "pwcheck.sources.keepass_xml:FORMAT",
    "keepassx-xml": "pwcheck.sources.keepassx_xml:FORMAT",
    "pwsafe-xml": "pwcheck.sources.pwsafe_xml:FORMAT",
    "safeincloud-xml": "pwcheck.sources.safeincloud_xml:FORMAT",
    "revelation-xml": "pwcheck.sources.revelation_xml:FORMAT",
    "fpm-xml": "pwcheck.sources.fpm_xml:FORMAT",
    "kaspersky-txt": "pwcheck.sources.kaspersky_txt:FORMAT",
    "kdbx": "pwcheck.sources.kdbx:FORMAT",
    # Header-less CSVs, recognised by content (`CsvLayout.positional`): after every format with a header.
    "keeper-csv": "pwcheck.sources.keeper_csv:FORMAT",
    "upm-csv": "pwcheck.sources.upm:FORMAT",
    "dashlane-old-csv": "pwcheck.sources.dashlane_old_csv:FORMAT",
    "generic-csv": "pwcheck.sources.generic_csv:FORMAT",  # fallback: last, and only when nothing else took the file
})


@lru_cache(maxsize=None)
def formats() -> tuple[SourceFormat, ...]:
    """Every format, in detection order (imports every reader module on first use)."""
    return tuple(REGISTRY.all())


def __getattr__(name: str) -> Any:
    """`FORMATS`: the formats, loaded on first use so that listing their names imports none."""
    if name == "FORMATS":
        return formats()
    raise AttributeError(name)


def format_names() -> list[str]:
    """The names `--input-format` accepts (no reader module is imported for them)."""
    return REGISTRY.names()


def by_name(name: str) -> SourceFormat:
    """The format called `name` (as listed by `pwcheck formats`)."""
    return REGISTRY.get(name)


def detect(inp: InputFile) -> SourceFormat:
    """The format whose signature the content matches, or an error naming the closest one."""
    exact = _exact(inp)
    if exact is not None:
        _refuse_ambiguous(inp, exact)
        return exact
    header = inp.csv_header
    if header is not None:
        tolerant = [f for f in formats() if isinstance(f, CsvLayout) and not f.fallback and f.missing_columns(header) == []]
        if tolerant:
            return max(tolerant, key=lambda f: len(f.required))
    for fmt in formats():
        if fmt.fallback and fmt.matches(inp):
            return fmt
    from pwcheck.sources.other_documents import named

    document = named(inp)  # a spreadsheet, a PDF, an encrypted file: named, with how to export
    if document is not None:
        raise InputError(inp.name, document)
    raise InputError(inp.name, _unrecognised(inp) + _header_less_hint(inp), line=inp.first_nul_line() if inp.kind == "binary" else None)


def read_export(
    path: Path, display: str | None = None, forced: str | None = None, unlock: Callable[[str], Any] | None = None,
    opened: ExportFile | None = None,
) -> Iterator[SourceEvent]:
    """Open once, detect (unless `forced`: then check it fits) and stream one export.

    `path` may be `-` (stdin), `/dev/stdin`, a process substitution or a named pipe: see
    `InputFile`. Waiting for a pipe or the terminal is said on stderr. `opened` receives
    the identity of the regular file that was opened (None for anything else).
    """
    from pwcheck.system.console import error_line

    inp = InputFile(path, display, notify=error_line)
    if opened is not None:
        opened.identity = inp.identity
    try:
        inp.unlock = unlock
        if forced:
            fmt = by_name(forced)
            _check_forced(inp, fmt)
        else:
            fmt = detect(inp)
        yield from fmt.read(inp)
    finally:
        inp.close()


def file_source(
    path: Path, display: str | None = None, forced: str | None = None, unlock: Callable[[str], Any] | None = None
) -> ItemSource:
    """An export as an audit source: read once, when the audit collects.

    Only a regular file is a `path` the audit may later remind about or `--delete-exports`:
    never stdin (`-`, whatever a file of that name holds), a pipe or a device.
    """
    name = display or ("stdin" if str(path) == STDIN else str(path))
    export = ExportFile(path) if _is_regular(path) else None
    return ItemSource(name, lambda: read_export(path, display, forced, unlock, export), export)


def distinct_files(paths: list[Path]) -> tuple[list[Path], list[Note]]:
    """`paths` less every later name of a file already listed, with a note for each left out.

    One file is one device and inode: the same path twice, `./a.csv` and `a.csv`, a hard or a
    symbolic link to it. Read twice, its credentials would count twice, and `--delete-exports`
    would find it gone the second time. Anything but a regular file (stdin, a pipe) is kept.
    """
    from pwcheck.system.files import file_key

    first: dict[tuple[int, int], Path] = {}
    kept: list[Path] = []
    notes: list[Note] = []
    for path in paths:
        key = None if str(path) == STDIN else file_key(path)
        if key is not None and key in first:
            notes.append(Note(str(path), f"the same file as {first[key]}: read once"))
            continue
        if key is not None:
            first[key] = path
        kept.append(path)
    return kept, notes


def _is_regular(path: Path) -> bool:
    if str(path) == STDIN:
        return False
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # missing or unreadable: the read says so, and only a file read in full is ever deleted


def _in_order() -> Iterator[SourceFormat]:
    """Every format in detection order, each reader module imported only when detection reaches it.

    The first exact signature wins, so the formats after it are never asked: a Chrome CSV,
    second in `REGISTRY`, imports two reader modules, not the ~55 (with the KeePass, XML and
    JSON machinery) that `formats()` loads in ~45 ms (issue 19). The order, and so the answer,
    is `REGISTRY`'s either way.
    """
    return (REGISTRY.get(name) for name in REGISTRY.names())


def _exact(inp: InputFile) -> SourceFormat | None:
    for fmt in _in_order():
        if not fmt.fallback and fmt.matches(inp):
            return fmt
    return None


def _refuse_ambiguous(inp: InputFile, found: SourceFormat) -> None:
    """A header-less file that two layouts' content signatures both fit is refused, never guessed."""
    if not (isinstance(found, CsvLayout) and found.positional):
        return
    rivals = [f for f in formats() if f is not found and isinstance(f, CsvLayout) and f.positional and f.matches(inp)]
    if rivals:
        names = ", ".join(f"--input-format {f.name}" for f in (found, *rivals))
        raise InputError(inp.name, f"a CSV without a header that could be {found.label} or {rivals[0].label}: "
                         f"which column is the password cannot be told; say which it is ({names})")


def _check_forced(inp: InputFile, fmt: SourceFormat) -> None:
    """`--input-format` skips detection, never validation: a wrong choice is refused, not misread."""
    problem = fmt.refusal(inp)
    if problem is None:
        other = _exact(inp)
        ambiguous = isinstance(fmt, CsvLayout) and bool(fmt.positional) and fmt.matches(inp)  # and chosen: read so
        if other is not None and other is not fmt and not ambiguous:
            problem = f"this is a {other.label} export, not {fmt.label} (use --input-format {other.name}, or none)"
    if problem:
        raise InputError(inp.name, problem)


KIND_MESSAGES = {
    "empty": "empty file",
    "binary": "binary data (NUL bytes), not a password export",
    "utf16-no-bom": "UTF-16 text without a byte-order mark: save the export as UTF-8",
    "json": "JSON, but not a recognised export structure",
    "zip": "ZIP archive without a recognised export inside",
    "xml": "XML, but not a recognised export structure",
    # "pgp" (and a binary OpenPGP file), spreadsheets, PDFs: `other_documents.named`, tried first.
    "kdbx": "KeePass database",
    "kdb": "KeePass 1 database (.kdb), which pwcheck cannot open: in KeePassXC use Database → Import → KeePass 1 "
    "database and audit the .kdbx it saves (or, in KeePass 1, File → Export To → CSV File), then delete any export",
    "sqlite": "SQLite database (such as a browser's own password store, 'Login Data' or 'key4.db'), not an export: "
    "export the passwords from the browser instead",
}


def _recognised_non_export(inp: InputFile) -> str | None:
    """What a JSON- or XML-looking file is when it is recognisably not an export pwcheck reads."""
    if inp.kind == "xml" and inp.head_text.lstrip()[:64].lower().startswith(("<!doctype html", "<html")):
        return "HTML file, which pwcheck does not read as an export: export as CSV instead, audit it, then delete both"
    return None


def _header_less_hint(inp: InputFile) -> str:
    """For a file a header-less layout could be, given no address to be sure: which ones, and how to say so."""
    if inp.kind != "text":
        return ""
    fits = [f.name for f in formats() if isinstance(f, CsvLayout) and f.positional and f.refusal(inp) is None]
    if not fits:
        return ""
    return f"; if it has no header, say which export it is: --input-format {' or '.join(fits)}"


def _unrecognised(inp: InputFile) -> str:
    header = inp.csv_header
    if header is None:
        return _recognised_non_export(inp) or KIND_MESSAGES.get(inp.kind, "not a recognised password export (no CSV header)")
    candidates = [(fmt, fmt.missing_columns(header)) for fmt in formats()]
    csv_formats = [
        (len(missing), fmt.fallback, index, fmt, missing) for index, (fmt, missing) in enumerate(candidates) if missing is not None
    ]
    if not csv_formats:
        return "unrecognised CSV header"
    *_, fmt, missing = min(csv_formats, key=lambda item: item[:3])
    if missing:
        return f"unrecognised CSV header; closest format: {fmt.label} (missing columns: {', '.join(missing)})"
    return f"unrecognised CSV header; closest format: {fmt.label} (has unexpected extra columns)"


def requested_sources(
    keychain: bool, collections: tuple[str, ...], pass_store: str | None, notify: Callable[[str], None],
    browsers: tuple[str, ...] = (), browser_profile: Path | None = None, *, vaults: tuple[str, ...] = (),
) -> list[ItemSource]:
    """The non-file sources the command line asked for (`--collection` implies `--keychain`).

    `pass_store` is None when not asked for, "" for the default store, else a directory.
    `browsers` are `--browser NAME[:PROFILE]` values, `browser_profile` `--browser-profile DIR`
    (then one `--browser` names its family): one source per profile, `chromium:Default`.
    `vaults` names vault CLIs to read (`sources.vault_cli.TOOLS`: bitwarden, 1password, rbw).
    """
    sources: list[ItemSource] = []
    if keychain or collections:
        from pwcheck.sources.keychain import keychain_source

        sources.append(keychain_source(collections, notify))
    if pass_store is not None:
        from pwcheck.sources.pass_store import pass_store_source

        sources.append(pass_store_source(pass_store or None))
    if browsers or browser_profile is not None:
        from pwcheck.sources.browser import browser_sources

        sources.extend(browser_sources(browsers, browser_profile))
    if vaults:
        from pwcheck.sources.vault_cli import vault_source

        sources.extend(vault_source(name) for name in dict.fromkeys(vaults))
    return sources
