"""Where counts come from: the range API (online) or a local store (`--offline DIR`).

The one factory for checkers: everything downstream sees only `HashChecker.lookup`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pwcheck.check.interface import HashChecker
from pwcheck.net.defaults import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT


@dataclass(frozen=True)
class CheckerChoice:
    """The flags that pick and shape a checker."""

    offline: Path | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = DEFAULT_TIMEOUT
    http2: bool = False
    ntlm: bool = False
    cache_ttl: float | None = None  # hours; None = no on-disk range cache

    def build(self, api_url: str) -> HashChecker:
        """A `StoreChecker` for `--offline`, else a `RangeClient` (with the range cache when asked).

        A plain `http://` API that is not loopback is warned about on stderr (`net.urls`).
        """
        if self.offline is not None:
            from pwcheck.check.store import StoreChecker

            return StoreChecker(self.offline, ntlm=self.ntlm)
        from pwcheck.check.range_client import RangeClient
        from pwcheck.net.http import ClientSettings
        from pwcheck.net.urls import cleartext_warning
        from pwcheck.system.console import warning

        cleartext = cleartext_warning(api_url, "the hash prefixes of your passwords and the counts that say pwned or not")
        if cleartext is not None:
            warning(cleartext)

        cache = None
        if self.cache_ttl is not None:
            from pwcheck.check.range_cache import RangeCache

            cache = RangeCache.for_api(api_url, ttl_hours=self.cache_ttl)
        settings = ClientSettings(
            api_url=api_url, concurrency=self.concurrency, read_timeout=self.timeout,
            connect_timeout=min(10.0, self.timeout), http2=self.http2, ntlm=self.ntlm,
        )
        return RangeClient(settings, cache=cache)

    def describe(self, checker: HashChecker, api_url: str) -> str:
        """What the report names as checked against (a URL without its userinfo); `StoreError` (exit 2) when the store is unusable."""
        if self.offline is None:
            from pwcheck.system.display import without_userinfo

            return without_userinfo(api_url)
        from pwcheck.check.store import StoreChecker

        assert isinstance(checker, StoreChecker)
        return checker.describe()
