"""Timing, statistics, child processes and the table: written once for every benchmark area.

The machine these run on is shared and noisy, so a figure is never one timing: it is the
median of several runs with min and max, and a comparison is a ratio of medians measured
in the same run, with the compared things interleaved (A B A B ...) so that a burst of
load from elsewhere hits both sides.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

REPO = Path(__file__).resolve().parent.parent
Figure = dict[str, Any]


@dataclass(frozen=True)
class Sample:
    """What one run of a measured thing gave: wall seconds, CPU seconds, peak RSS (KiB)."""

    wall: float
    cpu: float = 0.0
    maxrss_kib: int = 0
    returncode: int = 0


def figure(
    name: str,
    unit: str,
    values: Sequence[float],
    *,
    target: str | None = None,
    ratio_to: dict[str, float] | None = None,
    met: bool | None = None,
    note: str | None = None,
) -> Figure:
    """One row of the table, in the shared convention (median, min, max, runs, target, ratio_to).

    `met` says whether `target` holds in this run (None when there is no target); `note`
    says how the figure was obtained when that is not obvious (e.g. extrapolated).
    """
    if not values:
        raise ValueError(f"{name}: no measurements")
    row: Figure = {
        "figure": name,
        "unit": unit,
        "median": float(statistics.median(values)),
        "min": float(min(values)),
        "max": float(max(values)),
        "runs": len(values),
        "target": target,
        "ratio_to": ratio_to,
    }
    if met is not None:
        row["met"] = met
    if note:
        row["note"] = note
    return row


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def time_call(fn: Callable[[], object]) -> Sample:
    """Wall and CPU time of one call in this process."""
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    fn()
    return Sample(time.perf_counter() - wall0, time.process_time() - cpu0)


# Spawns argv[1:] and reports the grandchild's rusage on stderr: see run_child(own_rss=True).
_LAUNCHER = (
    "import os, sys\n"
    "pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "sys.stderr.write(f'\\npwcheck-bench-rusage {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}\\n')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_child(
    cmd: Sequence[str],
    *,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    expect: Iterable[int] = (0,),
    stdout_path: Path | None = None,
    own_rss: bool = False,
) -> Sample:
    """Run a command to completion; wall time, its own CPU time and peak RSS from wait4.

    The child's resource usage comes from `os.wait4` on that one pid, so no other child
    is counted. But Linux carries the parent's resident size into a spawned child's
    `ru_maxrss` (it survives the exec), so a child of this big process never reports
    less than this process's size; `own_rss=True` spawns it from a small launcher
    process instead and takes the launcher's wait4 of it (adds the launcher's start-up
    to the wall time: use it for memory figures only). An unexpected exit code is an
    error: a benchmark of a failing command measures nothing.
    """
    if own_rss:
        cmd = [sys.executable, "-c", _LAUNCHER, *cmd]
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out, stderr=subprocess.PIPE, env=env, cwd=REPO,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout_path:
            out.close()  # type: ignore[union-attr]
    lines = err.decode("utf-8", "replace").strip().splitlines()
    maxrss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if own_rss and lines and lines[-1].startswith("pwcheck-bench-rusage "):
        _, rss_text, cpu_text = lines.pop().split()
        maxrss, cpu = int(rss_text), float(cpu_text)
    elif own_rss:
        raise RuntimeError("the launcher did not report the child's resource usage")
    if proc.returncode not in tuple(expect):
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {' | '.join(lines[-3:])}")
    return Sample(wall, cpu, maxrss, proc.returncode)


def interleave(runs: int, measures: dict[str, Callable[[], Sample]], warmup: bool = True) -> dict[str, list[Sample]]:
    """Run each measure once per round, round after round; one untimed warm-up round first."""
    if warmup:
        for measure in measures.values():
            measure()
    samples: dict[str, list[Sample]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            samples[name].append(measure())
    return samples


def python_cmd(*args: str) -> list[str]:
    """This interpreter (the venv pwcheck is installed in) with `args`."""
    return [sys.executable, *args]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for children: this one, without the API override or bytecode switches."""
    env = {k: v for k, v in os.environ.items() if k not in ("PWCHECK_API_URL", "PYTHONDONTWRITEBYTECODE")}
    env.update(extra)
    return env


# ---------------------------------------------------------------------------- the table

def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _ratios(row: Figure) -> str:
    ratios = row.get("ratio_to") or {}
    return ", ".join(f"{_fmt(v)}x {k}" for k, v in ratios.items())


def _status(row: Figure) -> str:
    if row.get("target") is None:
        return ""
    met = row.get("met")
    return "met" if met else ("MISSED" if met is False else "?")


def table(rows: Sequence[Figure], area_of: dict[int, str] | None = None) -> str:
    """A Markdown table: figure, median (min-max), runs, ratios, target and whether it held."""
    lines = [
        "| figure | median | min-max | unit | runs | ratio (this / other, same run) | target | |",
        "|---|---:|---:|---|---:|---|---|---|",
    ]
    for row in rows:
        name = row["figure"] + (f" *({row['note']})*" if row.get("note") else "")
        lines.append(
            f"| {name} | {_fmt(row['median'])} | {_fmt(row['min'])}-{_fmt(row['max'])} | {row['unit']} "
            f"| {row['runs']} | {_ratios(row)} | {row.get('target') or ''} | {_status(row)} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the numbers were measured on, including how busy the machine was."""
    import platform

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in load],
    }
