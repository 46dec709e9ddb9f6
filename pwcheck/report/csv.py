"""`--format csv`: one row per credential, for spreadsheets and scripts.

The columns are the JSON entry fields (lists joined with `; `, booleans `true`/`false`,
null empty) plus the entry's `priority` rank and `priority_tier`. Every cell goes through
`cell`, whatever its type, after it is flattened: control characters are made visible
(`system.display.shown`: a CSV printed to a terminal acts on none; no URL userinfo), and a
cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
CR) gets a leading `'`. Titles, usernames and URLs come from exports and web pages, not
from the user, and a list (`other_urls`, `breaches`, `account_breaches`) is one cell too:
`=HYPERLINK(...)` as a second URL must not become a link that sends the row away.
"""

from __future__ import annotations

import csv

from pwcheck.model.findings import AuditReport
from pwcheck.report._rows import ENTRY_FIELDS, entry_row, flat_value, priority_by_entry
from pwcheck.report._stream import ReportStream
from pwcheck.report.interface import Renderer, RenderOptions
from pwcheck.system.display import shown

FIELDS = (*ENTRY_FIELDS, "priority", "priority_tier")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One CSV cell as written, from any field value (text, number, list, None)."""
    text = shown(flat_value(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvRenderer:
    name = "csv"
    names_accounts = True

    def render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        ranks = priority_by_entry(report)
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
        writer.writeheader()
        for index, entry in enumerate(report.entries):
            row = entry_row(entry, options.redact)
            row["priority"], row["priority_tier"] = ranks.get(index, (None, None))
            writer.writerow({key: cell(value) for key, value in row.items()})


RENDERER: Renderer = CsvRenderer()
