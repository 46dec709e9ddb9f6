"""Real nginx (the Debian package) in the foreground on a loopback port, for the tests and benchmarks.

It serves an export's own server block (`pwcheck corpus export-static` writes it, listening
where the caller says) inside a minimal main config whose pid file, error log and temporary
folders all live in `prefix`, so nothing of the system's nginx setup is read or written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.path.exists(p)), None)


@contextmanager
def running_nginx(prefix: Path, server_conf: Path, port: int, workers: int = 1) -> Iterator[str]:
    """nginx with `server_conf` included in its http block; yields its base URL, then stops it by its pid."""
    if NGINX is None:
        raise RuntimeError("nginx is not installed")
    prefix.mkdir(parents=True, exist_ok=True)
    temp = " ".join(f"{name}_temp_path {prefix / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, nginx would run its workers as `nobody`, who cannot enter pytest's 0700 folders.
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"daemon off;\nworker_processes {workers};\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n"
        f"{user}\nevents {{ worker_connections 1024; }}\nhttp {{\n{temp}\ninclude {server_conf};\n}}\n"
    )
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                httpx.get(f"{url}/range/00000", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (prefix / "error.log").read_text(errors="replace") if (prefix / "error.log").exists() else ""
                    stderr = proc.stderr.read().decode(errors="replace") if proc.poll() is not None and proc.stderr else ""
                    raise RuntimeError(f"nginx did not start: {stderr}{log}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
