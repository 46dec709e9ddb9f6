"""macOS: a launchd user agent (~/Library/LaunchAgents/org.pwcheck.check.plist).

`StartCalendarInterval` runs the check at the given time (a missed run happens when the
Mac wakes). Loaded with `launchctl bootstrap gui/<uid>`; on other systems the plist is
written and the load command printed.
"""

from __future__ import annotations

import os
import plistlib
from pathlib import Path
from typing import Any

from pwcheck.schedule._job import Job, Outcome, delete_files, install_with, run_tool

LABEL = "org.pwcheck.check"


def agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def plist_dict(job: Job) -> dict[str, Any]:
    interval: dict[str, int] = {"Hour": job.hour, "Minute": job.minute}
    if job.frequency == "weekly":
        interval["Weekday"] = (job.weekday + 1) % 7  # launchd: 0 and 7 are Sunday, 1 Monday
    data: dict[str, Any] = {
        "Label": LABEL,
        "ProgramArguments": list(job.argv),
        "StartCalendarInterval": interval,
        "ProcessType": "Background",
        "RunAtLoad": False,
    }
    if job.log is not None:
        data["StandardOutPath"] = str(job.log)
        data["StandardErrorPath"] = str(job.log)
    if job.environment:
        data["EnvironmentVariables"] = dict(job.environment)
    return data


def _domain() -> str:
    return f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui"


class LaunchdBackend:
    name = "launchd"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or agent_path()

    def render(self, job: Job) -> dict[Path, bytes]:
        return {self.path: plistlib.dumps(plist_dict(job), fmt=plistlib.FMT_XML)}

    def install(self, job: Job) -> Outcome:
        run_tool(["launchctl", "bootout", f"{_domain()}/{LABEL}"])  # a previous version, if loaded
        load = ["launchctl", "bootstrap", _domain(), str(self.path)]
        return install_with(self.render(job), [load], f"loaded {LABEL}: {job.describe()}", "(on the Mac) " + " ".join(load))

    def status(self) -> Outcome:
        if not self.path.exists():
            return Outcome(enabled=False, lines=[f"not installed (no {self.path})"])
        ok, said = run_tool(["launchctl", "print", f"{_domain()}/{LABEL}"])
        return Outcome(enabled=ok, files=[self.path], lines=[f"agent file: {self.path}", "loaded" if ok else f"not loaded ({said})"])

    def remove(self) -> Outcome:
        run_tool(["launchctl", "bootout", f"{_domain()}/{LABEL}"])
        removed = delete_files([self.path])
        return Outcome(enabled=False, files=removed, lines=[f"removed {p}" for p in removed] or ["nothing to remove"])
