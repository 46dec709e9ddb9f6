"""One interface for every way of checking hashes: the range API now, a local store later.

`lookup` takes every hash of a run at once so an implementation can batch (one request
per distinct prefix, or one pass over the touched buckets of a store). The answer for a
hash is its count (0 = not in the corpus) or None = not checked: a failure is never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection, Protocol

Progress = Callable[[int], None]


@dataclass
class LookupResult:
    """Counts per hash plus what it took; `counts[h] is None` means not checked."""

    counts: dict[bytes, int | None]
    range_requests: int = 0
    attempts: int = 0
    failed_ranges: int = 0
    interrupted: bool = False
    problems: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, hashes: Collection[bytes], into: "LookupResult | None" = None) -> "LookupResult":
        """`into` (or a new result) with every digest not checked yet: a checker only ever raises that to a count."""
        result = into if into is not None else cls({})
        for digest in hashes:
            result.counts.setdefault(digest, None)
        return result

    @property
    def not_checked(self) -> int:
        return sum(1 for count in self.counts.values() if count is None)


class HashChecker(Protocol):
    """Anything that can tell how often each SHA-1 digest appears in Pwned Passwords."""

    async def lookup(
        self, hashes: Collection[bytes], progress: Progress | None = None, into: LookupResult | None = None
    ) -> LookupResult:
        """Counts for every digest in `hashes`, written into `into` (or a new result); `progress(n)` after each n ranges.

        `into` lets the caller keep what was counted when the run is interrupted: every
        digest starts as not checked (`LookupResult.start`) and is only ever raised to a count.
        """
        ...
