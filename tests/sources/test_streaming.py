"""A 100,000-row export is read as a stream: memory holds the credentials kept, not the file."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from pwcheck.sources import read_export
from tests.support.bulk_exports import write_bulk

ROWS = 100_000


@pytest.mark.parametrize("fmt", ["chromium", "lastpass", "keepass-xml"])
def test_reading_holds_no_more_than_one_row(tmp_path: Path, fmt: str) -> None:
    path = write_bulk(fmt, tmp_path, ROWS)
    assert path.stat().st_size > 15 * 1024 * 1024
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_export(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == ROWS
    # Seen: under 1.1 MiB for 20-51 MiB files. A reader that loads the file would need more than the file.
    assert peak < 4 * 1024 * 1024, f"peak {peak >> 10} KiB while reading a {path.stat().st_size >> 20} MiB file"
