"""`pwcheck ignore add|list|remove`: rules that take accepted findings out of the exit code, never out of the report."""

from __future__ import annotations

import datetime as dt

import click

from pwcheck.cli.settings import Config
from pwcheck.model.errors import UsageError
from pwcheck.system.display import shown


def _config() -> Config:
    config: Config = click.get_current_context().find_root().obj
    return config


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
    from pwcheck.personal.ignore import add_rule

    table = {k: v for k, v in dict(domain=domain, url=url, username=username, source=source, finding=finding,
                                   until=until, reason=reason).items() if v is not None}
    rule = add_rule(table)
    click.echo(shown(f"added rule {rule.id}: {rule.describe()}" + (f" until {rule.until}" if rule.until else "")))


@ignore.command("list")
def ignore_list() -> None:
    """Every rule, with where it lives; expired rules are shown and no longer apply."""
    from pwcheck.personal.ignore import load_rules

    config = _config()
    rules = load_rules(config.ignore_rules, config.path)
    if not rules:
        click.echo("no ignore rules")
    today = dt.date.today()
    for rule in rules:
        until = f" until {rule.until}" + (" (EXPIRED)" if not rule.active(today) else "") if rule.until else ""
        click.echo(shown(f"{rule.id:>4}  {rule.describe()}{until} — {rule.reason}  [{rule.origin}]"))


@ignore.command("remove")
@click.argument("rule_id")
def ignore_remove(rule_id: str) -> None:
    """Remove rule RULE_ID (as listed); rules in config.toml are edited there."""
    from pwcheck.personal.ignore import remove_rule

    if rule_id.startswith("c"):
        raise UsageError(f"rule {rule_id} is an [[ignore]] table in the config file: remove it there (`pwcheck config edit`)")
    removed = remove_rule(rule_id)
    if removed is None:
        raise UsageError(f"no rule {rule_id} (see `pwcheck ignore list`)")
    click.echo(shown(f"removed rule {rule_id}: {removed.describe()}"))
