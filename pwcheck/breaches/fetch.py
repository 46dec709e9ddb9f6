"""Getting the breach catalogue: one conditional GET, a private cache, an honest fallback.

The catalogue is public and changes a few times a week, so each audit revalidates the
cached copy with `If-None-Match` / `If-Modified-Since` (a 304 costs a few hundred bytes).
When the network or the server fails, the cached copy is used and the report says how
old it is; with no copy at all the audit still runs and says breach data is unavailable,
which makes every stale verdict unknown rather than "not stale".

The cache is one JSON file per catalogue URL in the user cache dir (0600 in a 0700 dir),
replaced atomically. It holds only the public catalogue and its validators.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pwcheck.breaches.catalogue import CatalogueError, parse_catalogue
from pwcheck.model.breach import Catalogue
from pwcheck.model.errors import PwcheckError
from pwcheck.net.defaults import DEFAULT_BREACHES_URL, DEFAULT_TIMEOUT
from pwcheck.net.validators import validator
from pwcheck.system.display import without_userinfo

CACHE_FORMAT = "pwcheck.breach-cache/1"
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024  # the real one is a few MB
# Values and member names, counted before parsing (`system.bounded_json`): the real catalogue
# has about 40 per breach, some 40,000 in all; 64 MB of `[{},{},...]` would take 1.6 GB.
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


class _Unavailable(PwcheckError):
    """The server did not give a usable catalogue; the message names no content."""


def cache_path(settings: FetchSettings) -> Path | None:
    """One file per URL, so a mirror's catalogue never stands in for another's."""
    if settings.cache_dir is None:
        return None
    key = hashlib.sha256(settings.url.encode("utf-8")).hexdigest()[:16]
    return settings.cache_dir / f"breaches-{key}.json"


def load_catalogue(settings: FetchSettings, now: datetime | None = None) -> Catalogue:
    """The catalogue for this run: fresh, revalidated, cached (with its age), or unavailable."""
    import asyncio

    return asyncio.run(fetch_catalogue(settings, now))


async def fetch_catalogue(settings: FetchSettings, now: datetime | None = None) -> Catalogue:
    now = now or datetime.now(timezone.utc)
    path = cache_path(settings)
    cached = _read_cache(path, settings.url)
    problems: list[str] = []
    if not settings.network:
        return _offline(settings, cached, now)
    try:
        status, doc, headers = await _download(settings, cached)
    except _Unavailable as exc:
        return _fallback(settings, cached, str(exc), now)
    if status == 304 and cached is not None:
        doc = cached["breaches"]
        fetched_at = _parse_time(cached.get("fetched_at")) or now
        etag, last_modified = validator(cached.get("etag")), validator(cached.get("last_modified"))
    else:
        fetched_at = now
        etag, last_modified = validator(headers.get("etag")), validator(headers.get("last-modified"))
    try:
        breaches, malformed = parse_catalogue(doc)
    except CatalogueError as exc:  # empty or mostly malformed: the cached copy stays as it was
        return _fallback(settings, cached, str(exc), now, refused=exc.malformed)
    if path is not None:
        record = {
            "format": CACHE_FORMAT, "url": settings.url, "etag": etag, "last_modified": last_modified,
            "fetched_at": fetched_at.isoformat(), "validated_at": now.isoformat(), "breaches": doc,
        }
        problem = _write_cache(path, record)
        if problem:
            problems.append(problem)
    how = "unchanged since the cached copy" if status == 304 else "downloaded"
    return Catalogue(
        breaches=breaches, available=True, source=settings.shown_url, fetched_at=fetched_at, validated_at=now,
        from_cache=status == 304, note=f"{len(breaches)} breaches from {settings.shown_url} ({how}){_skipped(malformed)}",
        problem="; ".join(problems) or None, malformed=malformed,
    )


async def _download(settings: FetchSettings, cached: dict[str, Any] | None) -> tuple[int, Any, dict[str, str]]:
    """(status, decoded JSON or None for 304, headers); retried once on transient failures.

    Each attempt, body included, has an overall deadline: a server that trickles its answer
    is unavailable once it passes, and is not asked again.
    """
    import asyncio

    from pwcheck.net.http import ClientSettings, RetryPolicy, in_time, make_http_client, request_deadline

    client_settings = ClientSettings(api_url=settings.url, concurrency=1, read_timeout=settings.timeout)
    conditional: dict[str, str] = {"Accept": "application/json"}
    if cached is not None:
        etag, last_modified = validator(cached.get("etag")), validator(cached.get("last_modified"))
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
    deadline = request_deadline(settings.timeout)
    reason = "no attempt made"
    async with make_http_client(client_settings, padding=False) as client:
        for attempt in range(settings.attempts):
            try:
                done, answer = await in_time(deadline, _attempt(client, settings.url, conditional, cached is not None))
            except _Unavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - any transport failure (httpx, aiohttp, OS) means offline
                reason = _describe_failure(exc)
            else:
                if not done:
                    reason = f"no complete answer within {deadline:g} s"
                    break
                assert answer is not None
                if isinstance(answer, tuple):
                    return answer
                status = answer
                reason = f"HTTP {status}"
                if status < 500 and status != 429:
                    break
            if attempt + 1 < settings.attempts:
                await asyncio.sleep(RetryPolicy().delay(attempt))
    raise _Unavailable(reason)


async def _attempt(client: Any, url: str, conditional: dict[str, str], have_copy: bool) -> tuple[int, Any, dict[str, str]] | int:
    """One GET: (status, document, headers) for a 200 or a usable 304, else the status."""
    from pwcheck.net.http import read_capped

    async with client.stream("GET", url, headers=conditional) as response:
        status: int = response.status_code
        if status == 200:
            body = await read_capped(response, MAX_CATALOGUE_BYTES, lambda: _Unavailable("catalogue larger than 64 MB"))
            return 200, _decode(body), {k.lower(): v for k, v in response.headers.items()}
        if status == 304 and have_copy:
            return 304, None, {}
        return status


def _describe_failure(exc: Exception) -> str:
    """Words for a failed request. httpx-aiohttp reports a refused connection as ConnectTimeout."""
    import asyncio

    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return "could not connect"
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError)):
        return "timed out"
    return f"connection failed ({type(exc).__name__})"


def _decode(body: bytes) -> Any:
    from pwcheck.system.bounded_json import value_count

    try:
        text = body.decode("utf-8-sig")
        if value_count(text, MAX_CATALOGUE_VALUES) > MAX_CATALOGUE_VALUES:
            raise _Unavailable(f"the catalogue holds more than {MAX_CATALOGUE_VALUES:,} JSON values: not HIBP's catalogue")
        return json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _Unavailable("the catalogue is not valid JSON") from None


def _skipped(malformed: int) -> str:
    return f"; {malformed} malformed item{'s' if malformed != 1 else ''} skipped" if malformed else ""


def _fallback(
    settings: FetchSettings, cached: dict[str, Any] | None, reason: str, now: datetime, refused: int | None = None
) -> Catalogue:
    """The cached copy with its age, or an unavailable catalogue that says why.

    `refused` is set when the server's answer was refused as a catalogue (empty or mostly
    malformed: its malformed item count); without a cached copy that count is reported.
    """
    if cached is not None:
        try:
            breaches, malformed = parse_catalogue(cached["breaches"])
        except CatalogueError:
            cached = None
        else:
            validated = _parse_time(cached.get("validated_at"))
            age = describe_age(now - validated) if validated else "unknown age"
            return Catalogue(
                breaches=breaches, available=True, source=settings.shown_url, fetched_at=_parse_time(cached.get("fetched_at")),
                validated_at=validated, from_cache=True,
                note=f"{len(breaches)} breaches from the cached copy of {settings.shown_url}, last confirmed {age} ago"
                f"{_skipped(malformed)}",
                problem=f"could not refresh the breach catalogue ({reason}); using the cached copy from {age} ago",
                malformed=malformed,
            )
    if refused is not None:
        return Catalogue.unavailable(
            note=f"breach data unavailable ({reason}): stale status unknown",
            problem=f"breach data unavailable: the catalogue from {settings.shown_url} was refused ({reason}) "
            "and there is no cached copy; stale status is unknown",
            source=settings.shown_url, malformed=refused,
        )
    return Catalogue.unavailable(
        note="breach data unavailable: stale status unknown",
        problem=f"breach data unavailable: could not fetch the catalogue from {settings.shown_url} ({reason}) "
        "and there is no cached copy; stale status is unknown",
        source=settings.shown_url,
    )


def _offline(settings: FetchSettings, cached: dict[str, Any] | None, now: datetime) -> Catalogue:
    """No request: the cached copy with its age (no problem: the person asked for this), or none."""
    catalogue = _fallback(settings, cached, "offline", now)
    catalogue.problem = None
    if not catalogue.available:
        catalogue.note = "breach data unavailable offline (no cached catalogue): stale status unknown"
    return catalogue


def _read_cache(path: Path | None, url: str) -> dict[str, Any] | None:
    """The cache record, or None when missing, unreadable, another format or another URL."""
    if path is None:
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != CACHE_FORMAT or record.get("url") != url:
        return None
    return record if isinstance(record.get("breaches"), list) else None


def _write_cache(path: Path, record: dict[str, Any]) -> str | None:
    from pwcheck.system.files import private_dir, replace_private

    try:
        private_dir(path.parent)
        # ASCII escapes: a lone surrogate in a title (valid JSON, not encodable) is kept exactly, never a crash.
        replace_private(path, json.dumps(record, separators=(",", ":")))
    except OSError as exc:
        return f"could not write the breach cache in {path.parent} ({exc.strerror or type(exc).__name__})"
    return None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def describe_age(delta: Any) -> str:
    """`3 days`, `5 hours`, `12 minutes`, `less than a minute`."""
    seconds = max(0, int(delta.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "less than a minute"
