"""The benchmark range server's own capacity, measured with `wrk` from another process.

If the server were slower than the client, every online figure would measure the server.
Two settings: no added latency (raw capacity), and the 25 ms the audit figures use with
more connections than any client here opens. Both are compared with C / R, the most a
client at pwcheck's default C can ask at 25 ms. Random prefixes, padded ~41 KB bodies.
"""

from __future__ import annotations

import argparse
import shutil

from benchmarks._harness import Figure, figure, median
from benchmarks._rangeserver import capacity, range_server
from pwcheck.net.defaults import DEFAULT_CONCURRENCY

CLIENT_DEMAND = DEFAULT_CONCURRENCY / 0.025  # C / R of the audit figures: 2,560 requests/s at C=64


def run(args: argparse.Namespace) -> list[Figure]:
    if shutil.which("wrk") is None:
        print("server: wrk is not installed; capacity not measured")
        return []
    runs = args.runs or 3
    seconds = 1.0 if args.quick else 3.0
    rows: list[Figure] = []
    for latency, connections in ((0.0, 64), (0.025, 256)):
        with range_server(latency=latency) as url:
            capacity(url, connections, 1.0)  # warm-up
            rates = [capacity(url, connections, seconds) or 0.0 for _ in range(runs)]
        rows.append(figure(
            f"range server capacity (wrk, {latency * 1000:.0f} ms, {connections} connections)", "req/s", rates,
            target=f">= 3x C/R = {3 * CLIENT_DEMAND:,.0f} req/s", met=median(rates) >= 3 * CLIENT_DEMAND,
            ratio_to={f"C/R (C={DEFAULT_CONCURRENCY}, 25 ms)": median(rates) / CLIENT_DEMAND},
        ))
    return rows
