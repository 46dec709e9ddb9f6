"""A real `python -m pwcheck` process measured: its exit code, output and peak resident memory.

The peak is `ru_maxrss` of that process alone, read by a small launcher process that starts
it and waits for it: the maximum counts the memory a process had before it exec'd, so a
child forked straight from a test worker (hundreds of MB after a long run) would report the
worker's size, not its own. The launcher is a fresh interpreter of a few MB. The command's
address space is capped as well, so a regression ends in a MemoryError in the child
instead of taking the shared machine's memory. The launcher and the command run in a
session of their own, ended together when the time limit passes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADDRESS_SPACE = 1536 << 20  # 1.5 GiB: the interpreter, httpx, aiohttp and rich fit with room to spare
LAUNCHER = """
import resource, subprocess, sys
limit = int(sys.argv[2])
cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
code = subprocess.run(sys.argv[3:], preexec_fn=cap).returncode
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code if code >= 0 else 128 - code)
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: bytes
    stderr: bytes
    peak_mib: int
    timed_out: bool


def run_pwcheck(*args: str, env: dict[str, str], stdin: bytes | Path = b"", timeout: float = 60) -> Measured:
    """`python -m pwcheck *args` under the address-space cap; ended after `timeout` seconds.

    `stdin` is the bytes to give, or a file to read them from (`/dev/zero`: an endless stream).
    """
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        command = [sys.executable, "-c", LAUNCHER, str(peak_file), str(ADDRESS_SPACE), sys.executable, "-m", "pwcheck", *args]
        with open(stdin if isinstance(stdin, Path) else os.devnull, "rb") as source:
            proc = subprocess.Popen(
                command, stdin=source if isinstance(stdin, Path) else subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env, start_new_session=True,
            )
            timed_out = False
            try:
                out, err = proc.communicate(None if isinstance(stdin, Path) else stdin, timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher's own session: it and the command
                out, err = proc.communicate()
        peak_kib = int(peak_file.read_text()) if peak_file.exists() else 0  # ru_maxrss is in KiB on Linux
        return Measured(proc.returncode, out, err, peak_kib >> 10, timed_out)
