"""The `pwcheck` command line: thin click commands that wire sources, checkers and reports.

Heavy modules (httpx, rich, tldextract) are imported inside the commands so that
`pwcheck --help` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pwcheck import __version__
from pwcheck.analyse.findings import EXIT_CLEAN, EXIT_FOUND, EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.check._interface import DEFAULT_CONCURRENCY
from pwcheck.logs import CommonOptionsGroup
from pwcheck.ui import is_quiet
from pwcheck.report import format_names as report_formats
from pwcheck.sources import format_names as input_formats

DEFAULT_API_URL = "https://api.pwnedpasswords.com"

api_url_option = click.option(
    "--api-url",
    envvar="PWCHECK_API_URL",
    default=DEFAULT_API_URL,
    show_default=True,
    help="Base URL of the range API (env PWCHECK_API_URL), e.g. your own `pwcheck serve`.",
)
concurrency_option = click.option(
    "--concurrency", type=click.IntRange(1, 256), default=DEFAULT_CONCURRENCY, show_default=True, help="Range requests in flight at once."
)
timeout_option = click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True, help="Seconds to wait for a response."
)
http2_option = click.option("--http2", is_flag=True, help="Use httpx's HTTP/2 transport instead of HTTP/1.1 keep-alive.")
offline_option = click.option(
    "--offline", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Check against the local store in DIR (`pwcheck corpus import|download`): no network at all.",
)
# Commands that must work with a broken config file (to show or fix it), or never need one.
CONFIG_FREE_COMMANDS = ("config", "formats")


@click.group(cls=CommonOptionsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pwcheck")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check stored passwords against Have I Been Pwned, grouped by the organisation behind each site.

    Only the first 5 hex characters of each password's SHA-1 leave this machine.

    \b
    Exit codes: 0 nothing found, 1 pwned or stale credential found, 2 usage or input error,
    3 some passwords could not be checked (never reported as clean), 130 interrupted.

    Settings: flags > PWCHECK_* variables > config file (`pwcheck config path`) > defaults.
    """
    from pwcheck.hardening import disable_core_dumps

    disable_core_dumps()
    if ctx.invoked_subcommand in CONFIG_FREE_COMMANDS:
        return
    from pwcheck.config import ConfigError, load
    from pwcheck.ui import error_line

    try:
        config = load()
    except ConfigError as exc:
        error_line(str(exc))
        ctx.exit(EXIT_INPUT_ERROR)
    ctx.obj = config
    ctx.default_map = config.default_map()


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--demo", is_flag=True, help="Audit a bundled sample export against a bundled corpus, offline.")
@click.option("--input-format", type=click.Choice(input_formats()), help="Skip detection: read every FILE as this format.")
@click.option("--format", "report_format", type=click.Choice(report_formats()), default="terminal", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here (0600).")
@click.option("--all", "show_all", is_flag=True, help="Also show contacts with no pwned password.")
@click.option("--no-progress", is_flag=True, help="No progress bar (it is drawn only on a terminal anyway).")
@click.option("--redact", is_flag=True, help="Mask usernames (first letter + domain) in every format.")
@click.option(
    "--breaches-url",
    envvar="PWCHECK_BREACHES_URL",
    help="Breach catalogue URL (env PWCHECK_BREACHES_URL) [default: https://haveibeenpwned.com/api/v3/breaches]; "
    "cached, revalidated each run.",
)
@click.option("--no-breaches", is_flag=True, help="Do not fetch the breach catalogue (stale status is then unknown).")
@click.option("--no-account-checks", is_flag=True, help="Skip account checks even when an HIBP API key is stored.")
@click.option(
    "--kdbx-keyfile", type=click.Path(path_type=Path, dir_okay=False),
    help="Key file for .kdbx inputs. Their password is asked at a hidden prompt, or read from PWCHECK_KDBX_PASSWORD.",
)
@click.option(
    "--keychain", is_flag=True,
    help="Also read the OS keychain: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows).",
)
@click.option(
    "--collection", "collections", multiple=True, metavar="NAME",
    help="Only this keychain collection (Secret Service label or id; macOS keychain); repeatable; implies --keychain.",
)
@click.option(
    "--pass-store", is_flag=False, flag_value="", default=None, metavar="[DIR]",
    help="Also read a pass password store (default $PASSWORD_STORE_DIR or ~/.password-store), decrypting with "
    "your gpg. Give DIR as --pass-store=DIR when files follow.",
)
@click.option("--new", "new_only", is_flag=True, help="Report what changed since the last --new run; exit 1 only for new findings.")
@click.option("--cache/--no-cache", default=False, help="Keep ranges in the user cache dir (reveals which prefixes were asked).")
@click.option("--cache-ttl", type=click.FloatRange(0), default=20.0, show_default=True, help="Hours a cached range is used before it is revalidated.")
@click.option("--notify", is_flag=True, help="Log the run and notify (desktop, or log; e-mail if configured) about new findings.")
@click.option(
    "--delete-exports", is_flag=True,
    help="After a complete audit, overwrite then delete each export that was read (see SECURITY.md for limits).",
)
@api_url_option
@concurrency_option
@timeout_option
@http2_option
@offline_option
@click.pass_context
def audit(
    ctx: click.Context,
    files: tuple[Path, ...],
    demo: bool,
    input_format: str | None,
    report_format: str,
    output: Path | None,
    show_all: bool,
    no_progress: bool,
    redact: bool,
    breaches_url: str | None,
    no_breaches: bool,
    no_account_checks: bool,
    kdbx_keyfile: Path | None,
    keychain: bool,
    collections: tuple[str, ...],
    pass_store: str | None,
    new_only: bool,
    cache: bool,
    cache_ttl: float,
    notify: bool,
    delete_exports: bool,
    api_url: str,
    concurrency: int,
    timeout: float,
    http2: bool,
    offline: Path | None,
) -> None:
    """Audit password exports and keychains: which credentials are pwned or stale, grouped by contact.

    FILE is a browser or password-manager export (detected by content); with none, the
    config's `sources.exports` are audited. Ignore rules (`pwcheck ignore`) always apply. The
    report starts with what to change first: pwned and reused, then stale (older than a
    breach of the contact), then pwned, then reused.
    """
    from pwcheck.commands import AuditOptions, CheckerChoice, run_audit_command
    from pwcheck.sources.item_source import requested_sources
    from pwcheck.ui import error_line

    ttl = cache_ttl if cache and not demo and offline is None else None
    choice = CheckerChoice(offline, concurrency, timeout, http2, cache_ttl=ttl)
    options = AuditOptions(
        files=list(files), demo=demo, input_format=input_format, report_format=report_format, output=output,
        show_all=show_all, progress=not no_progress, checker_factory=choice.build,
        api_url=api_url, sources=requested_sources(keychain, collections, pass_store, error_line),
        new_only=new_only, quiet=is_quiet(), notify=notify, config=ctx.obj, offline=offline,
        delete_exports=delete_exports, kdbx_keyfile=kdbx_keyfile,
        breaches_url=breaches_url, breaches=not no_breaches, account_checks=not no_account_checks, redact=redact,
        timeout=timeout,
    )
    sys.exit(run_audit_command(options))


@main.command()
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from stdin (one trailing newline is dropped).")
@api_url_option
@timeout_option
@offline_option
def password(from_stdin: bool, api_url: str, timeout: float, offline: Path | None) -> None:
    """Check one password, typed at a hidden prompt or piped with --stdin (never as an argument).

    Exit 0 not found, 1 pwned, 2 no password given, 3 could not check.
    """
    from pwcheck.commands import CheckerChoice, run_password_command

    choice = CheckerChoice(offline, 1, timeout)
    sys.exit(run_password_command(from_stdin, choice.build(api_url), is_quiet(), choice))


@main.command()
def formats() -> None:
    """List the export formats pwcheck reads, with what each carries."""
    from pwcheck.sources import FORMATS

    for fmt in FORMATS:
        click.echo(f"{fmt.name:18} {fmt.label}: {fmt.carries}")
        if fmt.export_hint:
            click.echo(f"{'':18} export: {fmt.export_hint}")


@main.group("config")
def config_group() -> None:
    """Locate, show or edit the config file (TOML in the platform config dir)."""


@config_group.command("path")
def config_path() -> None:
    """Print where the config file is (PWCHECK_CONFIG overrides)."""
    from pwcheck.dirs import config_file

    click.echo(str(config_file()))


@config_group.command("show")
def config_show() -> None:
    """Every setting with its value and where it came from (default, file:line, env)."""
    from pwcheck.config import ConfigError, load, show_lines
    from pwcheck.ui import error_line

    try:
        lines = show_lines(load())
    except ConfigError as exc:
        error_line(str(exc))
        sys.exit(EXIT_INPUT_ERROR)
    click.echo("\n".join(lines))


@config_group.command("edit")
def config_edit() -> None:
    """Open the config in $VISUAL/$EDITOR (created from a commented template), then check it."""
    from pwcheck.config import edit_config

    sys.exit(edit_config())


@config_group.command("set-api-key")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the key from stdin instead of a hidden prompt.")
def set_api_key(from_stdin: bool) -> None:
    """Store an HIBP API key in the OS keychain: audits then check e-mail usernames (breachedaccount).

    Each distinct e-mail username is then sent to Have I Been Pwned. Exit 2 without a
    terminal to prompt on (use --stdin) or when the keychain cannot store it.
    """
    from pwcheck.apikey import run_set_api_key

    sys.exit(run_set_api_key(from_stdin))


@config_group.command("delete-api-key")
def delete_api_key() -> None:
    """Remove the stored HIBP API key (account checks are then off)."""
    from pwcheck.apikey import run_delete_api_key

    sys.exit(run_delete_api_key())


def _register_personal_commands() -> None:
    from pwcheck.cli_personal import ignore, schedule

    main.add_command(ignore)
    main.add_command(schedule)


_register_personal_commands()


from pwcheck.offline_cli import register as _register_offline  # noqa: E402 - commands defined above come first

_register_offline(main)


def run() -> None:
    """The `pwcheck` program: the command line, then a process exit that skips needless work.

    Once a command has returned, everything it made is garbage, and the interpreter's
    shutdown collections over every object of every imported module cost ~60 ms of a
    0.6 s audit (benchmarks/, audit area). `gc.freeze()` leaves them to the OS; the normal
    exit still runs (atexit handlers, thread joins, stdout/stderr flushed). Only here, in
    the process entry point: in-process callers (tests, `CliRunner`) keep their collector.
    """
    try:
        main()
    finally:
        import gc

        gc.freeze()


__all__ = ["main", "run", "EXIT_CLEAN", "EXIT_FOUND", "EXIT_INPUT_ERROR", "EXIT_NOT_CHECKED"]
