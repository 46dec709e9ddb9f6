"""`--format html`: one self-contained page to keep, share or print.

No external asset of any kind: styles are inline, the chart is inline SVG, there is no
script, and a Content-Security-Policy (`default-src 'none'`) makes the browser refuse
anything that slipped in. Every text from an export or the catalogue goes through
`escape`: `system.display.shown` (control characters visible, no URL userinfo), then
`html.escape`; the page has no `<a>` at all, so no text can become a link. Sections and wording come from `_views`, as in the terminal; print CSS
keeps colours, avoids splitting table rows and drops the screen-only background.
"""

from __future__ import annotations

import html

from pwcheck.model.findings import AuditReport
from pwcheck.report import _views
from pwcheck.report._stream import ReportStream
from pwcheck.report._views import Cell
from pwcheck.report.interface import Renderer, RenderOptions
from pwcheck.system.display import shown as display_text

CSS = """
:root { --bad: #b00020; --warn: #8a5a00; --good: #1b6e20; --muted: #5f6368; --line: #d0d4d9; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1f2328; background: #f6f8fa; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.bad { color: var(--bad); font-weight: 600; } .warn { color: var(--warn); } .good { color: var(--good); }
.muted { color: var(--muted); }
.demo { background: #fff4ce; border-left: 4px solid #c69026; padding: 8px 12px; margin: 8px 0 12px; }
.summary { font-size: 16px; margin: 8px 0 4px; }
ol.priorities { padding-left: 0; list-style: none; margin: 0; }
ol.priorities li { display: grid; grid-template-columns: 2.2em 11em 1fr; gap: 4px 10px; padding: 6px 0;
                   border-bottom: 1px solid var(--line); }
.rank { font-weight: 700; text-align: right; }
.tier { font-weight: 700; font-size: 12px; letter-spacing: .04em; padding: 2px 6px; border-radius: 4px;
        align-self: start; text-align: center; border: 1px solid currentColor; }
.who { font-weight: 600; } .why { grid-column: 3; color: #3d444d; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: #eef1f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.contact { font-weight: 600; } .breach { display: block; font-weight: 400; font-size: 13px; }
.reason { display: block; font-size: 12px; color: var(--muted); }
.advice { margin: 4px 0 8px; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; fill: #1f2328; }
@media print {
  body { background: #fff; font-size: 11pt; } main { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr, li, svg { break-inside: avoid; } h2 { break-after: avoid; }
}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'"
SERIES = (("pwned", "Pwned", "#c62828"), ("stale", "Stale", "#ef6c00"), ("reused", "Reused", "#1565c0"))
CHART_LIMIT = 20


def escape(text: str) -> str:
    """Any text as HTML showing exactly that text: control characters visible, no URL userinfo."""
    return html.escape(display_text(text))


def span(cell: Cell) -> str:
    text = escape(cell.text)
    return f'<span class="{cell.style}">{text}</span>' if cell.style and text else text


class HtmlRenderer:
    name = "html"
    names_accounts = True

    def render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        shown, hidden = _views.contacts(report, options.show_all, options.redact)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>pwcheck audit</title><style>{CSS}</style></head><body><main>",
            "<h1>pwcheck audit</h1>",
        ]
        if report.demo:
            parts.append(f'<p class="demo">{escape(_views.DEMO_BANNER)}</p>')
        parts.append('<p class="summary">' + "; ".join(span(p) for p in _views.summary(report)) + "</p>")
        unread = _views.unread(report)
        if unread:
            parts.append('<ul class="unread">' + "".join(f"<li>{span(line)}</li>" for line in unread) + "</ul>")
        parts.append(f"<p>{span(_views.breach_data_line(report))}</p>")
        parts += [f"<p>{span(line)}</p>" for line in _views.directory_lines(report)]
        parts += _priorities(report, _views.priorities(report, options.redact), _views.nothing_first(report))
        parts += _chart(shown)
        parts += _table(shown)
        notes = _views.notes(report, hidden, options.redact)
        if notes:
            parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{span(n)}</li>" for n in notes) + "</ul>")
        parts.append("</main></body></html>")
        out.write("\n".join(parts) + "\n")


def _priorities(report: AuditReport, items: list[_views.PriorityView], nothing: _views.Cell) -> list[str]:
    parts = ["<h2>Change first</h2>"]
    if not items:
        return parts + [f'<p class="{nothing.style}">{escape(nothing.text)}</p>']
    parts.append(f'<p class="advice">{escape(_views.priority_advice(report, items))}</p><ol class="priorities">')
    for item in items:
        parts.append(
            f'<li><span class="rank">{item.rank}.</span><span class="tier {item.style}">{escape(item.tier.upper())}</span>'
            f'<span class="who">{escape(item.contact)} <span class="muted">{escape(item.account)}</span></span>'
            f'<span class="why">{escape(item.reason)}'
            + (f' <span class="muted">{escape(item.link)}</span>' if item.link else "") + "</span></li>"
        )
    return parts + ["</ol>"]


def _chart(shown: list[_views.ContactView]) -> list[str]:
    """Findings per contact as grouped horizontal bars (inline SVG, labelled, no script)."""
    rows = [c for c in shown if c.pwned or c.stale or c.reused][:CHART_LIMIT]
    if not rows:
        return []
    label_w, bar_w, bar_h, gap, top = 220, 560, 14, 12, 30
    row_h = bar_h * len(SERIES) + gap
    height = top + row_h * len(rows) + 8
    peak = max(max(c.pwned, c.stale, c.reused) for c in rows)
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 60}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + 60} {height}" aria-labelledby="chart-title">',
        '<title id="chart-title">Credentials with findings per contact: pwned, stale, reused</title>',
    ]
    x = label_w
    for _key, name, colour in SERIES:
        svg.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/><text x="{x + 16}" y="16">{name}</text>')
        x += 90
    for index, contact in enumerate(rows):
        y = top + index * row_h
        svg.append(f'<text x="{label_w - 8}" y="{y + bar_h * 2}" text-anchor="end">{escape(_clip(contact.name))}</text>')
        for series, (key, name, colour) in enumerate(SERIES):
            value = getattr(contact, key)
            width = 0 if not peak else max(2 if value else 0, round(bar_w * value / peak))
            by = y + series * bar_h
            svg.append(
                f'<rect x="{label_w}" y="{by}" width="{width}" height="{bar_h - 1}" fill="{colour}">'
                f"<title>{escape(contact.name)}: {value} {name.lower()}</title></rect>"
            )
            if value:
                svg.append(f'<text x="{label_w + width + 4}" y="{by + bar_h - 3}">{value}</text>')
    svg.append("</svg>")
    more = len([c for c in shown if c.pwned or c.stale or c.reused]) - len(rows)
    note = f'<p class="muted">{more} more contact(s) with findings are in the table.</p>' if more > 0 else ""
    return ["<h2>Findings per contact</h2>", "".join(svg), note]


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(shown: list[_views.ContactView]) -> list[str]:
    if not shown:
        return []
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in _views.TABLE_HEADERS)
    parts = ["<h2>Contacts</h2>", f"<table><thead><tr>{head}</tr></thead>"]
    for contact in shown:
        parts.append("<tbody>")
        for index, entry in enumerate(contact.entries):
            cells = []
            if index == 0:
                breaches = "".join(f'<span class="breach">{span(b)}</span>' for b in (*contact.breaches, *contact.advice))
                cells.append(f'<td class="contact" rowspan="{len(contact.entries)}">{escape(contact.name)}{breaches}</td>')
            found = f'<span class="reason">{escape(entry.detail)}</span>' if entry.detail else ""
            reason = f'<span class="reason">{escape(entry.stale_reason)}</span>' if entry.stale_reason and entry.stale.text else ""
            unsecured = f'<span class="reason">{span(entry.unsecured)}</span>' if entry.unsecured.text else ""
            cells += [
                f"<td>{escape(entry.account)}{found}</td>",
                f"<td>{escape(entry.site)}{unsecured}</td>",
                f'<td class="num">{span(entry.seen)}</td>',
                f"<td>{span(entry.stale)}{reason}</td>",
                f"<td>{span(entry.reuse)}</td>",
                f"<td>{span(entry.strength)}</td>",
            ]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody>")
    return parts + ["</table>"]


RENDERER: Renderer = HtmlRenderer()
