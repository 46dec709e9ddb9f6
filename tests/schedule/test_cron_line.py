"""The line `schedule install --backend cron` prints runs when pasted into `crontab -e`: it is
run here as cron runs it (`sh -c`, `\\%` turned back into `%`), in a fresh HOME whose log
directory does not exist yet."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from pwcheck.schedule.cron import TAG
from tests.support.cli import run
from tests.support.exporters import PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer


def cron_command(line: str) -> str:
    """What cron hands to `sh -c`: the line after its five time fields, `\\%` unescaped."""
    fields = line.split(None, 5)
    assert len(fields) == 6 and all(re.fullmatch(r"[0-9*]+", f) for f in fields[:5]), line
    return fields[5].replace("\\%", "%")


def test_printed_cron_line_runs_and_creates_its_log_directory(range_server: RangeServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_STATE_HOME": str(home / ".local" / "state"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config")}
    path = export(tmp_path, [PWNED_ROW])
    printed = run("schedule", "install", "--backend", "cron", str(path), env=env)
    lines = [line for line in printed.stdout.decode().splitlines() if line.endswith(TAG)]
    assert len(lines) == 1, printed.stdout
    log_match = re.search(r">> (\S+) 2>&1", lines[0])
    assert log_match is not None, lines[0]
    log = Path(log_match.group(1).strip("'"))
    assert not log.parent.exists()  # a fresh HOME: nothing made it yet, as on a new machine
    cron_env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "SHELL": "/bin/sh", "LOGNAME": "pwcheck",
                "PWCHECK_API_URL": range_server.url, "PWCHECK_BREACHES_URL": os.environ["PWCHECK_BREACHES_URL"],
                "PWCHECK_TWOFACTOR_URL": os.environ["PWCHECK_TWOFACTOR_URL"],
                "PWCHECK_PASSKEYS_URL": os.environ["PWCHECK_PASSKEYS_URL"],
                "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # cron's bare environment
    proc = subprocess.run(["sh", "-c", cron_command(lines[0])], env=cron_env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)  # the audit ran, and found the pwned row
    assert proc.stdout == "" and proc.stderr == ""  # everything went to the log
    assert log.is_file() and log.stat().st_size > 0
    assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o077 == 0
    assert "pwned" in log.read_text()
    assert range_server.requests  # the real range server was asked
