"""The report's fields as plain values, shared by every format.

The field names here are the documented `pwcheck.report/1` schema: add, never rename.
`report_document` is what JSON writes and CSV flattens; the human formats (terminal,
markdown, html) draw from `pwcheck.report._views`, which builds on these. Usernames go
through `mask_username` everywhere, so `--redact` is applied in one place; titles and
URLs through `shown_text` / `shown_url`: never a URL's userinfo (`https://alice:pw@host/`
is shown as `https://host/`, in every format, `--redact` or not), and with `--redact` no
username or e-mail address inside them either.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Iterator
from urllib.parse import quote

from pwcheck.model.breach import Breach, Catalogue
from pwcheck.model.directory import ContactAdvice, Directories, Directory
from pwcheck.model.entry import Entry
from pwcheck.model.findings import AuditReport, DomainSummary
from pwcheck.model.review import Item, Review
from pwcheck.system.display import display_url, without_userinfo

SCHEMA = "pwcheck.report/1"
# The checks this version runs, in order (`checks` in the document lists those of them that ran).
CHECKS_RUN = ("breach", "weak", "unsecured")
ENTRY_FIELDS = (
    "source", "format", "line", "title", "url", "other_urls", "username", "domain", "pwned_count",
    "password_changed", "password_changed_kind", "breaches", "stale", "stale_reason", "reuse_group", "reused",
    "account_breaches", "superseded", "strength", "weak", "insecure_url", "totp_stored", "twofactor_available",
    "passkey_available",
)


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def mask_username(username: str | None, redact: bool) -> str | None:
    """With `redact`: the first character, then `***`, then `@domain` if it is an address."""
    if not redact or not username:
        return username
    _, at, domain = username.rpartition("@")
    return f"{username[0]}***" + (f"@{domain}" if at and domain else "")


# `--redact` inside titles and URLs: whatever stands before an `@` (an address's local
# part, a `user:password@` without a scheme) keeps its first character, as `mask_username`.
_ADDRESS = re.compile(r"([^\s/?#@=&;,<>\"'()\[\]{}])[^\s/?#@=&;,<>\"'()\[\]{}]*@")
_SITE = re.compile(r"(?i)^(?:[a-z][a-z0-9+.\-]*:[/\\]{2})?[^/?#\\@]*")  # scheme and host (no userinfo left)
MIN_MASKED = 3  # a shorter username is not looked for inside a title: it identifies no one, and would mangle words


def redact_text(text: str, username: str | None) -> str:
    """With `--redact`: the entry's username (as a whole word, as typed or URL-encoded) and every address masked."""
    if username and len(username) >= MIN_MASKED:
        masked = mask_username(username, True) or ""
        for form in dict.fromkeys((username, quote(username, safe=""))):
            text = re.sub(rf"(?i)(?<!\w){re.escape(form)}(?!\w)", lambda _: masked, text)
    return _ADDRESS.sub(r"\1***@", text) if "@" in text else text


def shown_text(text: str | None, username: str | None, redact: bool) -> str | None:
    """A title as every format shows it: no URL userinfo; with `redact`, no username or address."""
    if text is None:
        return None
    text = without_userinfo(text)
    return redact_text(text, username) if redact else text


def shown_url(url: str | None, username: str | None, redact: bool) -> str | None:
    """A URL field as every format shows it: no userinfo (scheme or not); with `redact`, no username or
    address after the host (the host is the site the report is about, shown as the contact anyway)."""
    if url is None:
        return None
    url = display_url(url)
    if not redact:
        return url
    site = _SITE.match(url)
    head = site.group() if site else ""
    return head + redact_text(url[len(head):], username)


def breach_row(breach: Breach) -> dict[str, Any]:
    return {
        "name": breach.name,
        "title": breach.title,
        "breach_date": breach.breach_date.isoformat(),
        "data_classes": list(breach.data_classes),
        "kind": breach.kind,
    }


def entry_row(entry: Entry, redact: bool = False) -> dict[str, Any]:
    credential = entry.credential
    username = credential.username
    return {
        "source": credential.source,
        "format": credential.format,
        "line": credential.line,
        "title": shown_text(credential.title, username, redact),
        "url": shown_url(credential.url, username, redact),
        "other_urls": [shown_url(url, username, redact) for url in credential.other_urls],
        "username": mask_username(credential.username, redact),
        "domain": entry.domain,
        "pwned_count": entry.pwned_count,
        "password_changed": iso(credential.password_changed),
        "password_changed_kind": credential.changed_kind,
        "breaches": [breach.name for breach in entry.breaches],
        "stale": entry.stale,
        "stale_reason": entry.stale_reason,
        "reuse_group": entry.reuse_group,
        "reused": entry.reused,
        "account_breaches": list(entry.account_breaches) if entry.account_breaches is not None else None,
        "superseded": entry.superseded,
        "strength": credential.strength,
        "weak": entry.weak,
        "insecure_url": entry.insecure_url,
        "totp_stored": credential.totp_stored,
        "twofactor_available": entry.twofactor_available,
        "passkey_available": entry.passkey_available,
    }


def account_row(entries: list[Entry], indexes: tuple[int, ...], redact: bool = False) -> dict[str, Any]:
    """One account: its entries (indexes into `entries`), which of them hold its current password, one verdict.

    The verdict is the worst of the current passwords: pwned if any is, not checked
    (null) if none is pwned and one was not checked; stale, weak and insecure_url true if
    any is, false only when every current one is known not to be.
    """
    current = [i for i in indexes if entries[i].superseded is None]
    now = [entries[i] for i in current]
    counts = [e.pwned_count for e in now]
    pwned = max((c for c in counts if c), default=0)
    stale = _worst([e.stale for e in now])
    first = entries[indexes[0]]
    return {
        "domain": first.domain,
        "username": mask_username(first.credential.username, redact),
        "entries": list(indexes),
        "current": current,
        "sources": sorted({entries[i].credential.source for i in indexes}),
        "pwned_count": pwned if pwned or None not in counts else None,
        "stale": stale,
        "reuse_groups": sorted({e.reuse_group for e in now if e.reuse_group}),
        "finding": any(e.is_finding for e in now),
        "weak": _worst([e.weak for e in now]),
        "insecure_url": _worst([e.insecure_url for e in now]),
    }


def _worst(verdicts: list[bool | None]) -> bool | None:
    """True if any verdict is, False only when every one is known to be False (and there is one)."""
    return True if any(v is True for v in verdicts) else (False if verdicts and all(v is False for v in verdicts) else None)


def domain_row(summary: DomainSummary, directories: Directories | None = None) -> dict[str, Any]:
    advice = directories.advice(summary.domain) if directories is not None else None
    return {
        "domain": summary.domain,
        "entries": len(summary.entries),
        "pwned_entries": summary.pwned_entries,
        "not_checked_entries": summary.not_checked_entries,
        "stale_entries": summary.stale_entries,
        "weak_entries": summary.weak_entries,
        "unsecured_entries": summary.unsecured_entries,
        "breaches": [breach_row(breach) for breach in summary.breaches],
        **advice_rows(advice),
    }


def advice_rows(advice: ContactAdvice | None) -> dict[str, Any]:
    """A contact's `twofactor` and `passkeys` members: what the directories list for it, or null."""
    twofactor = advice.twofactor if advice is not None else None
    passkeys = advice.passkeys if advice is not None else None
    return {
        "twofactor": None if twofactor is None else {
            "name": twofactor.name, "methods": list(twofactor.methods), "documentation": twofactor.documentation,
        },
        "passkeys": None if passkeys is None else {
            "passwordless": passkeys.passwordless, "mfa": passkeys.mfa, "documentation": passkeys.documentation,
        },
    }


def directory_row(directory: Directory[Any] | None) -> dict[str, Any]:
    """Where one directory came from and how old it is (`available` false: its facts are unknown)."""
    if directory is None:
        return _origin_row(None, "sites", 0, "not requested")
    return _origin_row(directory, "sites", len(directory.sites), directory.note)


def _origin_row(origin: Catalogue | Directory[Any] | None, count_key: str, count: int, note: str) -> dict[str, Any]:
    """A downloaded list's provenance: the catalogue's `breach_data` and each directory's row share it."""
    return {
        "available": origin.available if origin is not None else False,
        "source": (without_userinfo(origin.source) or None) if origin is not None else None,
        count_key: count,
        "fetched_at": iso(origin.fetched_at) if origin is not None else None,
        "validated_at": iso(origin.validated_at) if origin is not None else None,
        "from_cache": origin.from_cache if origin is not None else False,
        "note": without_userinfo(note),
        "malformed": origin.malformed if origin is not None else 0,
    }


def flat_value(value: Any) -> str:
    """One cell of a flat table (CSV): lists joined with `; `, booleans `true`/`false`, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(flat_value(item) for item in value)
    return str(value)


def priority_by_entry(report: AuditReport) -> dict[int, tuple[int, str]]:
    """Entry index -> (rank, tier) of the priority that names it."""
    return {index: (item.rank, item.tier) for item in report.priorities for index in item.entries}


def priority_rows(report: AuditReport, redact: bool = False) -> Iterator[dict[str, Any]]:
    """What to change first; `entries` are indexes into the document's `entries`."""
    for item in report.priorities:
        yield {
            "rank": item.rank,
            "tier": item.tier,
            "domain": item.domain,
            "username": mask_username(item.username, redact),
            "entries": list(item.entries),
            "reason": item.reason,
            "link": item.link,
        }


def breach_data_row(report: AuditReport) -> dict[str, Any]:
    """Where the breach catalogue came from and how old it is (`available` false: stale unknown)."""
    catalogue = report.catalogue
    if catalogue is None:
        return _origin_row(None, "breaches", 0, "breach data not requested")
    return _origin_row(catalogue, "breaches", len(catalogue.breaches), catalogue.note)


def account_checks_row(report: AuditReport) -> dict[str, Any] | None:
    checks = report.account_checks
    if checks is None:
        return None
    return {"accounts": len(checks.results), "checked": checks.checked, "not_checked": checks.not_checked,
            "requests": checks.requests, "problem": checks.problem}


def report_document(report: AuditReport, redact: bool = False, *, lazy: bool = False) -> dict[str, Any]:
    """The whole report as the JSON schema's document.

    `lazy`: the lists that grow with the input (entries, domains, skipped, priorities)
    are iterators making each row as it is asked for, for a writer that streams them
    (`pwcheck.report.json`): every row held at once, then the text `json` builds of a
    whole list, were most of a 100,000-row audit's peak memory.
    """

    def rows(items: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]] | list[dict[str, Any]]:
        return items if lazy else list(items)

    stats = report.stats
    tally = report.account_tally()
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "demo": report.demo,
        "checked_against": without_userinfo(report.checked_against),
        "exit_code": report.exit_code,
        "partial": report.interrupted,
        "entries": rows(entry_row(entry, redact) for entry in report.entries),
        "accounts": rows(account_row(report.entries, ix, redact) for ix in report.account_indexes()),
        "domains": rows(domain_row(summary, report.directories) for summary in report.domains),
        "skipped": rows({"source": s.source, "line": s.line, "reason": s.reason} for s in report.skipped),
        "errors": [{"source": e.source, "line": e.line, "message": e.message} for e in report.errors],
        "problems": [without_userinfo(problem) for problem in report.problems],
        "notes": [without_userinfo(note) for note in report.notes],
        "priorities": rows(priority_rows(report, redact)),
        "breach_data": breach_data_row(report),
        "directories": {
            "twofactor": directory_row(report.directories.twofactor if report.directories else None),
            "passkeys": directory_row(report.directories.passkeys if report.directories else None),
        },
        "account_checks": account_checks_row(report),
        "checks": list(CHECKS_RUN if report.checks is None else [c for c in CHECKS_RUN if c in report.checks]),
        "fail_on": sorted(report.fail_on),
        "stats": {
            "credentials": stats.credentials,
            "accounts": tally.accounts,
            "unique_passwords": stats.unique_passwords,
            "range_requests": stats.range_requests,
            "attempts": stats.attempts,
            "pwned_entries": report.pwned_entries,
            "not_checked_entries": report.not_checked_entries,
            "skipped": len(report.skipped),
            "not_read": len(report.errors),
            "stale_entries": report.stale_entries,
            "finding_entries": report.finding_entries,
            "pwned_accounts": tally.pwned,
            "stale_accounts": tally.stale,
            "finding_accounts": tally.findings,
            "weak_entries": report.weak_entries,
            "unsecured_entries": report.unsecured_entries,
            "weak_accounts": tally.weak,
            "unsecured_accounts": tally.unsecured,
            "reuse_groups": len({e.reuse_group for e in report.entries if e.reuse_group}),
            "elapsed_s": stats.elapsed_s,
            "cache_hits": stats.cache_hits,
            "revalidated": stats.revalidated,
            "twofactor_available_entries": sum(1 for e in report.entries if e.twofactor_available),
            "twofactor_unused_entries": sum(1 for e in report.entries if e.twofactor_unused),
            "passkey_available_entries": sum(1 for e in report.entries if e.passkey_available),
        },
    }
    if report.review is not None:  # only with ignore rules or --new (pwcheck.personal.review)
        document["review"] = review_document(report.review, redact)
    return document


def review_document(review: Review, redact: bool = False) -> dict[str, Any]:
    """The review's part of the JSON report (`review` key; added only when a review ran)."""
    def row(item: Item) -> dict[str, Any]:
        data = {**entry_row(item.entry, redact), "finding_id": item.finding_id}
        if item.rule is not None:
            data["ignored_by"] = {
                "rule": item.rule.id, "match": item.rule.describe(), "reason": item.rule.reason,
                "until": item.rule.until.isoformat() if item.rule.until else None,
            }
        return data

    document: dict[str, Any] = {
        "new_only": review.new_only,
        "findings": len(review.active),
        "ignored": [row(item) for item in review.ignored],
        "notes": list(review.notes),
    }
    if review.new_only:
        document.update(
            new=[row(item) for item in review.new],
            still_present=[row(item) for item in review.still_present],
            resolved=review.resolved,
            carried_over=review.carried_over,
        )
    return document
