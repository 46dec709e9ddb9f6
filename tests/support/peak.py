"""A real `python -m pwcheck` process measured: its exit code, output and peak resident memory.

The peak comes from `os.wait4` on that one child, so nothing else this test process ever
started counts (`RUSAGE_CHILDREN` is the maximum over every child so far). The child's
address space is capped as well, so a regression ends in a MemoryError in the child
instead of taking the shared machine's memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ADDRESS_SPACE = 1536 << 20  # 1.5 GiB: the interpreter, httpx, aiohttp and rich fit with room to spare


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: bytes
    stderr: bytes
    peak_mib: int
    timed_out: bool


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_pwcheck(*args: str, env: dict[str, str], stdin: bytes | Path = b"", timeout: float = 60) -> Measured:
    """`python -m pwcheck *args` under the address-space cap; killed after `timeout` seconds.

    `stdin` is the bytes to give, or a file to read them from (`/dev/zero`: an endless stream).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given:
        if isinstance(stdin, Path):
            source = open(stdin, "rb")
        else:
            given.write(stdin)
            given.seek(0)
            source = given
        with source:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pwcheck", *args], stdin=source, stdout=out, stderr=err, env=env, preexec_fn=_cap_memory,
            )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux.
        return Measured(proc.returncode, out.read(), err.read(), usage.ru_maxrss >> 10, expired.is_set())
