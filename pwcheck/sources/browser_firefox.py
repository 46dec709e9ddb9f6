"""Firefox's own password store, read in place: `logins.json` decrypted with `key4.db` through NSS.

No plaintext export is ever written: each login's `encryptedUsername` and `encryptedPassword`
are decrypted by the NSS library Firefox itself uses (`sources/_nss.py`, read-only, one
profile at a time) and the password is hashed at once by `make_credential`. The records are
those of Firefox's CSV export (`sources/firefox.py`): the login's `hostname` as URL, no title,
`timePasswordChanged` as the change time, the Firefox Accounts login skipped with the same
reason, so an audit of the profile and one of its export agree. `formSubmitURL` (where the form
posts) and `httpRealm` (an HTTP-auth realm name) are left out, as the export's reader does:
neither names another site the password is used on.

A profile with a primary password asks for it once through `prompt`, with one retry; no
answer, or a wrong one twice, ends the source with an `InputError` naming the profile (exit
2), never a clean result. Sync keeps deleted logins as `deleted` tombstones: skipped, said.
"""

from __future__ import annotations

import configparser
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError, UsageError
from pwcheck.model.source import ItemSource, Note, SourceEvent
from pwcheck.sources._input import InputFile
from pwcheck.sources._nss import NssError, Session, library_candidates, session
from pwcheck.sources._time import from_epoch_ms
from pwcheck.sources.firefox import FIREFOX_ACCOUNTS, FIREFOX_ACCOUNTS_REASON
from pwcheck.sources.interface import make_credential, with_skip_summary

FORMAT = "firefox-profile"
BROWSERS = ("firefox", "librewolf")
# profiles.ini and installs.ini are a few lines each: anything past this is not one.
MAX_INI_BYTES = 1024 * 1024
PASSWORD_TRIES = 2
LABELS = {"firefox": "Firefox", "librewolf": "LibreWolf"}
# Files every profile Firefox has started once holds; a folder with none of them is not a profile.
PROFILE_MARKS = ("key4.db", "prefs.js", "times.json")
# Skipped items carry no position: the summary note groups them by reason, and none needs finding.
DELETED_REASON = "deleted login Firefox keeps for Sync"


def default_roots(browser: str) -> list[Path]:
    """Where `browser` keeps `profiles.ini` on this platform, most usual first (they may not exist).

    Linux has the classic `~/.mozilla/firefox`, the XDG folder newer Firefox uses, and the Snap
    and Flatpak sandboxes' own homes; `profile_dirs` returns nothing for a folder that is absent.
    """
    if browser not in BROWSERS:
        raise UsageError(f"not a Firefox-family browser: {browser} (choose from {', '.join(BROWSERS)})")
    home = Path.home()
    if sys.platform.startswith("win"):
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        return [appdata / ("Mozilla/Firefox" if browser == "firefox" else "librewolf")]
    if sys.platform == "darwin":
        return [home / "Library/Application Support" / ("Firefox" if browser == "firefox" else "librewolf")]
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    if browser == "firefox":
        return [home / ".mozilla/firefox", config / "mozilla/firefox", home / "snap/firefox/common/.mozilla/firefox",
                home / ".var/app/org.mozilla.firefox/.mozilla/firefox"]
    return [home / ".librewolf", config / "librewolf", home / ".var/app/io.gitlab.librewolf-community/.librewolf"]


def profile_dirs(user_data_dir: Path) -> list[tuple[str, Path]]:
    """(name, folder) of each profile `profiles.ini` lists that exists, the default first.

    The default is the one `installs.ini` (or the `[Install…]` sections of `profiles.ini`) names
    for an installation, as Firefox 67 and later choose it; else the profile marked `Default=1`.
    """
    profiles = _ini(user_data_dir / "profiles.ini")
    if profiles is None:
        return []
    installs = _ini(user_data_dir / "installs.ini")
    listed: list[tuple[str, Path]] = []
    defaults: list[Path] = []
    for section in profiles.sections():
        fields = profiles[section]
        if section.startswith("Install") and fields.get("Default"):
            defaults.append(_resolve(user_data_dir, fields["Default"], "1"))
        elif section.startswith("Profile") and fields.get("Path"):
            path = _resolve(user_data_dir, fields["Path"], fields.get("IsRelative", "1"))
            listed.append((fields.get("Name") or path.name, path))
            if fields.get("Default") == "1":
                defaults.append(path)
    for section in installs.sections() if installs is not None else []:
        if installs is not None and installs[section].get("Default"):
            defaults.insert(0, _resolve(user_data_dir, installs[section]["Default"], "1"))
    names = {path: name for name, path in listed}
    ordered = [(names.get(path, path.name), path) for path in defaults] + listed
    seen: set[Path] = set()
    found: list[tuple[str, Path]] = []
    for name, path in ordered:
        if path not in seen and path.is_dir():
            seen.add(path)
            found.append((name, path))
    return found


def _resolve(root: Path, value: str, relative: str) -> Path:
    """`Path=` is relative to the root with `/` separators when `IsRelative=1`, else absolute."""
    return root.joinpath(*value.split("/")) if relative.strip() == "1" else Path(value)


def _ini(path: Path) -> configparser.ConfigParser | None:
    """An ini file read whole within MAX_INI_BYTES, or None when absent; unreadable is an `InputError`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INI_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_INI_BYTES:
        raise InputError(str(path), f"larger than {MAX_INI_BYTES >> 20} MiB: not a Firefox profiles list")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(data.decode("utf-8-sig"), str(path))
    except (UnicodeDecodeError, configparser.Error):
        raise InputError(str(path), "not a readable profiles list (invalid ini text)") from None
    return parser


def _logins(profile: Path, source: str) -> list[Any] | None:
    """The `logins` array of `logins.json` (bounded like every JSON input), None without the file."""
    path = profile / "logins.json"
    if not path.exists():
        if not profile.is_dir():
            raise InputError(source, "no Firefox profile here (not a directory)")
        if not any((profile / name).exists() for name in PROFILE_MARKS):
            # A mistyped folder would otherwise read as a profile with nothing saved: a clean audit.
            raise InputError(source, "not a Firefox profile (no logins.json, key4.db or prefs.js)")
        return None
    inp = InputFile(path, f"{source}/logins.json")
    try:
        document = inp.json
    finally:
        inp.close()
    # Firefox's LoginStore reads a document without `logins` as none saved; anything else is not one.
    logins = document.get("logins", []) if isinstance(document, dict) else None
    if not isinstance(logins, list):
        raise InputError(inp.name, "not a Firefox logins.json ('logins' is not an array)")
    return logins


def count_logins(profile: Path) -> int:
    """How many website logins the profile holds, decrypting nothing (as about:logins counts them:
    Sync's deleted tombstones and the Firefox Accounts login left out)."""
    logins = _logins(profile, str(profile))
    return sum(1 for login in logins or [] if isinstance(login, dict) and login.get("deleted") is not True
               and not str(login.get("hostname")).startswith(FIREFOX_ACCOUNTS))


def read_profile(profile: Path, source: str, browser: str, prompt: Callable[[str], str]) -> Iterator[SourceEvent]:
    """Every login of one profile: credentials (hashed at once), skipped items, unreadable logins."""
    logins = _logins(profile, source)
    if not logins:
        yield Note(source, "no saved logins in this profile")
        return
    key4 = profile / "key4.db"
    if not key4.is_file():
        raise InputError(source, "key4.db is missing, so the saved passwords cannot be decrypted "
                                 "(a profile older than Firefox 58 keeps key3.db: open it once in a current Firefox)")
    try:
        with session(profile, library_candidates) as nss:
            _unlock(nss, profile, source, browser, prompt)
            yield from with_skip_summary(source, _events(nss, logins, source))
    except NssError as exc:
        raise InputError(source, str(exc)) from None


def _unlock(nss: Session, profile: Path, source: str, browser: str, prompt: Callable[[str], str]) -> None:
    """Log in with the primary password when one is set: asked at most PASSWORD_TRIES times."""
    if not nss.needs_login:
        return
    label = LABELS.get(browser, browser)
    for _ in range(PASSWORD_TRIES):
        answer = prompt(f"{label} primary password for {profile}")
        if not answer:
            raise InputError(source, "this profile has a primary password and none was given: not read")
        if nss.login(answer):
            return
        del answer
    raise InputError(source, f"wrong primary password, {PASSWORD_TRIES} times: not read")


def _events(nss: Session, logins: list[Any], source: str) -> Iterator[SourceEvent]:
    for index, login in enumerate(logins, start=1):
        where = f"login {index}"
        if not isinstance(login, dict):
            yield InputError(source, f"{where}: not a JSON object")
            continue
        if login.get("deleted") is True:
            yield Skipped(source, None, DELETED_REASON)
            continue
        hostname = login.get("hostname")
        if not isinstance(hostname, str):
            yield InputError(source, f"{where}: 'hostname' is not text")
            continue
        if hostname.startswith(FIREFOX_ACCOUNTS):
            yield Skipped(source, None, FIREFOX_ACCOUNTS_REASON)
            continue
        yield _login(nss, login, hostname, source, where)


def _login(nss: Session, login: dict[str, Any], hostname: str, source: str, where: str) -> SourceEvent:
    """One login decrypted and hashed; any field that cannot be read exactly makes it an `InputError`."""
    fields: dict[str, str] = {}
    for name in ("encryptedUsername", "encryptedPassword"):
        value = login.get(name)
        if not isinstance(value, str):
            return InputError(source, f"{where}: '{name}' is not text")
        fields[name] = value
    changed = login.get("timePasswordChanged")
    if changed is not None and (isinstance(changed, bool) or not isinstance(changed, (int, float))):
        return InputError(source, f"{where}: 'timePasswordChanged' is not a number")
    try:
        username = nss.decrypt(fields["encryptedUsername"])
        item = make_credential(
            source, FORMAT, None, password=nss.decrypt(fields["encryptedPassword"]), title=None, urls=[hostname],
            username=username, changed=from_epoch_ms(changed), changed_kind="password",
        )
    except NssError as exc:
        return InputError(source, f"{where}: {exc}")
    except UnicodeDecodeError:
        return InputError(source, f"{where}: a decrypted value is not UTF-8 text, as Firefox writes it")
    return item


def firefox_source(profile: Path, prompt: Callable[[str], str], browser: str = "firefox") -> ItemSource:
    """One profile as an audit source, read when the audit collects (what `--browser-profile` wires)."""
    name = f"{browser}:{profile}"
    return ItemSource(name, lambda: read_profile(profile, name, browser, prompt))
