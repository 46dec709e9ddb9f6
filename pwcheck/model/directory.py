"""The two public directories as every stage sees them: which sites offer two-factor
authentication (the 2FA Directory) and which accept passkeys (the Passkeys Directory).

Parsing (every field treated as hostile) is `pwcheck.lists`; matching a site to a contact
is `pwcheck.analyse.directories`. These classes only hold the result. They are advice, not
findings: nothing here changes an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

DirectoryKind = Literal["twofactor", "passkeys"]
DIRECTORY_TITLES: dict[DirectoryKind, str] = {"twofactor": "2FA Directory", "passkeys": "Passkeys Directory"}


@dataclass(frozen=True)
class TwoFactorSite:
    """One 2FA Directory entry: its name (HTML unescaped), its domains (main first), its methods, its how-to link."""

    name: str
    domains: tuple[str, ...]
    methods: tuple[str, ...]
    documentation: str | None = None

    @property
    def totp(self) -> bool:
        return "totp" in self.methods


@dataclass(frozen=True)
class PasskeySite:
    """One Passkeys Directory entry: `passwordless` and `mfa` are "allowed", "required" or None."""

    domain: str
    passwordless: str | None = None
    mfa: str | None = None
    documentation: str | None = None

    @property
    def replaces_password(self) -> bool:
        """A passkey alone signs in: the password can go."""
        return self.passwordless is not None


S = TypeVar("S", TwoFactorSite, PasskeySite)


@dataclass
class Directory(Generic[S]):
    """One directory for this run, like the breach `Catalogue`: its sites, where they came from, how old.

    `available` False: not fetched (`--no-directories`, the demo, nothing read) or nothing
    could be had; every entry's fact from it is then unknown (None), never "no".
    """

    kind: DirectoryKind
    sites: list[S] = field(default_factory=list)
    available: bool = False
    source: str = ""
    fetched_at: datetime | None = None
    validated_at: datetime | None = None
    from_cache: bool = False
    note: str = ""
    malformed: int = 0

    @property
    def title(self) -> str:
        return DIRECTORY_TITLES[self.kind]


@dataclass(frozen=True)
class ContactAdvice:
    """What the directories say of one contact (None: not listed there, or not consulted)."""

    twofactor: TwoFactorSite | None = None
    passkeys: PasskeySite | None = None


@dataclass
class Directories:
    """Both directories of a run, and (after `analyse`) what they say of each contact."""

    twofactor: Directory[TwoFactorSite]
    passkeys: Directory[PasskeySite]
    by_contact: dict[str, ContactAdvice] = field(default_factory=dict)

    @classmethod
    def not_fetched(cls, why: str) -> "Directories":
        return cls(Directory("twofactor", note=why), Directory("passkeys", note=why))

    def advice(self, contact: str | None) -> ContactAdvice | None:
        return self.by_contact.get(contact) if contact else None
