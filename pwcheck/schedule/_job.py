"""What every scheduler backend shares: the job to run, the outcome, and running a tool.

A backend renders the job into its platform's format (pure, testable anywhere) and then
asks the platform to enable it. Enabling is reported honestly: files written but not
enabled (no user systemd here, no launchctl on Linux) is an outcome with the manual step,
never a silent success.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping, Protocol

from pwcheck.model.errors import PwcheckError

Frequency = Literal["daily", "weekly"]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ScheduleError(PwcheckError):
    """A job that cannot be written safely, or units the platform's own checker refuses (exit 2)."""


def refuse_control_characters(role: str, value: str) -> None:
    """Raise ScheduleError if `value` holds a character no scheduler file can carry as data.

    A line break ends a unit's `ExecStart=` (the rest becomes a directive of its own, such as
    another `ExecStart=`), splits a cron line, and C0/C1 controls are not even valid XML in
    a plist or a Task; an undecodable byte (a lone surrogate) cannot be written at all.
    Refused rather than escaped: no escaping is understood by every one of them.
    """
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            raise ScheduleError(
                f"{role} {ascii(value)} holds a control character (U+{ord(char):04X}); "
                "it cannot be written into a timer unit, plist, task or cron line"
            )


@dataclass(frozen=True)
class Job:
    """The scheduled check: the command line and when it runs (weekly runs on `weekday`).

    Every value that reaches a scheduler file is checked here, once, for every backend.
    """

    argv: tuple[str, ...]
    frequency: Frequency = "daily"
    at: str = "03:17"
    weekday: int = 0  # index into WEEKDAYS
    log: Path | None = None
    environment: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for arg in self.argv:
            refuse_control_characters("the scheduled command's argument", arg)
        refuse_control_characters("the time", self.at)
        if self.log is not None:
            refuse_control_characters("the log file", str(self.log))
        for name, value in self.environment:
            refuse_control_characters("the variable name", name)
            refuse_control_characters(f"{name}", value)

    @property
    def hour(self) -> int:
        return int(self.at.split(":")[0])

    @property
    def minute(self) -> int:
        return int(self.at.split(":")[1])

    def describe(self) -> str:
        when = "daily" if self.frequency == "daily" else f"every {WEEKDAYS[self.weekday]}"
        return f"{when} at {self.at}"


@dataclass
class Outcome:
    """What a backend did: files it wrote or removed, whether the job is live, and what to do next."""

    enabled: bool
    files: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


class Backend(Protocol):
    name: str

    def render(self, job: Job) -> dict[Path, bytes]:
        """Every file the job needs, by path: no side effects."""
        ...

    def install(self, job: Job) -> Outcome: ...

    def status(self) -> Outcome: ...

    def remove(self) -> Outcome: ...


def scheduled_argv(files: list[str]) -> tuple[str, ...]:
    """The command a timer runs: this Python, `--new` with the cache and notifications on."""
    absolute = [str(Path(f).expanduser().resolve()) for f in files]
    return (sys.executable, "-m", "pwcheck", "audit", "--new", "--cache", "--notify", "--no-progress", *absolute)


def job_environment() -> tuple[tuple[str, str], ...]:
    """Variables the timer must keep: a non-default config file location."""
    return tuple((name, os.environ[name]) for name in ("PWCHECK_CONFIG",) if os.environ.get(name))


def run_tool(argv: list[str], timeout: float = 30, env: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """Run a platform tool; (ok, first line of what it said) — its failure is reported, not raised."""
    if shutil.which(argv[0]) is None:
        return False, f"{argv[0]} not found"
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{argv[0]} failed ({type(exc).__name__})"
    said = (proc.stdout.strip() + "\n" + proc.stderr.strip()).strip()
    return proc.returncode == 0, said.splitlines()[0] if said else f"exit {proc.returncode}"


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write each file 0600 (its dir created 0700 if missing), atomically."""
    from pwcheck.system.files import replace_private

    for path, data in files.items():
        replace_private(path, data)
    return list(files)


def delete_files(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    return removed


def install_with(files: dict[Path, bytes], steps: list[list[str]], done: str, manual: str) -> Outcome:
    """Write the files, then run each enabling step; the first failure ends with the manual command.

    Every backend installs this way so "written but not enabled" is always reported the same.
    """
    written = write_files(files)
    outcome = Outcome(enabled=False, files=written, lines=[f"wrote {path}" for path in written])
    for step in steps:
        ok, said = run_tool(step)
        if not ok:
            outcome.lines.append(f"could not enable it ({' '.join(step)}: {said})")
            outcome.lines.append(f"to enable it, run: {manual}")
            return outcome
    outcome.enabled = True
    outcome.lines.append(done)
    return outcome
