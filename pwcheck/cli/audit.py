"""`pwcheck audit`: gather the sources and settings, run the pipeline (`pwcheck.audit`), render, clean up."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection

import click

from pwcheck.cli import options
from pwcheck.model.errors import UsageError
from pwcheck.model.exit_codes import EXIT_FOUND, EXIT_INPUT_ERROR
from pwcheck.net.defaults import DEFAULT_BREACHES_URL, DEFAULT_CACHE_TTL_HOURS
from pwcheck.report import format_names as report_formats
from pwcheck.sources import format_names as input_formats

if TYPE_CHECKING:
    from pwcheck.check.interface import HashChecker
    from pwcheck.cli.settings import Config
    from pwcheck.model.findings import AuditReport
    from pwcheck.report.interface import RenderOptions


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--demo", is_flag=True, help="Audit a bundled sample export against a bundled corpus, offline.")
@click.option("--input-format", type=click.Choice(input_formats()), help="Skip detection: read every FILE as this format.")
@click.option("--format", "report_format", type=click.Choice(report_formats()), default="terminal", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here (0600).")
@click.option("--all", "show_all", is_flag=True, help="Also show contacts with no pwned password.")
@options.no_progress
@click.option("--redact", is_flag=True, help="Mask usernames (first letter + domain) in every format.")
@click.option(
    "--breaches-url",
    envvar="PWCHECK_BREACHES_URL",
    help=f"Breach catalogue URL (env PWCHECK_BREACHES_URL) [default: {DEFAULT_BREACHES_URL}]; cached, revalidated each run.",
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
@click.option(
    "--browser", "browsers", multiple=True, metavar="NAME[:PROFILE]",
    help="Also read a browser's saved passwords in place: chrome, chromium, edge, brave, vivaldi, opera, firefox, "
    "librewolf; its default profile, or NAME:PROFILE (`pwcheck sources` lists them); repeatable.",
)
@click.option(
    "--browser-profile", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
    help="Read this browser profile directory (with one --browser NAME saying which browser wrote it).",

)
@click.option(
    "--bitwarden", is_flag=True,
    help="Also read your Bitwarden vault through `bw`, unlocked first (`bw unlock`, then export BW_SESSION).",
)
@click.option(
    "--1password", "onepassword", is_flag=True,
    help="Also read your 1Password account through `op`, signed in first (`op signin`).",
)
@click.option(
    "--rbw", is_flag=True,
    help="Also read your Bitwarden vault through rbw, unlocked first (`rbw unlock`).",
)
@click.option("--new", "new_only", is_flag=True, help="Report what changed since the last --new run; exit 1 only for new findings.")
@click.option("--cache/--no-cache", default=False, help="Keep ranges in the user cache dir (reveals which prefixes were asked).")
@click.option("--cache-ttl", type=click.FloatRange(0), default=DEFAULT_CACHE_TTL_HOURS, show_default=True, help="Hours a cached range is used before it is revalidated.")
@click.option("--notify", is_flag=True, help="Log the run and notify (desktop, or log; e-mail if configured) about new findings.")
@click.option(
    "--delete-exports", is_flag=True,
    help="After a complete audit, overwrite then delete each export that was read (see SECURITY.md for limits).",
)
@options.checks
@options.fail_on
@options.weak_below
@options.twofactor_url
@options.passkeys_url
@options.no_directories
@options.directories_key
@options.api_url
@options.concurrency
@options.timeout
@options.http2
@options.offline
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
    browsers: tuple[str, ...],
    browser_profile: Path | None,
    bitwarden: bool,
    onepassword: bool,
    rbw: bool,
    new_only: bool,
    cache: bool,
    cache_ttl: float,
    notify: bool,
    delete_exports: bool,
    checks: frozenset[str] | None,
    fail_on: frozenset[str] | None,
    weak_below: int,
    twofactor_url: str,
    passkeys_url: str,
    no_directories: bool,
    directories_key: Path | None,
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
    breach of the contact), then pwned, then reused, then weak, then unsecured sites.
    """
    scorer = None
    if checks is None or "weak" in checks:
        from pwcheck.sources.strength import start_scorer, stop_scorer

        scorer = start_scorer()  # first: its start-up overlaps the imports below (`start_scorer` says why)
        ctx.call_on_close(lambda: stop_scorer(scorer))  # a usage error below, or a run cut short
    from pwcheck.audit import Pending, run_audit
    from pwcheck.breaches.gather import BreachSettings, catalogue_loader, interrupted_catalogue, run_account_checks
    from pwcheck.check.choice import CheckerChoice
    from pwcheck.check.run import prefix_count
    from pwcheck.cli.settings import kdbx_password
    from pwcheck.lists.gather import DirectorySettings, directories_loader, interrupted_directories
    from pwcheck.model.breach import Catalogue
    from pwcheck.model.source import shown_errors
    from pwcheck.report import RenderOptions
    from pwcheck.sources import distinct_files, file_source, requested_sources
    from pwcheck.sources.collect import collect
    from pwcheck.sources.kdbx import make_unlocker
    from pwcheck.system.console import error_line, is_quiet, note, progress_bar
    from pwcheck.system.files import file_key

    config: Config | None = ctx.obj
    quiet = is_quiet()
    progress = not no_progress
    vaults = tuple(name for name, asked in (("bitwarden", bitwarden), ("1password", onepassword), ("rbw", rbw)) if asked)
    sources = requested_sources(keychain, collections, pass_store, error_line, browsers, browser_profile, vaults=vaults)
    paths = list(files)
    if not paths and not demo and config is not None:
        paths = [Path(path) for path in config["sources.exports"]]
    if not paths and not sources and not demo:
        raise UsageError("give at least one export file (or --keychain, --pass-store, --browser, --bitwarden, --1password, "
                         "--rbw, or sources.exports in the config), or --demo to see a sample audit")
    if demo and new_only:
        raise UsageError("--new compares your own runs; it does not apply to --demo")
    if demo and offline is not None:
        raise UsageError("--demo brings its own corpus: it cannot be combined with --offline")
    # Ignore rules are checked before anything is read or asked: a bad rule is one line, not an
    # error after a whole audit (and never after a keychain or pass store was unlocked for nothing).
    review = None if demo else _review(config, new_only)
    paths, same_files = distinct_files(paths)
    if output is not None:
        from pwcheck.system.files import refuse_unsafe_target

        refuse_unsafe_target(output, paths)  # now, not after the whole audit (an input, a FIFO, a device, a hard link)
    breach = checks is None or "breach" in checks
    ttl = cache_ttl if cache and not demo and offline is None else None
    choice = CheckerChoice(offline, concurrency, timeout, http2, cache_ttl=ttl)
    breach_settings = BreachSettings(
        enabled=breach and not no_breaches, url=breaches_url, account_checks=breach and not no_account_checks, timeout=timeout,
        network=offline is None, progress=progress,
    )
    directories_wanted = checks is None or bool({"twofactor", "passkeys"} & checks)
    directory_settings = DirectorySettings(
        # `--checks` without twofactor and passkeys needs neither directory: nothing is fetched.
        enabled=not no_directories and directories_wanted,
        off_because="--no-directories" if no_directories else "--checks without twofactor or passkeys",
        twofactor_url=twofactor_url, passkeys_url=passkeys_url, timeout=timeout,
        network=offline is None, signing_key=_signing_key(directories_key) if directories_wanted else None,
    )
    demo_paths: list[Path] = []
    display: dict[Path, str] = {}
    with ExitStack() as stack:
        if demo:
            from pwcheck.demo import demo_files, demo_service

            demo_paths = demo_files()
            display.update({path: f"demo/{path.name}" for path in demo_paths})
            paths = demo_paths + paths
            api_url = stack.enter_context(demo_service())
        unlock = make_unlocker(kdbx_keyfile, password=kdbx_password(ctx.meta))
        file_sources = [file_source(path, display.get(path), input_format, unlock) for path in paths]
        collected = collect(file_sources + sources, strength=checks is None or "weak" in checks, background=True, scorer=scorer)
        collected.notes[:0] = same_files
        for line in shown_errors(collected.errors):  # each source's first 20, then how many more
            error_line(str(line))
        # The lists download and parse in daemon threads while the range check runs (each waits on the
        # network, not the CPU); `run_audit` starts them once the first range has come back and waits
        # for them only before `analyse`. Their warnings are written now, before the progress bar.
        needed, demo_base = bool(collected.credentials), api_url if demo else None
        load_directories = directories_loader(directory_settings, demo_base, needed)
        load_catalogue = catalogue_loader(breach_settings, demo_base, needed)
        checker: HashChecker | None = None
        catalogue: Catalogue | Pending[Catalogue]
        if breach:
            checker = built = choice.build(api_url)
            against = "bundled demo corpus on 127.0.0.1" if demo else choice.describe(built, api_url)
            catalogue = Pending(load_catalogue, stand_in=interrupted_catalogue(), name="pwcheck-catalogue")
        else:  # nothing is looked up, so no store is opened and no URL is warned about
            catalogue = Catalogue.unavailable("breach check off (--checks): no breach data, stale status unknown")
            against = "nothing: the breach check is off (--checks)"
        directories = Pending(load_directories, stand_in=interrupted_directories(), name="pwcheck-directories")
        with progress_bar(prefix_count(collected.unique_hashes()), "checking", progress and not quiet and breach) as advance:
            report = run_audit(
                collected, checker, advance, demo=demo, against=against, catalogue=catalogue,
                accounts=run_account_checks(breach_settings, collected.credentials, demo),
                review=review, checks=checks, fail_on=fail_on or frozenset(), weak_below=weak_below,
                directories=directories, ahead=partial(_prepare, report_format),
            )
    cache_layer = getattr(checker, "cache", None)
    if cache_layer is not None:
        report.stats.cache_hits, report.stats.revalidated = cache_layer.hits, cache_layer.revalidated
    degraded = {report.catalogue.problem if report.catalogue else None,
                report.account_checks.problem if report.account_checks else None}
    exports = [export for export in collected.read_ok if export.path not in demo_paths]  # never the bundled samples
    # The report never goes over an input: each as named now and as opened when read.
    inputs = {key for key in map(file_key, paths) if key is not None}
    inputs |= {s.file.identity.key for s in file_sources if s.file is not None and s.file.identity is not None}
    for problem in report.problems:
        # Missing breach data or account checks degrade the report but are no error: advisory (-q silences it).
        (note if problem in degraded else error_line)(problem)
    _render(report, report_format, output, RenderOptions(show_all=show_all, redact=redact), inputs)
    if report.review is not None and report.review.save is not None:
        report.review.save()  # the --new state, only once the report it speaks of was written
    if notify:
        from pwcheck.personal.notify import announce

        announce(report, config.values if config else {})
    from pwcheck.personal.wipe import after_audit

    complete = not report.interrupted and not report.not_checked_entries
    if not after_audit(exports, complete, delete_exports):
        ctx.exit(EXIT_INPUT_ERROR)
    if demo and report.exit_code in (EXIT_FOUND, 0):
        if not quiet:
            error_line(f"demo finished: a real audit with these findings would exit {report.exit_code}")
        ctx.exit(0)
    ctx.exit(report.exit_code)


def _review(config: Config | None, new_only: bool) -> Callable[[AuditReport], None]:
    """The review stage for this run: ignore rules from the config and ignore.toml, and `--new`.

    The rules are loaded and validated now (a bad one raises its `ConfigError`: exit 2, one line);
    the review itself runs after the checks.
    """
    from pwcheck.personal.ignore import load_rules
    from pwcheck.personal.review import attach_review

    rules = load_rules(config.ignore_rules if config is not None else [], config.path if config is not None else None)
    return lambda report: attach_review(report, rules, new_only)


def _render(
    report: AuditReport, report_format: str, output: Path | None, render_options: RenderOptions,
    inputs: Collection[tuple[int, int]] = (),
) -> None:
    """Write the report to `output` (0600, never over one of the `inputs`) or stdout, `-q` or not.

    A report that fails half-way is removed rather than left looking like a short report.
    """
    from pwcheck.report import renderer
    from pwcheck.report._stream import ReportStream
    from pwcheck.system.console import error_line

    render = renderer(report_format)
    if output is not None:
        from pwcheck.system.files import open_private, readable_by_others

        try:
            handle = open_private(output, avoid=inputs)
        except OSError as exc:
            raise UsageError(f"{output}: cannot write report ({exc.strerror or type(exc).__name__})") from None
        try:
            with handle:
                render.render(report, ReportStream(handle), render_options)
            exposed = readable_by_others(output)
        except BaseException as exc:
            output.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise UsageError(f"{output}: cannot write report ({exc.strerror or type(exc).__name__})") from None
            raise
        if exposed and render.names_accounts:
            error_line(f"warning: {output} is readable by other users and names your accounts")
    else:
        render.render(report, ReportStream(sys.stdout), render_options)
        sys.stdout.flush()


def _prepare(report_format: str) -> None:
    """The renderer's imports (rich's console for the terminal report: ~30 ms), done during the range check.

    `run_audit` runs this in the contacts' thread once the check is under way, so the imports
    fill the check's waits instead of following it (issue 19). It writes nothing; if it fails,
    `_render` meets the same error where it imports the renderer, as without it.
    """
    from pwcheck.report import renderer

    renderer(report_format)
    from pwcheck.personal import wipe  # noqa: F401 - `after_audit`, imported after the report otherwise


def _signing_key(path: Path | None) -> Any:
    """The `--directories-key` file, read now: a bad key is a usage error before anything is read."""
    if path is None:
        return None
    from pwcheck.lists.signature import load_key

    return load_key(path)
