"""What every report format implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from pwcheck.model.findings import AuditReport


@dataclass(frozen=True)
class RenderOptions:
    """Choices that apply to every format."""

    show_all: bool = False
    color: bool | None = None
    redact: bool = False


class Renderer(Protocol):
    name: str
    names_accounts: bool

    def render(self, report: AuditReport, out: TextIO, options: RenderOptions) -> None:
        """Write the report; never a password or a full hash (the model holds neither in text)."""
        ...
