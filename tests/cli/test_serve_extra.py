"""`pwcheck serve` without its extra installed is one line and exit 2, not a traceback (exit 1 reads as "pwned")."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from pwcheck.cli.main import main


def test_serve_without_uvicorn_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == "pwcheck: `pwcheck serve` needs uvicorn: pip install 'pwcheck[serve]'\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)
