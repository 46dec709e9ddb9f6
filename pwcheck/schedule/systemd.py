"""Linux: a systemd user timer (`pwcheck.timer`) starting a oneshot `pwcheck.service`.

Units go to the user unit dir ($XDG_CONFIG_HOME/systemd/user). Enabling needs a user
manager (`systemctl --user`), which a container or an SSH session without lingering may
not have: then the units are written and the exact command to enable them is printed.
`Persistent=true` runs a check missed while the machine was off at the next boot.
"""

from __future__ import annotations

import os
from pathlib import Path

from pwcheck.schedule._job import WEEKDAYS, Job, Outcome, ScheduleError, delete_files, install_with, run_tool

SERVICE = "pwcheck.service"
TIMER = "pwcheck.timer"
ENABLE_HINT = "systemctl --user daemon-reload && systemctl --user enable --now pwcheck.timer"


def unit_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir()) / "systemd" / "user"


def quote(arg: str) -> str:
    """One ExecStart word: double-quoted with C escapes; `%` and `$` doubled so systemd keeps them."""
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def calendar(job: Job) -> str:
    """The OnCalendar expression (checked by `systemd-analyze calendar` in the tests)."""
    day = f"{WEEKDAYS[job.weekday][:3]} " if job.frequency == "weekly" else ""
    return f"{day}*-*-* {job.hour:02d}:{job.minute:02d}:00"


def verify(files: dict[Path, bytes]) -> str:
    """`systemd-analyze verify --user` on the units, written to a private temporary dir first.

    Raises ScheduleError if it refuses them (the install fails, exit 2, nothing written);
    returns the line to show otherwise (including "not verified" where the tool is missing).
    No user manager is needed: a private temporary XDG_RUNTIME_DIR stands in for the
    session's (verify only reads unit files), so a stale or missing one cannot fail it.
    """
    import shutil
    import tempfile

    if shutil.which("systemd-analyze") is None:
        return "units not verified: systemd-analyze not found"
    with tempfile.TemporaryDirectory(prefix="pwcheck-units-") as scratch:
        paths = []
        for path, data in files.items():
            paths.append(str(Path(scratch) / path.name))
            Path(paths[-1]).write_bytes(data)
        runtime = Path(scratch) / "runtime"
        runtime.mkdir(mode=0o700)
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
        ok, said = run_tool(["systemd-analyze", "verify", "--user", *paths], timeout=60, env=env)
    if not ok:
        raise ScheduleError(f"systemd-analyze verify refused the units ({said}); nothing was installed")
    return "units verified by systemd-analyze"


class SystemdBackend:
    name = "systemd"

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or unit_dir()

    def render(self, job: Job) -> dict[Path, bytes]:
        environment = "".join(f"Environment={quote(f'{k}={v}')}\n" for k, v in job.environment)
        service = (
            "[Unit]\n"
            "Description=pwcheck: check saved passwords for new breaches\n\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"{environment}"
            f"ExecStart={' '.join(quote(arg) for arg in job.argv)}\n"
            "Nice=10\n"
            # The audit exits 1 on new findings: that is news, not a failed unit.
            "SuccessExitStatus=1\n"
        )
        timer = (
            "[Unit]\n"
            f"Description=Run pwcheck {job.describe()}\n\n"
            "[Timer]\n"
            f"OnCalendar={calendar(job)}\n"
            "Persistent=true\n"
            "RandomizedDelaySec=10min\n\n"
            "[Install]\n"
            "WantedBy=timers.target\n"
        )
        return {self.directory / SERVICE: service.encode(), self.directory / TIMER: timer.encode()}

    def install(self, job: Job) -> Outcome:
        files = self.render(job)
        verified = verify(files)  # before anything is written where systemd looks: refused units are never installed
        steps = [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", TIMER]]
        done = f"enabled {TIMER}: {job.describe()}; logs: journalctl --user -u {SERVICE}"
        outcome = install_with(files, steps, done, f"(in a logged-in session) {ENABLE_HINT}")
        outcome.lines.insert(0, verified)
        return outcome

    def status(self) -> Outcome:
        files = [path for path in (self.directory / SERVICE, self.directory / TIMER) if path.exists()]
        outcome = Outcome(enabled=False, files=files)
        if not files:
            outcome.lines.append(f"not installed (no {TIMER} in {self.directory})")
            return outcome
        outcome.lines.extend(f"unit file: {path}" for path in files)
        ok, said = run_tool(["systemctl", "--user", "is-enabled", TIMER])
        outcome.enabled = ok and said == "enabled"
        outcome.lines.append(f"timer: {said}" if ok else f"timer state unknown ({said})")
        if outcome.enabled:
            _, next_run = run_tool(["systemctl", "--user", "show", TIMER, "--property=NextElapseUSecRealtime"])
            outcome.lines.append(next_run)
        return outcome

    def remove(self) -> Outcome:
        ok, said = run_tool(["systemctl", "--user", "disable", "--now", TIMER])
        removed = delete_files([self.directory / TIMER, self.directory / SERVICE])
        outcome = Outcome(enabled=False, files=removed, lines=[f"removed {path}" for path in removed])
        if not ok and removed:
            outcome.lines.append(f"could not disable the timer ({said}); it stops once the files are gone and systemd reloads")
        run_tool(["systemctl", "--user", "daemon-reload"])
        if not removed:
            outcome.lines.append("nothing to remove")
        return outcome
