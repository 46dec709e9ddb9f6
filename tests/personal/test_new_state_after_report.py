"""`--new` state and the report are atomic together: the state is written only after the report."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.cli import invoke
from tests.support.exporters import PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer


def state_file() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "pwcheck" / "findings.json"


def test_a_report_that_could_not_be_written_leaves_the_state_alone(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW])
    failed = invoke("audit", str(path), "--new", "-o", str(tmp_path / "missing" / "report.txt"), "--api-url", range_server.url)
    assert failed.returncode == 2 and b"cannot write report" in failed.stderr
    assert not state_file().exists()
    shown = invoke("audit", str(path), "--new", "--api-url", range_server.url)
    assert shown.returncode == 1  # the finding was never shown: it is new now, not "still present"
    assert state_file().exists()
    again = invoke("audit", str(path), "--new", "--api-url", range_server.url)
    assert again.returncode == 0  # and once shown, it is remembered


def test_a_failed_report_keeps_the_previous_state_byte_for_byte(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [])
    assert invoke("audit", str(path), "--new", "--api-url", range_server.url).returncode == 0
    before = state_file().read_bytes()
    path = export(tmp_path, [PWNED_ROW])
    failed = invoke("audit", str(path), "--new", "--format", "json", "-o", str(tmp_path / "no" / "r.json"), "--api-url", range_server.url)
    assert failed.returncode == 2
    assert state_file().read_bytes() == before
    assert invoke("audit", str(path), "--new", "--api-url", range_server.url).returncode == 1
