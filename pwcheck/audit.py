"""The audit pipeline: read every source, check each unique hash once, build the report.

Each stage is a function so the CLI only wires them: `collect` (sources -> credentials),
`check` (hashes -> counts, through any `HashChecker`), `assemble` (-> `AuditReport`).
A file that fails to read is recorded and the others are still audited. Sources that are
not files (a keychain, a password store) come in as `ItemSource`s and are read the same way.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from pwcheck.analyse.domains import contact_domain, forget_hosts
from pwcheck.analyse.findings import AuditReport, Entry, Stats
from pwcheck.check._interface import HashChecker, LookupResult, Progress
from pwcheck.credential import Credential, Skipped
from pwcheck.errors import InputError
from pwcheck.logs import get_logger, log_kv
from pwcheck.sources import read_export
from pwcheck.sources.item_source import ItemSource, Note, SourceEvent

if TYPE_CHECKING:
    from pwcheck.analyse.accounts import AccountChecks
    from pwcheck.analyse.catalogue import Catalogue

log = get_logger(__name__)
# A real vault holds thousands of logins; a file with more items than this is hostile or
# not an export, and reading on would only grow memory.
MAX_ITEMS_PER_FILE = 1_000_000


@dataclass
class Collected:
    """What the sources gave: credentials (hashed), skipped items, unreadable inputs."""

    credentials: list[Credential] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    read_ok: list[Path] = field(default_factory=list)

    def unique_hashes(self) -> list[bytes]:
        return list(dict.fromkeys(credential.sha1 for credential in self.credentials))


def collect(
    paths: Iterable[Path] = (),
    forced_format: str | None = None,
    display: dict[Path, str] | None = None,
    sources: Iterable[ItemSource] = (),
    unlock: Callable[[str], Any] | None = None,
) -> Collected:
    """Read every file, then every other source; an unreadable one becomes an error line and the rest go on.

    Items read before a bad line are still audited, but only a file read to the end
    counts as `read_ok` (the only files `--delete-exports` may delete). `unlock` gives the
    key of a locked input (a .kdbx) and is asked only for those.
    """
    collected = Collected()
    for path in paths:
        name = (display or {}).get(path, str(path))
        if _drain(collected, name, lambda path=path, name=name: read_export(path, name, forced_format, unlock)):
            collected.read_ok.append(path)
    for source in sources:
        _drain(collected, source.name, source.read)
    return collected


def _drain(collected: Collected, name: str, read: Callable[[], Iterable[SourceEvent]]) -> bool:
    """Sort one source's events into `collected`; a failure ends only this source.

    Returns True when the source was read to the end without any error.
    """
    credentials: list[Credential] = []
    skipped: list[Skipped] = []
    errors: list[InputError] = []
    try:
        for item in read():
            if isinstance(item, Credential):
                credentials.append(item)
            elif isinstance(item, Skipped):
                skipped.append(item)
            elif isinstance(item, Note):
                collected.notes.append(item)
            else:
                errors.append(item)  # the source reports it and reads on
            if len(credentials) + len(skipped) > MAX_ITEMS_PER_FILE:
                credentials, skipped = [], []
                errors.append(InputError(name, f"more than {MAX_ITEMS_PER_FILE:,} items: not a password export"))
                break
    except InputError as exc:
        errors.append(_detached(exc))
    except (MemoryError, RecursionError):
        credentials, skipped = [], []
        errors.append(InputError(name, "too large or too deeply nested to read"))
    except Exception as exc:  # noqa: BLE001 - a reader bug must not end the audit or leak a field
        # Only the type is kept: an exception's message could quote a field of the file.
        errors.append(InputError(name, f"could not be read ({type(exc).__name__})"))
    collected.credentials.extend(credentials)
    collected.skipped.extend(skipped)
    collected.errors.extend(errors)
    log_kv(log, "source-read" if not errors else "source-unreadable", source=name,
           credentials=len(credentials), skipped=len(skipped), errors=len(errors))
    return not errors


def _detached(exc: InputError) -> InputError:
    """The error without its traceback and context, which it would otherwise keep for the whole run.

    A traceback holds the reader's frames (the row being read) and a `from None` still
    keeps `__context__` (a UnicodeDecodeError holds the raw bytes): either is a password
    reachable from the report. The message already says all there is to say.
    """
    exc.__traceback__ = None
    exc.__context__ = None
    exc.__cause__ = None
    return exc


def check(hashes: list[bytes], checker: HashChecker, progress: Progress | None = None) -> LookupResult:
    """Run the checker to completion; on Ctrl-C, keep what was checked and mark the rest."""
    result = LookupResult({digest: None for digest in hashes})
    log_kv(log, "check-start", unique_hashes=len(hashes), checker=type(checker).__name__)
    try:
        asyncio.run(checker.lookup(hashes, progress, into=result))  # type: ignore[call-arg]
    except KeyboardInterrupt:
        result.interrupted = True
        result.problems.append("interrupted: the report is partial")
    log_kv(
        log, "check-done", ranges=result.range_requests, attempts=result.attempts,
        failed_ranges=result.failed_ranges, not_checked=result.not_checked, interrupted=result.interrupted,
    )
    return result


def contact_domains(credentials: list[Credential]) -> list[str | None]:
    """Each credential's contact domain, in order (loads the Public Suffix List on first use).

    Equal domains come back as one string and the URL caches are emptied after the pass:
    a string per host and the caches were kept for the whole run otherwise.
    """
    one: dict[str, str] = {}
    domains = [one.setdefault(domain, domain) if domain else domain
               for domain in (contact_domain(credential.url) for credential in credentials)]
    forget_hosts()
    return domains


def assemble(
    collected: Collected, lookup: LookupResult, elapsed_s: float, *, demo: bool = False, against: str = "",
    domains: list[str | None] | None = None,
) -> AuditReport:
    """Join credentials with their counts and contacts (`domains`, when `contact_domains` already ran)."""
    if domains is None:
        domains = contact_domains(collected.credentials)
    entries = [
        Entry(credential, domain, lookup.counts.get(credential.sha1))
        for credential, domain in zip(collected.credentials, domains)
    ]
    stats = Stats(
        credentials=len(collected.credentials),
        unique_passwords=len(lookup.counts),
        range_requests=lookup.range_requests,
        attempts=lookup.attempts,
        elapsed_s=round(elapsed_s, 3),
    )
    return AuditReport(
        entries=entries,
        skipped=collected.skipped,
        errors=collected.errors,
        stats=stats,
        notes=[f"{note.source}: {note.message}" for note in collected.notes],
        problems=list(lookup.problems),
        interrupted=lookup.interrupted,
        demo=demo,
        checked_against=against,
    )


def run_audit(
    collected: Collected,
    checker: HashChecker,
    progress: Progress | None = None,
    *,
    demo: bool = False,
    against: str = "",
    catalogue: "Catalogue | None" = None,
    accounts: "AccountChecks | None" = None,
) -> AuditReport:
    """The whole pipeline after collection, timed; then breaches, stale, reuse, priorities.

    Contacts need no lookup result, so they are worked out in a second thread while the
    range requests are in flight: loading the Public Suffix List and parsing every URL
    take CPU time that would otherwise follow the network wait instead of filling it.
    """
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pwcheck-contacts") as pool:
        domains = pool.submit(contact_domains, collected.credentials)
        lookup = check(collected.unique_hashes(), checker, progress)
        report = assemble(
            collected, lookup, time.perf_counter() - started, demo=demo, against=against, domains=domains.result()
        )
    return analyse(report, catalogue, accounts)


def analyse(report: AuditReport, catalogue: "Catalogue | None", accounts: "AccountChecks | None" = None) -> AuditReport:
    """Add each entry's contact breaches, stale verdict, reuse group and account breaches, then rank.

    Without a catalogue (None, or one that is not available) every stale verdict is
    unknown: the absence of breach data is never reported as "not stale".
    """
    from pwcheck.analyse.catalogue import Catalogue
    from pwcheck.analyse.priorities import prioritise
    from pwcheck.analyse.reuse import reuse_groups
    from pwcheck.analyse.stale import stale_verdict

    catalogue = catalogue or Catalogue.unavailable("breach data not requested")
    # Each entry is replaced in place in a copy of the list (the caller's list is left as
    # it was), so each old entry is freed as its successor is made: building whole new
    # lists held two, then three, entries per credential at the peak of a large audit.
    entries = report.entries = list(report.entries)
    groups = reuse_groups(entries)  # needs only credentials and domains, known already
    for index, (entry, (group, reused)) in enumerate(zip(entries, groups)):
        breaches = catalogue.for_domain(entry.domain)
        credential = entry.credential
        stale, reason = stale_verdict(breaches, credential.password_changed, credential.changed_kind, catalogue.available)
        found = accounts.for_username(credential.username) if accounts is not None else None
        entries[index] = replace(
            entry, breaches=breaches, stale=stale, stale_reason=reason, account_breaches=found,
            reuse_group=group, reused=reused,
        )
    del groups
    report.catalogue = catalogue
    report.problems.extend(p for p in (catalogue.problem, accounts.problem if accounts else None) if p)
    report.account_checks = accounts
    report.priorities = prioritise(entries)
    return report


def prefix_count(hashes: Iterable[bytes]) -> int:
    """How many range requests a set of digests needs (for the progress bar's total)."""
    return len({digest.hex()[:5] for digest in hashes})
