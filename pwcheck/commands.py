"""What each command does, between parsing (cli.py) and the pipeline (audit.py).

Kept apart from click so it can be called and tested directly; returns exit codes.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pwcheck.analyse.catalogue_fetch import DEFAULT_BREACHES_URL
from pwcheck.analyse.findings import EXIT_FOUND, EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.check._interface import DEFAULT_CONCURRENCY, HashChecker
from pwcheck.sources.item_source import ItemSource
from pwcheck.ui import error_line, note, progress_bar

if TYPE_CHECKING:
    from pwcheck.analyse.accounts import AccountChecks
    from pwcheck.analyse.catalogue import Catalogue
    from pwcheck.audit import Collected


@dataclass(frozen=True)
class CheckerChoice:
    """Where counts come from: the range API (online) or a local store (`--offline DIR`)."""

    offline: Path | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = 20.0
    http2: bool = False
    ntlm: bool = False
    cache_ttl: float | None = None  # hours; None = no on-disk range cache

    def build(self, api_url: str) -> HashChecker:
        """The one factory: everything downstream sees only `HashChecker.lookup`."""
        if self.offline is not None:
            from pwcheck.check.store import StoreChecker

            return StoreChecker(self.offline, ntlm=self.ntlm)
        from pwcheck.check.range_client import ClientSettings, RangeClient

        cache = None
        if self.cache_ttl is not None:
            from pwcheck.check.range_cache import RangeCache

            cache = RangeCache.for_api(api_url, ttl_hours=self.cache_ttl)
        settings = ClientSettings(
            api_url=api_url, concurrency=self.concurrency, read_timeout=self.timeout,
            connect_timeout=min(10.0, self.timeout), http2=self.http2, ntlm=self.ntlm,
        )
        return RangeClient(settings, cache=cache)

    def describe(self, checker: HashChecker, api_url: str) -> str | None:
        """What the report names as checked against; None (after one error line) if the store is unusable."""
        if self.offline is None:
            return api_url
        from pwcheck.check.store import StoreChecker
        from pwcheck.check.store_format import StoreError

        assert isinstance(checker, StoreChecker)
        try:
            return checker.describe()
        except StoreError as exc:
            error_line(str(exc))
            return None


@dataclass
class AuditOptions:
    files: list[Path]
    checker_factory: Callable[[str], HashChecker]
    api_url: str
    demo: bool = False
    input_format: str | None = None
    report_format: str = "terminal"
    output: Path | None = None
    show_all: bool = False
    progress: bool = True
    delete_exports: bool = False
    display: dict[Path, str] = field(default_factory=dict)
    breaches_url: str | None = None  # None: HIBP's public catalogue
    breaches: bool = True
    account_checks: bool = True
    redact: bool = False
    timeout: float = 20.0
    kdbx_keyfile: Path | None = None  # --kdbx-keyfile: key file for .kdbx inputs
    sources: list[ItemSource] = field(default_factory=list)  # keychains, password stores: read after the files
    new_only: bool = False  # --new: compare with the last --new run (pwcheck.review)
    quiet: bool = False  # --quiet: nothing on stdout, only error lines on stderr
    notify: bool = False  # --notify: log the run, tell the person about new findings
    config: Any = None  # pwcheck.config.Config: exports, ignore rules, notify settings
    offline: Path | None = None  # --offline DIR: the local store, no network


def run_audit_command(options: AuditOptions) -> int:
    """Collect, check, render; returns the exit code (the demo returns 0 when it ran)."""
    from pwcheck.audit import collect, prefix_count, run_audit
    from pwcheck.report import RenderOptions, renderer
    from pwcheck.report._stream import ReportStream

    files = list(options.files)
    if not files and not options.demo and options.config is not None:
        files = [Path(path) for path in options.config["sources.exports"]]
    if not files and not options.sources and not options.demo:
        error_line("give at least one export file (or --keychain, --pass-store, or sources.exports in the config), "
                   "or --demo to see a sample audit")
        return EXIT_INPUT_ERROR
    if options.demo and options.new_only:
        error_line("--new compares your own runs; it does not apply to --demo")
        return EXIT_INPUT_ERROR
    if options.demo and options.offline is not None:
        error_line("--demo brings its own corpus: it cannot be combined with --offline")
        return EXIT_INPUT_ERROR
    demo_paths: list[Path] = []
    with ExitStack() as stack:
        api_url = options.api_url
        if options.demo:
            from pwcheck.demo import demo_files, demo_service

            demo_paths = demo_files()
            options.display.update({path: f"demo/{path.name}" for path in demo_paths})
            files = demo_paths + files
            api_url = stack.enter_context(demo_service())
        from pwcheck.sources.kdbx import make_unlocker

        collected = collect(files, options.input_format, options.display, options.sources, make_unlocker(options.kdbx_keyfile))
        for error in collected.errors:
            error_line(str(error))
        catalogue = load_breach_data(options, api_url if options.demo else None, bool(collected.credentials))
        hashes = collected.unique_hashes()
        checker = options.checker_factory(api_url)
        against = _describe_api(api_url, options.demo)
        if options.offline is not None:
            against = CheckerChoice(options.offline).describe(checker, api_url)
            if against is None:
                return EXIT_INPUT_ERROR
        with progress_bar(prefix_count(hashes), "checking", options.progress and not options.quiet) as advance:
            report = run_audit(
                collected, checker, advance, demo=options.demo, against=against,
                catalogue=catalogue, accounts=run_account_checks(options, collected),
            )
    cache = getattr(checker, "cache", None)
    if cache is not None:
        report.stats.cache_hits, report.stats.revalidated = cache.hits, cache.revalidated
    if not options.demo:
        from pwcheck.review import attach_review

        failure = attach_review(report, options.config, options.new_only)
        if failure:
            error_line(failure)
            return EXIT_INPUT_ERROR
        _drop_ignored_from_priorities(report)
    degraded = {report.catalogue.problem if report.catalogue else None,
                report.account_checks.problem if report.account_checks else None}
    exports = [path for path in collected.read_ok if path not in demo_paths]  # never the bundled samples
    for problem in report.problems:
        # Missing breach data or account checks degrade the report but are no error: advisory (-q silences it).
        (note if problem in degraded else error_line)(problem)
    render = renderer(options.report_format)
    render_options = RenderOptions(show_all=options.show_all, redact=options.redact)
    if options.output is not None:
        from pwcheck.files import open_private, readable_by_others

        try:
            with open_private(options.output) as handle:
                render.render(report, ReportStream(handle), render_options)
            exposed = readable_by_others(options.output)
        except OSError as exc:
            error_line(f"{options.output}: cannot write report ({exc.strerror or type(exc).__name__})")
            return EXIT_INPUT_ERROR
        if exposed and render.names_accounts:
            error_line(f"warning: {options.output} is readable by other users and names your accounts")
    elif not options.quiet:  # --quiet writes nothing, so there is nothing to render
        render.render(report, ReportStream(sys.stdout), render_options)
        sys.stdout.flush()
    if options.notify:
        from pwcheck.notify import announce

        announce(report, options.config.values if options.config else {})
    from pwcheck.wipe import after_audit

    complete = not report.interrupted and not report.not_checked_entries
    if not after_audit(exports, complete, options.delete_exports):
        return EXIT_INPUT_ERROR
    if options.demo and report.exit_code in (EXIT_FOUND, 0):
        if not options.quiet:
            error_line(f"demo finished: a real audit with these findings would exit {report.exit_code}")
        return 0
    return report.exit_code


def load_breach_data(options: AuditOptions, demo_base: str | None, needed: bool = True) -> "Catalogue":
    """The breach catalogue for this run (the demo's own on 127.0.0.1, uncached, in `--demo`).

    Not fetched when nothing was read (`needed` False): there is nothing to match it with.
    """
    from pwcheck.analyse.catalogue import Catalogue

    if not options.breaches:
        return Catalogue.unavailable("breach catalogue not fetched (--no-breaches): stale status unknown")
    if not needed:
        return Catalogue.unavailable("breach catalogue not fetched: no credentials to match")
    from pwcheck.analyse.catalogue_fetch import FetchSettings, load_catalogue
    from pwcheck.dirs import cache_dir

    if demo_base is not None:
        settings = FetchSettings(url=f"{demo_base}/api/v3/breaches", cache_dir=None, timeout=options.timeout)
    else:
        settings = FetchSettings(
            url=_breaches_url(options), cache_dir=cache_dir(), timeout=options.timeout, network=options.offline is None
        )
    try:
        return load_catalogue(settings)
    except KeyboardInterrupt:
        return Catalogue.unavailable("breach data unavailable: interrupted", problem="breach catalogue fetch interrupted")


def run_account_checks(options: AuditOptions, collected: "Collected") -> "AccountChecks | None":
    """Account checks when a key is stored (never in the demo); None when they are off."""
    if options.demo or not options.account_checks or options.offline is not None:
        return None  # --offline: nothing leaves the machine, and account checks send e-mail addresses
    from pwcheck.apikey import read_api_key

    key, problem = read_api_key()
    if problem:
        note(problem)
    if not key:
        return None
    import asyncio

    from pwcheck.analyse.accounts import AccountChecks, account_api_base, check_accounts, email_accounts

    accounts = email_accounts([credential.username for credential in collected.credentials])
    if not accounts:
        return AccountChecks()
    base = account_api_base(_breaches_url(options))
    with progress_bar(len(accounts), "accounts", options.progress) as advance:
        try:
            return asyncio.run(check_accounts(accounts, key, base, options.timeout, advance))
        except KeyboardInterrupt:
            return AccountChecks({account.casefold(): None for account in accounts}, problem="account checks interrupted")


def _drop_ignored_from_priorities(report: Any) -> None:
    """Findings an ignore rule accepted leave the what-to-change-first list (the review lists them)."""
    if report.review is None or not report.review.ignored:
        return
    from pwcheck.analyse.priorities import prioritise

    ignored = {id(item.entry) for item in report.review.ignored}
    report.priorities = prioritise(report.entries, skip={i for i, e in enumerate(report.entries) if id(e) in ignored})


def _breaches_url(options: AuditOptions) -> str:
    return options.breaches_url or DEFAULT_BREACHES_URL


def _describe_api(api_url: str, demo: bool) -> str:
    return "bundled demo corpus on 127.0.0.1" if demo else api_url


def read_password(from_stdin: bool) -> bytes | None:
    """The password's exact bytes: from stdin (one trailing newline dropped) or a hidden prompt.

    Never prompts when stdin is not a terminal: a script would hang on it.
    """
    if from_stdin:
        data = sys.stdin.buffer.read()
        if data.endswith(b"\n"):
            data = data[:-1]
            if data.endswith(b"\r"):
                data = data[:-1]
        return data
    if not sys.stdin.isatty():
        error_line("no terminal to prompt on: pipe the password with --stdin")
        return None
    import click

    try:
        return click.prompt("Password", hide_input=True, prompt_suffix=": ", err=True).encode("utf-8")
    except click.exceptions.Abort:  # Ctrl-D or Ctrl-C at the prompt: nothing given
        error_line("no password given")
        return None


def run_password_command(
    from_stdin: bool, checker: HashChecker, quiet: bool = False, choice: CheckerChoice | None = None
) -> int:
    """Check one password; exit 0 not found, 1 pwned, 2 none given or no usable store, 3 not checked."""
    import asyncio

    from pwcheck.credential import password_sha1

    if choice is not None and choice.describe(checker, "") is None:
        return EXIT_INPUT_ERROR
    secret = read_password(from_stdin)
    if not secret:
        if secret is not None:
            error_line("empty password: nothing to check")
        return EXIT_INPUT_ERROR
    digest = password_sha1(secret)
    del secret
    result = asyncio.run(checker.lookup([digest]))
    count = result.counts.get(digest)
    if count is None:
        error_line("could not check the password: " + ("; ".join(result.problems) or "the range request failed"))
        return EXIT_NOT_CHECKED
    if count:
        if not quiet:
            print(f"pwned: this password has been seen {count:,} times in data breaches. Do not use it.")
        return EXIT_FOUND
    if not quiet:
        print("not found in Pwned Passwords (seen 0 times).")
    return 0
