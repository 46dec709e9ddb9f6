"""The audit pipeline, stage by stage, with nothing computed twice and nothing outside it.

    sources.collect      every source -> Collected (credentials hashed, skipped, errors)
    check.run.check      unique digests -> counts, through any HashChecker
    analyse.assemble     credentials + counts + contacts -> AuditReport entries
    analyse.assemble.analyse   + contact breaches, stale verdicts, reuse, account breaches
    personal.review      + ignore rules and --new (a callable handed in by the command)
    analyse.priorities   -> what to change first, ranked once, ignored findings left out
    report               rendered by the command (`pwcheck/cli/audit.py`)

The command gathers what the stages need (sources, checker, catalogue, account checks,
review settings) and renders the result; each stage is a function of its inputs, so
tests and benchmarks run the same pipeline in-process.

The breach catalogue and the two directories are needed only by `analyse`, so the command
hands them in as a `Pending` (the loader, to run in a daemon thread): started once the
range check is under way (its first range back) and waited for after the check and
`assemble`, so its download and parsing overlap the range requests instead of preceding
them or competing with the first ones. A plain value is used as it is (tests, benchmarks).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Generic, TypeVar

from pwcheck.analyse.assemble import analyse, assemble, contact_domains
from pwcheck.analyse.priorities import prioritise
from pwcheck.check.interface import HashChecker, LookupResult, Progress
from pwcheck.check.run import check
from pwcheck.model.breach import AccountChecks, Catalogue
from pwcheck.model.directory import Directories
from pwcheck.model.entry import DEFAULT_WEAK_BELOW
from pwcheck.model.findings import AuditReport
from pwcheck.model.source import Collected

Review = Callable[[AuditReport], None]
_T = TypeVar("_T")


class Pending(Generic[_T]):
    """A value made in a daemon thread: `result()` waits for it (or raises its error, as the call itself would).

    A daemon thread, not a pool: after Ctrl-C the process exits at once instead of waiting
    for a download to reach its deadline. `stand_in` is what a run interrupted during the
    range check uses instead of a value not yet made: waiting for it would hold the partial
    report until the download's deadline. The thread starts at `start()` (`run_audit` calls
    it once the range check is under way), or at `result()` at the latest.
    """

    def __init__(self, function: Callable[..., _T], *args: Any, stand_in: _T, name: str) -> None:
        self.stand_in = stand_in
        self._outcome: list[tuple[bool, Any]] = []
        self._thread = threading.Thread(target=self._work, args=(function, args), name=name, daemon=True)

    def start(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def _work(self, function: Callable[..., _T], args: tuple[Any, ...]) -> None:
        try:
            self._outcome.append((True, function(*args)))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, raised there
            self._outcome.append((False, exc))

    def done(self) -> bool:
        return self._thread.ident is not None and not self._thread.is_alive()

    def result(self) -> _T:
        """The value, once made; a Ctrl-C while waiting propagates (the command exits 130 at once)."""
        self.start()
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]


def _settled(value: _T | Pending[_T] | None, interrupted: bool) -> _T | None:
    if not isinstance(value, Pending):
        return value
    return value.stand_in if interrupted and not value.done() else value.result()


def run_audit(
    collected: Collected,
    checker: HashChecker | None,
    progress: Progress | None = None,
    *,
    demo: bool = False,
    against: str = "",
    catalogue: Catalogue | Pending[Catalogue] | None = None,
    accounts: AccountChecks | None = None,
    review: Review | None = None,
    checks: frozenset[str] | None = None,
    fail_on: frozenset[str] = frozenset(),
    weak_below: int = DEFAULT_WEAK_BELOW,
    directories: Directories | Pending[Directories] | None = None,
    ahead: Callable[[], object] | None = None,
) -> AuditReport:
    """Every stage after collection, timed: check, assemble, analyse, review, rank.

    Contacts need no lookup result, so they are worked out in a second thread while the
    range requests are in flight (and so are the strength scores, when `collect` left them to
    its scoring thread): loading the Public Suffix List and parsing every URL
    take CPU time that would otherwise follow the network wait instead of filling it.
    `checks` (None: all) names the checks that run: without "breach" (or a `checker`) no digest
    is looked up (every count stays None, and the report says the check was off), without "weak"
    or "unsecured" those verdicts stay None. `catalogue` and `directories` may be `Pending`:
    waited for just before `analyse`, or, when Ctrl-C ended the range check, their stand-ins
    if they are not ready (the partial report comes at once). `ahead` is work for after the
    check that needs nothing from it (the command imports its renderer): done in the contacts'
    thread, in the check's waits; whatever it leaves undone is done again where it is needed.
    """
    started = time.perf_counter()
    breach, weak, unsecured = (checks is None or name in checks for name in ("breach", "weak", "unsecured"))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pwcheck-contacts") as pool:
        domains: list[Future[list[str | None]]] = []

        def under_way() -> None:
            """The work the check's waits can hold, started once its first range has come back.

            Started before the check, the contacts and the lists' threads took the CPU while the
            first requests were being built and sent (issue 19); after it, they fill its waits.
            """
            if not domains:
                domains.append(pool.submit(contact_domains, collected.credentials))
                if ahead is not None:
                    pool.submit(ahead)  # after the contacts; its error, if any, is its caller's to meet again
                for value in (catalogue, directories):
                    if isinstance(value, Pending):
                        value.start()

        hashes = collected.unique_hashes()
        if breach and checker is not None:
            lookup = check(hashes, checker, _first_then(under_way, progress))
        else:
            lookup = LookupResult.start(hashes)
        under_way()  # no range was needed (or none came back): now
        collected.settle_scores()  # scored while the ranges were fetched; needed from here on
        report = assemble(
            collected, lookup, time.perf_counter() - started, demo=demo, against=against, domains=domains[0].result()
        )
    report.checks, report.fail_on = checks, fail_on
    catalogue, directories = _settled(catalogue, lookup.interrupted), _settled(directories, lookup.interrupted)
    analyse(report, catalogue, accounts, directories, weak_below=weak_below if weak else None, unsecured=unsecured)
    if review is not None:
        review(report)
    return rank(report)


def _first_then(first: Callable[[], None], progress: Progress | None) -> Progress:
    """`progress`, calling `first()` before its first step."""

    def advance(steps: int) -> None:
        first()  # at once after the first time (it checks itself)
        if progress is not None:
            progress(steps)

    return advance


def rank(report: AuditReport) -> AuditReport:
    """What to change first, once: findings an ignore rule accepted leave the list (the review lists them)."""
    ignored: set[int] = set()
    if report.review is not None and report.review.ignored:
        ignored_entries = {id(item.entry) for item in report.review.ignored}
        ignored = {index for index, entry in enumerate(report.entries) if id(entry) in ignored_entries}
    report.priorities = prioritise(report.entries, skip=ignored, accounts=report.accounts, directories=report.directories)
    return report
