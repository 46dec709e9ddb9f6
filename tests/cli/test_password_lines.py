"""`pwcheck password --stdin`: one line is one password; more lines are an input error unless
`--lines`, which checks each line and reports each by its number, never echoing a password."""

from __future__ import annotations

from pathlib import Path

import pytest

from pwcheck.cli import password as password_command
from tests.support import fixture_data as fd
from tests.support.cli import invoke
from tests.support.peak import run_pwcheck
from tests.support.privacy.harness import Sandbox
from tests.support.rangeserver import RangeServer


@pytest.mark.parametrize("stdin", [b"a\nb\n", b"a\nb", fd.ALPHA.encode() + b"\r\n" + fd.CLEAN.encode() + b"\r\n", b"\n\n"])
def test_more_than_one_line_is_an_input_error(range_server: RangeServer, stdin: bytes) -> None:
    proc = invoke("password", "--stdin", "--api-url", range_server.url, stdin=stdin)
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"--lines" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert b"not found" not in proc.stdout + proc.stderr
    assert range_server.requests == []  # nothing was looked up


@pytest.mark.parametrize("stdin", [fd.ALPHA.encode(), fd.ALPHA.encode() + b"\n", fd.ALPHA.encode() + b"\r\n"])
def test_one_line_with_or_without_its_newline_is_one_password(range_server: RangeServer, stdin: bytes) -> None:
    proc = invoke("password", "--stdin", "--api-url", range_server.url, stdin=stdin)
    assert proc.returncode == 1 and b"pwned" in proc.stdout


def test_lines_checks_each_line_and_reports_it_by_number(range_server: RangeServer) -> None:
    stdin = b"\n".join([fd.CLEAN.encode(), fd.ALPHA.encode(), b"", fd.EMOJI.encode() + b"\r", fd.SPACED.encode()]) + b"\n"
    proc = invoke("password", "--stdin", "--lines", "--api-url", range_server.url, stdin=stdin)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode()
    lines = out.splitlines()
    assert lines[0].startswith("line 1: not found")
    assert lines[1].startswith("line 2: pwned") and "seen" in lines[1]
    assert lines[2].startswith("line 3: empty")
    assert lines[3].startswith("line 4: pwned")  # CRLF: the \r ends the line, it is not part of the password
    assert lines[4].startswith("line 5: pwned") and len(lines) == 5
    for password in (fd.CLEAN, fd.ALPHA, fd.EMOJI, fd.SPACED):
        assert password not in out + proc.stderr.decode()


def test_lines_all_clean_is_exit_0_and_unreachable_is_exit_3(range_server: RangeServer) -> None:
    proc = invoke("password", "--stdin", "--lines", "--api-url", range_server.url, stdin=fd.CLEAN.encode() + b"\n")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("line 1: not found")
    range_server.always["*"] = "503"
    stdin = fd.ALPHA.encode() + b"\n" + fd.CLEAN.encode() + b"\n"
    proc = invoke("password", "--stdin", "--lines", "--api-url", range_server.url, "--timeout", "0.5", stdin=stdin)
    assert proc.returncode == 3 and proc.stdout.decode().count("could not check") == 2
    assert b"not found" not in proc.stdout


def test_lines_needs_stdin_and_a_password() -> None:
    assert invoke("password", "--lines").returncode == 2
    proc = invoke("password", "--stdin", "--lines", stdin=b"")
    assert proc.returncode == 2 and b"nothing to check" in proc.stderr


def test_an_endless_stdin_of_nuls_is_refused_after_a_few_kib(range_server: RangeServer, tmp_path: Path) -> None:
    """`password --stdin` read 2.5 GB of NULs as one password: now a real process reads 4 KiB of
    /dev/zero, says why in one line and exits 2, within the memory it started with."""
    measured = run_pwcheck("password", "--stdin", "--api-url", range_server.url, env=Sandbox(tmp_path).env(),
                           stdin=Path("/dev/zero"), timeout=30)
    assert not measured.timed_out and measured.returncode == 2, measured.stderr
    (line,) = measured.stderr.decode().splitlines()
    assert line == "pwcheck: more than 4,096 bytes on stdin, and a password is one line of at most 4,096 bytes " \
                   "(give --lines to check one per line)"
    assert measured.stdout == b"" and range_server.requests == []
    assert measured.peak_mib < 150, measured.peak_mib


@pytest.mark.parametrize("ending", [b"", b"\n", b"\r\n"])
def test_a_password_of_exactly_the_limit_is_checked_and_one_byte_more_is_refused(range_server: RangeServer, ending: bytes) -> None:
    proc = invoke("password", "--stdin", "--api-url", range_server.url, stdin=b"x" * password_command.MAX_PASSWORD_BYTES + ending)
    assert proc.returncode == 0 and b"not found" in proc.stdout
    proc = invoke("password", "--stdin", "--api-url", range_server.url, stdin=b"x" * (password_command.MAX_PASSWORD_BYTES + 1) + ending)
    assert proc.returncode == 2 and b"more than 4,096 bytes on stdin" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_lines_refuses_a_long_line_by_its_number_and_too_many_lines(range_server: RangeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    long_line = fd.CLEAN.encode() + b"\n" + b"y" * (password_command.MAX_PASSWORD_BYTES + 1) + b"\n"
    proc = invoke("password", "--stdin", "--lines", "--api-url", range_server.url, stdin=long_line)
    assert proc.returncode == 2 and proc.stdout == b"" and range_server.requests == []
    assert proc.stderr.decode().splitlines() == ["pwcheck: line 2 of stdin is longer than 4,096 bytes: not a password"]
    monkeypatch.setattr(password_command, "MAX_LINES", 3)
    proc = invoke("password", "--stdin", "--lines", "--api-url", range_server.url, stdin=b"a\nb\nc\n")
    assert proc.returncode == 0 and proc.stdout.decode().count("line ") == 3
    proc = invoke("password", "--stdin", "--lines", "--api-url", range_server.url, stdin=b"a\nb\nc\nd\n")
    assert proc.returncode == 2 and b"more than 3 lines" in proc.stderr and proc.stdout == b""
