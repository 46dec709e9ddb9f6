"""CPU per range response parsed: pwcheck's validate-then-find against building a dict.

A padded ~1,000-line body with the one wanted suffix in it (the usual case: one password
per prefix). pwcheck validates the whole body with one regex and finds the suffix with
`bytes.find` (`normalise_body` + `find_counts`); the baseline is what the sequential peer
does: decode, split into lines and build a dict of every suffix. CPU time, this process.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable

from benchmarks._corpus import SyntheticRanges, corpus_lines, passwords
from benchmarks._harness import Figure, figure, median
from pwcheck.check.range_format import find_counts, normalise_body


def dict_baseline(body: bytes, suffix: str) -> int:
    """The peer's parse (pwnedpasswords 3.1): every line into a dict, then one look-up."""
    text = body.decode("utf-8-sig").upper()
    entries = dict((h, int(c)) for h, c in (line.split(":") for line in text.split("\r\n")))
    return entries.get(suffix, 0)


def per_call_us(fn: Callable[[], object], loops: int) -> float:
    """CPU microseconds per call, over `loops` calls."""
    started = time.process_time()
    for _ in range(loops):
        fn()
    return (time.process_time() - started) / loops * 1e6


def run(args: argparse.Namespace) -> list[Figure]:
    runs = args.runs or (3 if args.quick else 9)
    loops = 100 if args.quick else 500
    pwd = passwords(1)[0]  # index 0 is in the corpus
    body = SyntheticRanges(corpus_lines([pwd])).body(pwd.prefix, True)
    suffix = pwd.sha1_hex[5:]
    wanted = [suffix.encode()]
    # Both must give the right count, or the timing means nothing.
    assert find_counts(normalise_body(body), wanted)[wanted[0]] == pwd.count == dict_baseline(body, suffix)

    measures: dict[str, Callable[[], object]] = {
        "pwcheck": lambda: find_counts(normalise_body(body), wanted),
        "validate": lambda: normalise_body(body),
        "find": lambda: find_counts(body, wanted),
        "dict": lambda: dict_baseline(body, suffix),
    }
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, fn in measures.items():
            samples[name].append(per_call_us(fn, loops))
    lines = body.count(b"\n") + 1
    base = median(samples["dict"])
    note = f"{len(body) / 1000:.0f} KB, {lines} lines"
    return [
        figure(
            "parse one range: pwcheck normalise_body + find_counts", "us CPU", samples["pwcheck"],
            ratio_to={"dict baseline": median(samples["pwcheck"]) / base}, note=note,
        ),
        figure("  of which validation (normalise_body)", "us CPU", samples["validate"]),
        figure("  of which finding the suffix (find_counts)", "us CPU", samples["find"]),
        figure("parse one range: dict of every line (peer's way)", "us CPU", samples["dict"], note=note),
    ]
