"""The result of an audit: one entry per credential, grouped by contact, with the exit code.

Every renderer reads this model; nothing here knows about terminals or JSON. A count of
None means "not checked" and is kept distinct from 0 everywhere, including the exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from pwcheck.model.breach import AccountChecks, Breach, Catalogue
from pwcheck.model.credential import Skipped
from pwcheck.model.directory import Directories
from pwcheck.model.entry import Entry
from pwcheck.model.errors import InputError
from pwcheck.model.exit_codes import EXIT_CLEAN, EXIT_FOUND, EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.model.priority import Priority
from pwcheck.model.review import Review


class _Counts:
    """Counts over `self.entries`, shared by a contact and the whole report."""

    entries: "Iterable[Entry]"

    @property
    def pwned_entries(self) -> int:
        return sum(1 for entry in self.entries if entry.pwned)

    @property
    def not_checked_entries(self) -> int:
        return sum(1 for entry in self.entries if not entry.checked)

    @property
    def stale_entries(self) -> int:
        return sum(1 for entry in self.entries if entry.stale is True)

    @property
    def finding_entries(self) -> int:
        return sum(1 for entry in self.entries if entry.is_finding)

    @property
    def weak_entries(self) -> int:
        return sum(1 for entry in self.entries if entry.weak is True)

    @property
    def unsecured_entries(self) -> int:
        return sum(1 for entry in self.entries if entry.insecure_url is True)


@dataclass(frozen=True)
class DomainSummary(_Counts):
    """One contact: how many of its credentials are pwned or unchecked."""

    domain: str | None
    entries: tuple[Entry, ...]

    @property
    def worst_count(self) -> int:
        return max((entry.pwned_count or 0 for entry in self.entries), default=0)

    @property
    def breaches(self) -> tuple["Breach", ...]:
        """The contact's catalogued breaches (every entry of a contact carries the same)."""
        return self.entries[0].breaches if self.entries else ()


@dataclass
class Stats:
    credentials: int = 0
    unique_passwords: int = 0
    range_requests: int = 0
    attempts: int = 0
    elapsed_s: float = 0.0
    cache_hits: int = 0  # ranges answered by the range cache with no request (--cache)
    revalidated: int = 0  # ranges the server confirmed unchanged (304) after the cache's TTL


@dataclass
class AccountTally:
    """Counts of accounts (a contact and a username, however many exports hold it)."""

    accounts: int = 0
    pwned: int = 0
    stale: int = 0
    findings: int = 0
    reused: int = 0
    weak: int = 0
    unsecured: int = 0


@dataclass
class AuditReport(_Counts):
    """Everything a renderer shows and everything the exit code depends on."""

    entries: list[Entry]
    skipped: list[Skipped]
    errors: list[InputError]
    stats: Stats
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False
    demo: bool = False
    checked_against: str = ""
    notes: list[str] = field(default_factory=list)  # what a source wants the person to know
    catalogue: "Catalogue | None" = None
    priorities: list["Priority"] = field(default_factory=list)
    account_checks: "AccountChecks | None" = None
    sources_read: list[str] = field(default_factory=list)  # every source read to the end (what --new may resolve)
    # Accounts held by several entries (sorted entry indexes; `pwcheck.analyse.accounts`):
    # every entry not listed here is an account of its own.
    accounts: list[tuple[int, ...]] = field(default_factory=list)
    review: Review | None = None  # ignore rules / --new (pwcheck.personal.review); None = plain audit
    # Which checks ran (`--checks`; the names are `pwcheck.cli.options.CHECKS`); None = every one.
    checks: frozenset[str] | None = None
    # What else makes exit code 1 (`--fail-on`): "weak", "unsecured"; pwned and stale always do.
    fail_on: frozenset[str] = frozenset()

    def ran(self, check: str) -> bool:
        """Whether the check named `check` ran in this audit (`--checks`)."""
        return self.checks is None or check in self.checks
    directories: Directories | None = None  # the 2FA and Passkeys directories (advice only, never in the exit code)

    @property
    def domains(self) -> list[DomainSummary]:
        """Contacts worst first: pwned, then unchecked, then by the highest count seen."""
        return group_by_domain(self.entries)

    def account_indexes(self) -> Iterator[tuple[int, ...]]:
        """Every account as the indexes of its entries, in the order of its first entry."""
        first = {group[0]: group for group in self.accounts}
        grouped = {index for group in self.accounts for index in group}
        for index in range(len(self.entries)):
            if index in first:
                yield first[index]
            elif index not in grouped:
                yield (index,)

    def account_tally(self) -> AccountTally:
        """How many accounts there are, and how many are pwned, stale, a finding, reused, weak or at an
        unsecured site (by their current passwords)."""
        tally = AccountTally()
        entries = self.entries
        for indexes in self.account_indexes():
            current = [entries[i] for i in indexes if entries[i].superseded is None]
            tally.accounts += 1
            tally.pwned += any(e.pwned for e in current)
            tally.stale += any(e.stale is True for e in current)
            tally.findings += any(e.is_finding for e in current)
            tally.reused += any(e.reuse_group for e in current)
            tally.weak += any(e.weak is True for e in current)
            tally.unsecured += any(e.insecure_url is True for e in current)
        return tally

    @property
    def exit_code(self) -> int:
        """2 input error, else 3 something not checked, else 1 a finding (pwned or stale), else 0.

        A weak password or an unsecured site makes it 1 only when `fail_on` names it, for
        every current account that has one (ignore rules and `--new` are about findings).
        Without the breach check (`--checks`) no password was looked up: nothing is "not
        checked" against what was asked, and 0 means every credential was read and every
        check asked for was done.
        """
        if self.errors:
            return EXIT_INPUT_ERROR
        if (self.not_checked_entries and self.ran("breach")) or self.interrupted:
            return EXIT_NOT_CHECKED
        if self.review.has_findings if self.review is not None else self.finding_entries:
            return EXIT_FOUND
        if self.fail_on & {"weak", "unsecured"}:
            tally = self.account_tally()
            if ("weak" in self.fail_on and tally.weak) or ("unsecured" in self.fail_on and tally.unsecured):
                return EXIT_FOUND
        return EXIT_CLEAN


def group_by_domain(entries: Iterable[Entry]) -> list[DomainSummary]:
    """One summary per contact domain (None last among equals), worst first.

    Worst: most findings (pwned or stale), then most pwned, then unchecked, then the
    highest count, then the most catalogued breaches.
    """
    groups: dict[str | None, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.domain, []).append(entry)
    summaries = [DomainSummary(domain, tuple(items)) for domain, items in groups.items()]
    summaries.sort(
        key=lambda s: (
            -s.finding_entries, -s.pwned_entries, -s.not_checked_entries, -s.worst_count, -len(s.breaches),
            s.domain is None, s.domain or "",
        )
    )
    return summaries
