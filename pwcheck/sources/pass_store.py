"""`--pass-store [DIR]`: the standard Unix password manager's store, decrypted with the user's gpg.

One gpg-encrypted file per entry (`site/user.gpg`, `user@site.gpg`); the first line is the
password, the lines after it `key: value` pairs such as `login:` and `url:`. Decryption
goes through the user's own `gpg` and agent, exactly as `pass show` does, so a key with
a passphrase asks once through pinentry and the agent caches it. Entries are decrypted
one after another: running several gpg processes at once was no faster (the agent does
the work; 100 entries took a median 0.85 s one at a time, 0.97 s four at a time). Each
plaintext is hashed as soon as it is parsed and dropped.

Hidden folders (`.git`, `.extensions`) are not entries. The entry's time is not read:
a clone or checkout resets file times, so they would not say when a password changed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import ItemSource, SourceEvent
from pwcheck.sources._site import url_in_text
from pwcheck.sources.interface import make_credential, with_skip_summary

FORMAT = "pass"
# `key: value` lines after the password, first present wins (case-insensitive keys):
# `login:` is what pass's own docs, browserpass and passff use.
USERNAME_KEYS: tuple[str, ...] = ("login", "username", "user", "email")
URL_KEYS: tuple[str, ...] = ("url", "website", "site")


def default_store() -> Path:
    """`$PASSWORD_STORE_DIR`, else `~/.password-store`, as pass itself resolves it."""
    configured = os.environ.get("PASSWORD_STORE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".password-store"


def pass_store_source(directory: str | None = None) -> ItemSource:
    """The store as an audit source, read when the audit collects."""
    root = Path(directory).expanduser() if directory else default_store()
    name = f"pass:{root}"
    return ItemSource(name, lambda: read_store(root, name))


def read_store(root: Path, source: str, gpg: str | None = None) -> Iterator[SourceEvent]:
    """Every entry, in path order: credentials, skipped items, and per-entry decrypt errors."""
    if not root.is_dir():
        hint = "" if not root.is_file() else ": write --pass-store=DIR when export files follow it"
        raise InputError(source, f"no password store here (not a directory){hint}")
    program = gpg or find_gpg()
    paths = entries(root)
    yield from with_skip_summary(source, _decrypted(root, source, program, paths))


def find_gpg() -> str:
    """gpg2 when present, else gpg: the choice pass makes."""
    program = shutil.which("gpg2") or shutil.which("gpg")
    if program is None:
        raise InputError("pass", "gpg not found: install GnuPG to read a password store")
    return program


def entries(root: Path) -> list[Path]:
    """Every `*.gpg` under `root`, skipping hidden files and folders, sorted."""
    found: list[Path] = []
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        found.extend(Path(directory) / f for f in sorted(files) if f.endswith(".gpg") and not f.startswith("."))
    return found


def entry_event(source: str, name: str, plaintext: bytes) -> SourceEvent:
    """One decrypted entry as a credential (hashed here), or why it is skipped."""
    first, _, rest = plaintext.partition(b"\n")
    try:
        password = first.decode("utf-8")
        text = rest.decode("utf-8", errors="replace")
        fields = _fields(text)
    except UnicodeDecodeError:
        return Skipped(source, None, f"{name}: not a text password (a stored file?)")
    path_user, path_site = path_fields(name)
    username = next((fields[k] for k in USERNAME_KEYS if fields.get(k)), None) or path_user
    urls = [u for k in URL_KEYS if (u := fields.get(k))]
    if path_site:
        urls.append(path_site)
    # pass-otp keeps an `otpauth://` line in the entry: only whether there is one is kept.
    otp = [line for line in text.splitlines() if line.strip().lower().startswith("otpauth://")]
    return make_credential(
        source, FORMAT, None, password=password, title=name, urls=list(dict.fromkeys(urls)), username=username,
        totp=otp,
    )


def path_fields(name: str) -> tuple[str | None, str | None]:
    """(username, site) from an entry's path: `site/user`, `user@site`, or a bare `site`."""
    *folders, leaf = name.split("/")
    user: str | None = None
    site: str | None = None
    if "@" in leaf:
        user, _, host = leaf.rpartition("@")
        site = url_in_text(host)
    elif folders:
        user = leaf
    else:
        site = url_in_text(leaf)
    if site is None:
        site = next((url for part in reversed(folders) if (url := url_in_text(part))), None)
    return user or None, site


def _fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key and key not in fields:
            fields[key] = value.strip()
    return fields


def _decrypted(root: Path, source: str, gpg: str, paths: list[Path]) -> Iterator[SourceEvent]:
    for path in paths:
        yield _decrypt_entry(source, path.relative_to(root).as_posix()[: -len(".gpg")], path, gpg)


def _decrypt_entry(source: str, name: str, path: Path, gpg: str) -> SourceEvent:
    extra = shlex.split(os.environ.get("PASSWORD_STORE_GPG_OPTS", ""))
    try:
        proc = subprocess.run(
            [gpg, *extra, "--quiet", "--yes", "--compress-algo=none", "--no-encrypt-to", "--decrypt", str(path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
    except OSError as exc:
        return InputError(source, f"{name}: could not run gpg ({type(exc).__name__})")
    if proc.returncode != 0:
        reason = "no secret key for it" if b"No secret key" in proc.stderr else f"gpg exited with {proc.returncode}"
        return InputError(source, f"{name}: could not decrypt ({reason})")
    try:
        return entry_event(source, name, proc.stdout)
    finally:
        del proc
