"""Export readers: rows per second for each format, next to a bare `csv` + SHA-1 loop on the same file.

`python -m benchmarks.readers [--quick] [--json]`. Every figure is a median of several runs
(interleaved with the peer, so load from elsewhere hits both) with min and max.

Each reader detects and reads a generated export (`tests/bulk_exports.py`: the exporter's
own quoting, a quoted note with commas and quotes on every row) without keeping the items.
The peer is the least any reader must do: Python's `csv.reader` over the Chromium file plus
one SHA-1 per row. The target says whether reading can be the bottleneck: range lookups
run at about 1,000 ranges per second, so a reader at 10,000 rows/s or more is not.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.offline import Figure, figure, timed  # noqa: E402
from pwcheck.sources import read_export  # noqa: E402
from tests.bulk_exports import WRITERS, write_bulk  # noqa: E402

TARGET = 10_000


def bare_csv(path: Path) -> int:
    """The floor: parse every row and hash one field, nothing else."""
    count = 0
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            hashlib.sha1(row[3].encode()).digest()
            count += 1
    return count


def run(args: argparse.Namespace) -> list[Figure]:
    quick = bool(getattr(args, "quick", False))
    rows = 20_000 if quick else 100_000
    runs = 3 if quick else 5
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="pwcheck-readers-bench-") as tmp:
        base = Path(tmp)
        paths = {fmt: write_bulk(fmt, base, rows) for fmt in WRITERS}
        rates: dict[str, list[float]] = {fmt: [] for fmt in WRITERS}
        floor: list[float] = []
        for _ in range(runs):
            seconds, count = timed(lambda: bare_csv(paths["chromium"]))
            assert count == rows
            floor.append(rows / seconds)
            for fmt, path in paths.items():
                seconds, count = timed(lambda path=path: sum(1 for _ in read_export(path)))
                assert count == rows, (fmt, count)
                rates[fmt].append(rows / seconds)
        peer = statistics.median(floor)
        for fmt, values in rates.items():
            median = statistics.median(values)
            size = paths[fmt].stat().st_size >> 20
            figures.append(figure(f"read {fmt}, {rows:,} rows ({size} MiB)", "rows/s", values, f">= {TARGET:,}",
                                  {"csv.reader + sha1 (chromium file)": round(median / peer, 2)}, met=median >= TARGET))
        figures.append(figure(f"peer: csv.reader + sha1, {rows:,} rows", "rows/s", floor))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Export reader benchmarks")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run(args)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for row in figures:
        ratio = "" if not row["ratio_to"] else "  vs " + ", ".join(f"{k}: {v}x" for k, v in row["ratio_to"].items())
        target = f"  (target {row['target']})" if row["target"] else ""
        print(f"{row['figure']}: {row['median']:,.0f} {row['unit']} [min {row['min']:,.0f}, max {row['max']:,.0f}, "
              f"{row['runs']} runs]{target}{ratio}")


if __name__ == "__main__":
    main()
