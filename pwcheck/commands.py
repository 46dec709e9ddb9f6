"""What each command does, between parsing (cli.py) and the pipeline (audit.py).

Kept apart from click so it can be called and tested directly; returns exit codes.
"""

from __future__ import annotations

import io
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pwcheck.analyse.findings import EXIT_FOUND, EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.check._interface import HashChecker
from pwcheck.ui import error_line, progress_bar


@dataclass
class AuditOptions:
    files: list[Path]
    checker_factory: Callable[[str], HashChecker]
    api_url: str
    demo: bool = False
    input_format: str | None = None
    report_format: str = "terminal"
    output: Path | None = None
    show_all: bool = False
    progress: bool = True
    display: dict[Path, str] = field(default_factory=dict)
    kdbx_keyfile: Path | None = None


def run_audit_command(options: AuditOptions) -> int:
    """Collect, check, render; returns the exit code (the demo returns 0 when it ran)."""
    from pwcheck.audit import collect, prefix_count, run_audit
    from pwcheck.report import RenderOptions, renderer

    files = list(options.files)
    if not files and not options.demo:
        error_line("give at least one export file, or --demo to see a sample audit")
        return EXIT_INPUT_ERROR
    with ExitStack() as stack:
        api_url = options.api_url
        if options.demo:
            from pwcheck.demo import demo_files, demo_service

            demo_paths = demo_files()
            options.display.update({path: f"demo/{path.name}" for path in demo_paths})
            files = demo_paths + files
            api_url = stack.enter_context(demo_service())
        from pwcheck.sources.kdbx import make_unlocker

        collected = collect(files, options.input_format, options.display, make_unlocker(options.kdbx_keyfile))
        for error in collected.errors:
            error_line(str(error))
        hashes = collected.unique_hashes()
        checker = options.checker_factory(api_url)
        with progress_bar(prefix_count(hashes), "checking", options.progress) as advance:
            report = run_audit(collected, checker, advance, demo=options.demo, against=_describe_api(api_url, options.demo))
    for problem in report.problems:
        error_line(problem)
    render = renderer(options.report_format)
    buffer = io.StringIO()
    render.render(report, buffer, RenderOptions(show_all=options.show_all))
    if options.output is not None:
        from pwcheck.files import write_private

        try:
            exposed = write_private(options.output, buffer.getvalue())
        except OSError as exc:
            error_line(f"{options.output}: cannot write report ({exc.strerror or type(exc).__name__})")
            return EXIT_INPUT_ERROR
        if exposed and render.names_accounts:
            error_line(f"warning: {options.output} is readable by other users and names your accounts")
    else:
        sys.stdout.write(buffer.getvalue())
    if options.demo:
        if report.exit_code in (EXIT_FOUND, 0):
            error_line(f"demo finished: a real audit with these findings would exit {report.exit_code}")
            return 0
    return report.exit_code


def _describe_api(api_url: str, demo: bool) -> str:
    return "bundled demo corpus on 127.0.0.1" if demo else api_url


def read_password(from_stdin: bool) -> bytes | None:
    """The password's exact bytes: from stdin (one trailing newline dropped) or a hidden prompt.

    Never prompts when stdin is not a terminal: a script would hang on it.
    """
    if from_stdin:
        data = sys.stdin.buffer.read()
        if data.endswith(b"\n"):
            data = data[:-1]
            if data.endswith(b"\r"):
                data = data[:-1]
        return data
    if not sys.stdin.isatty():
        error_line("no terminal to prompt on: pipe the password with --stdin")
        return None
    import click

    return click.prompt("Password", hide_input=True, prompt_suffix=": ", err=True).encode("utf-8")


def run_password_command(from_stdin: bool, checker: HashChecker) -> int:
    """Check one password; exit 0 not found, 1 pwned, 2 none given, 3 not checked."""
    import asyncio

    from pwcheck.credential import password_sha1

    secret = read_password(from_stdin)
    if not secret:
        if secret is not None:
            error_line("empty password: nothing to check")
        return EXIT_INPUT_ERROR
    digest = password_sha1(secret)
    del secret
    result = asyncio.run(checker.lookup([digest]))
    count = result.counts.get(digest)
    if count is None:
        error_line("could not check the password: " + ("; ".join(result.problems) or "the range request failed"))
        return EXIT_NOT_CHECKED
    if count:
        print(f"pwned: this password has been seen {count:,} times in data breaches. Do not use it.")
        return EXIT_FOUND
    print("not found in Pwned Passwords (seen 0 times).")
    return 0
