"""Whole terminal reports printed through `_grid` are, byte for byte, the ones rich's own tables print.

`test_table_layout.py` compares the tables on random cells; here the cells are the ones a
real audit makes (the bundled demo, and every export fixture against the test range server
with a breach catalogue: breaches, advice lines, links, details, plain-http sites, `--all`,
`--redact`), at widths from narrow to wide, colour and none. The reference is the same
renderer with `_grid` switched off, which prints rich's `Table` (and `_columns`) as before
`_grid`; each case also checks that `_grid` did lay out the tables where it should.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pwcheck.model.findings import AuditReport
from pwcheck.report import _grid
from pwcheck.report._stream import ReportStream
from pwcheck.report.interface import RenderOptions
from pwcheck.report.terminal import RENDERER
from tests.support.breach_fixture import catalogue_bytes
from tests.support.cli import ALL_FILES, invoke
from tests.support.rangeserver import RangeServer


def _audited(monkeypatch: pytest.MonkeyPatch, *args: str) -> AuditReport:
    """The report `pwcheck audit *args` renders."""
    import pwcheck.cli.audit as command

    reports: list[AuditReport] = []
    render = command._render

    def keep(report: AuditReport, *rest: Any, **kw: Any) -> None:
        reports.append(report)
        render(report, *rest, **kw)

    with monkeypatch.context() as patch:
        patch.setattr(command, "_render", keep)
        invoke("audit", *args)
    assert len(reports) == 1
    return reports[0]


def _printed(monkeypatch: pytest.MonkeyPatch, report: AuditReport, width: int, color: bool, options: RenderOptions) -> str:
    with monkeypatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        patch.setenv("TERM", "xterm-256color")
        patch.delenv("NO_COLOR", raising=False)
        if color:
            patch.setenv("FORCE_COLOR", "1")
            patch.setenv("COLORTERM", "truecolor")
        else:
            patch.delenv("FORCE_COLOR", raising=False)
        out = io.StringIO()
        RENDERER.render(report, ReportStream(out), options)
        return out.getvalue()


def _compare(monkeypatch: pytest.MonkeyPatch, report: AuditReport, options: RenderOptions) -> None:
    laid_out: list[str] = []

    def counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            result = function(*args)
            if result is not None:
                laid_out.append(name)
            return result
        return call

    for width in (20, 40, 63, 80, 100, 120, 200):
        for color in (False, True):
            with monkeypatch.context() as patch:
                patch.setattr(_grid, "priority_lines", counted("priorities", _grid.priority_lines))
                patch.setattr(_grid, "contact_lines", counted("contacts", _grid.contact_lines))
                ours = _printed(monkeypatch, report, width, color, options)
            with monkeypatch.context() as patch:
                patch.setattr(_grid, "priority_lines", lambda *args: None)
                patch.setattr(_grid, "contact_lines", lambda *args: None)
                theirs = _printed(monkeypatch, report, width, color, options)
            assert ours == theirs, (width, color)
            assert ("\x1b[" in ours) == color
    assert "priorities" in laid_out and "contacts" in laid_out  # `_grid` was tried and took the common case


@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(show_all=True, redact=True)])
def test_demo_report_through_grid_is_rich_s(monkeypatch: pytest.MonkeyPatch, options: RenderOptions) -> None:
    _compare(monkeypatch, _audited(monkeypatch, "--demo"), options)


def test_fixtures_report_through_grid_is_rich_s(monkeypatch: pytest.MonkeyPatch, range_server: RangeServer, fixtures: Path) -> None:
    range_server.breaches = catalogue_bytes()
    report = _audited(
        monkeypatch, *(str(fixtures / name) for name in ALL_FILES), "--api-url", range_server.url, "--breaches-url", range_server.breaches_url,
    )
    _compare(monkeypatch, report, RenderOptions(show_all=True))


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_rendering_and_left_as_it_was(monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    import gc

    report = _audited(monkeypatch, "--demo")
    during: list[bool] = []
    lay_out = _grid.priority_lines
    monkeypatch.setattr(_grid, "priority_lines", lambda *args: during.append(gc.isenabled()) or lay_out(*args))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        _printed(monkeypatch, report, 80, False, RenderOptions())
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()
    assert during == [False]


def test_a_rich_without_its_wrap_helpers_gets_rich_s_own_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_grid` leans on two of rich's private helpers (`divide_line`, `_is_single_cell_widths`); a rich
    release without them must still print the report, through rich's own tables, not fail."""
    report = _audited(monkeypatch, "--demo")
    expected = _printed(monkeypatch, report, 80, False, RenderOptions())
    monkeypatch.setattr(_grid, "divide_line", None)
    monkeypatch.setattr(_grid, "_is_single_cell_widths", None)
    assert _grid.priority_lines(None, [], 80) is None and _grid.contact_lines(None, ("A",), [], 80) is None
    assert _printed(monkeypatch, report, 80, False, RenderOptions()) == expected
