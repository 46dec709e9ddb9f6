"""The `ignore` and `schedule` command groups: thin click wrappers over pwcheck.ignore and
pwcheck.schedule, registered on the main group by cli.py."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

EXIT_USAGE = 2


def _config() -> Any:
    return click.get_current_context().find_root().obj


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected a date YYYY-MM-DD") from None


@click.group()
def ignore() -> None:
    """Ignore a contact domain, one entry, or one finding until a date (always with a reason).

    Ignored findings are still counted and listed in every report, marked as ignored; they
    only stop counting towards exit code 1 and the "new" list.
    """


@ignore.command("add")
@click.option("--domain", help="A contact domain (as reported: example.com).")
@click.option("--url", help="An entry's URL, exactly as in the export.")
@click.option("--username", help="An entry's username, exactly as in the export.")
@click.option("--source", help="Restrict an entry rule to one export format or file.")
@click.option("--finding", help="A finding id, as shown by `pwcheck audit --new` (needs --until).")
@click.option("--until", callback=_date, help="Last day the rule applies (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why: shown beside every finding the rule hides.")
def ignore_add(domain: str | None, url: str | None, username: str | None, source: str | None,
               finding: str | None, until: dt.date | None, reason: str) -> None:
    """Add a rule (to ignore.toml beside the config)."""
    from pwcheck.config import ConfigError
    from pwcheck.ignore import add_rule
    from pwcheck.ui import error_line

    table = {k: v for k, v in dict(domain=domain, url=url, username=username, source=source, finding=finding,
                                   until=until, reason=reason).items() if v is not None}
    try:
        rule = add_rule(table)
    except ConfigError as exc:
        error_line(str(exc))
        sys.exit(EXIT_USAGE)
    click.echo(f"added rule {rule.id}: {rule.describe()}" + (f" until {rule.until}" if rule.until else ""))


@ignore.command("list")
def ignore_list() -> None:
    """Every rule, with where it lives; expired rules are shown and no longer apply."""
    from pwcheck.config import ConfigError
    from pwcheck.ignore import load_rules
    from pwcheck.ui import error_line

    config = _config()
    try:
        rules = load_rules(config.ignore_rules, config.path)
    except ConfigError as exc:
        error_line(str(exc))
        sys.exit(EXIT_USAGE)
    if not rules:
        click.echo("no ignore rules")
    today = dt.date.today()
    for rule in rules:
        until = f" until {rule.until}" + (" (EXPIRED)" if not rule.active(today) else "") if rule.until else ""
        click.echo(f"{rule.id:>4}  {rule.describe()}{until} — {rule.reason}  [{rule.origin}]")


@ignore.command("remove")
@click.argument("rule_id")
def ignore_remove(rule_id: str) -> None:
    """Remove rule RULE_ID (as listed); rules in config.toml are edited there."""
    from pwcheck.config import ConfigError
    from pwcheck.ignore import remove_rule
    from pwcheck.ui import error_line

    if rule_id.startswith("c"):
        error_line(f"rule {rule_id} is an [[ignore]] table in the config file: remove it there (`pwcheck config edit`)")
        sys.exit(EXIT_USAGE)
    try:
        removed = remove_rule(rule_id)
    except ConfigError as exc:
        error_line(str(exc))
        sys.exit(EXIT_USAGE)
    if removed is None:
        error_line(f"no rule {rule_id} (see `pwcheck ignore list`)")
        sys.exit(EXIT_USAGE)
    click.echo(f"removed rule {rule_id}: {removed.describe()}")


BACKEND_CHOICE = click.Choice(["systemd", "launchd", "schtasks", "cron"])


@click.group()
def schedule() -> None:
    """A nightly or weekly `pwcheck audit --new` that tells you only about new findings.

    \b
    Exit codes: 0 done (installed and enabled / installed / removed), 1 written but not
    enabled (the manual step is printed) or, for status, not active; 2 usage error.
    """


@schedule.command("install")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--daily", "frequency", flag_value="daily", help="Every day (default: the config's schedule.frequency).")
@click.option("--weekly", "frequency", flag_value="weekly", help="Once a week (see --weekday).")
@click.option("--at", "at", help="Time of day HH:MM (default: the config's schedule.time).")
@click.option("--weekday", type=click.Choice(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), default="mon", show_default=True)
@click.option("--backend", "backend_name", type=BACKEND_CHOICE, help="Force a scheduler (default: this system's).")
@click.option("--print", "dry_run", is_flag=True, help="Print what would be written; change nothing.")
def schedule_install(files: tuple[str, ...], frequency: str | None, at: str | None, weekday: str,
                     backend_name: str | None, dry_run: bool) -> None:
    """Install the scheduled check of FILES (default: the config's sources.exports, read at each run)."""
    from pwcheck.config import KEYS_BY_NAME, ConfigError
    from pwcheck.schedule import backend, make_job
    from pwcheck.ui import error_line

    config = _config()
    if not files and not config["sources.exports"]:
        error_line("nothing to check: give export FILES, or set sources.exports in the config (`pwcheck config edit`)")
        sys.exit(EXIT_USAGE)
    try:
        at = KEYS_BY_NAME["schedule.time"].check(at) if at else config["schedule.time"]
    except ValueError as exc:
        error_line(f"--at {exc}")
        sys.exit(EXIT_USAGE)
    except ConfigError as exc:  # pragma: no cover - check raises ValueError
        error_line(str(exc))
        sys.exit(EXIT_USAGE)
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    job = make_job(list(files), frequency or config["schedule.frequency"], str(at), days.index(weekday))
    chosen = backend(backend_name)
    if dry_run:
        for path, data in chosen.render(job).items():
            click.echo(f"# {path}")
            click.echo(data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8"))
        if chosen.name == "cron":
            click.echo("\n".join(chosen.install(job).lines))
        return
    outcome = chosen.install(job)
    click.echo("\n".join(outcome.lines))
    sys.exit(0 if outcome.enabled else 1)


@schedule.command("status")
@click.option("--backend", "backend_name", type=BACKEND_CHOICE, help="Force a scheduler (default: this system's).")
def schedule_status(backend_name: str | None) -> None:
    """Whether the scheduled check is installed and enabled; exit 0 only if it is active."""
    from pwcheck.notify import log_file
    from pwcheck.schedule import backend

    outcome = backend(backend_name).status()
    click.echo("\n".join(outcome.lines))
    log = log_file()
    if log.exists():
        last = log.read_text(encoding="utf-8").splitlines()[-1:] or ["(empty)"]
        click.echo(f"last run: {last[0]}  ({log})")
    sys.exit(0 if outcome.enabled else 1)


@schedule.command("remove")
@click.option("--backend", "backend_name", type=BACKEND_CHOICE, help="Force a scheduler (default: this system's).")
def schedule_remove(backend_name: str | None) -> None:
    """Disable and delete the scheduled check (state, cache and log are kept)."""
    from pwcheck.schedule import backend

    click.echo("\n".join(backend(backend_name).remove().lines))
