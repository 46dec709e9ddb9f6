"""Report formats: one module per format behind one interface, looked up by name.

Modules are imported only when chosen, so `pwcheck --help` does not pay for `rich`.
"""

from __future__ import annotations

from pwcheck.report.interface import Renderer, RenderOptions
from pwcheck.system.registry import Registry

RENDERERS: Registry[Renderer] = Registry("report format", {
    "terminal": "pwcheck.report.terminal:RENDERER",
    "json": "pwcheck.report.json:RENDERER",
    "csv": "pwcheck.report.csv:RENDERER",
    "markdown": "pwcheck.report.markdown:RENDERER",
    "html": "pwcheck.report.html:RENDERER",
})


def format_names() -> list[str]:
    return RENDERERS.names()


def renderer(name: str) -> Renderer:
    """The renderer registered as `name`."""
    return RENDERERS.get(name)


__all__ = ["Renderer", "RenderOptions", "format_names", "renderer"]
