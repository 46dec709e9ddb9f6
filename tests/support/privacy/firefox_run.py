"""The child process of the Firefox profile privacy scan: the profile reader end to end, loudly.

Until `pwcheck audit --browser firefox` is wired, this is the audit's own path for it: the
profiles read as `ItemSource`s by `collect` with debug logging on, unreadable ones (a wrong
primary password twice) reported as the command reports them, then the pipeline and every
report format with `--all`. The parent scans stdout, stderr and every file written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pwcheck.audit import run_audit
from pwcheck.report import format_names, renderer
from pwcheck.report._stream import ReportStream
from pwcheck.report.interface import RenderOptions
from pwcheck.sources.browser_firefox import count_logins, firefox_source
from pwcheck.sources.collect import collect
from pwcheck.system.logs import configure_logging


def main(plain: Path, locked: Path) -> None:
    primary = os.environ.pop("FIREFOX_TEST_PRIMARY")
    configure_logging(2)
    answers = iter([primary + "x", primary])
    sources = [
        firefox_source(plain, lambda question: ""),
        firefox_source(locked, lambda question: next(answers)),
        firefox_source(locked, lambda question: primary[::-1]),
    ]
    print("logins:", count_logins(plain), count_logins(locked))
    collected = collect(sources)
    for error in collected.errors:
        print(f"pwcheck: {error}", file=sys.stderr)
    for note in collected.notes:
        print(f"{note.source}: {note.message}", file=sys.stderr)
    report = run_audit(collected, None, checks=frozenset({"weak", "unsecured"}))
    for name in format_names():
        renderer(name).render(report, ReportStream(sys.stdout), RenderOptions(show_all=True))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
