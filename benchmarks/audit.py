"""Online audit: N unique passwords at 25 ms per round trip, pwcheck next to the network limit and the peer.

For each N, in the same rounds: the real CLI in a subprocess (`python -m pwcheck audit
FILE --format json --api-url URL`), the same pipeline in this process (collect, check,
assemble: no interpreter start-up), the sequential peer `pwnedpasswords` (one `check()`
per password, its base URL patched to the local server), and a transport floor: bare
aiohttp fetching the same prefixes with the same C and parsing nothing, which shows what
this machine allows at that moment. The network limit is computed: ceil(N / C) x R. Start-up is the CLI's wall time on a one-password export minus
its one round trip. Passwords have distinct prefixes (N passwords = N requests), one in
ten is in the corpus, and every answer is checked against it: a run with a wrong count or
an unchecked password fails instead of producing a figure.

Strength (weak passwords, issue 18): both zxcvbn implementations score the same 500
realistic passwords (`realistic_passwords`: words with numbers, passphrases, generated
strings, keyboard walks) in this process, with the username and site labels as user
inputs as pwcheck gives them; then the CLI audits those 500 as a default audit (every
check) and with `--checks breach,unsecured` (the same without scoring), interleaved: the
target is that scoring costs at most 10% of the audit.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import tempfile
from pathlib import Path
from typing import Callable

from benchmarks._corpus import Password, corpus_lines, passwords, realistic_passwords, write_chromium, write_lines
from benchmarks._harness import Figure, Sample, child_env, figure, interleave, median, python_cmd, run_child, time_call
from benchmarks._rangeserver import range_server
from benchmarks.client import measure_aiohttp
from pwcheck.net.http import ClientSettings

LATENCY = 0.025
CONCURRENCY = ClientSettings().concurrency  # the CLI's default, used by every pwcheck run here
TARGET_N = 500
PEER_SPEEDUP = 20.0
LIMIT_FACTOR = 1.5
PEER_MEASURED_UP_TO = 500  # larger N: the peer is extrapolated from N=500 (labelled)
STRENGTH_OVERHEAD = 1.10  # a default audit (scoring every password) at most 10% slower than one without


def network_limit(n: int) -> float:
    return math.ceil(n / CONCURRENCY) * LATENCY


def expected(pwds: list[Password]) -> tuple[int, int]:
    """(pwned passwords, sum of their counts) the corpus holds for these passwords."""
    return sum(1 for p in pwds if p.count), sum(p.count for p in pwds)


def cli_measure(url: str, export: Path, out: Path, pwds: list[Password], extra: tuple[str, ...] = ()) -> Callable[[], Sample]:
    cmd = python_cmd("-m", "pwcheck", "audit", str(export), "--format", "json", "--api-url", url, "--no-progress", "--no-breaches", "--no-account-checks", "--no-directories", *extra)
    want_pwned, _ = expected(pwds)

    def measure() -> Sample:
        sample = run_child(cmd, env=child_env(), expect=(0, 1), stdout_path=out)
        stats = json.loads(out.read_text())["stats"]
        got = (stats["unique_passwords"], stats["range_requests"], stats["not_checked_entries"], stats["pwned_entries"])
        if got != (len(pwds), len(pwds), 0, want_pwned):
            raise AssertionError(f"pwcheck CLI answered wrongly for N={len(pwds)}: {got}")
        return sample

    return measure


def inprocess_measure(url: str, export: Path, pwds: list[Password]) -> Callable[[], Sample]:
    from pwcheck.audit import run_audit
    from pwcheck.check.range_client import RangeClient
    from pwcheck.sources import file_source
    from pwcheck.sources.collect import collect

    want = expected(pwds)

    def pipeline() -> None:
        from pwcheck.analyse import domains

        domains.host_of.cache_clear()  # no head start from the previous round's contacts
        domains.registrable_domain.cache_clear()
        report = run_audit(collect([file_source(export)]), RangeClient(ClientSettings(api_url=url)))
        got = (report.pwned_entries, sum(e.pwned_count or 0 for e in report.entries))
        if got != want or report.not_checked_entries or report.stats.range_requests != len(pwds):
            raise AssertionError(f"pwcheck pipeline answered wrongly for N={len(pwds)}")

    return lambda: time_call(pipeline)


def peer_measure(url: str, listing: Path, pwds: list[Password]) -> Callable[[], Sample]:
    cmd = python_cmd("-m", "benchmarks._peer", url, str(listing))
    want = expected(pwds)
    out = listing.with_suffix(".out")

    def measure() -> Sample:
        sample = run_child(cmd, env=child_env(), stdout_path=out)
        answer = json.loads(out.read_text())
        if (answer["checked"], answer["pwned"], answer["total"]) != (len(pwds), *want):
            raise AssertionError(f"peer answered wrongly for N={len(pwds)}: {answer}")
        return sample

    return measure


def run(args: argparse.Namespace) -> list[Figure]:
    runs = args.runs or (1 if args.quick else 3)
    sizes = (100, 500) if args.quick else (100, 500, 2_000, 10_000)
    peer_ok = importlib.util.find_spec("pwnedpasswords") is not None
    if not peer_ok:
        print("audit: the peer pwnedpasswords is not installed (pip install -e '.[bench]'); peer not measured")
    everyone = passwords(max(sizes))
    realistic = realistic_passwords(TARGET_N)
    rows: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = write_lines(work / "corpus.txt", corpus_lines(everyone + realistic))
        with range_server(LATENCY, corpus) as url:
            rows += strength_rows(url, work, realistic, max(runs, 5))
            one = everyone[:1]
            start = interleave(max(runs, 5), {"cli": cli_measure(url, write_chromium(work / "one.csv", one), work / "one.json", one)})
            startup = [s.wall - LATENCY for s in start["cli"]]
            rows.append(figure("audit start-up: CLI on 1 password, minus its round trip", "s", startup))
            peer_per_password: list[float] = []
            for n in sizes:
                pwds = everyone[:n]
                export = write_chromium(work / f"export-{n}.csv", pwds)
                measures = {
                    "cli": cli_measure(url, export, work / f"report-{n}.json", pwds),
                    "inprocess": inprocess_measure(url, export, pwds),
                    "floor": lambda pwds=pwds: measure_aiohttp(url, [p.prefix for p in pwds]),  # type: ignore[misc]
                }
                if peer_ok and n <= PEER_MEASURED_UP_TO:
                    listing = write_lines(work / f"passwords-{n}.txt", [p.text for p in pwds])
                    measures["peer"] = peer_measure(url, listing, pwds)
                measures["cli"]()  # warm-up (page cache, server); the peer needs none
                samples = interleave(runs, measures, warmup=False)
                wall = {name: [s.wall for s in values] for name, values in samples.items()}
                if "peer" in wall:
                    peer, peer_note = wall["peer"], None
                    if n == PEER_MEASURED_UP_TO:
                        peer_per_password = [w / n for w in peer]
                elif peer_per_password:
                    peer = [w * n for w in peer_per_password]
                    peer_note = f"extrapolated: N={PEER_MEASURED_UP_TO} measured in this run x N/{PEER_MEASURED_UP_TO}"
                else:
                    peer, peer_note = [], None
                rows += size_rows(n, wall, peer, peer_note, median(startup))
    return rows


def size_rows(n: int, wall: dict[str, list[float]], peer: list[float], peer_note: str | None, startup: float) -> list[Figure]:
    limit = network_limit(n)
    cli = median(wall["cli"])
    budget = limit + startup
    ratios = {"network limit + start-up": cli / budget}
    if peer:
        ratios["peer" + (" (extrapolated)" if peer_note else "")] = cli / median(peer)
    target, met = None, None
    if n == TARGET_N:
        target = f">= {PEER_SPEEDUP:.0f}x faster than peer; <= {LIMIT_FACTOR}x (limit + start-up)"
        met = cli <= budget * LIMIT_FACTOR and bool(peer) and median(peer) / cli >= PEER_SPEEDUP
    rows = [
        figure(f"audit N={n:,}: pwcheck CLI (subprocess)", "s", wall["cli"], ratio_to=ratios, target=target, met=met),
        figure(
            f"audit N={n:,}: pwcheck pipeline in-process", "s", wall["inprocess"],
            ratio_to={"network limit": median(wall["inprocess"]) / limit, "transport floor": median(wall["inprocess"]) / median(wall["floor"])},
        ),
        figure(f"audit N={n:,}: transport floor (bare aiohttp GET+read)", "s", wall["floor"]),
        figure(f"audit N={n:,}: network limit ceil(N/C)xR", "s", [limit], note=f"computed, C={CONCURRENCY}, R={LATENCY * 1000:.0f} ms"),
    ]
    if peer:
        rows.append(figure(f"audit N={n:,}: peer pwnedpasswords (sequential)", "s", peer, note=peer_note))
    return rows


def strength_rows(url: str, work: Path, pwds: list[Password], runs: int) -> list[Figure]:
    """Both zxcvbn libraries on the same passwords, then the audit with and without scoring."""
    from pwcheck.sources.strength import MAX_SCORED, user_inputs

    export = write_chromium(work / "realistic.csv", pwds)
    inputs = [user_inputs(f"user{i}@example.org", [f"https://login.site{i}.example{i % 7}.com/signin"]) for i in range(len(pwds))]

    def rust() -> None:
        import zxcvbn_rs_py

        for pwd, known in zip(pwds, inputs):
            zxcvbn_rs_py.zxcvbn(pwd.text[:MAX_SCORED], known)

    libraries: dict[str, Callable[[], Sample]] = {"rust": lambda: time_call(rust)}
    if importlib.util.find_spec("zxcvbn") is not None:
        def python() -> None:
            import zxcvbn

            for pwd, known in zip(pwds, inputs):
                zxcvbn.zxcvbn(pwd.text[:MAX_SCORED], user_inputs=known)

        libraries["python"] = lambda: time_call(python)
    else:
        print("audit: the pure-Python zxcvbn is not installed (pip install -e '.[bench]'); not measured")
    lib = {name: [s.wall for s in values] for name, values in interleave(runs, libraries).items()}
    n = len(pwds)
    rows = [figure(f"strength: zxcvbn-rs-py scores {n} realistic passwords", "s", lib["rust"],
                   ratio_to={"pure-Python zxcvbn": median(lib["rust"]) / median(lib["python"])} if "python" in lib else None)]
    if "python" in lib:
        rows.append(figure(f"strength: zxcvbn (pure Python) scores {n} realistic passwords", "s", lib["python"]))
    audits = {
        "default": cli_measure(url, export, work / "strength-default.json", pwds),
        "unscored": cli_measure(url, export, work / "strength-unscored.json", pwds, ("--checks", "breach,unsecured")),
    }
    wall = {name: [s.wall for s in values] for name, values in interleave(runs, audits).items()}
    ratio = median(wall["default"]) / median(wall["unscored"])
    rows += [
        figure(f"audit N={n} realistic: CLI, every check (scores each password)", "s", wall["default"],
               ratio_to={"without scoring": ratio}, target=f"<= {STRENGTH_OVERHEAD:.2f}x without scoring",
               met=ratio <= STRENGTH_OVERHEAD),
        figure(f"audit N={n} realistic: CLI, --checks breach,unsecured (no scoring)", "s", wall["unscored"]),
    ]
    return rows
