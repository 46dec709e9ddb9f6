"""The audit and password commands end to end, as a user or a script runs them.

Most run in process (`invoke`); one test per audit exit code (0, 1, 2, 3) runs a real
`python -m pwcheck`, so each code is also proven as the status of a process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import ALL_FILES, audit_json, invoke, run
from tests.support.rangeserver import RangeServer


def test_audit_all_formats_exact_json(range_server: RangeServer, fixtures: Path) -> None:
    code, doc, stderr = audit_json(range_server, fixtures, *ALL_FILES)
    assert code == 1, stderr
    assert doc["schema"] == "pwcheck.report/1"
    expected = fd.CHROME + fd.CHROME_OLD + fd.FIREFOX + fd.BITWARDEN
    got = [(e["url"], e["username"], e["domain"], e["pwned_count"], e["password_changed"]) for e in doc["entries"]]
    want = [(x.url, x.username, x.domain, fd.CORPUS_COUNTS.get(x.password, 0), x.changed) for x in expected]
    assert got == want
    assert doc["stats"]["credentials"] == len(expected)
    assert doc["stats"]["unique_passwords"] == len({x.password for x in expected})
    assert doc["stats"]["range_requests"] == len({fd.sha1_hex(x.password)[:5] for x in expected})
    assert len(doc["skipped"]) == fd.CHROME_SKIPPED + fd.FIREFOX_SKIPPED + fd.BITWARDEN_SKIPPED
    domains = {d["domain"]: d for d in doc["domains"]}
    assert domains["example.org"].items() >= {"domain": "example.org", "entries": 2, "pwned_entries": 2, "not_checked_entries": 0}.items()
    assert domains["xn--mnchen-3ya.de"]["entries"] == 2 and domains["xn--mnchen-3ya.de"]["pwned_entries"] == 1
    assert domains[None]["entries"] == 1
    for entry in doc["entries"]:
        assert set(entry) >= {"source", "format", "title", "url", "username", "domain", "pwned_count", "password_changed"}


def test_clean_audit_exits_0(range_server: RangeServer, tmp_path: Path) -> None:
    # A real process: exit 0 proven as a process status.
    path = tmp_path / "clean.csv"
    path.write_text(f"name,url,username,password\nA,https://a.example.com,u,{fd.CLEAN}\n")
    code, doc, _ = audit_json(range_server, tmp_path, str(path), runner=run)
    assert code == 0 and doc["entries"][0]["pwned_count"] == 0


def test_unchecked_prefix_is_null_and_exit_3(range_server: RangeServer, fixtures: Path) -> None:
    # A real process: exit 3 proven as a process status.
    range_server.always[fd.sha1_hex(fd.ALPHA)[:5]] = "503"
    code, doc, stderr = audit_json(range_server, fixtures, "chrome.csv", runner=run)
    assert code == 3
    alpha = [e for e in doc["entries"] if e["username"] == "alice"][0]
    assert alpha["pwned_count"] is None
    assert doc["stats"]["not_checked_entries"] == 1
    assert "Traceback" not in stderr


def test_bad_file_is_one_line_exit_2_and_others_still_audited(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    # A real process: exit 2, and no traceback, proven on a real process's stderr.
    bad = tmp_path / "garbage.csv"
    bad.write_text("this,is\nnot,an export\n")
    missing = tmp_path / "missing.csv"
    code, doc, stderr = audit_json(range_server, fixtures, "chrome.csv", str(bad), str(missing), "firefox.csv", runner=run)
    assert code == 2
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert any(str(bad) in line and "unrecognised" in line for line in lines)
    assert any(str(missing) in line and "no such file" in line for line in lines)
    assert len(doc["entries"]) == len(fd.CHROME) + len(fd.FIREFOX)
    assert {e["source"] for e in doc["errors"]} == {str(bad), str(missing)}


def test_terminal_report_groups_by_contact_and_never_shows_secrets(range_server: RangeServer, fixtures: Path) -> None:
    # A real process: exit 1, and no secret on the real stdout/stderr a user sees.
    proc = run("audit", *(str(fixtures / n) for n in ALL_FILES), "--api-url", range_server.url, "--all")
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "example.org" in out and "linkedin.com" in out and "31,337" in out
    everything = out + proc.stderr.decode()
    for password in fd.ALL_PASSWORDS:
        assert password not in everything
        assert fd.sha1_hex(password) not in everything.upper()


def test_output_file_is_private(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--format", "json", "-o", str(target), "--api-url", range_server.url)
    assert proc.returncode == 1
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text())["schema"] == "pwcheck.report/1"


def test_api_url_from_environment(range_server: RangeServer, fixtures: Path) -> None:
    proc = invoke("audit", str(fixtures / "chrome-old.csv"), "--format", "json", env={"PWCHECK_API_URL": range_server.url})
    assert proc.returncode == 1 and len(range_server.requests) == 2


def test_no_files_is_usage_error() -> None:
    proc = invoke("audit")
    assert proc.returncode == 2 and b"--demo" in proc.stderr


def test_demo_runs_offline_and_says_so() -> None:
    proc = invoke("audit", "--demo")
    assert proc.returncode == 0, proc.stderr
    assert b"DEMO" in proc.stdout and b"imo.org" in proc.stdout
    assert b"would exit 1" in proc.stderr


@pytest.mark.parametrize(
    "stdin,expected_code,expected_text",
    [
        (fd.ALPHA.encode() + b"\n", 1, b"1,234 times"),
        (fd.SPACED.encode() + b"\r\n", 1, b"9 times"),
        (fd.CLEAN.encode(), 0, b"seen 0 times"),
        (b"\n", 2, b"empty password"),
    ],
)
def test_password_stdin(range_server: RangeServer, stdin: bytes, expected_code: int, expected_text: bytes) -> None:
    proc = invoke("password", "--stdin", "--api-url", range_server.url, stdin=stdin)
    assert proc.returncode == expected_code, proc.stderr
    assert expected_text in proc.stdout + proc.stderr


def test_password_not_checked_exits_3(range_server: RangeServer) -> None:
    range_server.always["*"] = "503"
    proc = invoke("password", "--stdin", "--api-url", range_server.url, stdin=fd.ALPHA.encode())
    assert proc.returncode == 3 and b"could not check" in proc.stderr


def test_password_never_prompts_without_a_terminal(range_server: RangeServer) -> None:
    proc = invoke("password", "--api-url", range_server.url, stdin=b"")
    assert proc.returncode == 2 and b"--stdin" in proc.stderr


def test_help_of_every_command() -> None:
    for args in ([], ["audit"], ["password"], ["formats"]):
        proc = invoke(*args, "--help")
        assert proc.returncode == 0 and b"Usage" in proc.stdout


def test_formats_lists_the_readers() -> None:
    out = invoke("formats").stdout.decode()
    assert "chromium" in out and "firefox" in out and "bitwarden-json" in out
    # each reader's TOTP fact is the last line of its entry: name it by the entry's first line
    totp, name = set(), ""
    for line in out.splitlines():
        if line.startswith("  ") and not line.startswith("      "):
            name = line.split()[0]
        elif line.strip() == "TOTP secret: whether one is stored is detected":
            totp.add(name)
    assert {"bitwarden-json", "bitwarden-csv", "keepass-xml", "kdbx", "1password-1pux", "lastpass"} <= totp
    assert "chromium" not in totp and "firefox" not in totp
