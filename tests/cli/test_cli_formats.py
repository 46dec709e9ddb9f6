"""`pwcheck audit` on every export format, on broken files beside good ones, and on .kdbx unlocking."""

from __future__ import annotations

import json
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import audit_json, invoke
from tests.support.rangeserver import RangeServer

KDBX_ENV = {"PWCHECK_KDBX_PASSWORD": fd.KDBX_PASSWORD}


def test_audit_every_format_gives_the_exact_credentials(range_server: RangeServer, fixtures: Path) -> None:
    names = [name for name, *_ in fd.FORMAT_CASES]
    proc = invoke("audit", *(str(fixtures / n) for n in names), "--format", "json", "--api-url", range_server.url, env=KDBX_ENV)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    expected = [(name, fmt, e) for name, fmt, rows, _ in fd.FORMAT_CASES for e in rows]
    got = [(e["source"], e["format"], e["url"], e["username"], e["pwned_count"], e["password_changed"], e["password_changed_kind"], e["other_urls"])
           for e in doc["entries"]]
    want = [(str(fixtures / name), fmt, e.url, e.username, fd.CORPUS_COUNTS.get(e.password, 0), e.changed, e.kind, list(e.other_urls))
            for name, fmt, e in expected]
    assert got == want
    assert len(doc["skipped"]) == sum(skipped for *_, skipped in fd.FORMAT_CASES)
    assert doc["errors"] == []
    everything = proc.stdout.decode() + proc.stderr.decode()
    for password in fd.ALL_PASSWORDS + fd.EXTRA_PASSWORDS:
        assert password not in everything and fd.sha1_hex(password) not in everything.upper()


def test_broken_files_are_one_line_each_and_the_rest_is_audited(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    bad = {
        "empty.csv": b"",
        "junk.bin": bytes(range(256)) * 8,
        "cut.zip": (fixtures / "1password.1pux").read_bytes()[:300],
        "cut.json": (fixtures / "bitwarden.json").read_bytes()[:500],
        "latin1.csv": "name,url,username,password\nA,https://a,u,pässword\n".encode("latin-1"),
        "nul.csv": b"name,url,username,password\nA,https://a,u,p\x00w\n",
        "quote.csv": b'name,url,username,password\nA,https://a,u,"p"w\n',
    }
    paths = []
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    code, doc, stderr = audit_json(range_server, fixtures, "lastpass.csv", *paths, "keepass.xml")
    assert code == 2 and "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    for path in paths:
        assert sum(path in line for line in lines) == 1, (path, lines)
    for located in ("cut.json", "latin1.csv", "nul.csv", "quote.csv"):
        assert any(f"{tmp_path / located}:" in line and f"{tmp_path / located}: " not in line for line in lines), located
    assert {e["source"] for e in doc["errors"]} == set(paths)
    assert len(doc["entries"]) == len(fd.LASTPASS) + len(fd.KEEPASS_XML)


def test_wrong_input_format_is_refused(range_server: RangeServer, fixtures: Path) -> None:
    code, doc, stderr = audit_json(range_server, fixtures, "lastpass.csv", "safari.csv", "chrome.csv", extra=("--input-format", "chromium"))
    assert code == 2
    assert "lastpass.csv: this is a LastPass CSV export, not Chrome" in stderr and "(use --input-format lastpass, or none)" in stderr
    assert "safari.csv: not a Chrome / Edge / Brave / Opera / Vivaldi CSV (missing columns: name, password, url, username)" in stderr
    assert len(doc["entries"]) == len(fd.CHROME)


def test_kdbx_without_a_terminal_or_password_is_exit_2_not_a_prompt(
    range_server: RangeServer, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PWCHECK_KDBX_PASSWORD", raising=False)
    proc = invoke("audit", str(fixtures / "keepass.kdbx"), str(fixtures / "chrome.csv"), "--format", "json", "--api-url", range_server.url, stdin=b"")
    assert proc.returncode == 2
    assert b"set PWCHECK_KDBX_PASSWORD or give --kdbx-keyfile" in proc.stderr
    assert len(json.loads(proc.stdout)["entries"]) == len(fd.CHROME)


def test_kdbx_wrong_password_from_environment(range_server: RangeServer, fixtures: Path) -> None:
    proc = invoke("audit", str(fixtures / "keepass.kdbx"), "--api-url", range_server.url, env={"PWCHECK_KDBX_PASSWORD": "wrong"})
    assert proc.returncode == 2
    assert proc.stderr.decode().strip().endswith("wrong password or key file for this KeePass database")


def test_kdbx_key_file_only(range_server: RangeServer, tmp_path: Path) -> None:
    from pykeepass import create_database

    keyfile = tmp_path / "db.key"
    keyfile.write_bytes(os.urandom(64))
    database = create_database(str(tmp_path / "k.kdbx"), keyfile=str(keyfile))
    database.add_entry(database.root_group, "T", "keyuser", fd.ALPHA, url="https://key.example.com")
    database.save()
    code, doc, stderr = audit_json(range_server, tmp_path, str(tmp_path / "k.kdbx"), extra=("--kdbx-keyfile", str(keyfile)))
    assert code == 1, stderr
    assert [(e["username"], e["pwned_count"]) for e in doc["entries"]] == [("keyuser", 1234)]


def test_kdbx_hidden_prompt_on_a_terminal(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    """On a real terminal the password is asked without echo; the report holds the database's entries.

    A real process on a pty: the prompt and the echo are the terminal's, which CliRunner has not."""
    report = tmp_path / "r.json"
    args = [sys.executable, "-m", "pwcheck", "audit", str(fixtures / "keepass.kdbx"), "--format", "json", "-o", str(report),
            "--api-url", range_server.url, "--no-progress"]
    env = {k: v for k, v in os.environ.items() if k != "PWCHECK_KDBX_PASSWORD"}
    pid, fd_master = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes pwcheck
        os.execve(sys.executable, args, env)
    screen = _read_until(fd_master, b"Password for")
    os.write(fd_master, fd.KDBX_PASSWORD.encode() + b"\n")
    screen += _read_until(fd_master, None)
    _, status = os.waitpid(pid, 0)
    os.close(fd_master)
    assert os.waitstatus_to_exitcode(status) == 1, screen
    assert fd.KDBX_PASSWORD.encode() not in screen  # not echoed
    doc = json.loads(report.read_text())
    assert [e["username"] for e in doc["entries"]] == [e.username for e in fd.KDBX]


def _read_until(fd_master: int, marker: bytes | None, limit: float = 60.0) -> bytes:
    out = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and (marker is None or marker not in out):
        ready, _, _ = select.select([fd_master], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd_master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    if marker is not None and marker not in out:
        pytest.fail(f"no {marker!r} on the terminal: {out!r}")
    return out


def test_kdbx_empty_master_password_from_an_empty_variable(range_server: RangeServer, fixtures: Path) -> None:
    """`PWCHECK_KDBX_PASSWORD=` (set, empty) is the empty password: KeePassXC's Compressed.kdbx opens."""
    database = fixtures / "real" / "keepassxc-Compressed.kdbx"
    proc = invoke("audit", str(database), "--format", "json", "--api-url", range_server.url, env={"PWCHECK_KDBX_PASSWORD": ""})
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(proc.stdout)["entries"]
    assert [(e["url"], e["username"], e["pwned_count"]) for e in entries] == [("http://www.somesite.com/", "User Name", 0)]
