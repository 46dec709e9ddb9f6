"""The terminal report: what to change first, then contacts worst first.

Shows usernames, sites, counts, breaches and reuse ids; never a password or a hash (the
model has no text form of either). Contacts with nothing found are summarised in one
line unless `--all`. Sections come from `_views`; this module only adds rich styling.

Every text goes to rich through `safe`, `piece`/`styled_piece` (or `styled`, `escape` for
the few markup lines), which first pass it through `system.display.shown`: a username,
title or catalogue title holding `ESC [2J`, OSC 52 or OSC 8 reaches the terminal as visible
`\x1b...` text (rich itself strips only a few control characters), and a URL's userinfo
never reaches it. No `:name:` becomes an emoji (`emoji=False`, and a `Text` never does): a
username or title is shown as typed.

The tables' cells are `_grid.Piece`s: plain text with its styles as runs, not markup (a
500-password report's 4,800 markup strings took a sixth of its rendering time to parse)
and not rich `Text` (made, measured, wrapped and rendered again for every line). `_grid`
lays both tables out as rich would, in a fifth of the time (issue 19); where it does not
(a cell with a wide, combining or unprintable character, a terminal too narrow), the pieces become `Text` for
`_columns` and rich's own `Table`, as before.
"""

from __future__ import annotations

import gc
from typing import Literal, TextIO, cast

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape as markup_escape
from rich.text import Span, Text

from pwcheck.model.findings import AuditReport
from pwcheck.report import _columns, _grid, _views
from pwcheck.report._grid import Piece, joined, piece
from pwcheck.report._stream import ReportStream
from pwcheck.report._views import Cell
from pwcheck.report.interface import Renderer, RenderOptions
from pwcheck.system.display import shown

STYLES = {"bad": "bold red", "warn": "yellow", "good": "green", "muted": "dim"}


def escape(text: str) -> str:
    """Any text as rich markup showing exactly that text: control characters visible, no URL userinfo."""
    return markup_escape(shown(text))


def safe(text: str, style: str | None = None) -> Text:
    """Any text as rich `Text` showing exactly that text (control characters visible, no URL userinfo), all in `style`."""
    text = shown(text)
    return Text(text, spans=[Span(0, len(text), style)] if style and text else None)


def styled_text(cell: Cell) -> Text:
    """The cell as rich `Text` in its style's colour (or parsed from its own markup), as `styled` shows it."""
    if cell.markup is not None:
        return Text.from_markup(shown(cell.markup), emoji=False)  # a `:name:` in user data stays as typed
    return safe(cell.text, STYLES.get(cell.style or ""))


def styled_piece(cell: Cell) -> Piece:
    """The cell as `_grid` lays it out: its text and style runs, as `styled_text` makes them."""
    if cell.markup is not None:
        text = styled_text(cell)
        return (text.plain, tuple((span.start, span.end, span.style) for span in text.spans))
    return piece(shown(cell.text), STYLES.get(cell.style or ""))


def text_of(cell: Piece) -> Text:
    """The piece as rich `Text`, for rich's own tables where `_grid` does not lay them out."""
    return Text(cell[0], spans=[Span(*run) for run in cell[1]])


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
        """The report, with the cycle collector paused while it is laid out.

        The layout makes tens of thousands of short-lived tuples and lists, freed by their
        reference counts; counted as allocations they set off collections, a full one too,
        over every object the audit holds, for next to no garbage: a 500-password report's
        render took 41-45 ms with the collector, 34-35 ms without (medians, in-process;
        issue 19). The collector's state is restored after, as it was; what the render
        leaves in cycles is collected then.
        """
        paused = gc.isenabled()
        gc.disable()
        try:
            self._render(report, out, options)
        finally:
            if paused:
                gc.enable()

    def _render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        # rich writes, flushes and asks isatty(): ReportStream answers each as a text file does.
        console = Console(file=cast(TextIO, out), highlight=False, emoji=False, no_color=options.color is False, soft_wrap=False)
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
            _table(console, listed)
        for line in _views.notes(report, hidden, options.redact):
            console.print(styled(line), soft_wrap=True)


def _priorities(console, report: AuditReport, items: list[_views.PriorityView], nothing: Cell) -> None:  # type: ignore[no-untyped-def]
    if not items:
        console.print(styled(nothing), soft_wrap=True)
        return
    console.print(Text.assemble(("Change first", "bold"), f" ({shown(_views.priority_advice(report, items))})"))
    rows = []
    for item in items:
        reason = piece(shown(item.reason))
        rows.append((
            piece(f"{item.rank}."), styled_piece(Cell(item.tier.upper(), item.style)),
            joined(piece(shown(item.contact), "bold"), piece(shown(item.account)), separator=" "),
            joined(reason, piece(shown(item.link), "dim"), separator="\n") if item.link else reason,
        ))
    print_priorities(console, rows)


def print_priorities(console, rows: list[tuple[Piece, Piece, Piece, Piece]]) -> None:  # type: ignore[no-untyped-def]
    """The "Change first" rows as rich's borderless table prints them: by `_grid` (`simple` cells), else `_columns` or rich."""
    grid = _grid.priority_lines(console, rows, console.width)
    if grid is not None:
        console.print(grid, crop=False)  # every line as wide as the columns, within the console: nothing to crop
        return
    text_rows = [cast(tuple[Text, Text, Text, Text], tuple(map(text_of, row))) for row in rows]
    console.print(_columns.aligned(console, text_rows, console.width) or priority_table(text_rows))


def priority_table(rows: list[tuple[Text, Text, Text, Text]]):  # type: ignore[no-untyped-def]
    """The "Change first" rows in rich's own table, for a terminal too narrow for `_columns`, and its tests."""
    from rich.table import Table

    table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    table.add_column(overflow="fold", ratio=2)
    for row in rows:
        table.add_row(*row)
    return table


def _table(console, listed: list[_views.ContactView]) -> None:  # type: ignore[no-untyped-def]
    """Print the contacts table: laid out by `_grid` (`simple` cells, a terminal not too narrow), else rich's `Table`."""
    rows: list[tuple[Piece, ...]] = []
    for contact in listed:
        for index, entry in enumerate(contact.entries):
            head = piece(shown(contact.name)) if index == 0 else piece("")
            if index == 0 and (contact.breaches or contact.advice):
                head = joined(head, *(styled_piece(b) for b in (*contact.breaches, *contact.advice)), separator="\n")
            account = piece(shown(entry.account))
            if entry.detail:
                account = joined(account, piece(shown(entry.detail), "dim"), separator="\n")
            site = piece(shown(entry.site))
            if entry.unsecured.text:
                site = joined(site, styled_piece(entry.unsecured), separator="\n")
            rows.append((
                head, account, site, styled_piece(entry.seen),
                styled_piece(entry.stale), styled_piece(entry.reuse), styled_piece(entry.strength),
            ))
    print_contacts(console, rows)


def print_contacts(console, rows: list[tuple[Piece, ...]]) -> None:  # type: ignore[no-untyped-def]
    """The contacts table as rich's `Table` prints it: by `_grid` (`simple` cells, not too narrow), else by rich."""
    grid = _grid.contact_lines(console, _views.TABLE_HEADERS, rows, console.width)
    if grid is not None:
        console.print(grid, crop=False)  # every line as wide as the table, within the console: nothing to crop
    else:
        console.print(contact_table([tuple(map(text_of, row)) for row in rows], console.width))


def contact_table(rows: list[tuple[Text, ...]], width: int | None):  # type: ignore[no-untyped-def]
    """The contacts table of these rows, its widths computed for a console `width` wide (None: rich measures)."""
    from rich.table import Table

    fixed = ("Pwned", "Reuse", "Strength")  # never wrapped
    widths = None
    if width is not None:
        longest = [
            max([cell_len(header)] + [cell_len(line) for row in rows for line in row[index].plain.splitlines()])
            for index, header in enumerate(_views.TABLE_HEADERS)
        ]
        borders = len(_views.TABLE_HEADERS) + 1
        widths = _columns.table_widths(longest, [(1, 1, header not in fixed) for header in _views.TABLE_HEADERS], width - borders)
    table = Table(show_lines=True, header_style="bold")
    for number, header in enumerate(_views.TABLE_HEADERS):
        justify: Literal["right", "left"] = "right" if header == "Pwned" else "left"
        table.add_column(
            header, justify=justify, overflow="fold", no_wrap=header in fixed,
            width=None if widths is None else widths[number] - 2,
        )
    for row in rows:
        table.add_row(*row)
    return table

RENDERER: Renderer = TerminalRenderer()
