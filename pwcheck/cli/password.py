"""`pwcheck password`: check one password, typed at a hidden prompt or piped with --stdin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pwcheck.cli import options
from pwcheck.model.errors import UsageError
from pwcheck.model.exit_codes import EXIT_CLEAN, EXIT_FOUND, EXIT_NOT_CHECKED

if TYPE_CHECKING:
    from typing import IO

    from pwcheck.check.interface import HashChecker

# Bytes of one password on stdin, its line ending not counted: far above any password or
# passphrase (password managers generate at most a few hundred characters). Without a cap,
# 2.5 GB of NULs were read and hashed as one password.
MAX_PASSWORD_BYTES = 4096
# Lines `--lines` checks in one run: read one at a time, each hashed at once.
MAX_LINES = 100_000


NOT_REPEATED = (
    "; none of it is repeated here, in case it holds a password. "
    "A password is never an argument: type it at the prompt, or pipe it with --stdin"
)


class NoEchoCommand(click.Command):
    """A command whose usage errors repeat nothing of the command line.

    Click quotes what it could not use ("Got unexpected extra argument (hunter2)", "No such
    option: -hunter2", "'hunter2' is not a valid float"), and a person who typed a password
    after `pwcheck password` would see it on the screen and in a terminal log. Only the
    option's own name is kept, for a value that option refused.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            what = "the command line was not understood"
            if isinstance(exc, click.BadParameter) and exc.param is not None and exc.param.name is not None:
                what = f"invalid value for {'/'.join(getattr(exc.param, 'opts', None) or [exc.param.name])}"
            raise click.UsageError(what + NOT_REPEATED, ctx=ctx) from None


@click.command(cls=NoEchoCommand)
@click.option(
    "--stdin", "from_stdin", is_flag=True,
    help="Read the password from stdin: one line (its newline is dropped); more lines are an error without --lines.",
)
@click.option(
    "--lines", "each_line", is_flag=True,
    help="With --stdin: check each line as a password and report each by line number (never the password; shown even with -q).",
)
@options.api_url
@options.timeout
@options.offline
@click.pass_context
def password(
    ctx: click.Context, from_stdin: bool, each_line: bool, api_url: str, timeout: float, offline: Path | None
) -> None:
    """Check one password, typed at a hidden prompt or piped with --stdin (never as an argument).

    Exit 0 not found, 1 pwned, 2 no password given (or several lines without --lines), 3 could not check.
    """
    import asyncio

    from pwcheck.check.choice import CheckerChoice
    from pwcheck.model.credential import password_sha1
    from pwcheck.system.console import error_line, is_quiet

    choice = CheckerChoice(offline, 1, timeout)
    checker = choice.build(api_url)
    choice.describe(checker, "")  # an unusable store ends here, before any password is asked
    if each_line:
        if not from_stdin:
            raise UsageError("--lines reads the passwords from stdin: give --stdin too")
        ctx.exit(check_lines(checker, sys.stdin.buffer))
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
        data = sys.stdin.buffer.read(MAX_PASSWORD_BYTES + 3)  # the password, CR LF, and one byte too many
        if data.endswith(b"\n"):
            data = data[:-1]
            if data.endswith(b"\r"):
                data = data[:-1]
        if len(data) > MAX_PASSWORD_BYTES:
            raise UsageError(f"more than {MAX_PASSWORD_BYTES:,} bytes on stdin, and a password is one line of at most "
                             f"{MAX_PASSWORD_BYTES:,} bytes (give --lines to check one per line)")
        if b"\n" in data:  # two passwords would be checked as one, and "not found" would be about neither
            lines = data.count(b"\n") + 1
            raise UsageError(f"stdin holds {lines} lines and a password is one line: "
                             "give --lines to check each line")
        return data
    if not sys.stdin.isatty():
        raise UsageError("no terminal to prompt on: pipe the password with --stdin")
    try:
        return str(click.prompt("Password", hide_input=True, prompt_suffix=": ", err=True)).encode("utf-8")
    except click.exceptions.Abort:  # Ctrl-D or Ctrl-C at the prompt: nothing given
        raise UsageError("no password given") from None


def check_lines(checker: HashChecker, stream: IO[bytes]) -> int:
    """`--lines`: one report line per input line, by number; the exit code for all of them.

    A line ends at `\n` (a `\r` before it is part of the line ending, as in a Windows file);
    an empty line is skipped and said so. Lines are read and hashed one at a time, each at
    most MAX_PASSWORD_BYTES, at most MAX_LINES of them. 3 if any line could not be checked,
    else 1 if any is pwned, else 0.
    """
    import asyncio

    digests = _line_digests(stream)
    if not any(digests):
        raise UsageError("no password on stdin: nothing to check")
    result = asyncio.run(checker.lookup([d for d in dict.fromkeys(digests) if d is not None]))
    pwned = unchecked = False
    for number, digest in enumerate(digests, 1):
        if digest is None:
            click.echo(f"line {number}: empty, skipped")
            continue
        count = result.counts.get(digest)
        if count is None:
            unchecked = True
            click.echo(f"line {number}: could not check")
        elif count:
            pwned = True
            click.echo(f"line {number}: pwned: seen {count:,} times in data breaches")
        else:
            click.echo(f"line {number}: not found in Pwned Passwords")
    if unchecked:
        from pwcheck.system.console import error_line

        error_line("could not check every line: " + ("; ".join(result.problems) or "a range request failed"))
        return EXIT_NOT_CHECKED
    return EXIT_FOUND if pwned else EXIT_CLEAN


def _line_digests(stream: IO[bytes]) -> list[bytes | None]:
    """The SHA-1 of each line of `stream` (None for an empty one), refusing a line or a count past the limits."""
    from pwcheck.model.credential import password_sha1

    digests: list[bytes | None] = []
    while line := stream.readline(MAX_PASSWORD_BYTES + 3):
        if len(digests) == MAX_LINES:
            raise UsageError(f"stdin holds more than {MAX_LINES:,} lines: check them in parts")
        password = line[:-1] if line.endswith(b"\n") else line
        password = password[:-1] if password.endswith(b"\r") else password
        if len(password) > MAX_PASSWORD_BYTES:
            raise UsageError(f"line {len(digests) + 1} of stdin is longer than {MAX_PASSWORD_BYTES:,} bytes: not a password")
        digests.append(password_sha1(password) if password else None)
        del password, line
    return digests
