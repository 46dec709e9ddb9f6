"""Ctrl-C mid-audit ends promptly with a partial report (exit 3), progress bar or not; and the
running CLI has core dumps disabled (read from its /proc entry while it waits on the server)."""

from __future__ import annotations

import json
import os
import pty
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pwcheck.corpus.memory import MemoryCorpus
from tests.support import fixture_data as fd
from tests.support.privacy.harness import Sandbox
from tests.support.rangeserver import RangeServer

PASSWORDS = [f"pw-sigint-{i:03d}" for i in range(120)]
PWNED = {p: i + 1 for i, p in enumerate(PASSWORDS) if i % 3 == 0}


def _raise_core_limit() -> None:
    """In the child before exec: allow core files, so only pwcheck itself can turn them off."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def _core_limit_line(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return line
    raise AssertionError("no core limit line")


@pytest.fixture
def slow_server() -> RangeServer:
    corpus = MemoryCorpus.from_lines(f"{fd.sha1_hex(p)}:{c}" for p, c in PWNED.items())
    server = RangeServer(corpus, latency=0.3).start()
    yield server
    server.stop()


def _export(box: Sandbox) -> Path:
    path = box.inputs / "many.csv"
    path.write_text("name,url,username,password\n" + "".join(f"S{i},https://s{i}.example.com,u{i},{p}\n" for i, p in enumerate(PASSWORDS)))
    return path


def _wait_for_requests(server: RangeServer, count: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while len(server.requests) < count:
        assert proc.poll() is None, "pwcheck ended before it was interrupted"
        assert time.monotonic() < deadline, "pwcheck never reached the server"
        time.sleep(0.05)


@pytest.mark.parametrize("report_format", ["json", "terminal"])
@pytest.mark.parametrize("progress_on_a_terminal", [False, True], ids=["piped", "tty-progress"])
def test_ctrl_c_reports_what_was_checked_as_partial(
    slow_server: RangeServer, tmp_path: Path, report_format: str, progress_on_a_terminal: bool
) -> None:
    box = Sandbox(tmp_path)
    args = [sys.executable, "-m", "pwcheck", "audit", str(_export(box)), "--format", report_format, "--concurrency", "2"]
    master = slave = None
    if progress_on_a_terminal:
        master, slave = pty.openpty()
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=slave if slave is not None else subprocess.PIPE, stdin=subprocess.DEVNULL,
        env=box.env({"PWCHECK_API_URL": slow_server.url}), preexec_fn=_raise_core_limit,
    )
    tty_output = bytearray()
    if master is not None:
        os.close(slave)  # type: ignore[arg-type]

        def drain() -> None:
            try:
                while chunk := os.read(master, 4096):
                    tty_output.extend(chunk)
            except OSError:
                pass

        threading.Thread(target=drain, daemon=True).start()
    try:
        _wait_for_requests(slow_server, 6, proc)
        assert _core_limit_line(proc.pid).split()[4:6] == ["0", "0"]
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)  # a generous guard, not a speed assertion
    finally:
        if proc.poll() is None:
            proc.kill()
        if master is not None:
            time.sleep(0.2)
            os.close(master)
    stderr_text = (stderr or b"").decode() + tty_output.decode("utf-8", "replace")
    assert proc.returncode == 3, stderr_text
    assert "Traceback" not in stderr_text
    requested = len(slow_server.requests)
    assert requested < len(PASSWORDS)  # it really stopped early
    if report_format == "json":
        doc = json.loads(stdout)
        assert doc["partial"] is True and doc["exit_code"] == 3
        assert any("interrupted" in p for p in doc["problems"])
        counts = {e["username"]: e["pwned_count"] for e in doc["entries"]}
        checked = {u: c for u, c in counts.items() if c is not None}
        assert checked and len(checked) < len(PASSWORDS)
        for index, password in enumerate(PASSWORDS):
            if f"u{index}" in checked:
                assert checked[f"u{index}"] == PWNED.get(password, 0)  # what was checked is exact
    else:
        assert b"interrupted: partial report" in stdout
    if progress_on_a_terminal:
        assert "checking" in stderr_text  # the progress bar was really drawn


def test_core_limit_control_shows_the_test_can_fail() -> None:
    """Without pwcheck, a child started the same way has core dumps allowed."""
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0:
        pytest.skip("the hard core limit is already 0 here: nothing for pwcheck to disable")
    proc = subprocess.run(
        [sys.executable, "-c", "import resource; print(resource.getrlimit(resource.RLIMIT_CORE)[0])"],
        capture_output=True, preexec_fn=_raise_core_limit, timeout=60,
    )
    assert int(proc.stdout) != 0


def test_ctrl_c_while_reading_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Interrupted outside the checking stage: no click 'Aborted!' with exit 1 (which means 'pwned')."""
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)  # reading blocks until a writer appears: pwcheck is stuck in the reader
    box = Sandbox(tmp_path / "box")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pwcheck", "audit", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, env=box.env(),
    )
    deadline = time.monotonic() + 60
    while _wchan(proc.pid) not in ("wait_for_partner", "fifo_open") and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert b"interrupted" in stderr and b"Traceback" not in stderr


def _wchan(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""
