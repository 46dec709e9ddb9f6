"""`pwcheck serve` without its extra installed is one line and exit 2, not a traceback (exit 1 reads as "pwned")."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.support.cli import invoke


def test_serve_without_uvicorn_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    # invoke() fails the test on any exception other than SystemExit (a traceback in a real process).
    result = invoke("serve", "--store", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == b"pwcheck: `pwcheck serve` needs uvicorn: pip install 'pwcheck-hibp[serve]' (in a clone: pip install '.[serve]')\n"
