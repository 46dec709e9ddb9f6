"""Optional account checks: the API key in the keychain, breachedaccount with 429 honoured.

Most tests use a file-backed keyring backend (tests/support/file_keyring.py) selected through
`PYTHON_KEYRING_BACKEND`, so the CLI's keyring calls run unchanged; one test uses a real
Secret Service (gnome-keyring) in a private D-Bus session. All of them run `python -m pwcheck`
as a real process (`run`): keyring keeps the first backend it loads for the life of a process,
so a backend other than the null one is only exercised faithfully in a process of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from pwcheck.breaches.accounts import account_api_base, email_accounts
from tests.support.breach_fixture import catalogue_bytes
from tests.support.cli import run
from tests.support.rangeserver import RangeServer

KEY = "0123456789abcdef0123456789abcdef"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def keyring_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
        "PWCHECK_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }


def stored(env: dict[str, str]) -> dict[str, str]:
    path = Path(env["PWCHECK_TEST_KEYRING_FILE"])
    return json.loads(path.read_text()) if path.exists() else {}


def test_set_and_delete_api_key(keyring_env: dict[str, str]) -> None:
    proc = run("config", "set-api-key", "--stdin", stdin=f"{KEY}\n".encode(), env=keyring_env)
    assert proc.returncode == 0 and KEY.encode() not in proc.stdout + proc.stderr
    assert stored(keyring_env) == {"pwcheck/hibp-api-key": KEY}
    proc = run("config", "delete-api-key", env=keyring_env)
    assert proc.returncode == 0 and stored(keyring_env) == {}
    again = run("config", "delete-api-key", env=keyring_env)
    assert again.returncode == 0 and b"no HIBP API key was stored" in again.stderr


def test_set_api_key_never_prompts_without_a_terminal_and_rejects_junk(keyring_env: dict[str, str]) -> None:
    proc = run("config", "set-api-key", stdin=KEY.encode(), env=keyring_env)
    assert proc.returncode == 2 and b"--stdin" in proc.stderr and stored(keyring_env) == {}
    junk = run("config", "set-api-key", "--stdin", stdin=b"two words\n", env=keyring_env)
    assert junk.returncode == 2 and stored(keyring_env) == {} and b"two words" not in junk.stderr


def test_keychain_failure_is_one_line_exit_2() -> None:
    # A real process: keyring's `fail` backend, loaded as a fresh process loads it.
    proc = run("config", "set-api-key", "--stdin", stdin=KEY.encode(), env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert proc.returncode == 2 and b"no OS keychain is available" in proc.stderr and b"Traceback" not in proc.stderr


def audit(server: RangeServer, files: list[str], env: dict[str, str], *extra: str):  # type: ignore[no-untyped-def]
    server.breaches = catalogue_bytes()
    proc = run("audit", *files, "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url,
               "--timeout", "2", *extra, env=env)
    return proc, json.loads(proc.stdout or b"{}")


def test_account_checks_with_a_stored_key_honour_429(range_server: RangeServer, fixtures: Path, keyring_env: dict[str, str]) -> None:
    run("config", "set-api-key", "--stdin", stdin=KEY.encode(), env=keyring_env)
    range_server.api_key = KEY
    range_server.accounts = {"alice@example.com": ["ExampleOrgForum", "ComboList"]}
    range_server.account_faults = ["429:1"]
    files = [str(fixtures / "chrome.csv"), str(fixtures / "firefox.csv")]
    proc, doc = audit(range_server, files, keyring_env)
    assert proc.returncode == 1, proc.stderr
    by_user = {e["username"]: e["account_breaches"] for e in doc["entries"]}
    assert by_user["alice@example.com"] == ["ExampleOrgForum", "ComboList"]
    assert by_user["bob@example.com"] == []  # 404: in no breach
    assert by_user["alice"] is None and by_user["frank"] is None  # not an e-mail address: not checked
    requests = range_server.requests_to("/api/v3/breachedaccount/")
    paths = [unquote(r.path_qs.split("?")[0]) for r in requests]
    assert paths[0] == paths[1]  # the rate-limited account was asked again after retry-after
    assert sorted(set(paths)) == ["/api/v3/breachedaccount/alice@example.com", "/api/v3/breachedaccount/bob@example.com"]
    assert all(r.headers["hibp-api-key"] == KEY and r.headers["User-Agent"].startswith("pwcheck/") for r in requests)
    assert doc["account_checks"] == {"accounts": 2, "checked": 2, "not_checked": 0, "requests": 3, "problem": None}
    assert KEY.encode() not in proc.stdout + proc.stderr


def test_a_huge_answer_is_read_to_its_cap_only_and_that_account_is_not_checked(
    range_server: RangeServer, fixtures: Path, keyring_env: dict[str, str]
) -> None:
    """A 600 MB answer was read whole (1.35 GB): now 1 MiB of it at most, that account not checked, the next one checked."""
    from tests.support.peak import run_pwcheck

    run("config", "set-api-key", "--stdin", stdin=KEY.encode(), env=keyring_env)
    range_server.breaches = catalogue_bytes()
    range_server.api_key = KEY
    range_server.accounts = {"alice@example.com": ["ExampleOrgForum"], "bob@example.com": ["LinkedIn"]}
    range_server.account_faults = ["huge"]  # the first account asked
    env = {key: value for key, value in os.environ.items() if key != "PWCHECK_API_URL"} | keyring_env
    files = [str(fixtures / "chrome.csv"), str(fixtures / "firefox.csv")]
    measured = run_pwcheck("audit", *files, "--format", "json", "--api-url", range_server.url, "--breaches-url",
                           range_server.breaches_url, "--timeout", "5", env=env)
    doc = json.loads(measured.stdout)
    assert doc["account_checks"]["checked"] == 1 and doc["account_checks"]["not_checked"] == 1
    answers = {e["username"]: e["account_breaches"] for e in doc["entries"] if e["username"] in range_server.accounts}
    checked = {user: names for user, names in answers.items() if names is not None}
    assert len(answers) == 2 and len(checked) == 1 and all(names == range_server.accounts[u] for u, names in checked.items())
    assert measured.peak_mib < 300, measured.peak_mib


def test_a_refused_key_stops_account_checks_and_says_so(range_server: RangeServer, fixtures: Path, keyring_env: dict[str, str]) -> None:
    run("config", "set-api-key", "--stdin", stdin=b"wrong-key", env=keyring_env)
    range_server.api_key = KEY
    proc, doc = audit(range_server, [str(fixtures / "chrome.csv")], keyring_env)
    assert b"API key was refused (HTTP 401)" in proc.stderr
    assert all(e["account_breaches"] is None for e in doc["entries"])
    assert doc["account_checks"]["not_checked"] == 1 and len(range_server.requests_to("/api/v3/breachedaccount/")) == 1


def test_account_checks_are_off_without_a_key_or_with_the_option(range_server: RangeServer, fixtures: Path, keyring_env: dict[str, str]) -> None:
    _, doc = audit(range_server, [str(fixtures / "chrome.csv")], keyring_env)
    assert doc["account_checks"] is None
    run("config", "set-api-key", "--stdin", stdin=KEY.encode(), env=keyring_env)
    _, doc = audit(range_server, [str(fixtures / "chrome.csv")], keyring_env, "--no-account-checks")
    assert doc["account_checks"] is None and range_server.requests_to("/api/v3/breachedaccount/") == []


def test_email_accounts_and_api_base() -> None:
    assert email_accounts(["A@x.example", "a@X.example", "bob", None, "c@d.example"]) == ["A@x.example", "c@d.example"]
    assert account_api_base("https://haveibeenpwned.com/api/v3/breaches") == "https://haveibeenpwned.com/api/v3"
    assert account_api_base("http://127.0.0.1:1/api/v3/breaches/?x=1") == "http://127.0.0.1:1/api/v3"


@pytest.mark.skipif(not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
                    reason="needs Debian's dbus and gnome-keyring (installed by .ci/run)")
def test_api_key_in_a_real_secret_service(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    """set-api-key, an audit that uses the key, and delete-api-key against gnome-keyring in its own D-Bus session."""
    range_server.breaches = catalogue_bytes()
    range_server.api_key = KEY
    range_server.accounts = {"bob@example.com": ["LinkedIn"]}
    pwcheck = f"{sys.executable} -m pwcheck"
    script = f"""
set -e
printf %s test-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf %s {KEY} | {pwcheck} config set-api-key --stdin
secret-tool lookup service pwcheck username hibp-api-key > "$HOME/stored"
{pwcheck} audit {fixtures / 'chrome.csv'} --format json --api-url {range_server.url} --breaches-url {range_server.breaches_url} > "$HOME/report.json" || true
{pwcheck} config delete-api-key
! secret-tool lookup service pwcheck username hibp-api-key
"""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_RUNTIME_DIR": str(tmp_path),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    proc = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], env=env, capture_output=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert (tmp_path / "stored").read_text() == KEY
    doc = json.loads((tmp_path / "report.json").read_text())
    assert {e["username"]: e["account_breaches"] for e in doc["entries"]}["bob@example.com"] == ["LinkedIn"]
    assert [r.headers["hibp-api-key"] for r in range_server.requests_to("/api/v3/breachedaccount/")] == [KEY]
