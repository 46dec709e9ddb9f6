"""`pwcheck schedule install|status|remove`: a nightly or weekly `pwcheck audit --new`."""

from __future__ import annotations

import click

from pwcheck.cli import options
from pwcheck.cli.settings import Config
from pwcheck.model.errors import UsageError


def _config() -> Config:
    config: Config = click.get_current_context().find_root().obj
    return config


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
@options.backend
@click.option("--print", "dry_run", is_flag=True, help="Print what would be written; change nothing.")
def schedule_install(files: tuple[str, ...], frequency: str | None, at: str | None, weekday: str,
                     backend_name: str | None, dry_run: bool) -> None:
    """Install the scheduled check of FILES (default: the config's sources.exports, read at each run)."""
    from pwcheck.cli.settings import KEYS_BY_NAME
    from pwcheck.schedule import Frequency, backend, make_job

    config = _config()
    if not files and not config["sources.exports"]:
        raise UsageError("nothing to check: give export FILES, or set sources.exports in the config (`pwcheck config edit`)")
    try:
        at = KEYS_BY_NAME["schedule.time"].check(at) if at else config["schedule.time"]
    except ValueError as exc:
        raise UsageError(f"--at {exc}") from None
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    chosen_frequency: Frequency = "weekly" if (frequency or config["schedule.frequency"]) == "weekly" else "daily"
    job = make_job(list(files), chosen_frequency, str(at), days.index(weekday))
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
    click.get_current_context().exit(0 if outcome.enabled else 1)


@schedule.command("status")
@options.backend
def schedule_status(backend_name: str | None) -> None:
    """Whether the scheduled check is installed and enabled; exit 0 only if it is active."""
    from pwcheck.personal.notify import log_file
    from pwcheck.schedule import backend

    outcome = backend(backend_name).status()
    click.echo("\n".join(outcome.lines))
    log = log_file()
    if log.exists():
        last = log.read_text(encoding="utf-8").splitlines()[-1:] or ["(empty)"]
        click.echo(f"last run: {last[0]}  ({log})")
    click.get_current_context().exit(0 if outcome.enabled else 1)


@schedule.command("remove")
@options.backend
def schedule_remove(backend_name: str | None) -> None:
    """Disable and delete the scheduled check (state, cache and log are kept)."""
    from pwcheck.schedule import backend

    click.echo("\n".join(backend(backend_name).remove().lines))
