"""The static export and the mirror at its client limit, against real nginx on 127.0.0.1.

`python -m benchmarks.static [--quick]` alone, or as the `static` area of `python -m benchmarks`.

On a dense corpus slice with the real corpus's shape (about 1,000 hashes in each of the
first 1,024 (quick) or 4,096 prefixes): `corpus export-static` ranges/s (first export, every
file written; then a re-export where nothing changed), then `corpus download` ranges/s
from nginx serving that export (the Debian package, one worker process, the generated
server block, as generated with gzip and with `--no-gzip`, interleaved run by run), full
and incremental (every range 304). Every run checks its answers:
the mirrored store must hold exactly the exported store's hashes. nginx runs in its own
process, as a real server would, so client and server share the machine's 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks._harness import Figure, figure, median  # noqa: E402
from pwcheck.check.store import Store  # noqa: E402
from pwcheck.check.store_format import SHA1  # noqa: E402
from pwcheck.corpus.importer import import_corpus  # noqa: E402
from pwcheck.corpus.static import NGINX_CONF, export_static  # noqa: E402
from tests.support import corpus_gen  # noqa: E402
from tests.support.nginx import NGINX, running_nginx  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def same_hashes(mirror: Path, store: Path, last: int) -> bool:
    with Store.open(mirror, SHA1) as copy, Store.open(store, SHA1) as original:
        return all(copy.bucket(p).keys == original.bucket(p).keys and copy.bucket(p).counts == original.bucket(p).counts
                   for p in range(last + 1))


def run(args: argparse.Namespace) -> list[Figure]:
    """Export and mirror figures; see the module docstring."""
    from pwcheck.corpus.download import download_corpus
    from pwcheck.net.http import ClientSettings

    if NGINX is None:
        raise RuntimeError("nginx is not installed (Debian package `nginx`)")
    quick = bool(getattr(args, "quick", False))
    last = 0x3FF if quick else 0xFFF
    runs = getattr(args, "runs", None) or (2 if quick else 5)
    prefixes = (0, last)
    with tempfile.TemporaryDirectory(prefix="pwcheck-static-bench-") as tmp:
        base = Path(tmp)
        text = corpus_gen.write_single_file(corpus_gen.dense_corpus(0, last, 1000), base / "pwnedpasswords.txt")
        import_corpus(text, base / "store", prefixes=prefixes)
        first_export, re_export = [], []
        for n in range(runs):
            result = export_static(base / "store", base / f"www{n}", prefixes)
            assert result.written["sha1"] == last + 1
            first_export.append(result.ranges["sha1"] / result.seconds)
            result = export_static(base / "store", base / f"www{n}", prefixes)
            assert result.written["sha1"] == 0
            re_export.append(result.ranges["sha1"] / result.seconds)
        full: dict[bool, list[float]] = {True: [], False: []}
        cpu_ms: dict[bool, list[float]] = {True: [], False: []}
        incremental: list[float] = []
        with contextlib.ExitStack() as servers:
            urls = {}
            for gzip in (True, False):  # the block as generated, and with --no-gzip
                port = free_port()
                www = base / f"www-gzip-{gzip}"
                export_static(base / "store", www, prefixes, listen=f"127.0.0.1:{port}", gzip=gzip)
                urls[gzip] = servers.enter_context(running_nginx(base / f"nginx-{gzip}", www / NGINX_CONF, port))
            for n in range(runs):  # interleaved, so load from elsewhere hits both
                for gzip in (True, False):
                    target = base / f"mirror-{gzip}-{n}"
                    settings = ClientSettings(api_url=urls[gzip])  # the CLI's default concurrency
                    got = download_corpus(target, SHA1, settings, prefixes, progress=False)
                    assert got.failed == 0 and same_hashes(target, base / "store", last), got.summary()
                    full[gzip].append(got.rate)
                    cpu_ms[gzip].append(1000 * got.cpu_seconds / got.fetched)
                    if gzip:
                        again = download_corpus(target, SHA1, settings, prefixes, progress=False)
                        assert again.not_modified == again.ranges, again.summary()
                        incremental.append(again.rate)
    load = round(os.getloadavg()[0], 1)
    ranges = f"{last + 1:,} ranges of ~1,000 lines"
    return [
        figure(f"export-static, first export ({ranges}, every file written)", "ranges/s", first_export),
        figure("export-static, re-export with nothing changed (files compared, none written)", "ranges/s", re_export),
        figure(f"mirror download from nginx as generated, gzip on ({ranges})", "ranges/s", full[True],
               target=">= 1000", met=median(full[True]) >= 1000,
               note=f"nginx (1 worker) and the client share 2 cores; load average {load}"),
        figure("mirror download from nginx, export-static --no-gzip", "ranges/s", full[False], target=">= 1000",
               met=median(full[False]) >= 1000, ratio_to={"gzip on": round(median(full[False]) / median(full[True]), 2)}),
        figure("mirror client CPU per range, gzip on", "ms", cpu_ms[True], target="<= 1 (1,000 ranges/s on one core)",
               met=median(cpu_ms[True]) <= 1.0),
        figure("mirror client CPU per range, --no-gzip", "ms", cpu_ms[False], target="<= 1 (1,000 ranges/s on one core)",
               met=median(cpu_ms[False]) <= 1.0),
        figure("incremental mirror from nginx (every range 304 Not Modified)", "ranges/s", incremental),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.static", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=None)
    for row in run(parser.parse_args()):
        print(f"{row['figure']}: median {row['median']:,.1f} {row['unit']} (min {row['min']:,.1f}, max {row['max']:,.1f}, "
              f"{row['runs']} runs){'' if row.get('met') is None else ' met' if row['met'] else ' MISSED'}")


if __name__ == "__main__":
    main()
