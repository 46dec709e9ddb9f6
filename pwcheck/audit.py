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
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

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


def run_audit(
    collected: Collected,
    checker: HashChecker | None,
    progress: Progress | None = None,
    *,
    demo: bool = False,
    against: str = "",
    catalogue: Catalogue | None = None,
    accounts: AccountChecks | None = None,
    review: Review | None = None,
    checks: frozenset[str] | None = None,
    fail_on: frozenset[str] = frozenset(),
    weak_below: int = DEFAULT_WEAK_BELOW,
    directories: Directories | None = None,
) -> AuditReport:
    """Every stage after collection, timed: check, assemble, analyse, review, rank.

    Contacts need no lookup result, so they are worked out in a second thread while the
    range requests are in flight (and so are the strength scores, when `collect` left them to
    its scoring thread): loading the Public Suffix List and parsing every URL
    take CPU time that would otherwise follow the network wait instead of filling it.
    `checks` (None: all) names the checks that run: without "breach" (or a `checker`) no digest
    is looked up (every count stays None, and the report says the check was off), without "weak"
    or "unsecured" those verdicts stay None.
    """
    started = time.perf_counter()
    breach, weak, unsecured = (checks is None or name in checks for name in ("breach", "weak", "unsecured"))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pwcheck-contacts") as pool:
        domains = pool.submit(contact_domains, collected.credentials)
        hashes = collected.unique_hashes()
        lookup = check(hashes, checker, progress) if breach and checker is not None else LookupResult.start(hashes)
        collected.settle_scores()  # scored while the ranges were fetched; needed from here on
        report = assemble(
            collected, lookup, time.perf_counter() - started, demo=demo, against=against, domains=domains.result()
        )
    report.checks, report.fail_on = checks, fail_on
    analyse(report, catalogue, accounts, directories, weak_below=weak_below if weak else None, unsecured=unsecured)
    if review is not None:
        review(report)
    return rank(report)


def rank(report: AuditReport) -> AuditReport:
    """What to change first, once: findings an ignore rule accepted leave the list (the review lists them)."""
    ignored: set[int] = set()
    if report.review is not None and report.review.ignored:
        ignored_entries = {id(item.entry) for item in report.review.ignored}
        ignored = {index for index, entry in enumerate(report.entries) if id(entry) in ignored_entries}
    report.priorities = prioritise(report.entries, skip=ignored, accounts=report.accounts, directories=report.directories)
    return report
