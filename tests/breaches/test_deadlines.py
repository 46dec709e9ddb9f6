"""A catalogue or account-check server that trickles its answer cannot hold an audit.

The loopback server answers 200 and then sends one byte of JSON whitespace every 0.3 s,
forever: every read arrives within the read timeout, so only an overall deadline per
request (three read timeouts: 3 s with `--timeout 1`) ends it. Before, the audit waited
forever. Each run is a real process with its own time limit, so a regression fails here
instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tests.support.breach_fixture import catalogue_bytes
from tests.support.cli import run
from tests.support.peak import run_pwcheck
from tests.support.privacy.harness import Sandbox
from tests.support.rangeserver import RangeServer

KEY = "0123456789abcdef0123456789abcdef"
REPO = Path(__file__).resolve().parents[2]
LIMIT = 40  # seconds for the whole audit; the deadline is 3 s per account request, 7 s for the catalogue fetch


def _audit(server: RangeServer, files: list[str], env: dict[str, str]) -> tuple[dict, str, float]:  # type: ignore[type-arg]
    started = time.monotonic()
    measured = run_pwcheck("audit", *files, "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url,
                           "--timeout", "1", "--no-progress", env=env, timeout=LIMIT)
    elapsed = time.monotonic() - started
    assert not measured.timed_out, f"the audit was still waiting after {LIMIT} s"
    return json.loads(measured.stdout), measured.stderr.decode(), elapsed


def test_a_trickling_catalogue_is_unavailable_after_the_deadline(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    range_server.breach_faults = ["trickle"]
    env = Sandbox(tmp_path).env({"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})  # no key: no account checks
    doc, stderr, elapsed = _audit(range_server, [str(fixtures / "chrome.csv")], env)
    assert doc["breach_data"]["available"] is False
    # The catalogue is one of the public lists: one deadline for the whole fetch, twice the timeout plus 5 s.
    assert any("no complete answer within 7s" in problem for problem in doc["problems"]), doc["problems"]
    assert doc["exit_code"] == 1 and doc["entries"]  # the passwords were still checked
    assert len(range_server.requests_to("/api/v3/breaches")) == 1  # a trickling server is not asked again
    assert elapsed < LIMIT


def test_trickling_account_checks_stop_after_the_deadline(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    env = Sandbox(tmp_path).env({
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "PWCHECK_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    })
    assert run("config", "set-api-key", "--stdin", stdin=KEY.encode(), env=env).returncode == 0
    range_server.breaches = catalogue_bytes()
    range_server.api_key = KEY
    range_server.account_faults = ["trickle"]
    files = [str(fixtures / "chrome.csv"), str(fixtures / "firefox.csv")]  # two e-mail usernames
    doc, stderr, elapsed = _audit(range_server, files, env)
    checks = doc["account_checks"]
    assert checks["problem"] == "account checks stopped: the API gave no complete answer within 3 s", checks
    assert (checks["checked"], checks["not_checked"], checks["requests"]) == (0, 2, 1)
    assert "no complete answer within 3 s" in stderr
    assert doc["breach_data"]["available"] is True and elapsed < LIMIT
    assert KEY not in stderr
