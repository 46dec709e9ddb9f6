"""The report's fields as plain values, shared by every machine-readable format.

The field names here are the documented `pwcheck.report/1` schema: add, never rename.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pwcheck.analyse.findings import AuditReport, DomainSummary, Entry

SCHEMA = "pwcheck.report/1"


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def entry_row(entry: Entry) -> dict[str, Any]:
    credential = entry.credential
    return {
        "source": credential.source,
        "format": credential.format,
        "line": credential.line,
        "title": credential.title,
        "url": credential.url,
        "other_urls": list(credential.other_urls),
        "username": credential.username,
        "domain": entry.domain,
        "pwned_count": entry.pwned_count,
        "password_changed": iso(credential.password_changed),
        "password_changed_kind": credential.changed_kind,
    }


def domain_row(summary: DomainSummary) -> dict[str, Any]:
    return {
        "domain": summary.domain,
        "entries": len(summary.entries),
        "pwned_entries": summary.pwned_entries,
        "not_checked_entries": summary.not_checked_entries,
    }


def report_document(report: AuditReport) -> dict[str, Any]:
    """The whole report as the JSON schema's document."""
    stats = report.stats
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "demo": report.demo,
        "checked_against": report.checked_against,
        "exit_code": report.exit_code,
        "partial": report.interrupted,
        "entries": [entry_row(entry) for entry in report.entries],
        "domains": [domain_row(summary) for summary in report.domains],
        "skipped": [{"source": s.source, "line": s.line, "reason": s.reason} for s in report.skipped],
        "errors": [{"source": e.source, "line": e.line, "message": e.message} for e in report.errors],
        "problems": list(report.problems),
        "notes": list(report.notes),
        "stats": {
            "credentials": stats.credentials,
            "unique_passwords": stats.unique_passwords,
            "range_requests": stats.range_requests,
            "attempts": stats.attempts,
            "pwned_entries": report.pwned_entries,
            "not_checked_entries": report.not_checked_entries,
            "elapsed_s": stats.elapsed_s,
            "cache_hits": stats.cache_hits,
            "revalidated": stats.revalidated,
        },
    }
    if report.review is not None:  # only with ignore rules or --new (pwcheck.review)
        from pwcheck.review import review_document

        document["review"] = review_document(report.review)
    return document
