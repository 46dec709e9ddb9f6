"""What a person reads, as plain text with a style hint: shared by terminal, markdown and html.

Each human format walks the same sections (banner, summary, breach-data line, priorities,
contact table, notes) built here, and only adds its own syntax and escaping. A `Cell`'s
`style` ("bad", "warn", "good", "muted" or None) is a hint each format maps to colour or
emphasis; the text alone must read right (print, no colour, screen readers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pwcheck.analyse.domains import ANDROID_SCHEMES, host_of
from pwcheck.model.entry import Entry
from pwcheck.model.findings import AuditReport, DomainSummary
from pwcheck.model.priority import TIER_LABELS
from pwcheck.model.review import Item, Review
from pwcheck.report._rows import mask_username

Style = Literal["bad", "warn", "good", "muted"] | None
TABLE_HEADERS = ("Contact", "Account", "Site", "Pwned", "Stale", "Reuse")
DEMO_BANNER = (
    "DEMO: a bundled sample export checked against a bundled sample corpus and breach catalogue "
    "served on 127.0.0.1; nothing left this machine and the counts and breaches are not real HIBP data."
)
NO_SITE = "(no site)"
PRIORITY_ADVICE = "Change each to a new password used nowhere else, top first."
# Characters of one field (a username, site, contact or breach name) a person is shown: more
# than any real one (an e-mail address is at most 254). A 20 MiB username took minutes and a
# gigabyte to lay out in the terminal. Display only: JSON and CSV keep every field exactly,
# and nothing here is ever hashed.
MAX_SHOWN = 256


def clipped(text: str) -> str:
    """`text`, or its first MAX_SHOWN characters and a marker saying how many more there are."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[:MAX_SHOWN]}… (+{len(text) - MAX_SHOWN:,} characters)"


@dataclass(frozen=True)
class Cell:
    """Text with a style hint; `markup` is the same text as rich markup when a section has its own."""

    text: str
    style: Style = None
    markup: str | None = None


@dataclass(frozen=True)
class EntryView:
    account: str
    site: str
    seen: Cell
    stale: Cell
    stale_reason: str
    reuse: Cell
    account_breaches: str


@dataclass(frozen=True)
class ContactView:
    name: str
    breaches: tuple[Cell, ...]
    entries: tuple[EntryView, ...]
    pwned: int
    stale: int
    reused: int


@dataclass(frozen=True)
class PriorityView:
    rank: int
    tier: str
    contact: str
    account: str
    site: str
    reason: str
    style: Style


def site_label(entry: Entry) -> str:
    """The host people recognise (or the Android package), not the whole URL."""
    credential = entry.credential
    if credential.url:
        if credential.url.lower().startswith(ANDROID_SCHEMES):
            return clipped(f"app {host_of(credential.url) or credential.url}")
        return clipped(host_of(credential.url) or credential.url)
    return clipped(credential.title or "-")


def summary(report: AuditReport) -> list[Cell]:
    """The one-line verdict, in parts: what was not read or not checked comes first.

    "none pwned" is said plainly only when every credential was read and checked; otherwise
    it is "none pwned among the N checked", after the count of what was not.
    """
    stats = report.stats
    domains = report.domains
    missing = gaps(report)
    parts = [*missing]
    parts.append(Cell(f"{stats.credentials} credential(s), {stats.unique_passwords} unique password(s)"))
    if report.skipped:
        parts.append(Cell(f"{len(report.skipped)} skipped by design", "muted"))
    if report.pwned_entries:
        contacts = sum(1 for s in domains if s.pwned_entries)
        parts.append(Cell(f"{report.pwned_entries} pwned across {contacts} contact(s)", "bad"))
    elif not missing:
        parts.append(Cell("none pwned", "good"))
    elif stats.credentials > report.not_checked_entries:
        parts.append(Cell(f"none pwned among the {stats.credentials - report.not_checked_entries} checked"))
    catalogue = report.catalogue
    if catalogue is not None and catalogue.available:
        breached = sum(1 for s in domains if s.breaches)
        parts.append(Cell(f"{report.stale_entries} stale", "bad" if report.stale_entries else "good"))
        parts.append(Cell(f"{breached} contact(s) with catalogued breaches", "warn" if breached else None))
    else:
        parts.append(Cell("breach data unavailable: stale unknown", "warn"))
    groups = {e.reuse_group for e in report.entries if e.reuse_group}
    if groups:
        accounts = sum(1 for e in report.entries if e.reuse_group)
        parts.append(Cell(f"{len(groups)} reused password(s) across {accounts} credential(s)", "warn"))
    parts.append(Cell(f"{stats.range_requests} range request(s) in {stats.elapsed_s:.2f}s", "muted"))
    if stats.cache_hits or stats.revalidated:
        parts.append(Cell(f"{stats.cache_hits} range(s) from the cache, {stats.revalidated} revalidated (304)", "muted"))
    return parts


def gaps(report: AuditReport) -> list[Cell]:
    """What this report could not vouch for (not read, not checked, interrupted), bad news first."""
    parts = []
    if report.errors:
        # Could not read is never clean: rows or whole files (each named on a `not read:` line).
        parts.append(Cell(f"{len(report.errors)} NOT READ (rows or files that could not be read: not clean)", "bad"))
    if report.not_checked_entries:
        parts.append(Cell(f"{report.not_checked_entries} NOT CHECKED (lookup failed: not clean)", "bad"))
    if report.interrupted:
        parts.append(Cell("interrupted: partial report", "bad"))
    return parts


def unread(report: AuditReport) -> list[Cell]:
    """One line per source or row that could not be read: shown right under the summary."""
    return [Cell(f"not read: {error}", "bad") for error in report.errors]


def nothing_first(report: AuditReport) -> Cell:
    """What "Change first" says when it lists nothing: reassuring only when nothing was missed."""
    missing = gaps(report)
    if not missing:
        return Cell("Nothing to change first: no pwned, stale or reused password found.", "good")
    return Cell("Nothing to change first among what was read and checked, but that is not everything: "
                + "; ".join(cell.text for cell in missing) + ".", "bad")


def breach_data_line(report: AuditReport) -> Cell:
    catalogue = report.catalogue
    if catalogue is None:
        return Cell("Breach data: not requested", "warn")
    return Cell(f"Breach data: {catalogue.note}", "muted" if catalogue.available else "warn")


def priorities(report: AuditReport, redact: bool = False) -> list[PriorityView]:
    views = []
    for item in report.priorities:
        first = report.entries[item.entries[0]]
        views.append(
            PriorityView(
                rank=item.rank,
                tier=TIER_LABELS[item.tier],
                contact=clipped(item.domain or NO_SITE),
                account=clipped(mask_username(item.username, redact) or "-"),
                site=site_label(first),
                reason=item.reason,
                style="warn" if item.tier in ("reused", "check") else "bad",
            )
        )
    return views


def _interesting(entry: Entry) -> bool:
    return not entry.checked or entry.is_finding or bool(entry.reuse_group) or (entry.stale is None and bool(entry.breaches))


def contacts(report: AuditReport, show_all: bool, redact: bool = False) -> tuple[list[ContactView], int]:
    """The contact table (worst first) and how many contacts it leaves out (without `--all`)."""
    views = []
    domains = report.domains
    for summary_ in domains:
        shown = [e for e in summary_.entries if show_all or _interesting(e)]
        if not shown and summary_.breaches:
            shown = list(summary_.entries)
        if shown:
            views.append(_contact(summary_, shown, redact))
    return views, len(domains) - len(views)


def _contact(summary_: DomainSummary, shown: list[Entry], redact: bool) -> ContactView:
    shown.sort(key=lambda e: (e.checked, not e.is_finding, -(e.pwned_count or 0)))
    return ContactView(
        name=clipped(summary_.domain or NO_SITE),
        breaches=tuple(Cell(clipped(b.label()), "bad" if b.counts_for_stale else "warn") for b in summary_.breaches),
        entries=tuple(_entry(e, redact) for e in shown),
        pwned=summary_.pwned_entries,
        stale=summary_.stale_entries,
        reused=sum(1 for e in summary_.entries if e.reuse_group),
    )


def _entry(entry: Entry, redact: bool) -> EntryView:
    found = entry.account_breaches
    return EntryView(
        account=clipped(mask_username(entry.credential.username, redact) or "-"),
        site=site_label(entry),
        seen=_seen(entry),
        stale=_stale(entry),
        stale_reason=entry.stale_reason or "",
        reuse=Cell(f"{entry.reuse_group} (+{entry.reused})", "warn") if entry.reuse_group else Cell(""),
        account_breaches=clipped("in " + ", ".join(found)) if found else "",
    )


def _seen(entry: Entry) -> Cell:
    if entry.pwned_count is None:
        return Cell("not checked", "bad")
    if entry.pwned_count == 0:
        return Cell("0", "good")
    return Cell(f"{entry.pwned_count:,}", "bad")


def _stale(entry: Entry) -> Cell:
    if entry.stale is True:
        return Cell("STALE", "bad")
    if entry.stale is None:
        return Cell("unknown" if entry.breaches or entry.stale_reason else "", "warn")
    return Cell("no", "good") if entry.breaches else Cell("")


def notes(report: AuditReport, hidden: int) -> list[Cell]:
    """Lines after the table: hidden contacts, account checks, source notes, problems, skipped items, unread files."""
    lines = []
    if hidden:
        lines.append(Cell(f"{hidden} contact(s) with nothing found not shown (--all shows them).", "muted"))
    checks = report.account_checks
    if checks is not None:
        found = sum(1 for names in checks.results.values() if names)
        lines.append(Cell(
            f"Account checks: {checks.checked} of {len(checks.results)} e-mail address(es) checked, {found} in breaches"
            + (f", {checks.not_checked} NOT CHECKED" if checks.not_checked else ""),
            "bad" if checks.not_checked else None,
        ))
    if report.review is not None:
        from rich.text import Text

        lines.extend(Cell(Text.from_markup(line).plain, markup=line) for line in review_lines(report.review))
    lines.extend(Cell(f"note: {note}") for note in report.notes)
    lines.extend(Cell(f"problem: {problem}", "bad") for problem in report.problems)
    if report.skipped:
        lines.append(Cell(f"{len(report.skipped)} item(s) skipped by design (an empty password, or not a login); --format json lists them.", "muted"))
    return lines


def review_lines(review: Review) -> list[str]:
    """The review as rich-markup lines for the terminal report (escaped: fields are user data)."""
    from rich.markup import escape

    def describe(item: Item) -> str:
        ident = f" [dim]id {item.finding_id}[/]" if item.finding_id else ""
        count = item.entry.pwned_count
        return escape(
            f"  {clipped(item.entry.domain or NO_SITE)}: {clipped(item.entry.credential.username or '-')} at {site_label(item.entry)}"
            + (f" (seen {count:,} times)" if count else "")
        ) + ident

    lines: list[str] = []
    if review.new_only:
        lines.append(
            f"[bold]Since the last --new run:[/] [bold red]{len(review.new)} new[/], "
            f"{len(review.still_present)} still present, [green]{review.resolved} resolved[/]"
            + (f", {review.carried_over} not confirmed this run (kept)" if review.carried_over else "")
        )
        lines.extend(describe(item) for item in review.new)
    if review.ignored:
        lines.append(f"[bold]{len(review.ignored)} ignored finding(s)[/] (not counted in the exit code):")
        for item in review.ignored:
            rule = item.rule
            assert rule is not None
            until = f" until {rule.until.isoformat()}" if rule.until else ""
            lines.append(describe(item) + escape(f" — rule {rule.id}{until}: {rule.reason}"))
    lines.extend(f"[yellow]note:[/] {escape(note)}" for note in review.notes)
    return lines
