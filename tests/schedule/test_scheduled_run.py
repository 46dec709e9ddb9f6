"""The exact command a timer runs, run here twice: news once, a quiet log line after, the
range cache answering the second run with zero requests, and the notification channels."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pwcheck.schedule import make_job
from tests.support import fixture_data as fd
from tests.support.exporters import PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer

NO_DESKTOP = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "DBUS_SESSION_BUS_ADDRESS": ""}


def run_job(argv: tuple[str, ...], server: RangeServer, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PWCHECK_API_URL": server.url, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **extra}
    return subprocess.run(list(argv), capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def log_lines() -> list[str]:
    path = Path(os.environ["XDG_STATE_HOME"]) / "pwcheck" / "log" / "pwcheck.log"
    assert path.stat().st_mode & 0o777 == 0o600
    return path.read_text().splitlines()


def test_scheduled_command_reports_news_once_and_uses_the_cache(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [PWNED_ROW, ("https://intranet.example.net/", "hank", fd.CLEAN)])
    argv = make_job([str(path)], "daily", "03:17").argv
    assert argv[0] == sys.executable and "--new" in argv and "--cache" in argv and "--notify" in argv

    first = run_job(argv, range_server, **NO_DESKTOP)
    assert first.returncode == 1, first.stderr
    assert "1 new pwned credential(s): example.org" in first.stderr  # no desktop: said on stderr (the journal)
    lines = log_lines()
    assert len(lines) == 2 and "exit 1" in lines[0] and "1 new" in lines[0] and "NEW: 1 new" in lines[1]
    requests_first = len(range_server.requests)
    assert requests_first == 2

    second = run_job(argv, range_server, **NO_DESKTOP)
    assert second.returncode == 0, second.stderr
    assert len(range_server.requests) == requests_first  # every range came from the cache
    assert "2 range(s) from the cache" in second.stdout and "1,234" in second.stdout  # results unchanged
    lines = log_lines()
    assert len(lines) == 3 and "exit 0" in lines[2] and "0 new, 1 still present" in lines[2]
    for text in (first.stdout, first.stderr, second.stdout, "\n".join(lines)):
        assert fd.ALPHA not in text and fd.sha1_hex(fd.ALPHA) not in text.upper()


def test_desktop_notification_and_mail_when_available(range_server: RangeServer, tmp_path: Path) -> None:
    """notify-send and sendmail are not on this machine: stand-ins on PATH record what pwcheck hands them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("notify-send", "sendmail"):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/{name}.args"\ncat > "{tmp_path}/{name}.stdin"\n')
        script.chmod(0o755)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[notify]\nemail = "me@example.com"\n')
    path = export(tmp_path, [PWNED_ROW])
    argv = make_job([str(path)], "daily", "03:17").argv
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "DISPLAY": ":99"}
    proc = run_job(argv, range_server, **env)
    assert proc.returncode == 1, proc.stderr
    desktop = (tmp_path / "notify-send.args").read_text().splitlines()
    assert desktop[0] == "--app-name=pwcheck" and "1 new pwned credential(s): example.org" in desktop[2]
    assert (tmp_path / "sendmail.args").read_text().split() == ["-t", "-oi"]
    mail = (tmp_path / "sendmail.stdin").read_text()
    assert mail.startswith("To: me@example.com\nSubject: pwcheck: 1 new pwned credential(s) on ")
    for secret in (fd.ALPHA, "alice", "example.org"):
        assert secret not in mail  # mail may cross other machines: the count only
    assert "NEW:" not in "\n".join(log_lines())  # the desktop told the person; the log has the summary
