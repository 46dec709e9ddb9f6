"""`--format json`: the `pwcheck.report/1` document, for scripts."""

from __future__ import annotations

import json
from typing import TextIO

from pwcheck.analyse.findings import AuditReport
from pwcheck.report._interface import RenderOptions
from pwcheck.report._rows import report_document


class JsonRenderer:
    name = "json"
    names_accounts = True

    def render(self, report: AuditReport, out: TextIO, options: RenderOptions) -> None:
        json.dump(report_document(report, options.redact), out, indent=2, ensure_ascii=False)
        out.write("\n")


RENDERER = JsonRenderer()
