"""The one HTTP client setup: headers, timeouts, pool, proxies, TLS, retry policy, body caps.

Every request pwcheck makes (ranges, the breach catalogue, account checks, the mirror)
is shaped here, so what SECURITY.md says about requests has one place to hold: the
`User-Agent: pwcheck/<version>` header, `Add-Padding: true` on range requests only, TLS
always verified, no redirects followed, bodies read with a cap. The retry policy and the
per-attempt deadline are the same for every caller, and every request has an overall
deadline (`within`: ranges; `request_deadline` and `in_time`: the catalogue, account checks).
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Awaitable, Callable, TypeVar

from pwcheck import USER_AGENT
from pwcheck.net.defaults import DEFAULT_API_URL, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT
from pwcheck.net.environment import proxy_for, ssl_context
from pwcheck.net.h1_client import H1Client
from pwcheck.net.h1_wire import within as within  # the one deadline helper, re-exported for every caller

if TYPE_CHECKING:
    import httpx

_T = TypeVar("_T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one range before calling it not checked."""

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter (half fixed, half random), capped."""
        base = min(self.max_backoff, self.backoff * (2**attempt))
        return float(base * (0.5 + random.random() / 2))


@dataclass(frozen=True)
class ClientSettings:
    """Everything that shapes the range requests; defaults suit the public API."""

    api_url: str = DEFAULT_API_URL
    concurrency: int = DEFAULT_CONCURRENCY
    connect_timeout: float = 10.0
    read_timeout: float = DEFAULT_TIMEOUT
    attempt_timeout: float = 45.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    http2: bool = False
    ntlm: bool = False


def make_http_client(settings: ClientSettings, *, padding: bool = True) -> httpx.AsyncClient:
    """An AsyncClient with pwcheck's headers, timeouts and pool, TLS verified.

    Proxies and a custom CA bundle come from the usual environment variables
    (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, SSL_CERT_FILE, SSL_CERT_DIR) on every transport,
    resolved once per client for `settings.api_url`'s host; no library's `trust_env` is
    on, so `~/.netrc` is never read (its login would go with every request). Every HTTP
    request pwcheck makes goes through here (range, breach catalogue, account checks);
    `padding=False` leaves out the range API's `Add-Padding` header for the others.
    httpx is imported only for `--http2` (its HTTP/2 transport): every other request goes
    through `H1Client` (`h1_client.py`, which says why it is not aiohttp), and importing httpx
    costs every audit tens of milliseconds of start-up.
    """
    headers = {"User-Agent": USER_AGENT}
    if padding:
        headers["Add-Padding"] = "true"
    if not settings.http2:
        # pwcheck's own HTTP/1.1 client for every request but --http2 (ranges, mirror, lists, catalogue,
        # account checks): no aiohttp (0.15-0.2 s of import) and no httpx (~40-60 ms) to import.
        return H1Client(  # type: ignore[return-value]
            settings.api_url, headers, settings.concurrency, settings.connect_timeout, settings.read_timeout
        )
    import httpx

    timeout = httpx.Timeout(
        connect=settings.connect_timeout, read=settings.read_timeout, write=settings.read_timeout, pool=None
    )
    limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
    # trust_env stays off: the proxy and the CA bundle are resolved here, and `.netrc` is never read.
    return httpx.AsyncClient(
        http2=True, headers=headers, timeout=timeout, limits=limits, trust_env=False, verify=ssl_context(),
        proxy=proxy_for(settings.api_url),
    )


def request_deadline(read_timeout: float) -> float:
    """The whole of one request to HIBP's catalogue or account API, answer included: three read timeouts.

    The read timeout alone bounds each wait between bytes, so a server sending a byte a second
    would hold the audit forever; 60 s at the default 20 s timeout is ten times what the
    catalogue (a few MB) needs on a slow line.
    """
    return 3 * read_timeout


async def in_time(seconds: float, step: Awaitable[_T]) -> tuple[bool, _T | None]:
    """(True, result) when `step` ends within `seconds` in all, (False, None) when the deadline passes first.

    A timeout raised inside `step` itself (a read or connect timeout) is raised as before.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    try:
        return True, await within(seconds, step)
    except asyncio.TimeoutError:
        if loop.time() >= end:
            return False, None
        raise


async def read_capped(response: httpx.Response, limit: int, too_large: Callable[[], Exception]) -> bytes:
    """The streamed body, refusing to hold more than `limit` bytes (a hostile server's answer)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (HIBP sends whole seconds); HTTP dates are not honoured."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
