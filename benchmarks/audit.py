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
import re
import tempfile
from pathlib import Path
from typing import Callable

from benchmarks._corpus import Password, corpus_lines, passwords, realistic_passwords, site_domain, write_chromium, write_lines
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
TLS_PEER_SPEEDUP = 40.0  # issue 19: over HTTPS, the peer pays a handshake per password
DEFAULT_ONE_VS_PYTHON = 12.0  # issue 19: a default audit of one password at most 12x `python -c pass`
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


def default_env(url: str, home: Path, **extra: str) -> dict[str, str]:
    """A user's machine after a first audit: its own home, config and cache, the lists served here.

    The URLs come in through the environment (`PWCHECK_*_URL`), as a config file would give
    them: the command line stays `pwcheck audit FILE`. No keyring daemon is asked (the null
    backend): the first, warm-up audit finds no key, and records that, as on a real machine.
    """
    return child_env(
        HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", PWCHECK_API_URL=url, PWCHECK_BREACHES_URL=f"{url}/breaches",
        PWCHECK_TWOFACTOR_URL=f"{url}/directories/totp.json", PWCHECK_PASSKEYS_URL=f"{url}/directories/supported.json",
        **extra,
    )


_SUMMARY = re.compile(
    r"(\d+) credential\(s\), (\d+) unique password\(s\); (?:(\d+) pwned across \d+ contact\(s\)|none pwned); .*; "
    r"(\d+) range request\(s\) in "
)
_LISTS = ("Breach data: 900 breaches from ", "2FA Directory: 2500 sites from ", "Passkeys Directory: 600 sites from ")


def default_measure(
    url: str, export: Path, out: Path, pwds: list[Password], home: Path, *, json_report: bool = False, **extra_env: str,
) -> Callable[[], Sample]:
    """`pwcheck audit FILE` with default flags: the ranges, the catalogue and both directories
    (revalidated: 304 once the warm-up cached them), every check, the terminal report (to a pipe).

    The answer is checked from the report's first lines: the summary must start with the
    credential count (anything not read or not checked would come first), give the exact
    unique, pwned and range-request counts, and each list must be there at its size.
    `json_report`: the same with `--format json`, checked from the document's stats.
    """
    cmd = python_cmd("-m", "pwcheck", "audit", str(export), *(("--format", "json") if json_report else ()))
    want_pwned, _ = expected(pwds)
    env = default_env(url, home, **extra_env)

    def measure() -> Sample:
        sample = run_child(cmd, env=env, expect=(0, 1), stdout_path=out)
        if not json_report:
            lines = out.read_text().splitlines()
            match = _SUMMARY.match(lines[0]) if lines else None
            got_text = tuple(int(value or 0) for value in match.groups()) if match else None
            lists = all(any(line.startswith(prefix) for line in lines[1:6]) for prefix in _LISTS)
            if got_text != (len(pwds), len(pwds), want_pwned, len(pwds)) or not lists:
                raise AssertionError(f"pwcheck default audit answered wrongly for N={len(pwds)}: {lines[:4]}")
            return sample
        doc = json.loads(out.read_text())
        stats = doc["stats"]
        got = (stats["unique_passwords"], stats["range_requests"], stats["not_checked_entries"], stats["pwned_entries"])
        lists = (doc["breach_data"]["available"], doc["directories"]["twofactor"]["available"],
                 doc["directories"]["passkeys"]["available"])
        if got != (len(pwds), len(pwds), 0, want_pwned) or lists != (True, True, True):
            raise AssertionError(f"pwcheck default audit answered wrongly for N={len(pwds)}: {got} {lists}")
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


def peer_measure(url: str, listing: Path, pwds: list[Password], **extra_env: str) -> Callable[[], Sample]:
    cmd = python_cmd("-m", "benchmarks._peer", url, str(listing))
    want = expected(pwds)
    out = listing.with_suffix(".out")

    def measure() -> Sample:
        sample = run_child(cmd, env=child_env(**extra_env), stdout_path=out)
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
            rows += strength_rows(url, work, realistic, max(runs, 9))  # a few % apart: more rounds for a steady median
            one = everyone[:1]
            home = work / "home"
            one_csv = write_chromium(work / "one.csv", one)
            one_default = default_measure(url, one_csv, work / "one-default.txt", one, home)
            one_default()  # the first audit on this "machine": downloads the lists, records that no API key is stored
            start = interleave(max(runs, 5), {
                "cli": cli_measure(url, one_csv, work / "one.json", one), "default": one_default,
                "python": lambda: run_child(python_cmd("-c", "pass"), env=child_env()),
            })
            startup = [s.wall - LATENCY for s in start["cli"]]
            rows.append(figure("audit start-up: CLI on 1 password, minus its round trip", "s", startup))
            python_pass = median([s.wall for s in start["python"]])
            one_ratio = median([s.wall for s in start["default"]]) / python_pass
            rows += [
                figure("default `pwcheck audit FILE`, 1 password (ranges, catalogue and directories revalidated: 304)", "s",
                       [s.wall for s in start["default"]], ratio_to={"python -c pass": one_ratio},
                       target=f"<= {DEFAULT_ONE_VS_PYTHON:.0f}x python -c pass", met=one_ratio <= DEFAULT_ONE_VS_PYTHON),
                figure("python -c pass", "s", [s.wall for s in start["python"]]),
            ]
            peer_per_password: list[float] = []
            for n in sizes:
                pwds = everyone[:n]
                export = write_chromium(work / f"export-{n}.csv", pwds)
                measures = {
                    "cli": cli_measure(url, export, work / f"report-{n}.json", pwds),
                    "inprocess": inprocess_measure(url, export, pwds),
                    "floor": lambda pwds=pwds: measure_aiohttp(url, [p.prefix for p in pwds]),  # type: ignore[misc]
                }
                if n == TARGET_N:  # the headline: the path users take, with its lists revalidated (304)
                    measures["default"] = default_measure(url, export, work / f"default-{n}.txt", pwds, home)
                    measures["default-json"] = default_measure(url, export, work / f"default-{n}.json", pwds, home,
                                                               json_report=True)
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
        if peer_ok:
            rows += tls_rows(work, corpus, everyone[:TARGET_N], runs)
    return rows


def tls_rows(work: Path, corpus: Path, pwds: list[Password], runs: int) -> list[Figure]:
    """The same default audit and peer at N=500, the server speaking HTTPS with a throwaway CA (`trustme`).

    pwcheck keeps its connections (one handshake each, at most C); the peer opens one per password,
    as it does against the real API. A new connection's handshake starts two round trips (2 x 25 ms:
    TCP's and TLS 1.3's) after it is accepted, as over a network with that round trip
    (`_rangeserver.HandshakeDelay`); on bare loopback a handshake would cost only its CPU.
    """
    try:
        import trustme
    except ImportError:
        print("audit: trustme is not installed (pip install -e '.[bench]'); the TLS rows are not measured")
        return []
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    tls = work / "tls"
    tls.mkdir()
    ca.cert_pem.write_to_path(str(tls / "ca.pem"))
    cert.private_key_pem.write_to_path(str(tls / "key.pem"))
    cert.private_key_and_cert_chain_pem.write_to_path(str(tls / "chain.pem"))
    trust = {"SSL_CERT_FILE": str(tls / "ca.pem"), "REQUESTS_CA_BUNDLE": str(tls / "ca.pem")}
    n = len(pwds)
    export = write_chromium(work / "tls-export.csv", pwds)
    listing = write_lines(work / "tls-passwords.txt", [p.text for p in pwds])
    with range_server(LATENCY, corpus, tls=(tls / "chain.pem", tls / "key.pem")) as url:
        default = default_measure(url, export, work / "tls-default.txt", pwds, work / "tls-home", **trust)
        default()  # warm-up: the lists cached, as on a machine that audited before
        wall = {name: [s.wall for s in values] for name, values in interleave(max(1, runs), {
            "default": default, "peer": peer_measure(url, listing, pwds, **trust),
        }, warmup=False).items()}
    ratio = median(wall["peer"]) / median(wall["default"])
    return [
        figure(f"TLS audit N={n}: default `pwcheck audit FILE` over HTTPS (throwaway CA)", "s", wall["default"],
               ratio_to={"peer": 1 / ratio}, target=f">= {TLS_PEER_SPEEDUP:.0f}x faster than peer (ratio <= {1 / TLS_PEER_SPEEDUP:.3f})",
               met=ratio >= TLS_PEER_SPEEDUP),
        figure(f"TLS audit N={n}: peer pwnedpasswords over HTTPS (a connection per password)", "s", wall["peer"]),
    ]


def size_rows(n: int, wall: dict[str, list[float]], peer: list[float], peer_note: str | None, startup: float) -> list[Figure]:
    limit = network_limit(n)
    cli = median(wall["cli"])
    budget = limit + startup
    ratios = {"network limit + start-up": cli / budget}
    if peer:
        ratios["peer" + (" (extrapolated)" if peer_note else "")] = cli / median(peer)
    target, met = None, None
    if n == TARGET_N:
        target = f"<= {LIMIT_FACTOR}x (limit + start-up)"
        met = cli <= budget * LIMIT_FACTOR
    rows = []
    if "default" in wall:
        default = median(wall["default"])
        rows.append(figure(
            f"audit N={n:,}: default `pwcheck audit FILE` (every check; catalogue ~1 MB and directories revalidated: 304; "
            "the terminal report, to a pipe)",
            "s", wall["default"], ratio_to={"peer" + (" (extrapolated)" if peer_note else ""): default / median(peer)} if peer else None,
            target=f">= {PEER_SPEEDUP:.0f}x faster than peer (ratio <= {1 / PEER_SPEEDUP:.2f})", met=bool(peer) and median(peer) / default >= PEER_SPEEDUP,
        ))
    if "default-json" in wall:
        rows.append(figure(
            f"audit N={n:,}: the same with `--format json`", "s", wall["default-json"],
            ratio_to={"peer": median(wall["default-json"]) / median(peer)} if peer else None,
        ))
    rows += [
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
    inputs = [user_inputs(f"user{i}@example.org", [f"https://login.{site_domain(i)}/signin"]) for i in range(len(pwds))]

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
