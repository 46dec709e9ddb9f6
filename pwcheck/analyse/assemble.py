"""Join credentials with their counts and contacts, then add what public data says of each.

`assemble` builds the report's entries (one per credential) from what was collected and
what the checker answered; `analyse` adds each entry's contact breaches, stale verdict,
reuse group and account breaches. Ranking (`priorities.prioritise`) comes after the
personal review, in `pwcheck.audit`, because ignored findings leave the list.
"""

from __future__ import annotations

from dataclasses import replace

from pwcheck.analyse.accounts import group_accounts, settle_stale, superseded
from pwcheck.analyse.directories import match_directories
from pwcheck.analyse.domains import contact_domain, forget_hosts, may_meet
from pwcheck.analyse.reuse import reuse_groups
from pwcheck.analyse.stale import stale_verdict
from pwcheck.analyse.unsecured import any_unsecured
from pwcheck.check.interface import LookupResult
from pwcheck.model.breach import AccountChecks, Breach, Catalogue
from pwcheck.model.credential import Credential
from pwcheck.model.directory import Directories
from pwcheck.model.entry import DEFAULT_WEAK_BELOW, Entry
from pwcheck.model.findings import AuditReport, Stats
from pwcheck.model.source import Collected


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
        sources_read=list(collected.complete),
    )


def analyse(
    report: AuditReport, catalogue: Catalogue | None, accounts: AccountChecks | None = None,
    directories: Directories | None = None, *, weak_below: int | None = DEFAULT_WEAK_BELOW, unsecured: bool = True,
) -> AuditReport:
    """Add each entry's contact breaches, stale verdict, reuse group, account breaches, weak and unsecured,
    and what the 2FA and Passkeys directories say of its contact (`directories`; None: not fetched).

    `weak_below`: a scored password below it is weak (None: the weak check is off, every
    `weak` None); `unsecured`: whether to flag logins at plain-http public sites (False:
    every `insecure_url` None).

    Copies of one account (`pwcheck.analyse.accounts`) are settled first: which password
    is current, so that a replaced one is in no reuse group, and then one stale verdict
    per password of the account. Without a catalogue (None, or one that is not available) every stale verdict is
    unknown: the absence of breach data is never reported as "not stale".
    """
    catalogue = catalogue or Catalogue.unavailable("breach data not requested")
    by_contact = breaches_by_contact(catalogue.breaches, {e.domain for e in report.entries if e.domain}) if catalogue.available else {}
    # Each entry is replaced in place in a copy of the list (the caller's list is left as
    # it was), so each old entry is freed as its successor is made: building whole new
    # lists held two, then three, entries per credential at the peak of a large audit.
    entries = report.entries = list(report.entries)
    copies = report.accounts = group_accounts(entries)  # needs only credentials and domains, known already
    older = superseded(entries, copies)
    groups = reuse_groups(entries, exclude=older)
    directories = directories or Directories.not_fetched("not requested")
    listed = match_directories(entries, directories)
    # One verdict per contact and change time: most exports carry no change time, so most of a
    # contact's entries share one (each verdict walks the contact's breaches).
    verdicts: dict[tuple[str | None, object, object], tuple[bool | None, str | None]] = {}
    for index, (entry, (group, reused), (twofactor, passkey)) in enumerate(zip(entries, groups, listed)):
        breaches = by_contact.get(entry.domain, ()) if entry.domain else ()
        credential = entry.credential
        key = (entry.domain, credential.password_changed, credential.changed_kind)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = stale_verdict(
                breaches, credential.password_changed, credential.changed_kind, catalogue.available
            )
        stale, reason = verdict
        found = accounts.for_username(credential.username) if accounts is not None else None
        score = credential.strength
        entries[index] = replace(
            entry, breaches=breaches, stale=stale, stale_reason=reason, account_breaches=found,
            reuse_group=group, reused=reused, superseded=older.get(index),
            weak=score < weak_below if score is not None and weak_below is not None else None,
            insecure_url=any_unsecured((credential.url, *credential.other_urls)) if unsecured else None,
            twofactor_available=twofactor, passkey_available=passkey,
        )
    del groups, listed
    settle_stale(entries, copies)
    report.catalogue = catalogue
    report.directories = directories
    report.problems.extend(p for p in (catalogue.problem, accounts.problem if accounts else None) if p)
    report.account_checks = accounts
    return report


def breaches_by_contact(breaches: list[Breach], contacts: set[str] | None = None) -> dict[str, tuple[Breach, ...]]:
    """Breaches grouped by the contact of their `Domain`, oldest first (empty domains left out).

    A breach meets a credential through the very rules that reduce credential URLs
    (`contact_domain`), so `www.adobe.com` in the catalogue and
    `https://accounts.adobe.com/` in an export meet at `adobe.com`. With `contacts`, only
    those contacts are indexed, and a domain no suffix of which is one of them is not reduced
    (the contact of a domain is one of its suffixes: `may_meet`); each domain is reduced once.
    """
    index: dict[str, list[Breach]] = {}
    reduced: dict[str, str | None] = {}
    for breach in breaches:
        domain = breach.domain
        if domain in reduced:
            contact = reduced[domain]
        elif contacts is not None and not may_meet(domain, contacts):
            continue
        else:
            contact = reduced[domain] = contact_domain(domain) if domain.strip() else None
        if contacts is not None and contact not in contacts:
            continue
        if contact:
            index.setdefault(contact, []).append(breach)
    return {contact: tuple(sorted(items, key=lambda b: (b.breach_date, b.name))) for contact, items in index.items()}
