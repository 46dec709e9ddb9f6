"""Every option more than one command takes, defined once (as pip's `cli/cmdoptions.py`).

Defaults come from `pwcheck.net.defaults`; the config file and `PWCHECK_*` variables
reach them through click's `default_map` (`pwcheck/cli/settings.py`), so a flag always wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from pwcheck.model.strength import DEFAULT_WEAK_BELOW
from pwcheck.net.defaults import (
    DEFAULT_API_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_PASSKEYS_URL,
    DEFAULT_TIMEOUT,
    DEFAULT_TWOFACTOR_URL,
    MAX_CONCURRENCY,
)

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

api_url: Decorator[Any] = click.option(
    "--api-url",
    envvar="PWCHECK_API_URL",
    default=DEFAULT_API_URL,
    show_default=True,
    help="Base URL of the range API (env PWCHECK_API_URL), e.g. your own `pwcheck serve`.",
)
concurrency: Decorator[Any] = click.option(
    "--concurrency", type=click.IntRange(1, MAX_CONCURRENCY), default=DEFAULT_CONCURRENCY, show_default=True,
    help="Range requests in flight at once.",
)
timeout: Decorator[Any] = click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=DEFAULT_TIMEOUT, show_default=True,
    help="Seconds to wait for a response.",
)
http2: Decorator[Any] = click.option("--http2", is_flag=True, help="Use httpx's HTTP/2 transport instead of HTTP/1.1 keep-alive.")
offline: Decorator[Any] = click.option(
    "--offline", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Check against the local store in DIR (`pwcheck corpus import|download`): no network at all.",
)
# The public directories (`pwcheck.lists`); PWCHECK_TWOFACTOR_URL / PWCHECK_PASSKEYS_URL and the
# config's [directories] table reach them through `pwcheck/cli/settings.py`'s default_map.
twofactor_url: Decorator[Any] = click.option(
    "--twofactor-url", default=DEFAULT_TWOFACTOR_URL, show_default=True,
    help="2FA Directory list (env PWCHECK_TWOFACTOR_URL, e.g. a mirror); downloaded whole, cached, revalidated each run.",
)
passkeys_url: Decorator[Any] = click.option(
    "--passkeys-url", default=DEFAULT_PASSKEYS_URL, show_default=True,
    help="Passkeys Directory list (env PWCHECK_PASSKEYS_URL, e.g. a mirror); downloaded whole, cached, revalidated each run.",
)
no_directories: Decorator[Any] = click.option(
    "--no-directories", is_flag=True,
    help="Do not fetch the 2FA and Passkeys directories (two-factor and passkey advice is then unknown).",
)
directories_key: Decorator[Any] = click.option(
    "--directories-key", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
    help="OpenPGP public key (armoured or binary) the directories' .sig must verify with (needs gpgv); "
    "an unsigned or badly signed list is then not used. Env PWCHECK_DIRECTORIES_KEY.",
)
no_progress: Decorator[Any] = click.option(
    "--no-progress", is_flag=True, help="No progress bar (it is drawn only on a terminal anyway)."
)
store: Decorator[Any] = click.option(
    "--store", "store_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the local store (sha1.pwstore, ntlm.pwstore).",
)
ntlm: Decorator[Any] = click.option("--ntlm", is_flag=True, help="The NTLM corpus instead of SHA-1.")
# Hidden: limit the prefix space (tests and benchmarks mirror a small part for real).
prefixes: Decorator[Any] = click.option("--prefixes", default=None, hidden=True, envvar="PWCHECK_PREFIXES")
backend: Decorator[Any] = click.option(
    "--backend", "backend_name", type=click.Choice(["systemd", "launchd", "schtasks", "cron"]),
    help="Force a scheduler (default: this system's).",
)


# Every check `--checks` can name, in the order the help lists them. "twofactor" and
# "passkeys" need the 2FA and passkeys directories: until those are wired in, naming them
# (or leaving them out) changes nothing.
CHECKS: tuple[str, ...] = ("breach", "weak", "unsecured", "twofactor", "passkeys")
NEEDS_DIRECTORIES: tuple[str, ...] = ("twofactor", "passkeys")
# What `--fail-on` may add to exit code 1 (pwned and stale credentials always count).
FAIL_ON: tuple[str, ...] = ("weak", "unsecured")


def _names(allowed: tuple[str, ...]) -> Callable[[click.Context, click.Parameter, Any], frozenset[str] | None]:
    """A callback reading `a,b,c` (or a list from the config) into a set of names from `allowed`."""

    def parse(ctx: click.Context, param: click.Parameter, value: Any) -> frozenset[str] | None:
        if value is None:
            return None
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        names = [str(item).strip().lower() for item in items if str(item).strip()]
        if not names and param.name == "checks":
            raise click.BadParameter(f"name at least one check: {', '.join(allowed)}", ctx, param)
        wrong = [name for name in names if name not in allowed]
        if wrong:
            raise click.BadParameter(f"unknown {', '.join(wrong)}; choose from {', '.join(allowed)}", ctx, param)
        return frozenset(names)

    return parse


checks: Decorator[Any] = click.option(
    "--checks", metavar="LIST", default=None, callback=_names(CHECKS),
    help=f"Which checks run, comma-separated, from {','.join(CHECKS)} [default: all]. "
    "breach: Pwned Passwords, the breach catalogue and account checks; weak: password strength (zxcvbn); "
    "unsecured: logins at plain-http public sites; twofactor, passkeys: need the 2FA and passkeys directories.",
)
fail_on: Decorator[Any] = click.option(
    "--fail-on", metavar="LIST", default=None, callback=_names(FAIL_ON),
    help="Also exit 1 for these, comma-separated: weak, unsecured (pwned and stale passwords always do).",
)
weak_below: Decorator[Any] = click.option(
    "--weak-below", type=click.IntRange(1, 4), default=DEFAULT_WEAK_BELOW, show_default=True,
    help="A password whose strength score (0-4) is below this is weak.",
)


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: int) -> int:
    from pwcheck.system.logs import configure_logging

    configure_logging(value)
    return value


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Set for every command: an in-process caller (CliRunner) must not inherit an earlier `-q`."""
    if value or ctx.parent is None:
        from pwcheck.system import console

        console.set_quiet(value)
    return value


# Given to the group and every subcommand by `PwcheckGroup`, so no command can forget them.
COMMON: tuple[click.Option, ...] = (
    click.Option(
        ["-v", "--verbose"], count=True, expose_value=False, is_eager=True, callback=_set_verbosity,
        help="Debug log on stderr (-vv: HTTP libraries too). Never shows a password or a hash.",
    ),
    click.Option(
        ["-q", "--quiet"], is_flag=True, expose_value=False, is_eager=True, callback=_set_quiet,
        help="No notes or reminders on stderr (errors and warnings still show). Never silences a report: "
        "`audit` still writes it to stdout or -o; `password` prints no verdict line, its exit code is the answer.",
    ),
)
