"""The hidden prompt of `pwcheck password` on a real terminal: the password is not echoed."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.support import fixture_data as fd
from tests.support.privacy.harness import Sandbox
from tests.support.privacy.secrets import Scanner
from tests.support.rangeserver import RangeServer


def _read_until(master: int, marker: bytes, seen: bytearray, deadline: float) -> None:
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen.extend(os.read(master, 4096))
            except OSError:
                return


def test_prompt_does_not_echo_the_password(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pwcheck", "password", "-v"], stdin=slave, stdout=slave, stderr=slave,
        env=box.env({"PWCHECK_API_URL": range_server.url}), start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()
    deadline = time.monotonic() + 60
    try:
        _read_until(master, b"Password: ", screen, deadline)
        assert b"Password: " in screen, screen
        os.write(master, fd.UMLAUT.encode() + b"\r")
        _read_until(master, b"Do not use it", screen, deadline)
        proc.wait(timeout=60)
        _read_until(master, b"\0never", screen, time.monotonic() + 0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == 1, screen
    assert b"31,337 times" in screen
    assert Scanner({fd.UMLAUT}).hits(bytes(screen), "terminal") == []
