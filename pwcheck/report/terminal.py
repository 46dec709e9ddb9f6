"""The terminal report: contacts worst first, so the person knows what to change.

Shows usernames, sites and counts; never a password or a hash (the model has no text
form of either). Clean contacts are summarised in one line unless `--all`.
"""

from __future__ import annotations

from typing import TextIO

from rich.markup import escape

from pwcheck.analyse.domains import ANDROID_SCHEMES, host_of
from pwcheck.analyse.findings import AuditReport, DomainSummary, Entry
from pwcheck.report._interface import RenderOptions


class TerminalRenderer:
    name = "terminal"
    names_accounts = True

    def render(self, report: AuditReport, out: TextIO, options: RenderOptions) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(file=out, highlight=False, no_color=options.color is False, soft_wrap=False)
        if report.demo:
            console.print(
                "[bold yellow]DEMO[/]: a bundled sample export checked against a bundled sample corpus "
                "served on 127.0.0.1; nothing left this machine and the counts are not real HIBP figures."
            )
        console.print(_summary(report))
        shown = [s for s in report.domains if options.show_all or s.pwned_entries or s.not_checked_entries]
        if shown:
            table = Table(show_lines=False, header_style="bold")
            table.add_column("Contact", no_wrap=True)
            table.add_column("Account", overflow="fold")
            table.add_column("Site", overflow="fold")
            table.add_column("Seen in breaches", justify="right", no_wrap=True)
            for summary in shown:
                _add_domain(table, summary, options.show_all)
            console.print(table)
        hidden = len(report.domains) - len(shown)
        if hidden:
            console.print(f"{hidden} contact(s) with no pwned password not shown (--all shows them).")
        if report.review is not None:
            from pwcheck.review import review_lines

            for line in review_lines(report.review):
                console.print(line)
        for note in report.notes:
            console.print(f"[bold]note:[/] {escape(note)}")
        for problem in report.problems:
            console.print(f"[bold red]problem:[/] {escape(problem)}")
        if report.skipped:
            console.print(f"{len(report.skipped)} item(s) skipped (no password, or not a login); --format json lists them.")
        for error in report.errors:
            console.print(f"[bold red]not read:[/] {escape(str(error))}")


def _summary(report: AuditReport) -> str:
    stats = report.stats
    contacts = sum(1 for s in report.domains if s.pwned_entries)
    parts = [
        f"{stats.credentials} credential(s), {stats.unique_passwords} unique password(s)",
        f"[bold red]{report.pwned_entries} pwned[/] across {contacts} contact(s)"
        if report.pwned_entries
        else "[green]none pwned[/]",
    ]
    if report.not_checked_entries:
        parts.append(f"[bold red]{report.not_checked_entries} NOT CHECKED[/] (lookup failed: not clean)")
    if report.interrupted:
        parts.append("[bold red]interrupted: partial report[/]")
    parts.append(f"{stats.range_requests} range request(s) in {stats.elapsed_s:.2f}s")
    if stats.cache_hits or stats.revalidated:
        parts.append(f"{stats.cache_hits} range(s) from the cache, {stats.revalidated} revalidated (304)")
    return "; ".join(parts)


def _add_domain(table, summary: DomainSummary, show_all: bool) -> None:  # type: ignore[no-untyped-def]
    entries = [e for e in summary.entries if show_all or e.pwned or not e.checked]
    entries.sort(key=lambda e: (e.checked, -(e.pwned_count or 0)))
    for index, entry in enumerate(entries):
        contact = (summary.domain or "(no site)") if index == 0 else ""
        table.add_row(escape(contact), escape(entry.credential.username or "-"), escape(_site(entry)), _seen(entry))


def _site(entry: Entry) -> str:
    """The host people recognise (or the Android package), not the whole URL."""
    credential = entry.credential
    if credential.url:
        if credential.url.lower().startswith(ANDROID_SCHEMES):
            return f"app {host_of(credential.url) or credential.url}"
        return host_of(credential.url) or credential.url
    return credential.title or "-"


def _seen(entry: Entry) -> str:
    if entry.pwned_count is None:
        return "[bold red]not checked[/]"
    if entry.pwned_count == 0:
        return "[green]0[/]"
    return f"[bold red]{entry.pwned_count:,}[/]"


site_of = _site  # public name for other terminal sections (pwcheck.review)


RENDERER = TerminalRenderer()
