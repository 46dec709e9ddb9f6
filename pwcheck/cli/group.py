"""The click group every pwcheck command hangs from: common options, and errors to exit codes.

This is the one place where an exception becomes a process status. Every pwcheck error
derives from `PwcheckError` (`pwcheck/model/errors.py`), carries its exit code and a
one-line message that names no secret: it is printed as `pwcheck: <message>` on stderr
and the command ends with that code. Ctrl-C outside the checking stage (which reports
partially by itself) is one line and exit 130, instead of click's "Aborted!" with exit 1,
which would read as "pwned found" to a script. Click's own usage errors quote what was
given (a file name, a config value): their message goes through `system.display.shown`
here before click prints it, as every other stderr line does in `system.console`.
"""

from __future__ import annotations

from typing import Any

import click

from pwcheck.cli.options import COMMON
from pwcheck.model.errors import PwcheckError
from pwcheck.model.exit_codes import EXIT_INPUT_ERROR, EXIT_INTERRUPTED


class PwcheckGroup(click.Group):
    """A group that gives itself and every subcommand `-v` and `-q`, and maps errors to exit codes.

    Its commands are named in `lazy` as `name -> "module:attribute"` and imported when asked
    for: `pwcheck password --stdin` does not import `audit`'s module (and what that imports),
    which was a third of its start-up (issue 19). Listing them (`pwcheck --help`) imports none
    either: it shows each one's line from `summaries` (the first paragraph of its help), which
    click shortens exactly as it shortens the command's own help.
    """

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, summaries: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(COMMON)
        self.lazy = dict(lazy or {})
        self.summaries = dict(summaries or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            import importlib

            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's command list, with a stand-in holding its summary for each command not imported yet."""
        listed = [(name, self.commands.get(name) or (click.Command(name, help=self.summaries[name])
                                                     if name in self.summaries else self.get_command(ctx, name)))
                  for name in self.list_commands(ctx)]
        commands = [(name, cmd) for name, cmd in listed if cmd is not None and not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:  # the group's own options
            raise shown_error(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PwcheckError as exc:
            fail(ctx, exc)
        except (KeyboardInterrupt, click.Abort):  # click's Abort would be "Aborted!" and exit 1
            click.echo("\npwcheck: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except click.exceptions.Exit:
            raise  # an exit code already chosen
        except BrokenPipeError:  # `pwcheck formats | head`: the reader left before the output was written
            _stdout_closed(ctx)
        except click.ClickException as exc:  # click's own usage error (exit 2), printed by click
            raise shown_error(exc) from None
        except Exception as exc:  # noqa: BLE001 - the one place an unforeseen error gets its exit code
            unexpected(ctx, exc)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        present = {opt for param in cmd.params for opt in getattr(param, "opts", [])}
        for option in COMMON:
            if not present.intersection(option.opts):
                cmd.params.append(option)
        super().add_command(cmd, name)


def _stdout_closed(ctx: click.Context) -> None:
    """One line and exit 2 (the output could not be written: never 0, which would say it was), and no
    second complaint from Python when it flushes the closed pipe at exit."""
    import os
    import sys

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (an in-process runner's buffer)
        pass
    from pwcheck.system.console import error_line

    error_line("standard output was closed before all of it was written (broken pipe)")
    ctx.exit(EXIT_INPUT_ERROR)


def shown_error(exc: click.ClickException) -> click.ClickException:
    """Click's error, or the same error with its text safe to print (control characters visible, no URL userinfo)."""
    from pwcheck.system.display import shown

    text = exc.format_message()
    if shown(text) == text or isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return exc
    if isinstance(exc, click.UsageError):
        return click.UsageError(shown(text), exc.ctx)  # still the usage lines and exit 2
    return click.ClickException(shown(text))


def fail(ctx: click.Context, exc: PwcheckError) -> None:
    """End the command with the error's one line and exit code."""
    from pwcheck.system.console import error_line

    error_line(str(exc))
    ctx.exit(exc.exit_code)


def unexpected(ctx: click.Context, exc: Exception) -> None:
    """An exception no code turned into a `PwcheckError`: one line with its type, exit 2."""
    import ssl

    from pwcheck.system.console import error_line
    from pwcheck.system.logs import log_crash

    log_crash(exc)
    problem = None
    if isinstance(exc, (OSError, ssl.SSLError)):
        from pwcheck.net.environment import ca_problem

        problem = ca_problem()
    error_line(problem or f"unexpected error ({type(exc).__name__}): nothing was reported as clean; "
               "run with -vv for where it happened")
    ctx.exit(EXIT_INPUT_ERROR)
