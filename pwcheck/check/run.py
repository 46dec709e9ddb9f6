"""The check stage: run any `HashChecker` to completion over a run's digests, Ctrl-C included."""

from __future__ import annotations

import asyncio
from typing import Iterable

from pwcheck.check.interface import HashChecker, LookupResult, Progress
from pwcheck.system.logs import get_logger, log_kv

log = get_logger(__name__)


def check(hashes: list[bytes], checker: HashChecker, progress: Progress | None = None) -> LookupResult:
    """Run the checker to completion; on Ctrl-C, keep what was checked and mark the rest."""
    result = LookupResult({digest: None for digest in hashes})
    log_kv(log, "check-start", unique_hashes=len(hashes), checker=type(checker).__name__)
    try:
        asyncio.run(checker.lookup(hashes, progress, into=result))
    except KeyboardInterrupt:
        result.interrupted = True
        result.problems.append("interrupted: the report is partial")
    log_kv(
        log, "check-done", ranges=result.range_requests, attempts=result.attempts,
        failed_ranges=result.failed_ranges, not_checked=result.not_checked, interrupted=result.interrupted,
    )
    return result


def prefix_count(hashes: Iterable[bytes]) -> int:
    """How many range requests a set of digests needs (for the progress bar's total)."""
    return len({digest.hex()[:5] for digest in hashes})
