"""CPU per range request: what pwcheck's client spends on each prefix, next to bare aiohttp.

The server runs in its own process with no added latency, so the client is the limit
and its own CPU time (this process only: `time.process_time`) divided by the requests
is the cost of one range: request, transport, reading, validating and finding. The floor
is a plain `aiohttp.ClientSession` doing GET + read with the same concurrency and no
parsing at all. Throughput is shown against C / R, the most a run at the default C and 25 ms can ask
(the server is in another process, but on the same two cores).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks._corpus import corpus_lines, passwords, write_lines
from benchmarks._harness import Figure, Sample, figure, interleave, median
from benchmarks._rangeserver import range_server
from pwcheck.check.range_client import RangeClient
from pwcheck.net.http import ClientSettings

CONCURRENCY = ClientSettings().concurrency  # the CLI's default
LATENCY = 0.025


def measure_pwcheck(url: str, digests: list[bytes], expected: dict[bytes, int]) -> Sample:
    client = RangeClient(ClientSettings(api_url=url, concurrency=CONCURRENCY))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = asyncio.run(client.lookup(digests))
    sample = Sample(time.perf_counter() - wall0, time.process_time() - cpu0)
    if result.counts != expected:
        raise AssertionError("pwcheck's counts differ from the corpus: the run measures nothing")
    return sample


def measure_aiohttp(url: str, prefixes: list[str]) -> Sample:
    import aiohttp

    async def main() -> None:
        pending = list(prefixes)
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector, headers={"Add-Padding": "true"}) as session:

            async def worker() -> None:
                while pending:
                    prefix = pending.pop()
                    async with session.get(f"{url}/range/{prefix}") as response:
                        await response.read()

            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))

    cpu0, wall0 = time.process_time(), time.perf_counter()
    asyncio.run(main())
    return Sample(time.perf_counter() - wall0, time.process_time() - cpu0)


def run(args: argparse.Namespace) -> list[Figure]:
    runs = args.runs or (3 if args.quick else 7)
    pwds = passwords(500 if args.quick else 2000)
    digests = [bytes.fromhex(p.sha1_hex) for p in pwds]
    expected = {d: p.count for d, p in zip(digests, pwds)}
    prefixes = [p.prefix for p in pwds]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_lines(Path(tmp) / "corpus.txt", corpus_lines(pwds))
        with range_server(latency=0.0, corpus_file=corpus) as url:
            samples = interleave(runs, {
                "pwcheck": lambda: measure_pwcheck(url, digests, expected),
                "aiohttp": lambda: measure_aiohttp(url, prefixes),
            })
    n = len(prefixes)
    cpu = {name: [s.cpu / n * 1e6 for s in values] for name, values in samples.items()}
    rate = {name: [n / s.wall for s in values] for name, values in samples.items()}
    demand = CONCURRENCY / LATENCY
    note = f"{n} prefixes, C={CONCURRENCY}, 0 ms"
    return [
        figure(
            "client CPU per range request (pwcheck RangeClient)", "us CPU", cpu["pwcheck"], note=note,
            ratio_to={"bare aiohttp GET+read": median(cpu["pwcheck"]) / median(cpu["aiohttp"])},
        ),
        figure("client CPU per range request (bare aiohttp, no parsing)", "us CPU", cpu["aiohttp"], note=note),
        figure(
            "client throughput (pwcheck RangeClient)", "req/s", rate["pwcheck"], note=note,
            ratio_to={"bare aiohttp": median(rate["pwcheck"]) / median(rate["aiohttp"]), f"C/R = {demand:,.0f}/s": median(rate["pwcheck"]) / demand},
        ),
        figure("client throughput (bare aiohttp)", "req/s", rate["aiohttp"], note=note),
    ]
