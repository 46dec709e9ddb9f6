"""`--format markdown`: the report for a ticket or a wiki page (CommonMark + GFM tables).

Same sections as the terminal (from `_views`). Every text from an export or the catalogue
is escaped so it cannot become a link, an image, HTML, a table cell break or an
@-mention in the tracker it is pasted into.
"""

from __future__ import annotations

import re

from pwcheck.model.findings import AuditReport
from pwcheck.report import _views
from pwcheck.report._stream import ReportStream
from pwcheck.report._views import Cell
from pwcheck.report.interface import Renderer, RenderOptions

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#!@&$])")


def md(text: str) -> str:
    """Inline text with every markup character backslash-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split("\n")).replace("\r", " "))


def styled(cell: Cell) -> str:
    text = md(cell.text)
    return f"**{text}**" if cell.style == "bad" and text else text


class MarkdownRenderer:
    name = "markdown"
    names_accounts = True

    def render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        lines = ["# pwcheck audit", ""]
        if report.demo:
            lines += [f"> {md(_views.DEMO_BANNER)}", ""]
        lines += ["; ".join(styled(part) for part in _views.summary(report)), ""]
        unread = _views.unread(report)
        if unread:
            lines += [f"- {styled(line)}" for line in unread] + [""]
        lines += [f"_{md(_views.breach_data_line(report).text)}_", ""]
        lines += ["## Change first", ""]
        items = _views.priorities(report, options.redact)
        if items:
            lines += [md(_views.PRIORITY_ADVICE), ""]
            lines += [
                f"{item.rank}. **{md(item.tier.upper())}** {md(item.contact)} ({md(item.account)}): {md(item.reason)}"
                for item in items
            ]
        else:
            lines.append(styled(_views.nothing_first(report)))
        shown, hidden = _views.contacts(report, options.show_all, options.redact)
        if shown:
            lines += ["", "## Contacts", "", _row(_views.TABLE_HEADERS), "|---|---|---|---:|---|---|"]
            lines += [_row(cells) for cells in _table_rows(shown)]
        notes = _views.notes(report, hidden)
        if notes:
            lines += ["", "## Notes", ""] + [f"- {styled(note)}" for note in notes]
        out.write("\n".join(lines) + "\n")


def _table_rows(shown: list[_views.ContactView]) -> list[list[str]]:
    rows = []
    for contact in shown:
        for index, entry in enumerate(contact.entries):
            head = ""
            if index == 0:
                head = f"**{md(contact.name)}**" + "".join(f"<br>{md(b.text)}" for b in contact.breaches)
            account = md(entry.account) + (f"<br>{md(entry.detail)}" if entry.detail else "")
            stale = styled(entry.stale) + (f"<br>{md(entry.stale_reason)}" if entry.stale_reason and entry.stale.text else "")
            rows.append([head, account, md(entry.site), styled(entry.seen), stale, md(entry.reuse.text)])
    return rows


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


RENDERER: Renderer = MarkdownRenderer()
