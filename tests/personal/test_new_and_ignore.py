"""`--new` across consecutive runs, the state's secrecy, and ignore rules, end to end."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import invoke, run
from tests.support.exporters import CLEAN_ROW, PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer

REPO = Path(__file__).resolve().parents[2]
NULL_BACKEND = "keyring.backends.null.Keyring"
FILE_BACKEND = "tests.support.file_keyring.FileKeyring"


def state_dir() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "pwcheck"


def audit(server: RangeServer, path: Path, *extra: str, backend: str = NULL_BACKEND, keyring_file: Path | None = None):  # type: ignore[no-untyped-def]
    env = {"PYTHON_KEYRING_BACKEND": backend, "PYTHONPATH": str(REPO)}
    if keyring_file is not None:
        env["PWCHECK_TEST_KEYRING_FILE"] = str(keyring_file)
    # The file keyring runs as a subprocess: keyring keeps the first backend it loads for the whole process.
    runner = invoke if backend == NULL_BACKEND else run
    proc = runner("audit", str(path), "--format", "json", "--api-url", server.url, *extra, env=env)
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()


FIXED_ROW = ("https://forum.example.org/login", "alice", "pw-a-brand-new-one-Kilo-10")


@pytest.mark.parametrize("backend", [NULL_BACKEND, FILE_BACKEND])
def test_new_across_runs_finding_appears_then_is_fixed(range_server: RangeServer, tmp_path: Path, backend: str) -> None:
    keyring_file = tmp_path / "keyring.json"

    def new_run(rows):  # type: ignore[no-untyped-def]
        code, doc, stderr = audit(range_server, export(tmp_path, rows), "--new", backend=backend, keyring_file=keyring_file)
        assert "Traceback" not in stderr
        return code, doc["review"]

    code, review = new_run([CLEAN_ROW])
    assert code == 0 and review["new"] == [] and review["resolved"] == 0
    assert any("first --new run" in note for note in review["notes"])

    code, review = new_run([CLEAN_ROW, PWNED_ROW])  # a finding appears
    assert code == 1
    assert [(r["username"], r["pwned_count"]) for r in review["new"]] == [("alice", 1234)]
    assert len(review["new"][0]["finding_id"]) == 12

    code, review = new_run([CLEAN_ROW, PWNED_ROW])  # still there: not news
    assert code == 0 and review["new"] == [] and [r["username"] for r in review["still_present"]] == ["alice"]

    code, review = new_run([CLEAN_ROW, FIXED_ROW])  # password changed: resolved
    assert code == 0 and review["new"] == [] and review["still_present"] == [] and review["resolved"] == 1

    key_file = state_dir() / "state.key"
    if backend == NULL_BACKEND:  # the null keychain keeps nothing: the key fell back to a 0600 file
        assert key_file.stat().st_mode & 0o777 == 0o600
    else:
        assert not key_file.exists()
        assert "pwcheck/state-fingerprint-key" in json.loads(keyring_file.read_text())
    _assert_state_holds_no_secret()


def _assert_state_holds_no_secret() -> None:
    """Scan every file in the state dir: no password, no hash (hex or raw), no account, no site."""
    files = [p for p in state_dir().rglob("*") if p.is_file()]
    assert files and state_dir().stat().st_mode & 0o777 == 0o700
    secrets = [fd.ALPHA, fd.CLEAN, FIXED_ROW[2], "alice", "hank", "forum.example.org", "example.org"]
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path
        data = path.read_bytes()
        for secret in secrets:
            digest = hashlib.sha1(secret.encode()).digest()
            for needle in (secret.encode(), digest, digest.hex().encode(), digest.hex().upper().encode()):
                assert needle not in data, (path.name, "found a secret or its hash")
        for password in fd.ALL_PASSWORDS:
            assert hashlib.sha1(password.encode()).hexdigest().encode() not in data.lower()


def test_a_finding_that_cannot_be_checked_is_not_resolved(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW])
    assert audit(range_server, path, "--new")[0] == 1
    range_server.always[fd.sha1_hex(fd.ALPHA)[:5]] = "503"
    code, doc, _ = audit(range_server, path, "--new", "--timeout", "1")
    assert code == 3 and doc["review"]["resolved"] == 0 and doc["review"]["carried_over"] == 1
    del range_server.always[fd.sha1_hex(fd.ALPHA)[:5]]
    code, doc, _ = audit(range_server, path, "--new")
    assert code == 0 and [r["username"] for r in doc["review"]["still_present"]] == ["alice"]


def test_lost_key_says_so_and_reports_everything_new(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW])
    audit(range_server, path, "--new")
    (state_dir() / "state.key").unlink()
    code, doc, _ = audit(range_server, path, "--new")
    assert code == 1 and len(doc["review"]["new"]) == 1
    assert any("state key changed" in note for note in doc["review"]["notes"])


def test_ignored_findings_are_counted_and_listed_never_dropped(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW, ("https://shop.example.co.uk/", "bob", fd.COMMA)])
    added = invoke("ignore", "add", "--domain", "www.Example.ORG", "--reason", "test account, no real data")
    assert added.returncode == 0 and b"domain example.org" in added.stdout, added.stderr
    code, doc, _ = audit(range_server, path)
    assert code == 1  # bob's finding still counts
    ignored = doc["review"]["ignored"]
    assert [(r["username"], r["ignored_by"]["reason"]) for r in ignored] == [("alice", "test account, no real data")]
    assert len(doc["entries"]) == 2 and doc["review"]["findings"] == 1

    invoke("ignore", "add", "--url", "https://shop.example.co.uk/", "--username", "bob", "--reason", "closing it")
    code, doc, _ = audit(range_server, path)
    assert code == 0 and len(doc["review"]["ignored"]) == 2

    terminal = invoke("audit", str(path), "--api-url", range_server.url)
    out = terminal.stdout.decode()
    assert terminal.returncode == 0 and "2 ignored finding(s)" in out and "closing it" in out

    listing = invoke("ignore", "list").stdout.decode()
    assert "domain example.org" in listing and "entry bob at https://shop.example.co.uk/" in listing
    assert invoke("ignore", "remove", "1").returncode == 0
    assert invoke("ignore", "remove", "1").returncode == 2
    assert audit(range_server, path)[0] == 1


def test_finding_rule_until_a_date_and_expiry(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW])
    code, doc, _ = audit(range_server, path, "--new")
    finding_id = doc["review"]["new"][0]["finding_id"]
    assert invoke("ignore", "add", "--finding", finding_id, "--reason", "changing it").returncode == 2  # needs --until
    assert invoke("ignore", "add", "--finding", finding_id, "--until", "2001-01-01", "--reason", "x").returncode == 2
    added = invoke("ignore", "add", "--finding", finding_id, "--until", "2999-12-31", "--reason", "changing it this week",
                env={"PYTHON_KEYRING_BACKEND": NULL_BACKEND})
    assert added.returncode == 0, added.stderr
    code, doc, _ = audit(range_server, path)
    assert code == 0 and doc["review"]["ignored"][0]["ignored_by"]["until"] == "2999-12-31"

    # An expired rule (hand-written in config.toml) no longer hides anything, and is listed as expired.
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck" / "config.toml"
    config.write_text('[[ignore]]\ndomain = "example.org"\nuntil = 2001-01-01\nreason = "old"\n')
    invoke("ignore", "remove", "1")
    assert audit(range_server, path)[0] == 1
    assert "(EXPIRED)" in invoke("ignore", "list").stdout.decode()
    assert invoke("ignore", "remove", "c1").returncode == 2


def test_ignored_finding_is_new_again_when_its_rule_goes(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW])
    invoke("ignore", "add", "--domain", "example.org", "--reason", "later")
    code, doc, _ = audit(range_server, path, "--new")
    assert code == 0 and doc["review"]["new"] == [] and len(doc["review"]["ignored"]) == 1
    assert doc["review"]["resolved"] == 0
    invoke("ignore", "remove", "1")
    code, doc, _ = audit(range_server, path, "--new")
    assert code == 1 and len(doc["review"]["new"]) == 1


def test_ignore_file_is_private_and_validated(range_server: RangeServer, tmp_path: Path) -> None:
    assert invoke("ignore", "add", "--domain", "example.org").returncode == 2  # no reason: refused, not prompted
    assert invoke("ignore", "add", "--reason", "r").returncode == 2  # nothing to match
    assert invoke("ignore", "add", "--domain", "a.com", "--url", "https://a.com", "--reason", "r").returncode == 2
    assert invoke("ignore", "add", "--domain", "example.org", "--reason", "r").returncode == 0
    ignore_file = Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck" / "ignore.toml"
    assert ignore_file.stat().st_mode & 0o777 == 0o600
    ignore_file.write_text(ignore_file.read_text() + "\n[[rule]]\nid = 2\ndomain = 5\nreason = 'x'\n")
    proc = invoke("audit", str(export(tmp_path, [PWNED_ROW])), "--api-url", range_server.url)
    assert proc.returncode == 2 and b"ignore.toml:" in proc.stderr and b"'domain' must be a string" in proc.stderr


@pytest.mark.parametrize("where", ["config", "ignore-file"])
def test_a_bad_ignore_rule_stops_the_audit_before_any_source_is_read_or_checked(
    range_server: RangeServer, tmp_path: Path, where: str
) -> None:
    """One line naming the rule's file and line, exit 2, and nothing read, asked or fetched first.

    The missing file would print its own `no such file` line if sources were read; the range
    server counts every range and catalogue request."""
    pwcheck_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck"
    pwcheck_dir.mkdir(parents=True, exist_ok=True)
    if where == "config":
        bad = pwcheck_dir / "config.toml"
        bad.write_text('[check]\ntimeout = 5\n\n[[ignore]]\ndomain = "example.org"\n')  # no reason
        named = f"pwcheck: config {bad}:4: ignore rule needs a 'reason'"
    else:
        bad = pwcheck_dir / "ignore.toml"
        bad.write_text("[[rule]]\nid = 1\ndomain = 5\nreason = 'x'\n")
        named = f"pwcheck: {bad}:1: ignore rule key 'domain' must be a string"
    path = export(tmp_path, [PWNED_ROW, CLEAN_ROW])
    range_server.requests.clear()
    for report_format in ("json", "terminal"):
        proc = invoke("audit", str(path), str(tmp_path / "missing.csv"), "--format", report_format,
                      "--api-url", range_server.url, "--breaches-url", range_server.breaches_url)
        stderr = proc.stderr.decode()
        assert proc.returncode == 2, stderr
        assert stderr == named + "\n", stderr
        assert "missing.csv" not in stderr and proc.stdout == b""
    assert range_server.requests == []


def test_state_key_in_a_real_secret_service(range_server: RangeServer, tmp_path: Path) -> None:
    """With a real gnome-keyring (its own D-Bus session, fresh data dir) the key goes to the keychain, not a file.

    Subprocesses: a Secret Service keyring backend, in its own D-Bus session, run as a user's shell would."""
    path = export(tmp_path, [PWNED_ROW])
    audit_cmd = f"{sys.executable} -m pwcheck audit {path} --new --format json --api-url {range_server.url}"
    script = (
        "printf %s test-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f"{audit_cmd} > first.json; echo first=$?; {audit_cmd} > second.json; echo second=$?; "
        "secret-tool lookup service pwcheck username state-fingerprint-key | wc -c"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    proc = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert "first=1" in proc.stdout and "second=0" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1].strip() == "64"  # 32 random bytes, hex
    assert json.loads((tmp_path / "second.json").read_text())["review"]["still_present"][0]["username"] == "alice"
    assert not (state_dir() / "state.key").exists()
    _assert_state_holds_no_secret()


def test_new_resolves_only_what_a_run_read_in_full(range_server: RangeServer, tmp_path: Path) -> None:
    """A finding of an export left out of this run is not fixed: it is carried over, and is not new when it is back."""
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    one = export(first, [PWNED_ROW])
    two = export(second, [("https://other.example.com/", "zed", fd.UMLAUT)])

    code, doc, _ = audit(range_server, one, str(two), "--new")
    assert code == 1 and len(doc["review"]["new"]) == 2

    code, doc, _ = audit(range_server, one, "--new")  # the second export is not read this time
    review = doc["review"]
    assert code == 0 and review["resolved"] == 0 and review["carried_over"] == 1
    assert any("sources not read this run" in note for note in review["notes"])

    code, doc, _ = audit(range_server, one, str(two), "--new")  # back: still present, not new
    review = doc["review"]
    assert code == 0 and review["new"] == [] and len(review["still_present"]) == 2

    code, doc, _ = audit(range_server, one, "--new")
    two.write_text("name,url,username,password\nx,https://other.example.com/,zed,pw-a-fresh-one-Lima-12\n", encoding="utf-8")
    code, doc, _ = audit(range_server, one, str(two), "--new")  # read in full, the finding gone: resolved
    assert code == 0 and doc["review"]["resolved"] == 1 and doc["review"]["carried_over"] == 0
    _assert_state_holds_no_secret()
    state = (state_dir() / "findings.json").read_text()
    assert str(first) not in state and str(second) not in state  # sources are kept as keyed tags, not paths


def test_a_finding_in_two_exports_is_resolved_only_when_both_are_read(range_server: RangeServer, tmp_path: Path) -> None:
    """The same login in two exports: fixed in one and the other left out, it is kept, not resolved."""
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    one, two = export(first, [PWNED_ROW]), export(second, [PWNED_ROW])
    assert audit(range_server, one, str(two), "--new")[0] == 1
    code, doc, _ = audit(range_server, one, "--new")  # still in one; two not read
    assert code == 0 and len(doc["review"]["still_present"]) == 1
    export(first, [FIXED_ROW])
    code, doc, _ = audit(range_server, one, "--new")  # fixed in one, two still not read: kept
    assert code == 0 and doc["review"]["resolved"] == 0 and doc["review"]["carried_over"] == 1
    code, doc, _ = audit(range_server, one, str(two), "--new")  # two still holds it: present, not new
    assert code == 0 and doc["review"]["new"] == [] and len(doc["review"]["still_present"]) == 1


@pytest.mark.parametrize("report_format", ["terminal", "markdown", "html"])
def test_an_ignore_rules_reason_is_shown_as_typed_not_as_an_emoji(
    range_server: RangeServer, tmp_path: Path, report_format: str,
) -> None:
    """The review's lines are rich markup; `Text.from_markup` turned `:smile:` in a rule's reason into an emoji."""
    path = export(tmp_path, [PWNED_ROW])
    assert invoke("ignore", "add", "--domain", "example.org", "--reason", ":smile: test account").returncode == 0
    proc = invoke("audit", str(path), "--api-url", range_server.url, "--format", report_format)
    out = proc.stdout.decode()
    assert proc.returncode == 0 and ":smile: test account" in out, out[-2000:]
    assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" not in out
