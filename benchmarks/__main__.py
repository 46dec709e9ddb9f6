"""`python -m benchmarks [--quick] [--only AREA,...]`: run the areas, print the table, write JSON.

Each area is a module `benchmarks/<area>.py` with `run(args) -> list[dict]` (the figure
convention is in `_harness.figure`). An area whose module is absent (the offline store's
benchmarks live on their own branch until merged) is reported as not available; an area
that fails is reported with its error and the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

from benchmarks._harness import REPO, machine, table

MODULES = ["server", "startup", "parse", "client", "reading", "audit", "memory", "offline", "static"]
RESULTS = REPO / "benchmarks" / "results" / "latest.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes: a smoke run, not a result")
    parser.add_argument("--only", default="", help=f"comma-separated areas (default all: {','.join(MODULES)})")
    parser.add_argument("--runs", type=int, default=None, help="override every area's number of runs")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS.relative_to(REPO)})")
    args = parser.parse_args(argv)
    args.areas = [a for a in args.only.split(",") if a] or list(MODULES)
    unknown = [a for a in args.areas if a not in MODULES]
    if unknown:
        parser.error(f"unknown area(s): {', '.join(unknown)}")
    return args


def load(area: str):  # type: ignore[no-untyped-def]
    """The area's module, or None when it is not part of this checkout."""
    name = f"benchmarks.{area}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    print(f"# pwcheck benchmarks{' (quick)' if args.quick else ''}: python {info['python']}, "
          f"{info['cpus']} CPUs, load average {info['loadavg_at_start']}", flush=True)
    rows: list[dict] = []
    areas: dict[str, dict] = {}
    failed = False
    for area in args.areas:
        module = load(area)
        if module is None:
            print(f"{area}: not available", flush=True)
            areas[area] = {"status": "not available"}
            continue
        started = time.perf_counter()
        try:
            figures = module.run(args)
        except Exception as exc:  # noqa: BLE001 - one broken area must not hide the others
            failed = True
            print(f"{area}: FAILED ({type(exc).__name__}: {exc})", flush=True)
            traceback.print_exc(file=sys.stderr)
            areas[area] = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
            continue
        for row in figures:
            row["area"] = area
        rows.extend(figures)
        areas[area] = {"status": "ok", "seconds": round(time.perf_counter() - started, 1)}
        print(f"\n## {area} ({areas[area]['seconds']} s)\n\n{table(figures)}\n", flush=True)
    info["loadavg_at_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    document = {"quick": args.quick, "machine": info, "areas": areas, "figures": rows,
                "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    missed = [row["figure"] for row in rows if row.get("met") is False]
    broken = [area for area, state in areas.items() if state["status"] == "failed"]
    print(f"wrote {args.json}; targets missed: {', '.join(missed) if missed else 'none'}"
          + (f"; areas FAILED (no figures, targets unknown): {', '.join(broken)}" if broken else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
