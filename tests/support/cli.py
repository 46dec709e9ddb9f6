"""Running the `pwcheck` command as a user or a script does, for the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.rangeserver import RangeServer

ALL_FILES = ["chrome.csv", "chrome-old.csv", "firefox.csv", "bitwarden.json"]


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PWCHECK_API_URL", None) if env is None or "PWCHECK_API_URL" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "pwcheck", *args], input=stdin, capture_output=True, env=full_env, timeout=120
    )


def audit_json(server: RangeServer, fixtures: Path, *names: str, extra: tuple[str, ...] = ()) -> tuple[int, dict[str, Any], str]:
    files = [str(fixtures / n) if not os.path.isabs(n) else n for n in names]
    proc = run("audit", *files, "--format", "json", "--api-url", server.url, "--timeout", "1", *extra)
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()
