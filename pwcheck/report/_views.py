"""What a person reads, as plain text with a style hint: shared by terminal, markdown and html.

Each human format walks the same sections (banner, summary, breach-data line, priorities,
contact table, notes) built here, and only adds its own syntax and escaping. A `Cell`'s
`style` ("bad", "warn", "good", "muted" or None) is a hint each format maps to colour or
emphasis; the text alone must read right (print, no colour, screen readers).
"""

from __future__ import annotations

from dataclasses import dataclass

from pwcheck.analyse.domains import ANDROID_SCHEMES, host_of
from pwcheck.model.directory import Directories
from pwcheck.model.entry import Entry
from pwcheck.model.errors import InputError
from pwcheck.model.findings import AuditReport, DomainSummary
from pwcheck.model.priority import TIER_LABELS
from pwcheck.model.review import Item, Review
from pwcheck.model.source import shown_errors

# Re-exported: the renderers read every section from here (`_advice`: the directories' lines).
from pwcheck.report._advice import advice_cells as advice_cells
from pwcheck.report._advice import directory_lines as directory_lines
from pwcheck.report._cell import Cell as Cell
from pwcheck.report._cell import Style as Style
from pwcheck.report._rows import mask_username, shown_text, shown_url

TABLE_HEADERS = ("Contact", "Account", "Site", "Pwned", "Stale", "Reuse", "Strength")
DEMO_BANNER = (
    "DEMO: a bundled sample export checked against a bundled sample corpus, breach catalogue and "
    "2FA/passkey directories served on 127.0.0.1; nothing left this machine and the counts, breaches and "
    "directory entries are not real data."
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
ADVICE_TOO = "; 2fa/passkey lines are advice, not findings."


def priority_advice(report: AuditReport, views: list["PriorityView"]) -> str:
    """The line over the priorities: what to do with them (advice lines, when present, are not findings).

    Advice alone says what "Change first" says with nothing in it (reassuring only when
    nothing was missed), then that the lines below are advice.
    """
    if views and all(view.tier == TIER_LABELS["advice"] for view in views):
        return nothing_first(report).text.rstrip(".") + "; two-factor or passkeys to add (advice, not findings):"
    if any(view.tier == TIER_LABELS["advice"] for view in views):
        return PRIORITY_ADVICE[:-1] + ADVICE_TOO
    return PRIORITY_ADVICE


@dataclass(frozen=True)
class EntryView:
    account: str
    site: str
    seen: Cell
    stale: Cell
    stale_reason: str
    reuse: Cell
    account_breaches: str
    copies: str = ""
    strength: Cell = Cell("")  # "WEAK 1/4" below the threshold, "3/4" otherwise, empty when not scored
    unsecured: Cell = Cell("")  # "plain http" for a login at a public site without TLS (shown under the site)  # where else this account is stored, and which of its passwords were replaced

    @property
    def detail(self) -> str:
        """The small print under the account: breaches the account check found, its other copies."""
        return "; ".join(part for part in (self.account_breaches, self.copies) if part)


@dataclass(frozen=True)
class ContactView:
    name: str
    breaches: tuple[Cell, ...]
    entries: tuple[EntryView, ...]
    pwned: int
    stale: int
    reused: int
    advice: tuple[Cell, ...] = ()  # what the 2FA and Passkeys directories say of it, with its links


@dataclass(frozen=True)
class PriorityView:
    rank: int
    tier: str
    contact: str
    account: str
    site: str
    reason: str
    style: Style
    link: str | None = None  # the contact's own passkey or two-factor page


def site_label(entry: Entry, redact: bool = False) -> str:
    """The host people recognise (or the Android package), not the whole URL.

    A URL with no host, or a title, is shown as `_rows` shows it (no userinfo; with
    `redact`, no username or address).
    """
    credential = entry.credential
    username = credential.username
    if credential.url:
        shown = host_of(credential.url) or shown_url(credential.url, username, redact) or ""
        return clipped(f"app {shown}" if credential.url.lower().startswith(ANDROID_SCHEMES) else shown)
    return clipped(shown_text(credential.title, username, redact) or "-")


def summary(report: AuditReport) -> list[Cell]:
    """The one-line verdict, in parts: what was not read or not checked comes first.

    "none pwned" is said plainly only when every credential was read and checked; otherwise
    it is "none pwned among the N checked", after the count of what was not.
    """
    stats = report.stats
    domains = report.domains
    tally = report.account_tally()
    missing = gaps(report)
    parts = [*missing]
    held = f"{stats.credentials} credential(s)"
    if tally.accounts != stats.credentials:  # copies of one account in several exports count once
        held = f"{tally.accounts} account(s) in {held}"
    parts.append(Cell(f"{held}, {stats.unique_passwords} unique password(s)"))
    if report.skipped:
        parts.append(Cell(f"{len(report.skipped)} skipped by design", "muted"))
    if not report.ran("breach"):
        pass  # `gaps` said the breach check is off: nothing is pwned or not
    elif tally.pwned:
        contacts = sum(1 for s in domains if any(e.pwned and e.superseded is None for e in s.entries))
        parts.append(Cell(f"{tally.pwned} pwned across {contacts} contact(s)", "bad"))
    elif report.pwned_entries:  # only passwords their accounts have since replaced
        parts.append(Cell(f"none pwned among current passwords ({report.pwned_entries} replaced one(s) were)", "warn"))
    elif not missing:
        parts.append(Cell("none pwned", "good"))
    elif stats.credentials > report.not_checked_entries:
        parts.append(Cell(f"none pwned among the {stats.credentials - report.not_checked_entries} checked"))
    catalogue = report.catalogue
    if not report.ran("breach"):
        pass
    elif catalogue is not None and catalogue.available:
        breached = sum(1 for s in domains if s.breaches)
        parts.append(Cell(f"{tally.stale} stale", "bad" if tally.stale else "good"))
        parts.append(Cell(f"{breached} contact(s) with catalogued breaches", "warn" if breached else None))
    else:
        parts.append(Cell("breach data unavailable: stale unknown", "warn"))
    groups = {e.reuse_group for e in report.entries if e.reuse_group}
    if groups:
        parts.append(Cell(f"{len(groups)} reused password(s) across {tally.reused} account(s)", "warn"))
    if report.ran("weak"):
        parts.append(Cell(f"{tally.weak} weak", "warn" if tally.weak else "good"))
    if report.ran("unsecured"):
        parts.append(Cell(f"{tally.unsecured} at plain-http site(s)", "warn" if tally.unsecured else "good"))
    advice = sum(1 for item in report.priorities if item.tier == "advice")
    if advice:
        parts.append(Cell(f"{advice} account(s) could add two-factor or passkeys (advice, not findings)", "muted"))
    if report.ran("breach"):
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
    if not report.ran("breach"):
        parts.append(Cell("breach check off (--checks): no password looked up, nothing said about pwned or stale", "warn"))
    elif report.not_checked_entries:
        parts.append(Cell(f"{report.not_checked_entries} NOT CHECKED (lookup failed: not clean)", "bad"))
    if report.interrupted:
        parts.append(Cell("interrupted: partial report", "bad"))
    return parts


def unread(report: AuditReport) -> list[Cell]:
    """One line per source or row that could not be read, at most 20 per source and then how
    many more (the summary counts them all): shown right under the summary."""
    return [Cell(f"not read: {line}" if isinstance(line, InputError) else str(line), "bad")
            for line in shown_errors(report.errors)]


def nothing_first(report: AuditReport) -> Cell:
    """What "Change first" says when it lists nothing: reassuring only when nothing was missed."""
    missing = [cell for cell in gaps(report) if cell.style == "bad"]
    kinds = [*(["pwned", "stale"] if report.ran("breach") else []), "reused", *(["weak"] if report.ran("weak") else [])]
    found = ", ".join(kinds[:-1]) + f" or {kinds[-1]} password" if len(kinds) > 1 else f"{kinds[0]} password"
    if report.ran("unsecured"):
        found += ", and no login at a plain-http site"
    if not missing:
        return Cell(f"Nothing to change first: no {found}.", "good")
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
                site=site_label(first, redact),
                reason=item.reason,
                style="muted" if item.tier == "advice" else "warn" if item.tier in ("reused", "weak", "unsecured", "check") else "bad",
                link=item.link,
            )
        )
    return views


def _interesting(entry: Entry, breach: bool = True) -> bool:
    current = entry.superseded is None
    return ((not entry.checked and breach) or entry.is_finding or bool(entry.reuse_group)
            or (entry.stale is None and bool(entry.breaches)) or (current and (entry.weak is True or entry.insecure_url is True)))


def contacts(report: AuditReport, show_all: bool, redact: bool = False) -> tuple[list[ContactView], int]:
    """The contact table (worst first, one row per account) and how many contacts it leaves out (without `--all`)."""
    views = []
    domains = report.domains
    breach = report.ran("breach")
    for summary_ in domains:
        accounts: dict[tuple[str, str, str], list[Entry]] = {}
        for entry in summary_.entries:
            accounts.setdefault(entry.account, []).append(entry)
        shown = [copies for copies in accounts.values() if show_all or any(_interesting(e, breach) for e in copies)]
        if not shown and summary_.breaches:
            shown = list(accounts.values())
        if shown:
            views.append(_contact(summary_, shown, redact, breach, report.directories))
    return views, len(domains) - len(views)


def _worst(copies: list[Entry]) -> Entry:
    """The copy an account's row shows: a finding first, then one not checked, then the highest count."""
    current = [e for e in copies if e.superseded is None] or copies
    return min(current, key=lambda e: (not e.is_finding, e.checked, -(e.pwned_count or 0), e.stale is not True,
                                       e.credential.source, e.credential.line or 0))


def _contact(
    summary_: DomainSummary, shown: list[list[Entry]], redact: bool, breach: bool = True,
    directories: Directories | None = None,
) -> ContactView:
    rows = sorted(((_worst(copies), copies) for copies in shown),
                  key=lambda row: (row[0].checked, not row[0].is_finding, -(row[0].pwned_count or 0), row[0].account,
                                   site_label(row[0])))
    return ContactView(
        name=clipped(summary_.domain or NO_SITE),
        breaches=tuple(Cell(clipped(b.label()), "bad" if b.counts_for_stale else "warn") for b in summary_.breaches),
        advice=advice_cells(directories.advice(summary_.domain) if directories else None, summary_.entries),
        entries=tuple(_entry(worst, redact, copies, breach) for worst, copies in rows),
        pwned=summary_.pwned_entries,
        stale=summary_.stale_entries,
        reused=sum(1 for e in summary_.entries if e.reuse_group),
    )


def _copies(worst: Entry, copies: list[Entry]) -> str:
    """Where an account stored in several places is, and what its other copies say that its row does not."""
    if len(copies) < 2:
        return ""
    sources = sorted({e.credential.source for e in copies})
    names = {source: source.rpartition("/")[2] or source for source in sources}
    if len(set(names.values())) < len(names):  # two files of one name: only whole paths tell them apart
        names = {source: source for source in sources}
    parts = [f"{len(copies)} copies, in " + ", ".join(names[s] for s in sources)]
    replaced = sorted({names[e.credential.source] for e in copies if e.superseded is not None})
    if replaced:
        parts.append("older password in " + ", ".join(replaced))
    if worst.checked and any(not e.checked for e in copies if e.superseded is None):
        parts.append("a current copy NOT CHECKED")
    return "; ".join(parts)


def _entry(entry: Entry, redact: bool, copies: list[Entry] | None = None, breach: bool = True) -> EntryView:
    found = entry.account_breaches
    score = entry.credential.strength
    return EntryView(
        account=clipped(mask_username(entry.credential.username, redact) or "-"),
        site=site_label(entry, redact),
        seen=_seen(entry) if breach else Cell("off", "muted"),
        stale=_stale(entry) if breach else Cell("off", "muted"),
        stale_reason=entry.stale_reason or "" if breach else "",
        reuse=Cell(f"{entry.reuse_group} (+{entry.reused})", "warn") if entry.reuse_group else Cell(""),
        account_breaches=clipped("in " + ", ".join(found)) if found else "",
        copies=clipped(_copies(entry, copies or [entry])),
        strength=Cell("" if score is None or entry.weak is None else (f"WEAK {score}/4" if entry.weak else f"{score}/4"),
                      "warn" if entry.weak else None),
        unsecured=Cell("plain http", "warn") if entry.insecure_url else Cell(""),
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


def notes(report: AuditReport, hidden: int, redact: bool = False) -> list[Cell]:
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

        lines.extend(Cell(Text.from_markup(line, emoji=False).plain, markup=line) for line in review_lines(report.review, redact))
    lines.extend(Cell(f"note: {note}") for note in report.notes)
    lines.extend(Cell(f"problem: {problem}", "bad") for problem in report.problems)
    if report.skipped:
        lines.append(Cell(f"{len(report.skipped)} item(s) skipped by design (an empty password, or not a login); --format json lists them.", "muted"))
    return lines


def review_lines(review: Review, redact: bool = False) -> list[str]:
    """The review as rich-markup lines for the terminal report (escaped: fields are user data)."""
    from rich.markup import escape

    def describe(item: Item) -> str:
        ident = f" [dim]id {item.finding_id}[/]" if item.finding_id else ""
        count = item.entry.pwned_count
        return escape(
            f"  {clipped(item.entry.domain or NO_SITE)}: {clipped(mask_username(item.entry.credential.username, redact) or '-')} "
            f"at {site_label(item.entry, redact)}"
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
