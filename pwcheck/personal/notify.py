"""Telling the person about new findings from an unattended run: desktop, log, e-mail.

Every `--notify` run appends one summary line to the log (0600, user log dir), so a
quiet night is visible as such. When something is new: a desktop notification where one
can be shown (notify-send with a session, osascript on macOS); otherwise the news goes
to the log and stderr (the journal, for a systemd timer). With `notify.email` set, a
short mail goes through the local `sendmail`.

Messages name counts and contacts (domains), never accounts, passwords or hashes; the
e-mail names only the count, since mail may cross other machines.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pwcheck.system.console import error_line
from pwcheck.system.files import append_private

SENDMAIL_PATHS = ("/usr/sbin/sendmail", "/usr/lib/sendmail")


@dataclass
class Notified:
    """What was done, for the caller's messages and for tests."""

    log: Path
    desktop: bool = False
    email: bool = False
    problems: list[str] = field(default_factory=list)


def log_file() -> Path:
    from pwcheck.system.dirs import log_dir

    return log_dir() / "pwcheck.log"


def announce(report: Any, settings: dict[str, Any]) -> Notified:
    """Log the run, and notify about new (or, without --new, any unignored) findings."""
    from pwcheck.personal.state import now_iso

    review = report.review
    items = (review.new if review.new_only else review.active) if review is not None else []
    done = Notified(log=log_file())
    summary = _summary(report, review)
    append_private(done.log, f"{now_iso()} {summary}")
    if not items:
        return done
    contacts = sorted({item.entry.domain or "(no site)" for item in items})
    what = "new pwned credential(s)" if review.new_only else "pwned credential(s)"
    message = f"{len(items)} {what}: {', '.join(contacts)}. Run `pwcheck audit` to see them."
    if settings.get("notify.desktop", True):
        done.desktop = _desktop("pwcheck: passwords to change", message)
    if not done.desktop:
        append_private(done.log, f"{now_iso()} NEW: {message}")
        error_line(message)
    address = settings.get("notify.email") or ""
    if address:
        done.email = _sendmail(address, len(items), what, done)
    return done


def _summary(report: Any, review: Any) -> str:
    parts = [f"exit {report.exit_code}", f"{report.stats.credentials} credential(s)"]
    if review is not None and review.new_only:
        parts += [f"{len(review.new)} new", f"{len(review.still_present)} still present", f"{review.resolved} resolved"]
    else:
        parts.append(f"{len(review.active) if review else report.pwned_entries} finding(s)")
    if review is not None and review.ignored:
        parts.append(f"{len(review.ignored)} ignored")
    if report.not_checked_entries:
        parts.append(f"{report.not_checked_entries} NOT CHECKED")
    if report.errors:
        parts.append(f"{len(report.errors)} NOT READ")  # rows or whole sources, as the headline counts them
    return ", ".join(parts)


def _desktop(title: str, message: str) -> bool:
    """A desktop notification if this session can show one; False otherwise (never raises)."""
    if sys.platform == "darwin" and shutil.which("osascript"):
        script = f"display notification {_applescript(message)} with title {_applescript(title)}"
        return _quiet_run(["osascript", "-e", script])
    has_session = any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"))
    if shutil.which("notify-send") and has_session:
        return _quiet_run(["notify-send", "--app-name=pwcheck", title, message])
    return False


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quiet_run(argv: list[str], stdin: bytes | None = None) -> bool:
    try:
        return subprocess.run(argv, input=stdin, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _sendmail(address: str, count: int, what: str, done: Notified) -> bool:
    binary = shutil.which("sendmail") or next((p for p in SENDMAIL_PATHS if os.access(p, os.X_OK)), None)
    if binary is None:
        done.problems.append("notify.email is set but no sendmail was found")
        error_line(done.problems[-1])
        return False
    if "\n" in address or "\r" in address:
        done.problems.append("notify.email is not a single address")
        error_line(done.problems[-1])
        return False
    host = socket.gethostname()
    mail = (
        f"To: {address}\nSubject: pwcheck: {count} {what} on {host}\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"pwcheck's scheduled check on {host} found {count} {what}.\n"
        "Run `pwcheck audit` on that machine to see which accounts, and change those passwords.\n"
    )
    ok = _quiet_run([binary, "-t", "-oi"], mail.encode("utf-8"))
    if not ok:
        done.problems.append("sendmail did not accept the notification mail")
        error_line(done.problems[-1])
    return ok
