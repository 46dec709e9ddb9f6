"""What every report format implements, and the options every format takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pwcheck.model.findings import AuditReport
from pwcheck.report._stream import ReportStream


@dataclass(frozen=True)
class RenderOptions:
    """Choices that apply to every format."""

    show_all: bool = False
    color: bool | None = None
    redact: bool = False


class Renderer(Protocol):
    """One report format; each module's `RENDERER` is declared as this, so mypy checks it fits."""

    name: str
    names_accounts: bool  # the report names accounts: warn when its file is readable by others

    def render(self, report: AuditReport, out: ReportStream, options: RenderOptions) -> None:
        """Write the report; never a password or a full hash (the model holds neither in text)."""
        ...
