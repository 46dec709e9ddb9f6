"""Windows: a Task Scheduler task (`\\pwcheck`) imported from Task XML with `schtasks /Create /XML`.

The XML follows the Task Scheduler 1.2 schema (element order inside a trigger matters);
it runs as the logged-in user with least privilege, only when the network is available,
and catches up after a missed start. The file is UTF-16, as schtasks expects.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from pwcheck.schedule._job import WEEKDAYS, Job, Outcome, delete_files, install_with, run_tool

TASK_NAME = "pwcheck"
NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"


def task_file() -> Path:
    from pwcheck.system.dirs import config_dir

    return config_dir() / "pwcheck-task.xml"


def task_xml(job: Job, today: dt.date | None = None) -> str:
    start = dt.datetime.combine(today or dt.date.today(), dt.time(job.hour, job.minute))
    if job.frequency == "weekly":
        schedule = (
            f"<ScheduleByWeek><DaysOfWeek><{WEEKDAYS[job.weekday]} /></DaysOfWeek>"
            "<WeeksInterval>1</WeeksInterval></ScheduleByWeek>"
        )
    else:
        schedule = "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>"
    program, *arguments = job.argv
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="{NAMESPACE}">
  <RegistrationInfo>
    <Description>pwcheck: check saved passwords for new breaches ({escape(job.describe())})</Description>
    <URI>\\{TASK_NAME}</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>{start.isoformat()}</StartBoundary>
      <Enabled>true</Enabled>
      <RandomDelay>PT10M</RandomDelay>
      {schedule}
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(program)}</Command>
      <Arguments>{escape(subprocess.list2cmdline(arguments))}</Arguments>
    </Exec>
  </Actions>
</Task>
"""


class SchtasksBackend:
    name = "schtasks"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or task_file()

    def render(self, job: Job) -> dict[Path, bytes]:
        return {self.path: task_xml(job).encode("utf-16")}

    def install(self, job: Job) -> Outcome:
        create = ["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(self.path), "/F"]
        manual = f'(on Windows) schtasks /Create /TN {TASK_NAME} /XML "{self.path}" /F'
        return install_with(self.render(job), [create], f"created task {TASK_NAME}: {job.describe()}", manual)

    def status(self) -> Outcome:
        ok, said = run_tool(["schtasks", "/Query", "/TN", TASK_NAME])
        files = [self.path] if self.path.exists() else []
        return Outcome(enabled=ok, files=files, lines=[f"task {TASK_NAME}: " + ("registered" if ok else f"not found ({said})")])

    def remove(self) -> Outcome:
        ok, said = run_tool(["schtasks", "/Delete", "/TN", TASK_NAME, "/F"])
        removed = delete_files([self.path])
        lines = [f"deleted task {TASK_NAME}" if ok else f"could not delete the task ({said})"]
        return Outcome(enabled=False, files=removed, lines=lines + [f"removed {p}" for p in removed])
