"""One piece of text a person reads, with a style hint (shared by `_views` and `_advice`).

A `Cell`'s `style` ("bad", "warn", "good", "muted" or None) is a hint each format maps to
colour or emphasis; the text alone must read right (print, no colour, screen readers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Style = Literal["bad", "warn", "good", "muted"] | None


@dataclass(frozen=True)
class Cell:
    """Text with a style hint; `markup` is the same text as rich markup when a section has its own."""

    text: str
    style: Style = None
    markup: str | None = None
