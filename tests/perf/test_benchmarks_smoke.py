"""The benchmark harness imports and one cheap area runs end to end (no timing is asserted).

Benchmarks prove speed in `python -m benchmarks`, never here; this only keeps the
harness from rotting: the table renders, the JSON is written, a missing area is
reported as not available instead of failing the run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import __main__ as bench
from benchmarks._harness import figure, table

FIELDS = {"figure", "unit", "median", "min", "max", "runs", "target", "ratio_to"}


def test_figure_follows_the_shared_convention() -> None:
    row = figure("x", "s", [3.0, 1.0, 2.0], target="< 5 s", met=True, ratio_to={"y": 0.5})
    assert FIELDS <= set(row)
    assert (row["median"], row["min"], row["max"], row["runs"]) == (2.0, 1.0, 3.0, 3)
    assert "| x | 2.00 | 1.00-3.00 | s | 3 | 0.5x y | < 5 s | met |" in table([row])


def test_quick_run_of_a_cheap_area_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One cheap area runs; an area whose module is absent is one line, not a failure."""
    monkeypatch.setattr(bench, "MODULES", [*bench.MODULES, "not_here"])
    out = tmp_path / "latest.json"
    assert bench.main(["--quick", "--only", "parse,not_here", "--runs", "1", "--json", str(out)]) == 0
    document = json.loads(out.read_text())
    figures = document["figures"]
    assert figures and all(FIELDS <= set(row) for row in figures)
    assert document["areas"]["parse"]["status"] == "ok"
    assert document["areas"]["not_here"]["status"] == "not available"
    printed = capsys.readouterr().out
    assert "| parse one range" in printed
    assert "not_here: not available" in printed


def test_every_listed_area_is_a_module_or_the_offline_one() -> None:
    for area in bench.MODULES:
        module = bench.load(area)
        assert module is not None or area == "offline"
        if module is not None:
            assert callable(module.run)
