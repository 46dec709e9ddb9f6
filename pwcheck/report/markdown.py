"""`--format markdown`: the report for a ticket or a wiki page (CommonMark + GFM tables).

Same sections as the terminal (from `_views`). Every text from an export or the catalogue
is escaped so it cannot become a link, an image, HTML, a table cell break or an
@-mention in the tracker it is pasted into.

Backslash escapes do not stop GitHub-flavoured Markdown's autolinks: they are found in
the rendered text (`alice\\@example.com` is still a mailto link). So `md` also puts an
invisible WORD JOINER (U+2060) where each autolink and mention would start: after every
`@` (e-mail, `mailto:`/`xmpp:` and @-mention need a name right after it), between two
slashes (`https://`, `//host`) and between `www` and its dot. The text reads the same;
tests/report/test_injection.py renders it with cmark-gfm (GitHub's own parser) and with
markdown-it-py's linkify and finds no link.
"""

from __future__ import annotations

import re

from pwcheck.model.findings import AuditReport
from pwcheck.report import _views
from pwcheck.report._stream import ReportStream
from pwcheck.report._views import Cell
from pwcheck.report.interface import Renderer, RenderOptions
from pwcheck.system.display import shown

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#!@&$])")
WORD_JOINER = "\u2060"
_LINK_STARTS = re.compile(r"(?i)(?<=@)|(?<=/)(?=/)|(?<=www)(?=\.)")


def md(text: str) -> str:
    """Inline text that renders as exactly itself: markup escaped, no autolink, control characters visible, one line."""
    return _LINK_STARTS.sub(WORD_JOINER, _SPECIAL.sub(r"\\\1", shown(text)))


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
        lines += [f"_{md(line.text)}_" for line in _views.directory_lines(report)] + [""]
        lines += ["## Change first", ""]
        items = _views.priorities(report, options.redact)
        if items:
            lines += [md(_views.priority_advice(report, items)), ""]
            lines += [
                f"{item.rank}. **{md(item.tier.upper())}** {md(item.contact)} ({md(item.account)}): {md(item.reason)}"
                + (f" ({md(item.link)})" if item.link else "")
                for item in items
            ]
        else:
            lines.append(styled(_views.nothing_first(report)))
        shown, hidden = _views.contacts(report, options.show_all, options.redact)
        if shown:
            lines += ["", "## Contacts", "", _row(_views.TABLE_HEADERS), "|---|---|---|---:|---|---|---|"]
            lines += [_row(cells) for cells in _table_rows(shown)]
        notes = _views.notes(report, hidden, options.redact)
        if notes:
            lines += ["", "## Notes", ""] + [f"- {styled(note)}" for note in notes]
        out.write("\n".join(lines) + "\n")


def _table_rows(shown: list[_views.ContactView]) -> list[list[str]]:
    rows = []
    for contact in shown:
        for index, entry in enumerate(contact.entries):
            head = ""
            if index == 0:
                head = f"**{md(contact.name)}**" + "".join(f"<br>{md(b.text)}" for b in (*contact.breaches, *contact.advice))
            account = md(entry.account) + (f"<br>{md(entry.detail)}" if entry.detail else "")
            stale = styled(entry.stale) + (f"<br>{md(entry.stale_reason)}" if entry.stale_reason and entry.stale.text else "")
            site = md(entry.site) + (f"<br>{styled(entry.unsecured)}" if entry.unsecured.text else "")
            rows.append([head, account, site, styled(entry.seen), stale, md(entry.reuse.text), styled(entry.strength)])
    return rows


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


RENDERER: Renderer = MarkdownRenderer()
