"""macOS Keychain through `security dump-keychain -d`.

The tool prints every item of a keychain with its attributes and, with `-d`, its data.
macOS asks the person to allow access to each item not yet allowed (and for the
keychain password if it is locked), so a notice goes out before the tool starts.
Only internet (`inet`) and generic (`genp`) passwords are credentials; certificates and
keys are other classes and are passed over. iCloud Keychain and the Passwords app keep
their items elsewhere: a note in the report says to add their CSV export.

`security` prints a value as `"text"` when every byte is printable ASCII, else as
`0xHEX`, followed by `"text"` with `\\ooo` octal escapes when some bytes are printable;
`decode_value` reads both. A whole item is one block starting with its `keychain:` line.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO, Iterable, Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import Note, SourceEvent
from pwcheck.sources._site import network_url, url_in_text
from pwcheck.sources.interface import make_credential, with_skip_summary
from pwcheck.sources.keychain import SOURCE, KeychainRequest

LABEL = "macOS Keychain"
FORMAT = "macos-keychain"
SECURITY = "/usr/bin/security"
NOTICE = (
    "reading the macOS Keychain: macOS will ask to allow access to each item (choose 'Always Allow' "
    "to be asked once per item, 'Deny' to leave an item out), and for the keychain password if it is locked"
)
ICLOUD_NOTE = (
    "iCloud Keychain and Passwords-app items are not in this keychain: export them "
    "(Passwords > File > Export All Passwords) and add the CSV to the audit"
)
CREDENTIAL_CLASSES = ("inet", "genp")
LABEL_TAG = "0x00000007"

# `ptcl` four-character codes -> URL scheme (the common ones; others give a bare host).
PROTOCOLS: dict[str, str] = {
    "htps": "https", "http": "http", "ftp ": "ftp", "ftps": "ftps", "sftp": "sftp", "ssh ": "ssh",
    "imap": "imap", "imps": "imaps", "pop3": "pop", "pops": "pops", "smtp": "smtp", "ldap": "ldap",
    "ldps": "ldaps", "smb ": "smb", "afp ": "afp", "teln": "telnet", "cifs": "cifs", "webd": "webdav",
}

# Generic items that are not website or app logins.
SKIP_SERVICE_PREFIXES: tuple[tuple[str, str], ...] = (("com.apple.", "Apple system item"),)
BROWSER_KEY = "browser's encryption key, not a website credential"

_ATTRIBUTE = re.compile(r'^\s+(0x[0-9A-Fa-f]{8}|"[^"]{4}")\s*<(\w+)>=(.*)$')
_HEX = re.compile(r"^0x([0-9A-Fa-f]*)")
_OCTAL = re.compile(r"\\([0-7]{3})")


@dataclass
class KeychainItem:
    """One block of `dump-keychain` output, values still raw bytes."""

    keychain: str
    item_class: str = ""
    attributes: dict[str, bytes | None] = field(default_factory=dict)
    data: bytes | None = None

    def text(self, tag: str) -> str | None:
        raw = self.attributes.get(tag)
        if not raw:
            return None
        return raw.rstrip(b"\x00").decode("utf-8", errors="replace") or None


def read(request: KeychainRequest) -> Iterator[SourceEvent]:
    """Every password item of the chosen keychains (default: the login keychain)."""
    request.notify(NOTICE)
    keychains = list(request.collections) or [_login_keychain()]
    for keychain in keychains:
        yield from read_dump(keychain, _run_dump(keychain))
    yield Note(SOURCE, ICLOUD_NOTE)


def read_dump(keychain: str, lines: Iterable[str]) -> Iterator[SourceEvent]:
    """Items of one keychain's dump as events; `lines` may be a live pipe."""
    source = f"{SOURCE}:{_short(keychain)}"
    yield from with_skip_summary(source, (item_event(source, item) for item in parse_dump(lines)))


def parse_dump(lines: Iterable[str]) -> Iterator[KeychainItem]:
    """Blocks of `security dump-keychain -d` output, one per item."""
    item: KeychainItem | None = None
    expecting_data = False
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("keychain: "):
            if item is not None:
                yield item
            item = KeychainItem(keychain=_quoted_text(line[len("keychain: "):]))
            expecting_data = False
        elif item is None:
            continue
        elif expecting_data:
            item.data = decode_value(line) or b""
            expecting_data = False
        elif line.startswith("class: "):
            item.item_class = (decode_value(line[len("class: "):]) or b"").decode("latin-1")
        elif line == "data:":
            expecting_data = True
        else:
            match = _ATTRIBUTE.match(line)
            if match:
                tag = match.group(1).strip('"')
                item.attributes[tag] = decode_value(match.group(3))
    if item is not None:
        yield item


def decode_value(text: str) -> bytes | None:
    """A printed value as bytes: `<NULL>` -> None, `0xHEX ["..."]` -> the hex, `"..."` -> unescaped."""
    text = text.strip()
    if text == "<NULL>":
        return None
    match = _HEX.match(text)
    if match and (len(text) == match.end() or text[match.end()].isspace()):
        return bytes.fromhex(match.group(1))
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        body = text[1:-1]  # quotes inside are not escaped: the value runs to the last quote
        return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), body).encode("latin-1")
    return text.encode("utf-8") if text else b""


def item_event(source: str, item: KeychainItem) -> SourceEvent:
    """One item as a credential, or the reason it is left out."""
    if item.item_class not in CREDENTIAL_CLASSES:
        return Skipped(source, None, "not a password item (certificate or key)")
    label = item.text(LABEL_TAG)
    service = item.text("svce")
    reason = _skip_reason(label, service)
    if reason:
        return Skipped(source, None, reason)
    if item.data is None:
        return Skipped(source, None, "access to the item was not allowed")
    try:
        password = item.data.decode("utf-8")
    except UnicodeDecodeError:
        return Skipped(source, None, "secret is binary data, not a text password")
    url = _inet_url(item) if item.item_class == "inet" else url_in_text(service) or url_in_text(label)
    return make_credential(
        source,
        FORMAT,
        None,
        password=password,
        title=label or service,
        urls=[url] if url else [],
        username=item.text("acct"),
        changed=parse_mdat(item.text("mdat")),
        changed_kind="edit",
    )


def parse_mdat(value: str | None) -> datetime | None:
    """`20190610123456Z` (UTC) -> aware datetime."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip()[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _inet_url(item: KeychainItem) -> str | None:
    protocol = item.text("ptcl")
    port = int.from_bytes(item.attributes.get("port") or b"", "big") or None
    return network_url(PROTOCOLS.get(protocol or ""), item.text("srvr"), port, item.text("path"))


def _skip_reason(label: str | None, service: str | None) -> str | None:
    if (label or "").endswith(" Safe Storage") or (service or "").endswith(" Safe Storage"):
        return BROWSER_KEY
    for prefix, reason in SKIP_SERVICE_PREFIXES:
        if (service or "").startswith(prefix):
            return reason
    return None


def _login_keychain() -> str:
    proc = _security(["login-keychain"])
    return _quoted_text(proc.stdout.strip()) or "login.keychain-db"


def _run_dump(keychain: str) -> Iterator[str]:
    """The dump's lines, streamed (read as latin-1: bytes pass through unchanged).

    `security` also exits non-zero when the person denied some items; that is an error
    only when it printed no item at all (no such keychain, access refused).
    """
    try:
        process = subprocess.Popen(
            [SECURITY, "dump-keychain", "-d", keychain],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, encoding="latin-1",
        )
    except OSError as exc:
        raise InputError(SOURCE, f"cannot run {SECURITY} ({type(exc).__name__})") from None
    stdout: IO[str] = process.stdout  # type: ignore[assignment]
    items = 0
    with process:
        for line in stdout:
            items += line.startswith("keychain: ")
            yield line
    if process.returncode != 0 and not items:
        raise InputError(f"{SOURCE}:{_short(keychain)}", f"security dump-keychain failed (exit {process.returncode})")


def _security(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([SECURITY, *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(SOURCE, f"cannot run {SECURITY} ({type(exc).__name__})") from None


def _quoted_text(text: str) -> str:
    value = decode_value(text)
    return value.decode("utf-8", errors="replace") if value else text.strip().strip('"')


def _short(keychain: str) -> str:
    return keychain.rsplit("/", 1)[-1]
