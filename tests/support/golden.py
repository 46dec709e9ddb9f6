"""The byte-for-byte report cases: every format, on the bundled demo and on every export fixture.

Recorded once from the code before the package layout moved (issue 13, main at 58880e4)
into `tests/golden/`, and compared by `test_golden.py` ever since: the layout may change,
the bytes a person reads may not. Only what differs between two runs of the same code is
normalised (the demo server's port, timings, timestamps); everything else is compared as is.

Regenerate only for an intended output change: `python -m tests.support.golden --write`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"
FORMATS = ("terminal", "json", "csv", "markdown", "html")
KDBX_PASSWORD = "fixture-db-secret"  # tests/support/fixture_data.py: the fixture database's password
# Every export at the top level of tests/fixtures (SOURCES.md, which says where each came from, is no
# export; real/ holds other projects' exports, read by tests/sources/test_real_exports.py).
FIXTURE_FILES = tuple(sorted(p.name for p in FIXTURES.iterdir() if p.is_file() and p.suffix != ".md")) if FIXTURES.exists() else ()
# name -> extra arguments after `audit --demo`
CASES: dict[str, tuple[str, ...]] = {
    "demo": ("--all",),
    "fixtures": tuple(str(FIXTURES / name) for name in FIXTURE_FILES),
    "fixtures-redacted": ("--redact", "--all", *(str(FIXTURES / name) for name in FIXTURE_FILES)),
}
_VOLATILE = (
    (re.compile(rb"127\.0\.0\.1:\d+"), b"127.0.0.1:PORT"),
    (re.compile(rb"\d+\.\d+ ?s\b"), b"N.NNs"),
    (re.compile(rb'"elapsed_s": [0-9.]+'), b'"elapsed_s": N'),
    # Retries depend on the machine's load (a range slower than the timeout is asked again).
    (re.compile(rb'"attempts": \d+'), b'"attempts": N'),
    (re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)"), b"TIMESTAMP"),
)


def normalise(data: bytes) -> bytes:
    for pattern, replacement in _VOLATILE:
        data = pattern.sub(replacement, data)
    return data.replace(str(ROOT).encode(), b"ROOT")


def run_case(case: str, report_format: str, home: Path) -> bytes:
    """stdout, stderr and exit code of one audit, normalised, as one document."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PWCHECK_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_STATE_HOME=str(home / "state"), XDG_DATA_HOME=str(home / "data"), COLUMNS="120",
               PWCHECK_KDBX_PASSWORD=KDBX_PASSWORD, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pwcheck", "audit", "--demo", "--format", report_format, *CASES[case]],
        capture_output=True, env=env, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL,
    )
    return normalise(b"== stdout\n" + proc.stdout + b"== stderr\n" + proc.stderr + b"== exit %d\n" % proc.returncode)


def golden_path(case: str, report_format: str) -> Path:
    return GOLDEN / f"{case}.{report_format}.txt"


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.support.golden --write")
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            for fmt in FORMATS:
                golden_path(name, fmt).write_bytes(run_case(name, fmt, Path(tmp)))
                print(golden_path(name, fmt))
