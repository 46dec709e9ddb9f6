"""The check stage: run any `HashChecker` to completion over a run's digests, Ctrl-C included."""

from __future__ import annotations

import asyncio
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator

from pwcheck.check.interface import HashChecker, LookupResult, Progress
from pwcheck.system.logs import get_logger, log_kv

log = get_logger(__name__)
# While the range check runs, other threads of the audit parse the lists and work out contacts.
# At CPython's default 5 ms switch interval, a thread that holds the GIL keeps the event loop
# waiting up to 5 ms each time answers arrive, and every next request goes out that much later:
# 0.5 ms cut a default 500-password audit's wall time by 18-35 ms in A/B runs (benchmarks/README.md).
LOOP_SWITCH_INTERVAL = 0.0005


def check(hashes: list[bytes], checker: HashChecker, progress: Progress | None = None) -> LookupResult:
    """Run the checker to completion; on Ctrl-C, keep what was checked and mark the rest."""
    result = LookupResult({digest: None for digest in hashes})
    log_kv(log, "check-start", unique_hashes=len(hashes), checker=type(checker).__name__)
    try:
        with _switch_interval(LOOP_SWITCH_INTERVAL):
            asyncio.run(checker.lookup(hashes, progress, into=result))
    except KeyboardInterrupt:
        result.interrupted = True
        result.problems.append("interrupted: the report is partial")
    log_kv(
        log, "check-done", ranges=result.range_requests, attempts=result.attempts,
        failed_ranges=result.failed_ranges, not_checked=result.not_checked, interrupted=result.interrupted,
    )
    return result


@contextmanager
def _switch_interval(seconds: float) -> Iterator[None]:
    """The GIL's switch interval at most `seconds` inside the block, as it was after it."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, seconds))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def prefix_count(hashes: Iterable[bytes]) -> int:
    """How many range requests a set of digests needs (for the progress bar's total)."""
    return len({digest.hex()[:5] for digest in hashes})
