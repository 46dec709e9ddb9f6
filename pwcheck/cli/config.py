"""`pwcheck config`: locate, show or edit the config file; store or delete the HIBP API key."""

from __future__ import annotations

import sys

import click

from pwcheck.model.errors import UsageError


@click.group("config")
def config_group() -> None:
    """Locate, show or edit the config file (TOML in the platform config dir)."""


@config_group.command("path")
def config_path() -> None:
    """Print where the config file is (PWCHECK_CONFIG overrides)."""
    from pwcheck.system.dirs import config_file

    click.echo(str(config_file()))


@config_group.command("show")
def config_show() -> None:
    """Every setting with its value and where it came from (default, file:line, env)."""
    from pwcheck.cli.settings import load, show_lines
    from pwcheck.system.display import shown

    click.echo("\n".join(shown(line) for line in show_lines(load())))  # values can hold a URL's password


@config_group.command("edit")
def config_edit() -> None:
    """Open the config in $VISUAL/$EDITOR (created from a commented template), then check it."""
    from pwcheck.cli.settings import TEMPLATE, load
    from pwcheck.model.errors import ConfigError
    from pwcheck.system.dirs import config_file
    from pwcheck.system.files import private_dir, write_private

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("config edit needs a terminal; edit the file named by `pwcheck config path` instead")
    path = config_file()
    if not path.exists():
        private_dir(path.parent)
        write_private(path, TEMPLATE)
    click.edit(filename=str(path))
    try:
        load(path)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (run `pwcheck config edit` again to fix it)") from None
    click.echo(f"{path}: valid")


@config_group.command("set-api-key")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the key from stdin instead of a hidden prompt.")
def set_api_key(from_stdin: bool) -> None:
    """Store an HIBP API key in the OS keychain: audits then check e-mail usernames (breachedaccount).

    Each distinct e-mail username is then sent to Have I Been Pwned. Exit 2 without a
    terminal to prompt on (use --stdin) or when the keychain cannot store it.
    """
    from pwcheck.breaches.api_key import store_api_key
    from pwcheck.system.console import error_line

    if from_stdin:
        key = sys.stdin.readline().strip()
    elif not sys.stdin.isatty():
        raise UsageError("no terminal to prompt on: pipe the key with --stdin")
    else:
        key = click.prompt("HIBP API key", hide_input=True, prompt_suffix=": ", err=True).strip()
    store_api_key(key)
    error_line("HIBP API key stored in the keychain; audits now check e-mail usernames against breachedaccount")


@config_group.command("delete-api-key")
def delete_api_key() -> None:
    """Remove the stored HIBP API key (account checks are then off)."""
    from pwcheck.breaches.api_key import delete_api_key as delete
    from pwcheck.system.console import error_line

    error_line("HIBP API key deleted; account checks are off" if delete() else "no HIBP API key was stored")
