"""`-q` silences notes and reminders, never a report the user asked for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import invoke, run
from tests.support.exporters import PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer


def pwned(report: dict[str, Any]) -> int:
    return sum(1 for entry in report["entries"] if entry["pwned_count"])


@pytest.mark.parametrize("report_format", ["json", "csv", "markdown", "terminal"])
def test_quiet_still_writes_the_report_to_stdout(range_server: RangeServer, tmp_path: Path, report_format: str) -> None:
    path = export(tmp_path, [PWNED_ROW])
    loud = invoke("audit", str(path), "--format", report_format, "--api-url", range_server.url)
    quiet = invoke("audit", "-q", str(path), "--format", report_format, "--api-url", range_server.url)
    assert quiet.returncode == loud.returncode == 1
    assert quiet.stdout and quiet.stdout.count(b"\n") == loud.stdout.count(b"\n")
    assert b"plaintext copy" in loud.stderr and b"plaintext copy" not in quiet.stderr  # the reminder is what goes
    if report_format == "json":
        assert pwned(json.loads(quiet.stdout)) == 1


def test_quiet_json_redirected_to_a_file_is_the_report(range_server: RangeServer, tmp_path: Path) -> None:
    """The issue's command line, in a real shell: `pwcheck audit -q --format json export.csv > r.json`."""
    path = export(tmp_path, [PWNED_ROW])
    proc = run("audit", "-q", "--format", "json", str(path), "--api-url", range_server.url)
    assert proc.returncode == 1 and proc.stderr == b""
    assert pwned(json.loads(proc.stdout)) == 1
