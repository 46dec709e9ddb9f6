"""The async k-anonymity client: one GET per distinct 5-hex prefix, nothing else leaves.

Design, from measurements on this class of machine (see benchmarks/): a single
`httpx.AsyncClient` on its own transport slows down as connections are added, httpx's
layer over aiohttp (`httpx-aiohttp`) cost about four times aiohttp's own CPU per range,
and importing aiohttp cost every audit 0.15-0.2 s; so every HTTP/1.1 request goes through
pwcheck's own small client (`net/h1_client.H1Client`, offering the sliver of httpx's API
used here); `http2=True` uses httpx's own HTTP/2 transport instead. Every request carries `Add-Padding: true`
and `User-Agent: pwcheck/<version>`. A range that still fails after the retries leaves
its hashes at None ("not checked"), and a run of consecutive failures with no success
in between ends the run early instead of waiting out every prefix of an outage.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Collection, TypeVar

from pwcheck.check.interface import LookupResult, Progress
from pwcheck.check.range_format import (
    NTLM_SUFFIX_LEN,
    SHA1_SUFFIX_LEN,
    MalformedRange,
    check_plausible,
    find_counts,
    normalise_body,
)
from pwcheck.model.errors import PwcheckError
from pwcheck.model.exit_codes import EXIT_NOT_CHECKED
from pwcheck.net.h1_wire import HttpFailure
from pwcheck.net.http import ClientSettings, make_http_client, read_capped, retry_after, within
from pwcheck.net.validators import validator
from pwcheck.system.logs import get_logger, log_kv

if TYPE_CHECKING:
    import httpx

    from pwcheck.check.range_cache import RangeCache

log = get_logger(__name__)
_T = TypeVar("_T")
MAX_BODY_BYTES = 4 * 1024 * 1024  # real ranges are ~40 KB; anything near this is hostile


class RangeUnavailable(PwcheckError):
    """A range could not be fetched after every retry; the reason names no secret."""

    exit_code = EXIT_NOT_CHECKED


@dataclass(frozen=True)
class Fetched:
    """One range's answer: the validated body, or None for 304 Not Modified; its ETag if sent."""

    body: bytes | None
    etag: str | None = None


def transient_errors(http2: bool = False) -> tuple[type[BaseException], ...]:
    """Failures worth a retry on the range transport `make_http_client` picks (httpx's only for HTTP/2)."""
    errors: tuple[type[BaseException], ...] = (HttpFailure, asyncio.TimeoutError, OSError, MalformedRange)
    if http2:
        import httpx

        errors += (httpx.TransportError, httpx.DecodingError)
    return errors


class RangeClient:
    """Checks SHA-1 (or NTLM) digests against the range API; see the module docstring."""

    def __init__(self, settings: ClientSettings | None = None, cache: RangeCache | None = None) -> None:
        self.settings = settings or ClientSettings()
        self.cache = cache  # optional on-disk layer (range_cache.py): fresh hits skip the request
        self._base = self.settings.api_url.rstrip("/")
        self._query = "?mode=ntlm" if self.settings.ntlm else ""

    async def lookup(
        self, hashes: Collection[bytes], progress: Progress | None = None, into: LookupResult | None = None
    ) -> LookupResult:
        """Counts for every digest; each distinct prefix is requested once, concurrently."""
        result = LookupResult.start(hashes, into)
        pending = _Ranges(hashes)
        log_kv(
            log, "lookup", ranges=len(pending), concurrency=self.settings.concurrency,
            transport="httpx-h2" if self.settings.http2 else "h1", ntlm=self.settings.ntlm,
        )
        outage = _OutageDetector(threshold=max(3, min(self.settings.concurrency, 16)))
        errors = transient_errors(self.settings.http2)
        async with make_http_client(self.settings) as client:

            async def worker() -> None:
                while pending and not outage.tripped:
                    prefix, digests = pending.popleft()
                    body = self.cache.fresh(prefix) if self.cache is not None else None
                    if body is None:
                        result.range_requests += 1
                        try:
                            body = await self.fetch_range(client, prefix, result, errors)
                        except RangeUnavailable as exc:
                            result.failed_ranges += 1
                            outage.failed(str(exc))
                        else:
                            outage.succeeded()
                    if body is not None:
                        self._record(result, body, digests)
                    if progress:
                        progress(1)

            workers = min(self.settings.concurrency, len(pending))
            await asyncio.gather(*(worker() for _ in range(workers)))
        log_kv(log, "lookup-done", requested=result.range_requests, attempts=result.attempts, failed=result.failed_ranges)
        if outage.tripped:
            result.problems.append(
                f"gave up after {outage.consecutive} ranges in a row failed ({outage.last_reason}); "
                f"{len(pending)} ranges not requested"
            )
        elif result.failed_ranges:
            result.problems.append(
                f"{result.failed_ranges} range request(s) failed after {self.settings.retry.attempts} attempts "
                f"each (last: {outage.last_reason}); their passwords are NOT CHECKED"
            )
        return result

    def _record(self, result: LookupResult, body: bytes, digests: list[bytes]) -> None:
        suffixes = {digest: digest.hex()[5:].upper().encode("ascii") for digest in digests}
        token = getattr(body, "token", None)  # a cached body holds blinded suffixes (range_cache.py)
        if token is not None:
            suffixes = {digest: token(suffix) for digest, suffix in suffixes.items()}
        found = find_counts(body, suffixes.values())
        for digest, suffix in suffixes.items():
            result.counts[digest] = found[suffix]

    async def fetch_range(
        self,
        client: httpx.AsyncClient,
        prefix: str,
        result: LookupResult,
        errors: tuple[type[BaseException], ...] | None = None,
    ) -> bytes:
        """One range's validated body, retried per the policy; RangeUnavailable otherwise."""
        fetched = await self.fetch(client, prefix, result, errors)
        assert fetched.body is not None
        return fetched.body

    async def fetch(
        self,
        client: httpx.AsyncClient,
        prefix: str,
        result: LookupResult,
        errors: tuple[type[BaseException], ...] | None = None,
        etag: str | None = None,
        validate: bool = True,
    ) -> Fetched:
        """`fetch_range` with If-None-Match: a body, or `Fetched(None)` when `etag` still holds (304).

        `validate=False` hands back the raw body for a caller that validates it itself
        as it converts it (the mirror), instead of checking every line twice.
        """
        policy = self.settings.retry
        errors = errors or transient_errors(self.settings.http2)
        reason = "no attempt made"
        for attempt in range(policy.attempts):
            result.attempts += 1
            delay = policy.delay(attempt)
            try:
                status, body, retry_after, new_etag = await within(
                    self.settings.attempt_timeout, self._get(client, prefix, etag, validate)
                )
            except errors as exc:
                reason = _describe(exc)
                log_kv(log, "attempt-failed", attempt=attempt + 1, reason=reason)
            else:
                if status != 200:
                    log_kv(log, "attempt-failed", attempt=attempt + 1, status=status, retry_after=retry_after)
                if status == 200:
                    return Fetched(body, new_etag)
                if status == 304 and etag is not None:
                    return Fetched(None, new_etag or etag)
                reason = f"HTTP {status}"
                if status == 429 and retry_after is not None:
                    if retry_after > policy.max_retry_after:
                        raise RangeUnavailable(f"HTTP 429 asking to wait {retry_after:.0f}s")
                    delay = retry_after
                elif status != 429 and status < 500:
                    raise RangeUnavailable(reason)
            if attempt + 1 < policy.attempts:
                await asyncio.sleep(delay)
        raise RangeUnavailable(reason)

    async def _get(
        self, client: httpx.AsyncClient, prefix: str, etag: str | None = None, validate: bool = True
    ) -> tuple[int, bytes, float | None, str | None]:
        url = f"{self._base}/range/{prefix}{self._query}"
        # An explicit ETag (the mirror's) wins; otherwise the range cache's validators, if any.
        cache = self.cache if etag is None else None
        headers = {"If-None-Match": etag} if etag else cache.validators(prefix) if cache else None
        async with client.stream("GET", url, headers=headers) as response:
            new_etag = validator(response.headers.get("etag"))
            if response.status_code == 304 and cache is not None:
                cached = cache.not_modified(prefix)
                if cached is not None:
                    return 200, cached, None, new_etag
            if response.status_code != 200:
                return response.status_code, b"", retry_after(response.headers.get("retry-after")), new_etag
            body = await read_capped(response, MAX_BODY_BYTES, lambda: MalformedRange("range body too large"))
        check_plausible(body)  # an empty or cut answer is malformed, for the mirror too
        if not validate:
            return 200, body, None, new_etag
        body = normalise_body(body, (NTLM_SUFFIX_LEN if self.settings.ntlm else SHA1_SUFFIX_LEN))
        if cache is not None:
            cache.store(prefix, body, new_etag)
        return 200, body, None, new_etag


class _Ranges:
    """The distinct prefixes still to request, in order, each handed out with its digests.

    Grouped from one sorted list of the digests as they are taken: a dict of every
    prefix to a list of its digests was ~17 MB in a 100,000-password audit, the largest
    thing at its peak memory (benchmarks/, peak RSS).
    """

    def __init__(self, digests: Collection[bytes]) -> None:
        ordered = sorted(set(digests))  # byte order is prefix order
        self._left = sum(1 for _ in itertools.groupby(ordered, key=_prefix))
        self._groups = itertools.groupby(ordered, key=_prefix)

    def __len__(self) -> int:
        return self._left

    def popleft(self) -> tuple[str, list[bytes]]:
        prefix, digests = next(self._groups)
        self._left -= 1
        return prefix, list(digests)


def _prefix(digest: bytes) -> str:
    return digest[:3].hex()[:5].upper()


class _OutageDetector:
    """Trips after `threshold` consecutive failed ranges: the API is down, stop asking."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.consecutive = 0
        self.tripped = False
        self.last_reason = ""

    def failed(self, reason: str) -> None:
        self.consecutive += 1
        self.last_reason = reason
        if self.consecutive >= self.threshold:
            self.tripped = True

    def succeeded(self) -> None:
        self.consecutive = 0


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    httpx = sys.modules.get("httpx")
    if httpx is not None and isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, (MalformedRange, HttpFailure)):
        return str(exc)  # built from structure and the host's name, never from the answer's text
    return f"connection failed ({type(exc).__name__})"


