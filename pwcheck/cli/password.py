"""`pwcheck password`: check one password, typed at a hidden prompt or piped with --stdin."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pwcheck.cli import options
from pwcheck.model.errors import UsageError
from pwcheck.model.exit_codes import EXIT_CLEAN, EXIT_FOUND, EXIT_NOT_CHECKED


@click.command()
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from stdin (one trailing newline is dropped).")
@options.api_url
@options.timeout
@options.offline
@click.pass_context
def password(ctx: click.Context, from_stdin: bool, api_url: str, timeout: float, offline: Path | None) -> None:
    """Check one password, typed at a hidden prompt or piped with --stdin (never as an argument).

    Exit 0 not found, 1 pwned, 2 no password given, 3 could not check.
    """
    import asyncio

    from pwcheck.check.choice import CheckerChoice
    from pwcheck.model.credential import password_sha1
    from pwcheck.system.console import error_line, is_quiet

    choice = CheckerChoice(offline, 1, timeout)
    checker = choice.build(api_url)
    choice.describe(checker, "")  # an unusable store ends here, before any password is asked
    secret = read_password(from_stdin)
    if not secret:
        raise UsageError("empty password: nothing to check")
    digest = password_sha1(secret)
    del secret
    result = asyncio.run(checker.lookup([digest]))
    count = result.counts.get(digest)
    if count is None:
        error_line("could not check the password: " + ("; ".join(result.problems) or "the range request failed"))
        ctx.exit(EXIT_NOT_CHECKED)
    if count:
        if not is_quiet():
            print(f"pwned: this password has been seen {count:,} times in data breaches. Do not use it.")
        ctx.exit(EXIT_FOUND)
    if not is_quiet():
        print("not found in Pwned Passwords (seen 0 times).")
    ctx.exit(EXIT_CLEAN)


def read_password(from_stdin: bool) -> bytes:
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
        raise UsageError("no terminal to prompt on: pipe the password with --stdin")
    try:
        return str(click.prompt("Password", hide_input=True, prompt_suffix=": ", err=True)).encode("utf-8")
    except click.exceptions.Abort:  # Ctrl-D or Ctrl-C at the prompt: nothing given
        raise UsageError("no password given") from None
