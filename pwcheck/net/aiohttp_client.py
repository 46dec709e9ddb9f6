"""The default HTTP/1.1 transport: aiohttp itself, behind the sliver of httpx's API the client uses.

Why not httpx over aiohttp (`httpx-aiohttp`), as before: profiled against the local range
server, httpx's request/response layer on top of aiohttp cost about 250 us of CPU per
range (three times aiohttp's own cost) and importing httpx added about 100 ms to every
audit's start-up. The range client only needs `stream(method, url, headers=...)` giving a
status, headers and body chunks, so that is what this offers; `--http2` still uses httpx.

Behaviour kept from the httpx path: pwcheck's headers and timeouts, TLS verified against
SSL_CERT_FILE / SSL_CERT_DIR or else certifi's bundle, the proxy that HTTPS_PROXY /
HTTP_PROXY / NO_PROXY choose (resolved once per run, not per request), gzip decoded.
Never `trust_env`, so never `~/.netrc` (see `proxy_for`).
"""

from __future__ import annotations

import os
import ssl
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, AsyncIterator, Mapping

import aiohttp

if TYPE_CHECKING:
    from multidict import CIMultiDictProxy

CHUNK_BYTES = 64 * 1024


def ssl_context() -> ssl.SSLContext:
    """A verifying context from SSL_CERT_FILE / SSL_CERT_DIR, else certifi's CA bundle."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def ca_problem() -> str | None:
    """What is wrong with SSL_CERT_FILE / SSL_CERT_DIR (one line naming the variable), or None.

    Both transports load them when a client is made; a bad value raises there (an OSError
    or ssl.SSLError), and the command line (`pwcheck/cli/group.py`) asks this to say why.
    """
    for variable in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(variable)
        if value:
            try:
                if variable == "SSL_CERT_FILE":
                    ssl.create_default_context(cafile=value)
                else:
                    ssl.create_default_context(capath=value)
            except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
                return f"{variable}={value}: no usable CA certificates ({type(exc).__name__})"
    return None


def proxy_for(url: str) -> str | None:
    """The proxy HTTPS_PROXY / HTTP_PROXY / NO_PROXY choose for `url` (urllib's reading of them), or None.

    Resolved here, once per client, never by an HTTP library's `trust_env`: aiohttp's also
    reads `~/.netrc` and sends its login (a `default` entry matches every host) as
    `Authorization` to the API and as `Proxy-Authorization` to the proxy. Nothing here
    reads `.netrc`; a proxy's own credentials come only from its URL (`http://user:pw@proxy:3128`).
    """
    import urllib.request
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or (parts.hostname and urllib.request.proxy_bypass(parts.hostname)):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"  # `proxy:3128`, as curl and requests read it


class StreamResponse:
    """What `_get` reads of a response: status, headers, the body in chunks."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status_code: int = response.status
        self.headers: CIMultiDictProxy[str] = response.headers

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.content.iter_chunked(CHUNK_BYTES):
            yield chunk


class AiohttpClient:
    """One aiohttp session for a run: a keep-alive pool of `concurrency` connections."""

    def __init__(
        self, base_url: str, headers: Mapping[str, str], concurrency: int, connect_timeout: float, read_timeout: float
    ) -> None:
        self._headers = dict(headers)
        self._concurrency = concurrency
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=read_timeout)
        # The CA bundle is only loaded when TLS can be needed (tens of ms at start-up).
        self._ssl: ssl.SSLContext | bool = ssl_context() if base_url.startswith("https:") else True
        # A login in the proxy's URL stays in it: aiohttp sends it as Proxy-Authorization, to the proxy only.
        self._proxy = proxy_for(base_url)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "AiohttpClient":
        connector = aiohttp.TCPConnector(limit=self._concurrency, limit_per_host=self._concurrency, ssl=self._ssl)
        # trust_env stays off: it would send a `.netrc` login with every request (see `proxy_for`).
        self._session = aiohttp.ClientSession(
            connector=connector, headers=self._headers, timeout=self._timeout, trust_env=False
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @asynccontextmanager
    async def stream(self, method: str, url: str, headers: Mapping[str, str] | None = None) -> AsyncIterator[StreamResponse]:
        """Send one request; the response's body is read by iterating `aiter_bytes()`."""
        assert self._session is not None, "use `async with` first"
        async with self._session.request(
            method, url, headers=headers, proxy=self._proxy, allow_redirects=False
        ) as response:
            yield StreamResponse(response)
