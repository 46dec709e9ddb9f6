"""`pwcheck schedule`: one interface over the platform schedulers, one module per platform.

systemd (Linux), launchd (macOS), schtasks (Windows) and a printed cron line elsewhere.
The job always runs `pwcheck audit --new --cache --notify` on the configured exports (or
the files given at install time), so the person hears only about new findings.
"""

from __future__ import annotations

import shutil
import sys

from pwcheck.schedule._job import WEEKDAYS, Backend, Frequency, Job, Outcome, job_environment, scheduled_argv
from pwcheck.system.registry import Registry

BACKENDS: Registry[type[Backend]] = Registry("scheduler", {
    "systemd": "pwcheck.schedule.systemd:SystemdBackend",
    "launchd": "pwcheck.schedule.launchd:LaunchdBackend",
    "schtasks": "pwcheck.schedule.schtasks:SchtasksBackend",
    "cron": "pwcheck.schedule.cron:CronBackend",
})


def default_backend_name(platform: str | None = None) -> str:
    """The scheduler this system has: launchd on macOS, schtasks on Windows, systemd if present, else cron."""
    platform = platform or sys.platform
    if platform == "darwin":
        return "launchd"
    if platform.startswith("win"):
        return "schtasks"
    if shutil.which("systemctl"):
        return "systemd"
    return "cron"


def backend(name: str | None = None) -> Backend:
    """The scheduler called `name`, or this system's."""
    return BACKENDS.get(name or default_backend_name())()


def make_job(files: list[str], frequency: Frequency, at: str, weekday: int = 0) -> Job:
    """The scheduled check for `files` (already resolved from the config when none are given)."""
    from pwcheck.system.dirs import log_dir

    return Job(
        argv=scheduled_argv(files),
        frequency=frequency,
        at=at,
        weekday=weekday,
        log=log_dir() / "scheduled.log",
        environment=job_environment(),
    )


__all__ = ["BACKENDS", "WEEKDAYS", "Backend", "Frequency", "Job", "Outcome", "backend", "default_backend_name", "make_job"]
