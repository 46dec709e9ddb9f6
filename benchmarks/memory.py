"""Peak memory: the CLI's maximum resident set auditing a 100,000-row export.

Every row has its own password (100,000 unique passwords, about 95,000 range requests),
the worst case for what the audit holds: credentials, counts, entries and the JSON
report. The server answers without added latency (memory does not depend on it, and a
25 ms run would take minutes). Peak RSS is the child's own `ru_maxrss`, taken by wait4 in
a small launcher process (`run_child(own_rss=True)`): spawned straight from this process,
the figure would include this process's own size. One run by default (it takes a minute
or more; peak RSS hardly varies); `--runs` for more.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks._corpus import corpus_lines, passwords, write_chromium, write_lines
from benchmarks._harness import Figure, child_env, figure, median, python_cmd, run_child
from benchmarks._rangeserver import range_server

TARGET_MIB = 200


def run(args: argparse.Namespace) -> list[Figure]:
    runs = args.runs or 1
    rows = 10_000 if args.quick else 100_000
    pwds = passwords(rows, distinct_prefixes=False)
    want_pwned = sum(1 for p in pwds if p.count)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        export = write_chromium(work / "export.csv", pwds)
        corpus = write_lines(work / "corpus.txt", corpus_lines(pwds))
        out = work / "report.json"
        cmd = python_cmd("-m", "pwcheck", "audit", str(export), "--format", "json", "--no-progress", "--no-breaches", "--no-directories")
        samples = []
        with range_server(latency=0.0, corpus_file=corpus) as url:
            for _ in range(runs):
                sample = run_child([*cmd, "--api-url", url], env=child_env(), expect=(1,), stdout_path=out, own_rss=True)
                stats = json.loads(out.read_text())["stats"]
                if (stats["credentials"], stats["not_checked_entries"], stats["pwned_entries"]) != (rows, 0, want_pwned):
                    raise AssertionError(f"the {rows:,}-row audit answered wrongly: {stats}")
                samples.append(sample)
    rss = [s.maxrss_kib / 1024 for s in samples]
    note = f"{rows:,} rows, {rows:,} unique passwords, 0 ms"
    return [
        figure(
            f"peak RSS, CLI audit of a {rows:,}-row export", "MiB", rss, note=note,
            target=f"< {TARGET_MIB} MB" if rows == 100_000 else None,
            met=(median(rss) * 1.048576 < TARGET_MIB) if rows == 100_000 else None,
        ),
        figure("wall time of that audit", "s", [s.wall for s in samples], note=note),
        figure("CPU time of that audit", "s", [s.cpu for s in samples], note=note),
    ]
