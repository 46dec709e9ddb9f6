"""The coverage-guided fuzzers in fuzz/ run for a short fixed budget in CI and find no crash.

The budget is seconds per target (PWCHECK_ATHERIS_SECONDS, default 3); fuzz/atheris_parsers.py
documents the longer command. Skipped only where atheris is not installed (`pip install .[fuzz]`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "fuzz" / "atheris_parsers.py"
SECONDS = os.environ.get("PWCHECK_ATHERIS_SECONDS", "3")


@pytest.mark.parametrize("target", ["readers", "range-body", "domains"])
def test_atheris_finds_no_crash(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris not installed: pip install '.[fuzz]'")
    proc = subprocess.run(
        [sys.executable, str(HARNESS), target, f"-max_total_time={SECONDS}", "-rss_limit_mb=2048", "-timeout=10"],
        capture_output=True, cwd=tmp_path, timeout=300,
    )
    log = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, log[-4000:]
    assert "Done" in log and not list(tmp_path.glob("crash-*"))
