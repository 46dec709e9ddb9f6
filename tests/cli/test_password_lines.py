"""`pwcheck password --stdin`: one line is one password; more lines are an input error unless
`--lines`, which checks each line and reports each by its number, never echoing a password."""

from __future__ import annotations

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import invoke
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
