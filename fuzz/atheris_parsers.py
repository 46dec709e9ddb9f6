"""Coverage-guided fuzzing (atheris / libFuzzer) of pwcheck's parsers.

    python fuzz/atheris_parsers.py TARGET [libFuzzer flags]

TARGET is one of `readers` (every export reader, detection and forced), `range-body`
(the range API body parser) or `domains` (URL -> contact). CI runs each for a few
seconds (tests/hostile/test_atheris.py); a longer hunt, e.g. an hour with a saved corpus:

    mkdir -p fuzz/corpus/readers
    python fuzz/atheris_parsers.py readers fuzz/corpus/readers -max_total_time=3600 -rss_limit_mb=2048

Any exception other than the documented refusals (InputError, MalformedRange) is a crash
and libFuzzer writes the input to ./crash-<sha1>; add it as a regression in tests/hostile/test_fuzz.py.
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from pwcheck.analyse.domains import contact_domain
    from pwcheck.check.range_format import MalformedRange, find_counts, normalise_body
    from pwcheck.model.errors import InputError
    from pwcheck.sources import FORMATS, read_export

_SCRATCH = tempfile.mkdtemp(prefix="pwcheck-fuzz-")
_PATH = os.path.join(_SCRATCH, "input")
_FORMATS = [None] + [fmt.name for fmt in FORMATS]


def readers(data: bytes) -> None:
    from pathlib import Path

    forced = _FORMATS[data[0] % len(_FORMATS)] if data else None
    with open(_PATH, "wb") as handle:
        handle.write(data[1:])
    try:
        for _ in read_export(Path(_PATH), "fuzzed", forced):
            pass
    except InputError:
        pass


def range_body(data: bytes) -> None:
    try:
        body = normalise_body(data)
    except MalformedRange:
        return
    wanted = [line.split(b":")[0] for line in body.split(b"\n")[:3] if b":" in line]
    find_counts(body, wanted + [b"0" * 35])


def domains(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    contact_domain(provider.ConsumeUnicodeNoSurrogates(256))


TARGETS = {"readers": readers, "range-body": range_body, "domains": domains}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer flags]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
