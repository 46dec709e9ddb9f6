"""Chromium-family profiles (Chrome, Chromium, Edge, Brave, Vivaldi, Opera): `Login Data`, read in place.

A profile keeps its saved passwords in `Login Data` (and, for passwords saved to the
Google account, `Login Data For Account`), SQLite databases with one `logins` row per
saved login. They are opened with SQLite's `mode=ro&immutable=1` URI rather than copied
with the backup API: immutable takes no lock at all, so a running browser is never made
to wait or fail a write because pwcheck holds a shared lock, nothing (no journal, no
`-shm`) is created beside the file, and no copy of the encrypted values is written
anywhere. Immutable also means SQLite will not notice a write made during the read, so
the file's identity, size and time are compared before and after, and a pending
journal or WAL (a write in progress) is reported: either is "not read exactly", an
error, never a clean result.

Values are decrypted in memory (`chromium_crypto`), decoded as strict UTF-8 and handed
straight to `make_credential`, which hashes them. Never-save entries and federated
sign-ins carry no password and are skipped with that reason. Values whose key cannot be
had (a locked or absent Secret Service, a refused keychain prompt) and app-bound `v20`
values are each one InputError per profile with their count: the audit exits 2 (an input
not read), never 0, and says how to get at them. The change time is
`date_password_modified` (Chrome time: microseconds since 1601-01-01 UTC); older schemas
without it give no change time, because `date_created` does not say when a password
last changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote, urlsplit

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources.chromium_crypto import (
    EXPORT_STEPS,
    AppBound,
    Decryptor,
    KeyUnavailable,
    LinuxDecryptor,
    MacDecryptor,
    Unreadable,
    WindowsDecryptor,
    dpapi_unprotect,
    macos_keychain_password,
    windows_state_key,
)
from pwcheck.sources.interface import make_credential, with_skip_summary

FORMAT = "chromium-profile"
LOGIN_FILES = ("Login Data", "Login Data For Account")
# Profiles Chromium makes for itself, never holding the user's passwords.
NOT_USER_PROFILES = ("System Profile", "Guest Profile")
MAX_DATABASE_BYTES = 256 * 1024 * 1024  # real ones are a few MiB; a bigger one is not read
MAX_FIELD_BYTES = 64 * 1024  # per column of a row: a URL, a name, an encrypted password
READ_DEADLINE_S = 120.0  # a hostile database cannot keep SQLite busy for longer
KEYRING_TIMEOUT_S = 10.0
REQUIRED_COLUMNS = ("origin_url", "username_value", "password_value", "signon_realm", "blacklisted_by_user")
OPTIONAL_COLUMNS = ("federation_url", "date_password_modified")
CHROME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)

# browser -> (the "… Safe Storage" name stem, the Secret Service `application` attribute on Linux).
KEY_NAMES: dict[str, tuple[str, str]] = {
    "chrome": ("Chrome", "chrome"),
    "chromium": ("Chromium", "chromium"),
    "edge": ("Microsoft Edge", "microsoft-edge"),
    "brave": ("Brave", "brave"),
    "vivaldi": ("Vivaldi", "vivaldi"),
    "opera": ("Opera", "opera"),
}


def profile_dirs(user_data_dir: Path) -> list[tuple[str, Path]]:
    """(label, directory) of each profile holding `Login Data`: `Default` first, then by name.

    Opera keeps its one profile in the user-data dir itself: then that dir is the profile.
    """
    if _has_logins(user_data_dir):
        return [(user_data_dir.name, user_data_dir)]
    try:
        children = [child for child in user_data_dir.iterdir() if child.is_dir()]
    except OSError:
        return []
    found = [(c.name, c) for c in children if c.name not in NOT_USER_PROFILES and _has_logins(c)]
    return sorted(found, key=lambda item: (item[0] != "Default", item[0]))


def count_logins(profile: Path) -> int:
    """Saved logins (never-save entries left out), counted without decrypting anything."""
    files = _login_files(profile, profile.name)
    total = 0
    for path in files:
        with _reading(path, profile.name) as (connection, _):
            (count,) = connection.execute("SELECT count(*) FROM logins WHERE NOT blacklisted_by_user").fetchone()
            total += int(count)
    return total


def read_profile(profile: Path, source: str, browser: str, prompt: Callable[[str], str]) -> Iterator[SourceEvent]:
    """Every saved login of the profile as source events (`prompt` is unused: nothing is asked here)."""
    files = _login_files(profile, source)
    decryptor = decryptor_for(browser, profile)
    tally = _Tally()
    for path in files:
        yield from with_skip_summary(source, _read_file(path, source, decryptor, tally))
    if tally.app_bound:
        yield InputError(source, f"{tally.app_bound} saved password(s) use Chrome's app-bound encryption (v20), "
                                 f"which pwcheck does not break into: {EXPORT_STEPS}")
    for message, count in tally.key_missing.items():
        yield InputError(source, f"{count} saved password(s) not read: {message}")


class _Tally:
    """Values not read for a reason shared by many rows: said once per profile, with a count."""

    def __init__(self) -> None:
        self.app_bound = 0
        self.key_missing: Counter[str] = Counter()


def decryptor_for(browser: str, profile: Path, platform: str = sys.platform) -> Decryptor:
    """How this platform's browser encrypted the profile's values (keys fetched only when needed)."""
    stem, application = KEY_NAMES.get(browser, KEY_NAMES["chromium"])
    if platform == "darwin":
        return MacDecryptor(lambda: macos_keychain_password(f"{stem} Safe Storage", stem))
    if platform in ("win32", "cygwin"):
        return WindowsDecryptor(lambda: windows_state_key(_local_state(profile), dpapi_unprotect), dpapi_unprotect)
    return LinuxDecryptor(lambda: keyring_secret(stem, application))


def keyring_secret(stem: str, application: str, timeout: float = KEYRING_TIMEOUT_S) -> bytes:
    """The `v11` key's secret from the Secret Service item Chromium stored ("Chromium Safe Storage")."""
    name = f"{stem} Safe Storage"
    try:
        from pwcheck.sources.keychain_secretservice import find_secret

        secret = find_secret({"application": application}, timeout)
    except ImportError as exc:
        raise KeyUnavailable(f"the {name!r} key is in the Secret Service, and Python package {exc.name!r} "
                             "is not installed") from None
    except InputError as exc:
        raise KeyUnavailable(f"the {name!r} key could not be had from the Secret Service ({exc.message})") from None
    if secret is None:
        raise KeyUnavailable(f"no {name!r} key in the Secret Service (a key kept in KWallet 5 is not read): "
                             f"unlock or start your keyring, or {EXPORT_STEPS}")
    return secret


def _local_state(profile: Path) -> Any:
    """The user-data dir's `Local State` JSON (beside the profile; Opera's profile is the user-data dir)."""
    from pwcheck.sources._input import InputFile

    for candidate in (profile / "Local State", profile.parent / "Local State"):
        if candidate.is_file():
            try:
                inp = InputFile(candidate)
                try:
                    return inp.json
                finally:
                    inp.close()
            except InputError as exc:
                raise KeyUnavailable(f"the browser's Local State file cannot be read ({exc.message})") from None
    raise KeyUnavailable("the browser's Local State file (which holds its key) is missing")


def _has_logins(directory: Path) -> bool:
    return (directory / LOGIN_FILES[0]).is_file()


def _login_files(profile: Path, source: str) -> list[Path]:
    if not profile.is_dir():
        raise InputError(source, f"{profile}: no such profile directory")
    files = [profile / name for name in LOGIN_FILES if (profile / name).is_file()]
    if not files:
        raise InputError(source, f"{profile}: no 'Login Data' here: not a Chromium-family profile")
    return files


class _reading:
    """The database opened read-only and immutable, checked for a write before and after.

    Enter: (connection, the optional columns the `logins` table has). Exit: an InputError
    if the file changed while it was read (the rows read may mix two states of it).
    """

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.source = f"{source} ({path.name})"
        self.before: tuple[int, int, int] | None = None
        self.connection: sqlite3.Connection | None = None

    def __enter__(self) -> tuple[sqlite3.Connection, frozenset[str]]:
        self.before = self._identity()
        if self.before[1] > MAX_DATABASE_BYTES:
            raise InputError(self.source, f"larger than {MAX_DATABASE_BYTES >> 20} MiB: not a browser's password database")
        self._refuse_pending_write()
        uri = f"file:{quote(str(self.path.absolute()))}?mode=ro&immutable=1"
        deadline = time.monotonic() + READ_DEADLINE_S
        try:
            self.connection = sqlite3.connect(uri, uri=True)
            self.connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
            columns = self._columns(self.connection)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise InputError(self.source, f"not a readable SQLite database ({type(exc).__name__})") from None
        except BaseException:
            self.close()
            raise
        return self.connection, frozenset(c for c in OPTIONAL_COLUMNS if c in columns)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, trace: Any) -> None:
        self.close()
        if isinstance(exc, sqlite3.DatabaseError):
            problem = "took too long to read" if isinstance(exc, sqlite3.OperationalError) and "interrupt" in str(exc) \
                else f"damaged database ({type(exc).__name__})"
            raise InputError(self.source, problem) from None
        if kind is None and self._identity() != self.before:
            raise InputError(self.source, "changed while it was read (the browser saved a login): close it and rerun")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _identity(self) -> tuple[int, int, int]:
        try:
            info = self.path.stat()
        except OSError as exc:
            raise InputError(self.source, f"cannot read ({exc.strerror or type(exc).__name__})") from None
        return info.st_ino, info.st_size, info.st_mtime_ns

    def _refuse_pending_write(self) -> None:
        for suffix in ("-journal", "-wal"):
            sidecar = self.path.with_name(self.path.name + suffix)
            try:
                pending = sidecar.stat().st_size > 0
            except FileNotFoundError:
                continue
            except OSError as exc:  # cannot tell whether a write is under way: not read, never assumed clean
                raise InputError(self.source, f"cannot check its {suffix[1:]} ({exc.strerror or type(exc).__name__})") from None
            if pending:
                raise InputError(self.source, f"the browser is writing it (its {suffix[1:]} is not empty): close the "
                                              "browser and rerun")

    def _columns(self, connection: sqlite3.Connection) -> set[str]:
        kind = connection.execute("SELECT type FROM sqlite_master WHERE name = 'logins'").fetchone()
        columns = {str(row[1]) for row in connection.execute("PRAGMA table_info(logins)")} if kind == ("table",) else set()
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise InputError(self.source, f"no logins table as Chromium writes it (missing: {', '.join(missing)})")
        return columns


def _select(optional: frozenset[str]) -> str:
    """Every column the reader uses, each larger than MAX_FIELD_BYTES left out (and flagged), by row id."""
    wanted = [c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if c in REQUIRED_COLUMNS or c in optional]
    guarded = ", ".join(f"CASE WHEN length({c}) <= {MAX_FIELD_BYTES} THEN {c} END AS {c}" for c in wanted)
    oversized = " OR ".join(f"coalesce(length({c}), 0) > {MAX_FIELD_BYTES}" for c in wanted)
    return f"SELECT rowid AS row_position, ({oversized}) AS oversized, {guarded} FROM logins ORDER BY rowid"


def _read_file(path: Path, source: str, decryptor: Decryptor, tally: _Tally) -> Iterator[SourceEvent]:
    with _reading(path, source) as (connection, optional):
        connection.row_factory = sqlite3.Row
        for row in connection.execute(_select(optional)):
            event = _row_event(source, dict(row), decryptor, tally)
            if event is not None:
                yield event


def _row_event(source: str, row: dict[str, Any], decryptor: Decryptor, tally: _Tally) -> SourceEvent | None:
    """One `logins` row as an event; None when it is counted in the tally instead (said once, at the end)."""
    where = f"login {row['row_position']}"
    if row["oversized"]:
        return InputError(source, f"{where}: a field is larger than {MAX_FIELD_BYTES} bytes, which Chromium never writes")
    texts = {c: row.get(c) for c in ("origin_url", "username_value", "signon_realm", "federation_url")}
    wrong = [c for c, value in texts.items() if value is not None and not isinstance(value, str)]
    if wrong or not isinstance(row["blacklisted_by_user"], int):
        return InputError(source, f"{where}: {', '.join(wrong) or 'blacklisted_by_user'} is not of the type Chromium writes")
    if row["blacklisted_by_user"]:
        return Skipped(source, None, "never-save entry (no password)")
    value = row["password_value"]
    if texts["federation_url"] and not value:
        return Skipped(source, None, "federated sign-in (no password stored)")
    if value is not None and not isinstance(value, bytes):
        return InputError(source, f"{where}: password_value is not encrypted data")
    password: str | None = None
    if value:
        try:
            plain = _without_host_hash(decryptor.decrypt(value), texts["origin_url"], texts["signon_realm"])
        except AppBound:
            tally.app_bound += 1
            return None
        except KeyUnavailable as exc:
            tally.key_missing[str(exc)] += 1
            return None
        except Unreadable as exc:
            return InputError(source, f"{where}: {exc}")
        try:
            password = plain.decode("utf-8")
        except UnicodeDecodeError:
            return InputError(source, f"{where}: the decrypted password is not UTF-8 text (what Chromium writes): not read")
        finally:
            del plain
    origin = texts["origin_url"] or texts["signon_realm"] or ""
    changed = chrome_time(row.get("date_password_modified"))
    item = make_credential(source, FORMAT, None, password=password, title=urlsplit(origin).hostname or origin or None,
                           urls=[origin], username=texts["username_value"], changed=changed, changed_kind="password")
    return item  # an empty password's skip keeps its bare reason, so the summary counts them as one


def _without_host_hash(plain: bytes, origin: str | None, realm: str | None) -> bytes:
    """`plain` less a leading SHA-256 of the site's host, where one is there.

    Chrome 130+ prefixes that hash to values in its cookie database (version 24 on); it is
    stripped here only when the first 32 bytes are exactly such a hash, never by version
    alone: `Login Data` versions passed 24 long ago without any prefix, and stripping 32
    bytes of a real password would hash something else.
    """
    if len(plain) < 32:
        return plain
    hosts = {h for h in (urlsplit(origin or "").hostname, origin, realm, urlsplit(realm or "").hostname) if h}
    head = plain[:32]
    return plain[32:] if any(hashlib.sha256(host.encode("utf-8")).digest() == head for host in hosts) else plain


def chrome_time(value: Any) -> datetime | None:
    """Chrome's timestamps (microseconds since 1601-01-01 UTC) as UTC; 0, absurd or non-integer: None."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    try:
        return CHROME_EPOCH + timedelta(microseconds=value)
    except OverflowError:
        return None
