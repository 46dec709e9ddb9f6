"""The `pwcheck` group, its commands, and the process entry point (`pwcheck`, `python -m pwcheck`)."""

from __future__ import annotations

import click

from pwcheck import __version__
from pwcheck.cli.group import PwcheckGroup
from pwcheck.model.errors import ConfigError

# Commands that must work with a broken config file (to show or fix it), or never need one.
CONFIG_FREE_COMMANDS = ("config", "formats")


# Each command's module is imported only when that command runs (or `--help` lists them all).
COMMANDS = {
    "audit": "pwcheck.cli.audit:audit", "password": "pwcheck.cli.password:password",
    "formats": "pwcheck.cli.formats:formats", "sources": "pwcheck.cli.sources:sources",
    "config": "pwcheck.cli.config:config_group", "ignore": "pwcheck.cli.ignore:ignore",
    "schedule": "pwcheck.cli.schedule:schedule", "corpus": "pwcheck.cli.corpus:corpus", "serve": "pwcheck.cli.serve:serve",
    "hashes": "pwcheck.cli.hashes:hashes",
}
# What `pwcheck --help` lists for each command: the first paragraph of its help, held here so that
# listing the commands imports none of their modules (that import was two thirds of `--help`'s own
# time, issue 19). tests/cli/test_startup.py holds each line to its command's docstring.
SUMMARIES = {
    "audit": "Audit password exports and keychains: which credentials are pwned or stale, grouped by contact.",
    "password": "Check one password, typed at a hidden prompt or piped with --stdin (never as an argument).",
    "formats": "List the export formats pwcheck reads, grouped by manager, with what each carries.",
    "sources": "List the browser profiles found (with how many logins each holds), a keychain, a pass store and vault CLIs.",
    "config": "Locate, show or edit the config file (TOML in the platform config dir).",
    "ignore": "Ignore a contact domain, one entry, or one finding until a date (always with a reason).",
    "schedule": "A nightly or weekly `pwcheck audit --new` that tells you only about new findings.",
    "corpus": "Keep a local copy of Pwned Passwords: import, download (mirror), export-static, verify, info.",
    "serve": "Serve the store as the range API (GET /range/{prefix}, ?mode=ntlm) for a team.",
    "hashes": "Check a list of SHA-1 (or --ntlm NTLM) hashes: one per line, or pwdump `user:rid:lm:nt:::`.",
}


@click.group(cls=PwcheckGroup, lazy=COMMANDS, summaries=SUMMARIES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pwcheck")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check stored passwords against Have I Been Pwned, grouped by the organisation behind each site.

    Only the first 5 hex characters of each password's SHA-1 leave this machine.

    \b
    Exit codes: 0 everything read and checked, nothing found; 1 pwned or stale credential
    found (never a crash); 2 usage or input error, or any unexpected error; 3 some passwords
    could not be checked (never reported as clean); 130 interrupted.

    Settings: flags > PWCHECK_* variables > config file (`pwcheck config path`) > defaults.
    """
    from pwcheck.cli.settings import take_environment_secrets

    # For every command, before anything runs: no child process (gpg, notify-send, sendmail,
    # systemctl) inherits PWCHECK_KDBX_PASSWORD, and it is read exactly once.
    take_environment_secrets(ctx.meta)
    if ctx.invoked_subcommand in CONFIG_FREE_COMMANDS:
        return
    from pwcheck.cli.settings import load

    try:
        config = load()
    except ConfigError as exc:
        from pwcheck.cli.group import fail

        fail(ctx, exc)
    ctx.obj = config
    ctx.default_map = config.default_map()


def run() -> None:
    """The `pwcheck` program: the command line, then a process exit that skips needless work.

    Once a command has returned, everything it made is garbage, and the interpreter's
    shutdown collections over every object of every imported module cost ~60 ms of a
    0.6 s audit (benchmarks/, audit area). `gc.freeze()` leaves them to the OS; the normal
    exit still runs (atexit handlers, thread joins, stdout/stderr flushed). Only here, in
    the process entry point: in-process callers (tests, `CliRunner`) keep their collector.
    Core dumps are turned off here too, for the process (a dump would hold passwords), and
    not for an in-process caller's.
    """
    from pwcheck.system.hardening import disable_core_dumps

    disable_core_dumps()
    try:
        main()
    finally:
        import gc

        gc.freeze()
