"""The one record every source yields, and the hashing that happens at read time.

A `Credential` never holds a password: readers hash it the moment they see it
(`password_sha1`) and carry only the 20-byte digest, which is itself kept out of
`repr` and `str` so that a traceback or a debug log cannot leak it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Union

from pwcheck.model.errors import PwcheckError

ChangeKind = Literal["password", "edit"]


class UnhashablePassword(PwcheckError, ValueError):
    """The password cannot be encoded as UTF-8 (e.g. a lone surrogate in JSON)."""


def password_sha1(password: str | bytes) -> bytes:
    """SHA-1 of the exact UTF-8 bytes: no trimming, no Unicode normalisation.

    Have I Been Pwned hashes UTF-8 bytes; any normalisation here would look up a
    different password than the one the user stores.
    """
    if isinstance(password, str):
        try:
            password = password.encode("utf-8")
        except UnicodeEncodeError:
            # The message must not carry the password, so the original error is dropped.
            raise UnhashablePassword("password is not valid Unicode text") from None
    return hashlib.sha1(password).digest()


@dataclass(frozen=True, slots=True)
class Credential:
    """One stored login, as read from an export or a keychain, with its password hashed.

    `url` is the first (or only) address exactly as the source wrote it; `other_urls`
    keeps the rest so grouping can use them. `password_changed` is aware UTC when known;
    `changed_kind` tells whether the source recorded a password change or merely any edit.
    `strength` is zxcvbn's score (0-4) of the password, taken with the digest when it was
    read (`pwcheck.sources.strength`); None when it was not scored (`--checks` without
    `weak`, or the scorer refused the text). The score is all that is kept of the text.
    `totp_stored` says whether the item holds a one-time-password secret (the secret itself
    is never kept: it is a secret like the password); None when the format cannot carry one.
    """

    source: str
    format: str
    line: int | None
    title: str | None
    url: str | None
    username: str | None
    sha1: bytes
    other_urls: tuple[str, ...] = ()
    password_changed: datetime | None = None
    changed_kind: ChangeKind | None = None
    strength: int | None = None
    totp_stored: bool | None = None

    def __repr__(self) -> str:
        return (
            f"Credential(source={self.source!r}, format={self.format!r}, line={self.line!r}, "
            f"url={self.url!r}, username={self.username!r}, sha1=<redacted>)"
        )

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item a source holds but that is deliberately not checked, with the reason."""

    source: str
    line: int | None
    reason: str


SourceItem = Union[Credential, Skipped]
