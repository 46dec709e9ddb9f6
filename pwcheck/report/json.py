"""`--format json`: the `pwcheck.report/1` document, for scripts.

The text is exactly `json.dump(document, indent=2, ensure_ascii=False)` plus a newline
(with DEL and the C1 controls escaped, below), but written member by member, and the long lists (entries, domains, skipped, priorities)
one row at a time as each is made: building every row and the whole text first was
most of the peak memory of a 100,000-row audit (benchmarks/, peak RSS). Nested values are dumped by `json` itself and
re-indented to their depth, which is safe because the only newlines in `json`'s output
are its own (a newline inside a string is escaped as `\\n`).

`json` escapes C0 control characters (`\\u001b`) but writes DEL and the C1 controls
(U+007F-U+009F, `\\u009b` is a CSI to a terminal) raw with `ensure_ascii=False`: `nested`
escapes those too, so a JSON report printed to a terminal acts on nothing, and parses to
exactly the same strings. URLs in it carry no userinfo (`_rows`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator, TextIO

from pwcheck.model.findings import AuditReport
from pwcheck.report._rows import report_document
from pwcheck.report._stream import ReportStream
from pwcheck.report.interface import Renderer, RenderOptions

INDENT = "  "
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def nested(value: Any, depth: int) -> str:
    """`value` as `json.dump(indent=2)` writes it when it sits `depth` levels deep (DEL and C1 escaped)."""
    text = json.dumps(value, indent=len(INDENT), ensure_ascii=False)
    if _RAW_CONTROLS.search(text) is not None:  # only inside strings: json writes none of its own
        text = _RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text.replace("\n", "\n" + INDENT * depth)


def write_document(document: dict[str, Any], out: TextIO | ReportStream) -> None:
    """The document as `json.dump(indent=2)` writes it; a member that is an iterator is written item by item."""
    out.write("{")
    for index, (key, value) in enumerate(document.items()):
        out.write(("," if index else "") + "\n" + INDENT + json.dumps(key, ensure_ascii=False) + ": ")
        if isinstance(value, Iterator):
            write_items(value, out, depth=1)
        else:
            out.write(nested(value, 1))
    out.write("\n}\n" if document else "}\n")


def write_items(items: Iterable[Any], out: TextIO | ReportStream, depth: int) -> None:
    """A list `depth` levels deep, one item at a time."""
    inner = "\n" + INDENT * (depth + 1)
    empty = True
    for item in items:
        out.write(("[" if empty else ",") + inner + nested(item, depth + 1))
        empty = False
    out.write("[]" if empty else "\n" + INDENT * depth + "]")


class JsonRenderer:
    name = "json"
    names_accounts = True

    def render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        write_document(report_document(report, options.redact, lazy=True), out)


RENDERER: Renderer = JsonRenderer()
