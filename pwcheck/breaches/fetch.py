"""Getting the breach catalogue: one conditional GET, a private cache, an honest fallback.

The catalogue is public and changes a few times a week, so each audit revalidates the
cached copy with `If-None-Match` / `If-Modified-Since` (a 304 costs a few hundred bytes).
When the network or the server fails, the cached copy is used and the report says how
old it is; with no copy at all the audit still runs and says breach data is unavailable,
which makes every stale verdict unknown rather than "not stale".

The download, the cache (one JSON file per catalogue URL in the user cache dir, 0600 in a
0700 dir, replaced atomically) and the overall deadline are `pwcheck.lists.fetch`, shared
with the 2FA and Passkeys directories; this module only turns its outcome into a
`Catalogue` and the words the report says about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pwcheck.breaches.catalogue import CatalogueError, parse_catalogue
from pwcheck.lists.fetch import ListRefused, ListSettings, Outcome, describe_age, fetch_list
from pwcheck.lists.fetch import cache_path as _list_cache_path
from pwcheck.model.breach import Breach, Catalogue
from pwcheck.net.defaults import DEFAULT_BREACHES_URL, DEFAULT_TIMEOUT
from pwcheck.system.display import without_userinfo

__all__ = ["CACHE_FORMAT", "FetchSettings", "cache_path", "describe_age", "fetch_catalogue", "load_catalogue"]

CACHE_FORMAT = "pwcheck.breach-cache/1"
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024  # the real one is a few MB
# HIBP's catalogue is about 900 breaches of ~20 values each; 60 MB of `[{},{},...]` took 1.6 GB to parse.
MAX_CATALOGUE_VALUES = 1_000_000


@dataclass(frozen=True)
class FetchSettings:
    """Where the catalogue comes from and where it is kept (`cache_dir` None: no cache)."""

    url: str = DEFAULT_BREACHES_URL
    cache_dir: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    attempts: int = 2
    network: bool = True  # False (`--offline`): the cached copy or nothing, no request at all

    @property
    def shown_url(self) -> str:
        """The URL as the report and messages name it: without a user name or password in it."""
        return without_userinfo(self.url)

    def as_list(self) -> ListSettings:
        return ListSettings(
            url=self.url, name="breaches", what="the breach catalogue", cache_dir=self.cache_dir, timeout=self.timeout,
            attempts=self.attempts, network=self.network, max_bytes=MAX_CATALOGUE_BYTES, max_values=MAX_CATALOGUE_VALUES, cache_format=CACHE_FORMAT,
            payload_key="breaches",
        )


def cache_path(settings: FetchSettings) -> Path | None:
    """One file per URL, so a mirror's catalogue never stands in for another's."""
    return _list_cache_path(settings.as_list())


def load_catalogue(settings: FetchSettings, now: datetime | None = None) -> Catalogue:
    """The catalogue for this run: fresh, revalidated, cached (with its age), or unavailable."""
    import asyncio

    return asyncio.run(fetch_catalogue(settings, now))


def _parse(doc: Any) -> tuple[list[Breach], int]:
    try:
        return parse_catalogue(doc)
    except CatalogueError as exc:
        raise ListRefused(str(exc), exc.malformed) from None


async def fetch_catalogue(settings: FetchSettings, now: datetime | None = None) -> Catalogue:
    now = now or datetime.now(timezone.utc)
    outcome = await fetch_list(settings.as_list(), _parse, now)
    return catalogue_of(outcome, settings.shown_url, now)


def catalogue_of(outcome: Outcome[list[Breach]], shown: str, now: datetime) -> Catalogue:
    """The report's words for one fetch of the catalogue (`shown`: its URL without userinfo)."""
    breaches = outcome.value
    problem = "; ".join(outcome.problems) or None
    if breaches is not None and outcome.status in ("downloaded", "unchanged"):
        how = "unchanged since the cached copy" if outcome.status == "unchanged" else "downloaded"
        return Catalogue(
            breaches=breaches, available=True, source=shown, fetched_at=outcome.fetched_at, validated_at=now,
            from_cache=outcome.from_cache,
            note=f"{len(breaches)} breaches from {shown} ({how}){_skipped(outcome.malformed)}",
            problem=problem, malformed=outcome.malformed,
        )
    reason = outcome.reason or "unknown"
    if breaches is not None:  # the cached copy
        validated = outcome.validated_at
        age = describe_age(now - validated) if validated else "unknown age"
        return Catalogue(
            breaches=breaches, available=True, source=shown, fetched_at=outcome.fetched_at,
            validated_at=validated, from_cache=True,
            note=f"{len(breaches)} breaches from the cached copy of {shown}, last confirmed {age} ago"
            f"{_skipped(outcome.malformed)}",
            problem=None if reason == "offline" else
            f"could not refresh the breach catalogue ({reason}); using the cached copy from {age} ago",
            malformed=outcome.malformed,
        )
    if reason == "offline":
        return Catalogue.unavailable(
            note="breach data unavailable offline (no cached catalogue): stale status unknown", source=shown,
        )
    if outcome.refused is not None:
        return Catalogue.unavailable(
            note=f"breach data unavailable ({reason}): stale status unknown",
            problem=f"breach data unavailable: the catalogue from {shown} was refused ({reason}) "
            "and there is no cached copy; stale status is unknown",
            source=shown, malformed=outcome.refused,
        )
    return Catalogue.unavailable(
        note="breach data unavailable: stale status unknown",
        problem=f"breach data unavailable: could not fetch the catalogue from {shown} ({reason}) "
        "and there is no cached copy; stale status is unknown",
        source=shown,
    )


def _skipped(malformed: int) -> str:
    return f"; {malformed} malformed item{'s' if malformed != 1 else ''} skipped" if malformed else ""
