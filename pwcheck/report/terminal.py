"""The terminal report: what to change first, then contacts worst first.

Shows usernames, sites, counts, breaches and reuse ids; never a password or a hash (the
model has no text form of either). Contacts with nothing found are summarised in one
line unless `--all`. Sections come from `_views`; this module only adds rich styling.

Every text goes to rich through `escape` (or `styled`), which first passes it through
`system.display.shown`: a username, title or catalogue title holding `ESC [2J`, OSC 52
or OSC 8 reaches the terminal as visible `\x1b...` text (rich itself strips only a few
control characters), and a URL's userinfo never reaches it.
"""

from __future__ import annotations

from typing import Literal, TextIO, cast

from rich.markup import escape as markup_escape

from pwcheck.model.findings import AuditReport
from pwcheck.report import _views
from pwcheck.report._stream import ReportStream
from pwcheck.report._views import Cell
from pwcheck.report.interface import Renderer, RenderOptions
from pwcheck.system.display import shown

STYLES = {"bad": "bold red", "warn": "yellow", "good": "green", "muted": "dim"}


def escape(text: str) -> str:
    """Any text as rich markup showing exactly that text: control characters visible, no URL userinfo."""
    return markup_escape(shown(text))


def styled(cell: Cell) -> str:
    """The cell's text, escaped for rich markup, in its style's colour (or its own markup)."""
    if cell.markup is not None:
        return shown(cell.markup)  # markup made by `_views` from escaped fields
    text = escape(cell.text)
    style = STYLES.get(cell.style or "")
    return f"[{style}]{text}[/]" if style and text else text


class TerminalRenderer:
    name = "terminal"
    names_accounts = True

    def render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        from rich.console import Console

        # rich writes, flushes and asks isatty(): ReportStream answers each as a text file does.
        console = Console(file=cast(TextIO, out), highlight=False, no_color=options.color is False, soft_wrap=False)
        if report.demo:
            console.print(f"[bold yellow]DEMO[/]{escape(_views.DEMO_BANNER[4:])}")
        # Prose lines are not wrapped by rich (soft_wrap): the terminal wraps them, and a
        # script that greps the output finds each phrase whole.
        console.print("; ".join(styled(part) for part in _views.summary(report)), soft_wrap=True)
        for line in _views.unread(report):
            console.print(styled(line), soft_wrap=True)
        console.print(styled(_views.breach_data_line(report)), soft_wrap=True)
        for line in _views.directory_lines(report):
            console.print(styled(line), soft_wrap=True)
        _priorities(console, report, _views.priorities(report, options.redact), _views.nothing_first(report))
        listed, hidden = _views.contacts(report, options.show_all, options.redact)
        if listed:
            console.print(_table(listed))
        for line in _views.notes(report, hidden, options.redact):
            console.print(styled(line), soft_wrap=True)


def _priorities(console, report: AuditReport, items: list[_views.PriorityView], nothing: Cell) -> None:  # type: ignore[no-untyped-def]
    if not items:
        console.print(styled(nothing), soft_wrap=True)
        return
    from rich.table import Table

    console.print(f"[bold]Change first[/] ({escape(_views.priority_advice(report, items))})")
    table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    table.add_column(overflow="fold", ratio=2)
    for item in items:
        table.add_row(
            f"{item.rank}.", styled(Cell(item.tier.upper(), item.style)),
            f"[bold]{escape(item.contact)}[/] {escape(item.account)}",
            escape(item.reason) + (f"\n[dim]{escape(item.link)}[/]" if item.link else ""),
        )
    console.print(table)


def _table(shown: list[_views.ContactView]):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(show_lines=True, header_style="bold")
    for header in _views.TABLE_HEADERS:
        justify: Literal["right", "left"] = "right" if header == "Pwned" else "left"
        table.add_column(header, justify=justify, overflow="fold", no_wrap=header in ("Pwned", "Reuse", "Strength"))
    for contact in shown:
        for index, entry in enumerate(contact.entries):
            head = escape(contact.name)
            if index == 0 and (contact.breaches or contact.advice):
                head += "\n" + "\n".join(styled(b) for b in (*contact.breaches, *contact.advice))
            account = escape(entry.account) + (f"\n[dim]{escape(entry.detail)}[/]" if entry.detail else "")
            site = escape(entry.site) + (f"\n{styled(entry.unsecured)}" if entry.unsecured.text else "")
            table.add_row(
                head if index == 0 else "", account, site, styled(entry.seen),
                styled(entry.stale), styled(entry.reuse), styled(entry.strength),
            )
    return table




RENDERER: Renderer = TerminalRenderer()
