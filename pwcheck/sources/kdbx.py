"""KeePass databases (`.kdbx`, KDBX 3.1 and 4) read through `pykeepass` (optional extra `kdbx`).

The database is opened with its password and/or key file. The password never comes from
the command line (argv is visible to every user of the machine): it is asked at a hidden
prompt, or, for scripts, taken from `PWCHECK_KDBX_PASSWORD` (set to an empty string, it is the
empty password, which KeePass allows; unset, pwcheck asks). With no terminal and neither
the variable nor `--kdbx-keyfile`, the file is one input error (exit 2) instead of a
prompt nobody can answer. A wrong password or key file is one clear error.
Entries in the recycle bin are skipped; the change time comes from each entry's history
(see `_history`), else its modification time as an edit. The header's key-derivation cost is
checked before the password is asked, and AES-KDF runs at the cipher's speed (`kdbx_kdf`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from pwcheck import DISTRIBUTION, install_hint
from pwcheck.model.credential import Skipped, SourceItem, password_sha1
from pwcheck.model.errors import InputError
from pwcheck.sources._history import password_change
from pwcheck.sources._input import InputFile
from pwcheck.sources.interface import KEEPASS_TOTP_FIELDS, SourceFormat, at_position, make_credential
from pwcheck.sources.kdbx_kdf import aes_kdf, read_kdf, refuse_costly
from pwcheck.system.hardening import KDBX_PASSWORD_ENV

PASSWORD_ENV = KDBX_PASSWORD_ENV


@dataclass(frozen=True)
class KdbxKey:
    """What opens one database: a password, a key file, or both."""

    password: str | None
    keyfile: Path | None

    def __repr__(self) -> str:
        return f"KdbxKey(password={'<redacted>' if self.password is not None else None}, keyfile={self.keyfile!r})"


Unlocker = Callable[[str], KdbxKey]


def make_unlocker(
    keyfile: Path | None = None, prompt: Callable[[str], str] | None = None, password: str | None = None
) -> Unlocker:
    """The key source for the run: `password` (PWCHECK_KDBX_PASSWORD, which the command line
    takes out of the environment once, at start: `pwcheck/cli/settings.py`), else a hidden
    prompt on a terminal, else the key file alone. `password=""` opens an empty-password database.
    """
    from_environment = password

    def unlock(display: str) -> KdbxKey:
        password = from_environment
        if password is None and sys.stdin.isatty():
            # At the prompt, nothing typed is an empty password, unless a key file alone is the key.
            password = (prompt or _hidden_prompt)(f"Password for {display}")
            if not password and keyfile is not None:
                password = None
        elif password is None and keyfile is None:
            raise InputError(
                display,
                f"KeePass database needs its password: no terminal to ask on; set {PASSWORD_ENV} or give --kdbx-keyfile",
            )
        return KdbxKey(password, keyfile)

    return unlock


def _hidden_prompt(text: str) -> str:
    import click

    return str(click.prompt(text, hide_input=True, default="", show_default=False, prompt_suffix=": ", err=True))


class Kdbx(SourceFormat):
    name = "kdbx"
    carries_totp = True
    label = "KeePass database (.kdbx)"
    carries = "title, URL, username, password, password-changed time from history (else last edit)"
    export_hint = f"KeePass / KeePassXC / KeePassDX: the .kdbx database itself (needs `pip install '{DISTRIBUTION}[kdbx]'`)"
    manager = "KeePass"
    changes = ("password", "edit")

    def matches(self, inp: InputFile) -> bool:
        return inp.kind == "kdbx"

    def read(self, inp: InputFile) -> Iterator[SourceItem]:
        database, bin_uuid, entries = self._open(inp)
        for index, entry in enumerate(entries, start=1):
            if bin_uuid is not None and _in_group(entry, bin_uuid):
                yield Skipped(inp.name, None, f"entry {index}: in the recycle bin")
                continue
            yield _credential(inp.name, index, entry)

    def _open(self, inp: InputFile) -> Any:
        try:
            from pykeepass import PyKeePass
            from pykeepass.exceptions import CredentialsError, HeaderChecksumError, PayloadChecksumError
        except ImportError:
            raise InputError(inp.name, f"reading .kdbx needs the optional extra: {install_hint('kdbx')}") from None
        with inp.open_binary() as stream:
            kdf = read_kdf(stream)
        if kdf is not None:  # before the password is asked: a costly header is refused, never derived
            refuse_costly(kdf, inp.name)
        unlock = inp.unlock or make_unlocker()
        key = unlock(inp.name)
        if key.keyfile is not None and not key.keyfile.is_file():
            raise InputError(inp.name, f"key file {key.keyfile} not found")
        keyfile = str(key.keyfile) if key.keyfile else None
        try:
            transformed = None
            if kdf is not None and kdf.name == "AES-KDF":
                from pykeepass.kdbx_parsing.common import compute_key_composite

                transformed = aes_kdf(kdf.seed, kdf.rounds, compute_key_composite(password=key.password, keyfile=keyfile))
            with inp.open_binary() as stream:  # the input opened once, never its path again
                database = PyKeePass(stream, password=key.password, keyfile=keyfile, transformed_key=transformed)
            return database, getattr(database.recyclebin_group, "uuid", None), database.entries
        except CredentialsError:
            raise InputError(inp.name, "wrong password or key file for this KeePass database") from None
        except HeaderChecksumError:
            raise InputError(inp.name, "KeePass database header is damaged (or the key is wrong)") from None
        except PayloadChecksumError:
            raise InputError(inp.name, "KeePass database content is damaged") from None
        except Exception as exc:  # noqa: BLE001 - construct's parse errors have many types; the message may quote bytes
            raise InputError(inp.name, f"not a readable KeePass database ({type(exc).__name__})") from None


def _in_group(entry: Any, group_uuid: Any) -> bool:
    group = entry.group
    while group is not None:
        if group.uuid == group_uuid:
            return True
        group = group.parentgroup
    return False


def _totp_fields(entry: Any) -> list[Any]:
    """The entry's TOTP strings, read to tell whether one is set (pykeepass reserves `otp`: its own property)."""
    from pykeepass.entry import reserved_keys

    return [getattr(entry, "otp", None)] + [
        entry.get_custom_property(key) for key in KEEPASS_TOTP_FIELDS if key != "otp" and key not in reserved_keys
    ]


def _credential(source: str, index: int, entry: Any) -> SourceItem:
    password = entry.password or ""
    changed, kind = None, None
    if password:
        history = [(old.mtime, password_sha1(old.password or "")) for old in entry.history]
        changed, kind = password_change((entry.mtime, password_sha1(password)), history)
    item = make_credential(
        source, Kdbx.name, None, password=password, title=entry.title, urls=[entry.url or ""],
        username=entry.username, changed=changed, changed_kind=kind,
        totp=_totp_fields(entry),
    )
    return at_position(item, f"entry {index}")


FORMAT = Kdbx()
