"""Anywhere else: a crontab line, printed for the person to add (`crontab -e`).

pwcheck does not edit a crontab itself: it is a file people curate by hand, and a tool
rewriting it is a surprise. Output is appended to the log file; `%` is escaped because
cron turns it into a newline. The line makes its own log directory (`mkdir -p`, under
`umask 077` so the directory and the log are private like every file pwcheck writes): on
a new machine nothing has created it yet, and `>>` into a missing directory fails before
the audit starts, every night, silently.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from pwcheck.schedule._job import Job, Outcome

TAG = "# pwcheck scheduled check"


def cron_line(job: Job) -> str:
    weekday = str((job.weekday + 1) % 7) if job.frequency == "weekly" else "*"
    env = " ".join(f"{name}={shlex.quote(value)}" for name, value in job.environment)
    command = shlex.join(job.argv)
    log = f" >> {shlex.quote(str(job.log))} 2>&1" if job.log else ""
    prepare = f"umask 077; mkdir -p {shlex.quote(str(job.log.parent))} && " if job.log else ""
    line = f"{job.minute} {job.hour} * * {weekday} {prepare}{env + ' ' if env else ''}{command}{log} {TAG}"
    return line.replace("%", "\\%")


class CronBackend:
    name = "cron"

    def render(self, job: Job) -> dict[Path, bytes]:
        return {}

    def install(self, job: Job) -> Outcome:
        return Outcome(enabled=False, lines=["add this line with `crontab -e`:", cron_line(job)])

    def status(self) -> Outcome:
        import shutil
        import subprocess

        if shutil.which("crontab") is None:
            return Outcome(enabled=False, lines=["crontab not found"])
        listing = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        found = [line for line in listing.stdout.splitlines() if TAG in line and not line.lstrip().startswith("#")]
        return Outcome(enabled=bool(found), lines=found or ["no pwcheck line in the crontab"])

    def remove(self) -> Outcome:
        return Outcome(enabled=False, lines=[f"remove the line ending in '{TAG}' with `crontab -e`"])
