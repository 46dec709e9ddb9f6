"""One credential with everything the audit learnt about it: the unit every report row is made of.

A count of None means "not checked" and is kept distinct from 0 everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from pwcheck.model.breach import Breach
from pwcheck.model.credential import Credential
from pwcheck.model.strength import DEFAULT_WEAK_BELOW

__all__ = ["DEFAULT_WEAK_BELOW", "Entry"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One credential with its contact and its breach count (None = not checked).

    Slotted: an audit holds one per credential (100,000 in the memory benchmark).

    `breaches` are its contact's catalogued breaches; `stale` is True when one of them
    happened after the password's last known change, None when that cannot be told (no
    change time, or no catalogue); `reuse_group` is an opaque id (`R1`...) shared by
    entries with the same password on different accounts, `reused` how many others.
    `account_breaches` are breach names an account check found for the username (None:
    not checked). `superseded` says why this copy's password is not its account's
    current one (a newer password of the same account is in another source: see
    `pwcheck.analyse.accounts`); such a copy is kept in the report but is not a finding.
    `weak` is True when the password's strength score is below the run's threshold
    (`check.weak_below`), None when it was not scored; `insecure_url` is True when a URL
    of the login is plain http to a public host, None when that check did not run. Neither
    is a finding unless `--fail-on` asks (`AuditReport.exit_code`).
    `twofactor_available` / `passkey_available` say whether the 2FA / Passkeys Directory
    lists its contact (None: the directory was not had, or there is no contact): advice,
    never a finding.
    """

    credential: Credential
    domain: str | None
    pwned_count: int | None
    breaches: tuple[Breach, ...] = ()
    stale: bool | None = None
    stale_reason: str | None = None
    reuse_group: str | None = None
    reused: int = 0
    account_breaches: tuple[str, ...] | None = None
    superseded: str | None = None
    weak: bool | None = None
    insecure_url: bool | None = None
    twofactor_available: bool | None = None
    passkey_available: bool | None = None

    @property
    def twofactor_unused(self) -> bool:
        """Its contact offers TOTP and the export, which can carry a TOTP secret, holds none for it."""
        return self.twofactor_available is True and self.credential.totp_stored is False

    @property
    def account(self) -> tuple[str, str, str]:
        """Which account this is: (contact, casefolded username, title when there is no contact).

        Sortable (no None), so orders built on it never depend on the order of the inputs;
        see `pwcheck.analyse.accounts` for why copies of one account are judged together.
        """
        credential = self.credential
        username = credential.username.casefold() if credential.username else ""
        return (self.domain or "", username, (credential.title or "") if self.domain is None else "")

    @property
    def pwned(self) -> bool:
        return bool(self.pwned_count)

    @property
    def checked(self) -> bool:
        return self.pwned_count is not None

    @property
    def is_finding(self) -> bool:
        """The one test for "something to act on": pwned, or stale after a breach of its contact.

        Exit code 1, the priorities and every later filter (new findings only, ignore
        rules) use this; an unknown stale verdict (None) is not a finding, nor is an
        old password its account has since replaced (`superseded`).
        """
        return (self.pwned or self.stale is True) and self.superseded is None
