"""Offline store, import, lookups, mirror and serve, next to the peers on the same corpus.

`python -m benchmarks.offline [--quick]` alone, or as the `offline` area of
`python -m benchmarks`. Every figure is a median of several runs with min and max.

The corpus is a dense slice with the real corpus's shape: about 1,000 hashes in each of
the first 1,024 (quick) or 4,096 prefixes, written in the downloader's single-file
layout. Peers measured on the same file and the same sample of hashes:

- `pwnedpasswords-offline` (PyPI): binary search over the mmapped sorted text file; it
  answers present/absent, not the count, and needs no import step.
- `pwnedpass` (PyPI): a 2^24-entry index of 3-byte prefixes + 21-byte records. Its own
  `rewrite` only finishes on a corpus holding every 3-byte prefix (it raises otherwise,
  after the data pass), so its import time is that data pass, and the file its `search`
  reads is written here in its documented layout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pwcheck.check.store import Store  # noqa: E402
from pwcheck.check.store_format import DATA_OFFSET, SHA1  # noqa: E402
from pwcheck.corpus.importer import import_corpus  # noqa: E402
from tests.support import corpus_gen  # noqa: E402

Figure = dict[str, Any]
TEXT_BYTES_PER_LINE_REAL = 44.5  # the downloader's sorted file: ~37.7 GB for ~847M hashes (v8)


def figure(name: str, unit: str, values: list[float], target: str | None = None,
           ratio_to: dict[str, float] | None = None, met: bool | None = None, note: str | None = None) -> Figure:
    """One row in the shared convention; `ratio_to` is always this figure's median / the other's."""
    row: Figure = {"figure": name, "unit": unit, "median": float(statistics.median(values)), "min": float(min(values)),
                   "max": float(max(values)), "runs": len(values), "target": target, "ratio_to": ratio_to}
    if met is not None:
        row["met"] = met
    if note:
        row["note"] = note
    return row


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


# --- peers -----------------------------------------------------------------------------

def pwnedpass_import(text: Path, out: Path) -> None:
    """pwnedpass's own rewrite; the RuntimeError at the end on a partial corpus is expected."""
    from pwnedpass.rewrite import rewrite

    with open(text) as src, open(out, "wb") as dst, contextlib.redirect_stdout(io.StringIO()):
        with contextlib.suppress(RuntimeError):
            rewrite(src, dst)


def pwnedpass_file(entries: dict[bytes, int], out: Path) -> None:
    """pwnedpass's documented layout, complete: u64 big-endian pointer per 3-byte prefix, then records."""
    from pwnedpass.constants import ENTRY_SIZE, INDEX_PREFIX_SIZE

    digests = sorted(entries)
    heads = [int.from_bytes(d[:INDEX_PREFIX_SIZE], "big") for d in digests]
    index = array("Q", (bisect_left(heads, p) * ENTRY_SIZE for p in range(1 << 24)))
    if sys.byteorder == "little":
        index.byteswap()
    with open(out, "wb") as handle:
        handle.write(index.tobytes())
        handle.write(b"".join(d[INDEX_PREFIX_SIZE:] + entries[d].to_bytes(4, "big") for d in digests))


# --- the measured things ---------------------------------------------------------------

def sample(entries: dict[bytes, int], first: int, last: int, n: int) -> list[bytes]:
    """Half present, half absent but inside occupied buckets (an absent hash in an empty bucket is too easy)."""
    rng = random.Random(11)
    present = rng.sample(sorted(entries), n // 2)
    absent = [((rng.randint(first, last) << 140) | rng.getrandbits(140)).to_bytes(20, "big") for _ in range(n - n // 2)]
    mixed = present + [d for d in absent if d not in entries]
    rng.shuffle(mixed)
    return mixed


def lookups(store_dir: Path, text: Path, pp_file: Path, digests: list[bytes], entries: dict[bytes, int]) -> dict[str, float]:
    """lookups/s for each reader over the same digests; pwcheck's answers are checked exact."""
    from pwnedpass import search
    from pwnedpasswords_offline import PwnedPasswordsOfflineChecker

    rates: dict[str, float] = {}
    with Store.open(store_dir, SHA1) as store:
        seconds, counts = timed(lambda: store.counts(digests))
        assert counts == {d: entries.get(d, 0) for d in digests}, "pwcheck store answered wrongly"
        rates["pwcheck batch"] = len(digests) / seconds
        seconds, _ = timed(lambda: [store.count(d) for d in digests])
        rates["pwcheck one by one"] = len(digests) / seconds
    with open(pp_file, "rb") as handle:
        seconds, found = timed(lambda: [search(handle, d) for d in digests])
        assert found == [entries.get(d, 0) for d in digests], "pwnedpass file answered wrongly"
        rates["pwnedpass"] = len(digests) / seconds
    with PwnedPasswordsOfflineChecker(text, bloom_file=None) as checker:
        hexed = [d.hex().upper() for d in digests]
        seconds, found = timed(lambda: [checker.lookup_hash(h) for h in hexed])
        assert found == [d in entries for d in digests], "pwnedpasswords-offline answered wrongly"
        rates["pwnedpasswords-offline"] = len(digests) / seconds
    return rates


def static_range_server(store_dir: Path, prefixes: tuple[int, int], port: int) -> None:
    """A fast local range API for the mirror benchmark: padded bodies rendered once, ETags, 304."""
    from aiohttp import web

    from pwcheck.check.range_format import render_lines

    with Store.open(store_dir, SHA1) as store:
        bodies = {f"{p:05X}": render_lines(store.bucket(p).lines(), pad=True) for p in range(prefixes[0], prefixes[1] + 1)}
    etags = {prefix: f'"{hash(body) & 0xFFFFFFFF:08x}"' for prefix, body in bodies.items()}

    async def handle(request: web.Request) -> web.Response:
        prefix = request.match_info["prefix"].upper()
        if request.headers.get("If-None-Match") == etags[prefix]:
            return web.Response(status=304, headers={"ETag": etags[prefix]})
        return web.Response(body=bodies[prefix], content_type="text/plain", headers={"ETag": etags[prefix]})

    app = web.Application()
    app.router.add_get("/range/{prefix}", handle)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None, backlog=1024)


def mirror(store_dir: Path, prefixes: tuple[int, int], runs: int) -> tuple[list[float], list[float], list[float]]:
    """ranges/s of `corpus download` (full, then incremental 304s) against the static server,
    and the client's CPU milliseconds per range (what decides the rate on a quiet machine)."""
    from pwcheck.corpus.download import download_corpus
    from pwcheck.net.http import ClientSettings

    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "from benchmarks.offline import static_range_server as s; "
        "s(Path(sys.argv[2]), (int(sys.argv[3]), int(sys.argv[4])), int(sys.argv[5]))"),
        str(REPO), str(store_dir), str(prefixes[0]), str(prefixes[1]), str(port)])
    full: list[float] = []
    incremental: list[float] = []
    cpu_ms: list[float] = []
    try:
        wait_for_port(port, server, 120)
        settings = ClientSettings(api_url=f"http://127.0.0.1:{port}")  # the CLI's default concurrency
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as target:
                result = download_corpus(Path(target), SHA1, settings, prefixes, progress=False)
                assert result.failed == 0 and result.hashes > 0, result.summary()
                full.append(result.rate)
                cpu_ms.append(1000 * result.cpu_seconds / result.fetched)
                again = download_corpus(Path(target), SHA1, settings, prefixes, progress=False)
                assert again.not_modified == again.ranges, again.summary()
                incremental.append(again.rate)
    finally:
        server.terminate()
        server.wait(10)
    return full, incremental, cpu_ms


def serve_wrk(store_dir: Path, prefixes: tuple[int, int], seconds: int, runs: int) -> list[float]:
    """req/s of `pwcheck serve` (one uvicorn worker) under wrk -c32, padded requests."""
    if shutil.which("wrk") is None:
        return []
    port = free_port()
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        "counter = 0\nrequest = function()\n  counter = counter + 1\n"
        f"  local prefix = string.format('%05X', {prefixes[0]} + (counter * 2654435761) % {prefixes[1] - prefixes[0] + 1})\n"
        "  return wrk.format('GET', '/range/' .. prefix, {['Add-Padding'] = 'true'})\nend\n"
    )
    server = subprocess.Popen([sys.executable, "-m", "pwcheck", "serve", "--store", str(store_dir), "--port", str(port)],
                              stderr=subprocess.DEVNULL, cwd=REPO)
    rates: list[float] = []
    try:
        wait_for_port(port, server)
        for _ in range(runs):
            out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{port}"],
                                 capture_output=True, text=True, timeout=seconds + 30).stdout
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            assert errors is None, "pwcheck serve answered errors under load"
            rates.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))  # type: ignore[union-attr]
    finally:
        server.terminate()
        server.wait(10)
        script.unlink()
    return rates


def run(args: argparse.Namespace) -> list[Figure]:
    """Every offline figure; see the module docstring for what is compared with what."""
    quick = bool(getattr(args, "quick", False))
    last = 0x3FF if quick else 0xFFF
    runs = 2 if quick else 3
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="pwcheck-offline-bench-") as tmp:
        base = Path(tmp)
        entries = corpus_gen.dense_corpus(0, last, 1000)
        text = corpus_gen.write_single_file(entries, base / "pwnedpasswords.txt")
        lines = len(entries)

        import_rates, peer_rates = [], []
        for _ in range(runs):  # interleaved, so load from elsewhere hits both
            seconds, _ = timed(lambda: import_corpus(text, base / "store"))
            import_rates.append(lines / seconds)
            seconds, _ = timed(lambda: pwnedpass_import(text, base / "pp-rewrite.bin"))
            peer_rates.append(lines / seconds)
        pp_ratio = statistics.median(import_rates) / statistics.median(peer_rates)
        rate = statistics.median(import_rates)
        figures.append(figure(f"import, {lines:,} lines (single file)", "lines/s", import_rates,
                              "a billion lines in minutes", {"pwnedpass rewrite": round(pp_ratio, 2)},
                              met=1e9 / rate < 30 * 60, note=f"1e9 lines would take {1e9 / rate / 60:.0f} min"))

        store_size = (base / "store" / SHA1.file_name).stat().st_size
        text_size = text.stat().st_size
        pwnedpass_file(entries, base / "pp.bin")
        pp_size = (base / "pp.bin").stat().st_size
        figures.append(figure(f"store size / text size, {lines:,} hashes", "x", [store_size / text_size], "<= 0.55",
                              {"pwnedpass": round(store_size / pp_size, 3), "pwnedpasswords-offline": round(store_size / text_size, 3)},
                              met=store_size / text_size <= 0.55, note="includes 12 MiB of fixed tables"))
        per_hash = (store_size - DATA_OFFSET) / lines
        projected = DATA_OFFSET + per_hash * 1e9
        pp_projected = (1 << 24) * 8 + 21e9
        text_projected = TEXT_BYTES_PER_LINE_REAL * 1e9
        figures.append(figure("store size / text size at 1e9 hashes", "x", [projected / text_projected], "<= 0.55",
                              {"pwnedpass": round(projected / pp_projected, 3), "pwnedpasswords-offline": round(projected / text_projected, 3)},
                              met=projected / text_projected <= 0.55,
                              note=f"projected: {per_hash:.1f} bytes/hash measured, text {TEXT_BYTES_PER_LINE_REAL} bytes/line"))

        digests = sample(entries, 0, last, 20_000 if quick else 100_000)
        measured: dict[str, list[float]] = {}
        for _ in range(runs):
            for name, rate in lookups(base / "store", text, base / "pp.bin", digests, entries).items():
                measured.setdefault(name, []).append(rate)
        ours = statistics.median(measured["pwcheck batch"])
        ratios = {name: round(ours / statistics.median(v), 2) for name, v in measured.items() if not name.startswith("pwcheck")}
        figures.append(figure(f"lookups, batch of {len(digests):,} (half present)", "lookups/s",
                              measured["pwcheck batch"], None, ratios,
                              note="pwnedpasswords-offline answers present/absent only, no count"))
        figures.append(figure("lookups one at a time (e.g. `password --offline`)", "lookups/s",
                              measured["pwcheck one by one"], None, None))

        full, incremental, cpu_ms = mirror(base / "store", (0, last), runs)
        load = round(os.getloadavg()[0], 1)
        figures.append(figure(f"mirror download, {last + 1:,} ranges of ~1,000 lines, local server", "ranges/s", full,
                              ">= 1000", None, met=statistics.median(full) >= 1000,
                              note=f"client and server share 2 cores; load average {load}"))
        figures.append(figure("mirror client CPU per range (fetch, validate, convert, journal)", "ms", cpu_ms,
                              "<= 1 (1,000 ranges/s on one core)", None, met=statistics.median(cpu_ms) <= 1.0))
        figures.append(figure("incremental mirror (every range 304 Not Modified)", "ranges/s", incremental, None, None))

        served = serve_wrk(base / "store", (0, last), 3 if quick else 5, runs)
        if served:
            figures.append(figure("pwcheck serve under wrk -c32, padded ~1,000-line ranges, 1 worker", "req/s",
                                  served, None, None, note=f"load average {round(os.getloadavg()[0], 1)}"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Offline store benchmarks")
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
        print(f"{row['figure']}: {row['median']:,.3f} {row['unit']} [min {row['min']:,.3f}, max {row['max']:,.3f}, "
              f"{row['runs']} runs]{target}{ratio}")


if __name__ == "__main__":
    main()
