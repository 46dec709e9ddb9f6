"""Timer files for every platform, checked by each format's own rules: systemd units with
`systemd-analyze verify`, the launchd plist with plistlib, Task Scheduler XML against the
Task schema's required elements; installing here reports honestly what it could not enable."""

from __future__ import annotations

import datetime as dt
import os
import plistlib
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pwcheck.schedule import Job, make_job
from pwcheck.schedule.cron import TAG, cron_line
from pwcheck.schedule.launchd import LaunchdBackend
from pwcheck.schedule.schtasks import NAMESPACE, task_xml
from pwcheck.schedule.systemd import SystemdBackend, calendar
from tests.support.cli import invoke, run

# A path with a space, a percent sign and a dollar: each is special to some scheduler.
AWKWARD = "/tmp/My Exports/100% $HOME chrome.csv"


def job(frequency: str = "daily", files: tuple[str, ...] = (AWKWARD,)) -> Job:
    return make_job(list(files), frequency, "03:17", weekday=2)


def verify_units(directory: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    units = [str(directory / "pwcheck.service"), str(directory / "pwcheck.timer")]
    return subprocess.run(["systemd-analyze", "verify", "--user", *units], capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("frequency", ["daily", "weekly"])
def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path, frequency: str) -> None:
    backend = SystemdBackend(tmp_path / "units")
    files = backend.render(job(frequency))
    for path, data in files.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    proc = verify_units(tmp_path / "units", tmp_path)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr
    calendar_check = subprocess.run(["systemd-analyze", "calendar", calendar(job(frequency))], capture_output=True, text=True)
    assert calendar_check.returncode == 0, calendar_check.stderr
    normalized = calendar_check.stdout
    assert ("Wed *-*-* 03:17:00" if frequency == "weekly" else "*-*-* 03:17:00") in normalized


def test_systemd_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a bad calendar expression is refused by the same command."""
    backend = SystemdBackend(tmp_path / "units")
    for path, data in backend.render(job()).items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data.replace(b"OnCalendar=*-*-* 03:17:00", b"OnCalendar=every full moon"))
    assert verify_units(tmp_path / "units", tmp_path).returncode != 0


def test_systemd_exec_start_keeps_awkward_arguments(tmp_path: Path) -> None:
    service = SystemdBackend(tmp_path).render(job())[tmp_path / "pwcheck.service"].decode()
    exec_line = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    # Undo systemd's specifier and variable escapes, then split as systemd does (C-style quotes).
    words = shlex.split(exec_line[len("ExecStart="):].replace("%%", "%").replace("$$", "$"))
    assert words == list(job().argv)
    assert words[:4] == [sys.executable, "-m", "pwcheck", "audit"] and "--new" in words and "--cache" in words


def test_launchd_plist_is_valid_with_required_keys(tmp_path: Path) -> None:
    for frequency, weekday in (("daily", None), ("weekly", 3)):
        data = LaunchdBackend(tmp_path / "a.plist").render(job(frequency))[tmp_path / "a.plist"]
        plist = plistlib.loads(data, fmt=plistlib.FMT_XML)
        assert plist["Label"] == "org.pwcheck.check"
        assert plist["ProgramArguments"] == list(job().argv) and all(isinstance(a, str) for a in plist["ProgramArguments"])
        interval = plist["StartCalendarInterval"]
        assert interval["Hour"] == 3 and interval["Minute"] == 17 and interval.get("Weekday") == weekday
        assert plist["StandardOutPath"].endswith("scheduled.log") and plist["RunAtLoad"] is False


@pytest.mark.parametrize("frequency", ["daily", "weekly"])
def test_task_scheduler_xml_has_the_schema_required_elements(frequency: str) -> None:
    text = task_xml(job(frequency), today=dt.date(2026, 11, 29))
    root = ET.fromstring(text.encode("utf-16"))  # well-formed, and parsed as schtasks reads it (UTF-16)
    ns = {"t": NAMESPACE}
    assert root.tag == f"{{{NAMESPACE}}}Task" and root.get("version") == "1.2"
    for required in ("t:RegistrationInfo", "t:Triggers", "t:Settings", "t:Actions", "t:Principals"):
        assert root.find(required, ns) is not None, required
    trigger = root.find("t:Triggers/t:CalendarTrigger", ns)
    assert trigger is not None
    # calendarTriggerType is an xs:sequence: StartBoundary, Enabled, RandomDelay, then the schedule.
    order = [child.tag.split("}")[1] for child in trigger]
    schedule = "ScheduleByWeek" if frequency == "weekly" else "ScheduleByDay"
    assert order == ["StartBoundary", "Enabled", "RandomDelay", schedule]
    assert dt.datetime.fromisoformat(trigger.findtext("t:StartBoundary", namespaces=ns) or "") == dt.datetime(2026, 11, 29, 3, 17)
    if frequency == "weekly":
        assert trigger.find("t:ScheduleByWeek/t:DaysOfWeek/t:Wednesday", ns) is not None
        assert trigger.findtext("t:ScheduleByWeek/t:WeeksInterval", namespaces=ns) == "1"
    else:
        assert trigger.findtext("t:ScheduleByDay/t:DaysInterval", namespaces=ns) == "1"
    assert root.findtext("t:Actions/t:Exec/t:Command", namespaces=ns) == sys.executable
    arguments = root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=ns) or ""
    assert arguments.startswith("-m pwcheck audit --new") and f'"{AWKWARD}"' in arguments
    assert root.findtext("t:Principals/t:Principal/t:LogonType", namespaces=ns) == "InteractiveToken"
    assert root.findtext("t:Settings/t:MultipleInstancesPolicy", namespaces=ns) == "IgnoreNew"


def test_cron_line_is_five_fields_and_a_quoted_command() -> None:
    line = cron_line(job("weekly"))
    fields = line.split(" ", 5)
    assert fields[:5] == ["17", "3", "*", "*", "3"]
    assert line.endswith(TAG) and "100\\% " in line  # cron turns a bare % into a newline
    command = shlex.split(fields[5].replace("\\%", "%"), comments=True)
    # `umask 077; mkdir -p LOGDIR &&` first (tests/schedule/test_cron_line.py runs the line), then the job
    start = command.index("&&") + 1
    log = job().log
    assert log is not None and command[:start] == ["umask", "077;", "mkdir", "-p", str(log.parent), "&&"]
    assert command[start: start + len(job().argv)] == list(job().argv)


def _no_user_manager(tmp_path: Path) -> dict[str, str]:
    """An environment where `systemctl --user` cannot reach any manager, as in this container."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {"XDG_RUNTIME_DIR": str(runtime), "DBUS_SESSION_BUS_ADDRESS": f"unix:path={runtime}/none", "HOME": str(tmp_path)}


def test_install_writes_units_and_says_what_could_not_be_enabled(tmp_path: Path, fixtures: Path) -> None:
    # Real processes: install/status/remove run the system's own tools (systemctl) against this environment.
    env = _no_user_manager(tmp_path)
    proc = run("schedule", "install", "--weekly", "--at", "22:05", "--backend", "systemd", str(fixtures / "chrome.csv"), env=env)
    out = proc.stdout.decode()
    assert proc.returncode == 1, out + proc.stderr.decode()
    assert "could not enable it (systemctl --user daemon-reload" in out
    assert "to enable it, run: (in a logged-in session) systemctl --user daemon-reload && systemctl --user enable --now pwcheck.timer" in out
    unit_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"
    timer = (unit_dir / "pwcheck.timer").read_text()
    assert "OnCalendar=Mon *-*-* 22:05:00" in timer
    assert str(fixtures / "chrome.csv") in (unit_dir / "pwcheck.service").read_text()
    assert verify_units(unit_dir, tmp_path).returncode == 0

    status = run("schedule", "status", "--backend", "systemd", env=env)
    assert status.returncode == 1 and b"pwcheck.timer" in status.stdout and b"timer state unknown" in status.stdout
    removed = run("schedule", "remove", "--backend", "systemd", env=env)
    assert removed.returncode == 0 and not (unit_dir / "pwcheck.timer").exists()


def test_install_launchd_and_schtasks_here_write_files_and_report_not_enabled(tmp_path: Path, fixtures: Path) -> None:
    # Real processes: install runs the system's own tools (launchctl, schtasks) against this environment.
    env = _no_user_manager(tmp_path)
    proc = run("schedule", "install", "--backend", "launchd", str(fixtures / "chrome.csv"), env=env)
    assert proc.returncode == 1 and b"could not enable it (launchctl bootstrap gui/" in proc.stdout
    assert plistlib.loads((tmp_path / "Library" / "LaunchAgents" / "org.pwcheck.check.plist").read_bytes())["Label"]
    proc = run("schedule", "install", "--backend", "schtasks", str(fixtures / "chrome.csv"), env=env)
    assert proc.returncode == 1 and b"schtasks /Create /TN pwcheck /XML" in proc.stdout


def test_install_needs_something_to_check_and_a_valid_time(fixtures: Path) -> None:
    proc = invoke("schedule", "install", "--backend", "cron")
    assert proc.returncode == 2 and b"sources.exports" in proc.stderr
    proc = invoke("schedule", "install", "--backend", "cron", "--at", "25:00", str(fixtures / "chrome.csv"))
    assert proc.returncode == 2 and b"HH:MM" in proc.stderr


def test_print_changes_nothing(tmp_path: Path, fixtures: Path) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "pwcheck").mkdir()
    (config / "pwcheck" / "config.toml").write_text(f'[sources]\nexports = ["{fixtures / "chrome.csv"}"]\n[schedule]\nfrequency = "weekly"\n')
    proc = invoke("schedule", "install", "--print", "--backend", "systemd")
    assert proc.returncode == 0 and b"OnCalendar=Mon *-*-* 03:17:00" in proc.stdout
    assert not (config / "systemd").exists()
    cron = invoke("schedule", "install", "--print", "--backend", "cron").stdout.decode()
    assert "17 3 * * 1 " in cron and TAG in cron
