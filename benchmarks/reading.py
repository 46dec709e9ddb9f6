"""Reading: rows per second for every export reader pwcheck has, found by itself.

The readers come from the registry (`pwcheck.sources.FORMATS`) and their data from the
fixture exports in tests/fixtures: each fixture is detected, and its records are repeated
into a large file of the same format (CSV rows, or the longest list of a JSON document),
so a reader added with a fixture is measured without touching this file. A format whose
fixture cannot be enlarged this way (an archive, say) is read whole, repeatedly. Rows are
every item the reader yields (credentials and skipped items). The floor is the bare
parser (`csv.reader` or `json.load`) on the same file, in the same rounds.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from benchmarks._harness import REPO, Figure, figure, interleave, median, time_call
from pwcheck.sources import FORMATS, detect, read_export
from pwcheck.sources._input import InputFile

FIXTURES = REPO / "tests" / "fixtures"
WHOLE_READ_BUDGET_S = 1.0  # per run, for a format read whole repeatedly


def fixtures_by_format() -> dict[str, Path]:
    """The largest fixture each format detects, by format name."""
    found: dict[str, Path] = {}
    for path in sorted(FIXTURES.iterdir(), key=lambda p: p.stat().st_size, reverse=True):
        if not path.is_file():
            continue
        try:
            name = detect(InputFile(path)).name
        except Exception:  # noqa: BLE001 - not an export fixture (e.g. a deliberately broken one)
            continue
        found.setdefault(name, path)
    return found


def enlarge(path: Path, rows: int, out: Path) -> tuple[Path, Callable[[], Any]] | None:
    """`path` repeated to about `rows` records in `out`, with its bare parser; None if not repeatable."""
    inp = InputFile(path)
    if inp.kind == "text" and inp.csv_header:
        raw = path.read_bytes()
        text = raw.decode(inp.encoding)
        records = list(csv.reader(io.StringIO(text, newline="")))
        header, body = records[0], [r for r in records[1:] if any(r)]
        quote_all = text.lstrip("\ufeff").startswith('"')
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, lineterminator="\r\n" if b"\r\n" in raw else "\n",
            quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
        )
        writer.writerow(header)
        for i in range(rows):
            writer.writerow(body[i % len(body)])
        out.write_text(buffer.getvalue(), encoding=inp.encoding, newline="")

        def bare() -> int:
            with open(out, encoding=inp.encoding, newline="") as handle:
                return sum(1 for _ in csv.reader(handle))

        return out, bare
    if inp.kind == "json" and isinstance(inp.json, dict):
        doc = inp.json
        key = max((k for k, v in doc.items() if isinstance(v, list)), key=lambda k: len(doc[k]), default=None)
        if key is None or not doc[key]:
            return None
        items = doc[key]
        doc = dict(doc, **{key: [items[i % len(items)] for i in range(rows)]})
        out.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")

        def bare_json() -> int:
            with open(out, encoding="utf-8") as handle:
                return len(json.load(handle)[key])

        return out, bare_json
    return None


def repeats_within(budget_s: float, read: Callable[[], Any], most: int) -> int:
    """How many whole reads fit in `budget_s`, from one timed read (at least 1, at most `most`).

    A file that cannot be enlarged is read whole again and again; a fixed count would let
    a slow-to-open format (a .kdbx derives its key with Argon2 on every open) run for
    half an hour.
    """
    one = time_call(read).wall
    return max(1, min(most, int(budget_s / max(one, 1e-6))))


def count_items(path: Path, fmt: str) -> int:
    """Items read, in one scoring run as `collect` reads them (each distinct password scored once)."""
    from pwcheck.sources.strength import scoring_run

    items = 0
    with scoring_run():
        for _ in read_export(path, forced=fmt):
            items += 1
    return items


def run(args: argparse.Namespace) -> list[Figure]:
    from tests.support.fixture_data import KDBX_PASSWORD

    os.environ.setdefault("PWCHECK_KDBX_PASSWORD", KDBX_PASSWORD)  # the fixture database's, not a user's
    runs = args.runs or (3 if args.quick else 7)
    rows_wanted = 5_000 if args.quick else 50_000
    fixtures = fixtures_by_format()
    rows: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            source = fixtures.get(fmt.name)
            if source is None:
                print(f"reading: {fmt.name}: no fixture in tests/fixtures detects as this format; not measured")
                continue
            made = enlarge(source, rows_wanted, Path(tmp) / f"{fmt.name}{source.suffix}")
            if made is None:
                path, bare = source, None
                repeat = repeats_within(WHOLE_READ_BUDGET_S, lambda: count_items(path, fmt.name), rows_wanted // 10)
                note = f"{source.name} read whole, {repeat:,} time{'s' if repeat > 1 else ''} a run"
            else:
                path, bare = made
                repeat, note = 1, f"{source.name} repeated to {rows_wanted:,} records"
            if detect(InputFile(path)).name != fmt.name:
                raise AssertionError(f"{path.name} no longer detects as {fmt.name}")
            items = count_items(path, fmt.name) * repeat
            measures = {"reader": lambda: time_call(lambda: [count_items(path, fmt.name) for _ in range(repeat)])}
            if bare is not None:
                measures["bare"] = lambda: time_call(bare)  # type: ignore[misc]
            samples = interleave(runs, measures)
            rate = [items / s.wall for s in samples["reader"]]
            ratio = None
            if bare is not None:
                bare_rate = [items / s.wall for s in samples["bare"]]
                ratio = {"bare parser": median(rate) / median(bare_rate)}
            rows.append(figure(f"read {fmt.name} ({fmt.label})", "rows/s", rate, ratio_to=ratio, note=note))
    return rows
