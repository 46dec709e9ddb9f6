"""Peak memory: the CLI's maximum resident set auditing a 100,000-row export on the default path.

Every row has its own password (100,000 unique passwords, about 95,000 range requests),
the worst case for what the audit holds: credentials, counts, entries, zxcvbn's scores,
the breach catalogue (~1 MB, as the real one), both directories, and the JSON report.
The command is `pwcheck audit FILE` with default flags, as users run it (issue 19): the
lists come from the benchmark server through `PWCHECK_*_URL` (`benchmarks.audit.default_env`),
revalidated with 304 after an uncounted first run cached them. The server answers without
added latency (memory does not depend on it, and a 25 ms run would take minutes). Peak RSS is the child's own `ru_maxrss`, taken by wait4 in
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
from benchmarks._harness import Figure, figure, median, python_cmd, run_child
from benchmarks._rangeserver import range_server
from benchmarks.audit import default_env

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
        cmd = python_cmd("-m", "pwcheck", "audit", str(export), "--format", "json")
        samples = []
        with range_server(latency=0.0, corpus_file=corpus) as url:
            env = default_env(url, work / "home")
            for counted in [False] + [True] * runs:  # the first run caches the lists, as a user's first audit
                sample = run_child(cmd, env=env, expect=(1,), stdout_path=out, own_rss=True)
                doc = json.loads(out.read_text())
                stats = doc["stats"]
                lists = (doc["breach_data"]["available"], doc["directories"]["twofactor"]["available"],
                         doc["directories"]["passkeys"]["available"])
                if (stats["credentials"], stats["not_checked_entries"], stats["pwned_entries"]) != (rows, 0, want_pwned) \
                        or lists != (True, True, True):
                    raise AssertionError(f"the {rows:,}-row default audit answered wrongly: {stats} {lists}")
                if counted:
                    samples.append(sample)
    rss = [s.maxrss_kib / 1024 for s in samples]
    note = f"{rows:,} rows, {rows:,} unique passwords, 0 ms, default flags (catalogue and directories served)"
    return [
        figure(
            f"peak RSS, default CLI audit of a {rows:,}-row export", "MiB", rss, note=note,
            target=f"< {TARGET_MIB} MB" if rows == 100_000 else None,
            met=(median(rss) * 1.048576 < TARGET_MIB) if rows == 100_000 else None,
        ),
        figure("wall time of that audit", "s", [s.wall for s in samples], note=note),
        figure("CPU time of that audit", "s", [s.cpu for s in samples], note=note),
    ]
