"""Report formats: one module per format behind one interface, looked up by name.

Modules are imported only when chosen, so `pwcheck --help` does not pay for `rich`.
"""

from __future__ import annotations

import importlib

from pwcheck.report._interface import Renderer, RenderOptions

RENDERERS: dict[str, str] = {
    "terminal": "pwcheck.report.terminal",
    "json": "pwcheck.report.json",
    "csv": "pwcheck.report.csv",
    "markdown": "pwcheck.report.markdown",
    "html": "pwcheck.report.html",
}


def format_names() -> list[str]:
    return list(RENDERERS)


def renderer(name: str) -> Renderer:
    """The renderer registered as `name`."""
    module = importlib.import_module(RENDERERS[name])
    return module.RENDERER  # type: ignore[no-any-return]


__all__ = ["Renderer", "RenderOptions", "format_names", "renderer"]
