"""Every report format gives the same bytes as before the layout moved (issue 13's rule).

The expected documents in `tests/golden/` were written by the code before the move, not
rebuilt from today's constants (as pip-audit's JSON test writes its document out).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.golden import CASES, FORMATS, golden_path, run_case


@pytest.mark.parametrize("report_format", FORMATS)
@pytest.mark.parametrize("case", list(CASES))
def test_report_bytes_unchanged(case: str, report_format: str, tmp_path: Path) -> None:
    expected = golden_path(case, report_format).read_bytes()
    assert run_case(case, report_format, tmp_path) == expected
