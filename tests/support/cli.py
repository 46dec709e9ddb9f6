"""Running the `pwcheck` command as a user or a script does, for the tests.

`invoke()` runs the command line in this process through click's `CliRunner` (fast: no
interpreter start-up); `run()` starts a real `python -m pwcheck` process. Use `run()` only
where the process itself is under test: start-up time and imports, signals, the process
exit code end to end, a keyring backend other than the null one (keyring caches its
backend per process), `-v`/`-vv` (logging handlers bind to the process's stderr), and
command lines that a scheduler or a shell runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from unittest import mock

from tests.support.rangeserver import RangeServer

ALL_FILES = ["chrome.csv", "chrome-old.csv", "firefox.csv", "bitwarden.json"]

NULL_KEYRING = "keyring.backends.null.Keyring"
# Click derives this name for `python -m pwcheck`; usage and error lines read the same in both runners.
PROG_NAME = "python -m pwcheck"


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m pwcheck *args` in a real process (see the module docstring for when)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PWCHECK_API_URL", None) if env is None or "PWCHECK_API_URL" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "pwcheck", *args], input=stdin, capture_output=True, env=full_env, timeout=120
    )


@dataclass(frozen=True)
class Result:
    """What a test reads from a finished command, the same fields as `run()`'s CompletedProcess."""

    returncode: int
    stdout: bytes
    stderr: bytes


def invoke(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """`pwcheck *args` in this process, with `run()`'s environment: os.environ, then `env` over it,
    without PWCHECK_API_URL unless `env` sets it. Stdin is `stdin` (empty if None) and never a terminal.

    An exception that escapes the command (a crash: a real process would print a traceback and
    exit 1) fails the test here with that traceback, rather than being read as exit code 1.
    """
    from click.testing import CliRunner

    from pwcheck.cli.main import main

    overlay: dict[str, str | None] = {"PWCHECK_API_URL": None, **(env or {})}
    backend = overlay.get("PYTHON_KEYRING_BACKEND", os.environ.get("PYTHON_KEYRING_BACKEND"))
    if backend != NULL_KEYRING:
        # keyring caches the backend it loads per process: other backends are tested in a process of their own.
        raise AssertionError(f"invoke() runs with the null keyring only (asked for {backend!r}): use run()")
    if any(arg == "--verbose" or (len(arg) > 1 and arg.strip("-v") == "" and arg.startswith("-v")) for arg in args):
        # -v adds a root logging handler bound to the stderr of that moment, for good: use run().
        raise AssertionError("invoke() does not take -v/-vv: use run()")
    import keyring.core


    # Like a fresh process: keyring picks its backend from the environment at the first call.
    # (`-q` is reset by pwcheck itself at each command, and core dumps are turned off only by
    # the process entry point `run()`, never by `main()`: tests/conftest.py fails a test that
    # changes this process's core limit.)
    with mock.patch.object(keyring.core, "_keyring_backend", None):
        result = CliRunner().invoke(main, list(args), input=stdin, env=overlay, prog_name=PROG_NAME)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        trace = "".join(traceback.format_exception(*result.exc_info))
        raise AssertionError(
            f"pwcheck {' '.join(args)} raised {result.exception!r}\n{trace}\nstderr:\n{result.stderr_bytes.decode(errors='replace')}"
        ) from result.exception
    return Result(returncode=result.exit_code, stdout=result.stdout_bytes, stderr=result.stderr_bytes)


Runner = Callable[..., "Result | subprocess.CompletedProcess[bytes]"]


def audit_json(
    server: RangeServer, fixtures: Path, *names: str, extra: tuple[str, ...] = (), runner: Runner = invoke
) -> tuple[int, dict[str, Any], str]:
    """`pwcheck audit NAMES --format json` (in process; `runner=run` for a real process): (exit code, report, stderr)."""
    files = [str(fixtures / n) if not os.path.isabs(n) else n for n in names]
    proc = runner("audit", *files, "--format", "json", "--api-url", server.url, "--timeout", "1", *extra)
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()
