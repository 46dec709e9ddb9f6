"""The HTTP/1.1 transport: GET over asyncio streams, every answer validated and bounded.

Why our own and not aiohttp (issue 19, measured in benchmarks/README.md): importing aiohttp
cost every command that makes a request 0.15-0.2 s of CPU on the 2-core VM, a third of a
one-password audit; its connector alone loads the system CA file twice at import, into two
TLS contexts, for plain-http URLs too. What pwcheck asks of HTTP/1.1 is small: GET with a
few headers, no request body, no cookies, no redirects, a keep-alive pool of C connections,
and each answer's status, header fields and body. Small enough to write exactly and to read
whole, which a security tool's transport should be:

- framing per RFC 9112 section 6: Content-Length (one value, digits only), `chunked` (hex
  sizes only, bounded lines, trailers read and dropped), or to the connection's end; any
  other transfer coding, or a length out of shape, is a `BadAnswer`, never a guess;
- bounds: a head of at most 64 KiB and 100 fields, at most 8 informational (1xx) heads
  before the answer; gzip decoded in 64 KiB steps (callers cap the decoded bytes, so a
  compression bomb stops at the cap); each read waits at most the read timeout, a new
  connection (TCP, proxy tunnel, TLS handshake) at most the connect timeout;
- a connection goes back to the pool only when its answer was read to the end and neither
  side said `close`; a kept connection the server closed while it was idle is replaced once,
  quietly (nothing was answered, and GET may be sent again);
- proxies: an `http://` target through the proxy in absolute form, an `https://` one through
  a CONNECT tunnel; the proxy's login, from its URL only, goes to the proxy only.

Failures are `ConnectFailed` / `BadAnswer` (both `HttpFailure`), OSError (a reset, a TLS
error mid-answer) or asyncio.TimeoutError; messages name the host at most, never a path.
"""

from __future__ import annotations

import asyncio
import base64
import re
import socket
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, AsyncIterator, Callable, ItemsView, Mapping
from urllib.parse import quote, unquote, urlsplit

from pwcheck.net.environment import proxy_for, ssl_context
from pwcheck.net.h1_wire import (
    MAX_HEAD_BYTES,
    BadAnswer,
    ClosedUnanswered,
    ConnectFailed,
    HttpFailure,
    body_of,
    parse_head,
    read_head,
    within,
)

if TYPE_CHECKING:
    import ssl

_SAFE_VALUE = re.compile(r"[\x20-\x7e\t]*")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass(frozen=True)
class _Target:
    """One URL, as the request needs it: where to connect, what to ask for, what to say in Host."""

    tls: bool
    host: str
    port: int
    path: str
    auth: str | None = field(repr=False)  # Basic credentials from the URL's userinfo: never in a repr

    @classmethod
    def parse(cls, url: str) -> _Target:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise HttpFailure("a URL that is not http:// or https://")  # (no scheme text: `user:pw@host` parses as one)
        try:
            port = parts.port
            host = parts.hostname or ""
            host = host if host.isascii() else host.encode("idna").decode("ascii")
        except (ValueError, UnicodeError):
            raise HttpFailure("a URL whose host or port cannot be used") from None
        if not host:
            raise HttpFailure("a URL without a host")
        path = quote(parts.path or "/", safe=_PATH_SAFE) + (f"?{quote(parts.query, safe=_PATH_SAFE)}" if parts.query else "")
        auth = _basic(parts.username, parts.password) if parts.username is not None else None
        return cls(scheme == "https", host, port or (443 if scheme == "https" else 80), path, auth)

    @property
    def authority(self) -> str:
        """host:port as Host and CONNECT name it (an IPv6 address in brackets)."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def host_field(self) -> str:
        default = 443 if self.tls else 80
        return self.authority if self.port != default else (f"[{self.host}]" if ":" in self.host else self.host)


def _basic(username: str | None, password: str | None) -> str:
    login = f"{unquote(username or '')}:{unquote(password or '')}"
    return "Basic " + base64.b64encode(login.encode("utf-8")).decode("ascii")


class Headers:
    """An answer's header fields, read case-insensitively; a repeated field's values joined by ", "."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, str]) -> None:
        self._fields = fields

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._fields.get(name.lower(), default)

    def items(self) -> ItemsView[str, str]:
        return self._fields.items()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields


class StreamResponse:
    """What callers read of an answer: `status_code`, `headers`, and the body through `aiter_bytes()`.

    The moment the body's framing ends, `done` gives the connection back (to the pool when it
    may be kept) and frees its slot, as aiohttp did: a caller may make its next request (a
    list's `.sig`) inside this one's `async with` even when the pool holds one connection.
    """

    def __init__(self, status: int, headers: Headers, body: AsyncIterator[bytes] | None, done: Callable[[bool], None]) -> None:
        self.status_code = status
        self.headers = headers
        self._body = body
        self._done: Callable[[bool], None] | None = done
        if body is None:
            self.finish(True)

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        if self._body is None:
            return
        async for piece in self._body:
            yield piece
        self.finish(True)

    def finish(self, complete: bool) -> None:
        """Once: the connection is kept when the answer was read to its end, else closed."""
        if self._done is not None:
            done, self._done = self._done, None
            done(complete)

    async def aclose(self) -> None:
        if self._body is not None:
            await self._body.aclose()  # type: ignore[attr-defined]
        self.finish(False)


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def usable(self) -> bool:
        """Open, and holding no byte beyond the last answer's framing: extra bytes (after a body, in a
        204 or 304, or sent while idle) would be read as the next request's answer, so such a
        connection is closed, never kept. (`_buffer`: StreamReader's unread bytes, since 3.4.)"""
        unread = getattr(self.reader, "_buffer", None)
        return not self.writer.is_closing() and not self.reader.at_eof() and unread is not None and not unread

    def close(self) -> None:
        self.writer.transport.abort()  # no TLS close_notify wait: nothing more is owed to the server


class H1Client:
    """A keep-alive pool of at most `concurrency` connections for one run; see the module docstring."""

    def __init__(
        self, base_url: str, headers: Mapping[str, str], concurrency: int, connect_timeout: float, read_timeout: float
    ) -> None:
        self._headers = {"Accept-Encoding": "gzip", **headers}
        self._concurrency = concurrency
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        # The CA bundle is only loaded when TLS is needed (tens of ms at start-up).
        self._ssl: ssl.SSLContext | None = ssl_context() if base_url.startswith("https:") else None
        self._proxies: dict[str, str | None] = {}
        self._idle: dict[tuple[bool, str, int], list[_Connection]] = {}
        self._slots: asyncio.Semaphore | None = None

    async def __aenter__(self) -> H1Client:
        self._slots = asyncio.Semaphore(self._concurrency)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    @asynccontextmanager
    async def stream(self, method: str, url: str, headers: Mapping[str, str] | None = None) -> AsyncIterator[StreamResponse]:
        """Send one request; the answer's body is read by iterating `aiter_bytes()`."""
        assert self._slots is not None, "use `async with` first"
        target = _Target.parse(url)
        proxy = self._proxy(target)
        request = self._request(method, target, headers or {}, proxy)
        await self._slots.acquire()
        try:
            connection, status, minor, fields = await self._exchange(target, proxy, request)
        except BaseException:
            self._slots.release()
            raise
        keep = False

        def done(complete: bool) -> None:
            assert self._slots is not None
            if keep and complete and connection.usable():
                self._idle.setdefault((target.tls, target.host, target.port), []).append(connection)
            else:
                connection.close()
            self._slots.release()

        try:
            body, keep = body_of(connection.reader, method, status, minor, fields, self._read_timeout)
        except BaseException:
            done(False)
            raise
        response = StreamResponse(status, Headers(fields), body, done)
        try:
            yield response
        finally:
            await response.aclose()

    def _proxy(self, target: _Target) -> str | None:
        origin = f"{'https' if target.tls else 'http'}://{target.authority}"
        if origin not in self._proxies:
            self._proxies[origin] = proxy_for(origin)
        return self._proxies[origin]

    def _request(self, method: str, target: _Target, extra: Mapping[str, str], proxy: str | None) -> bytes:
        fields = {name.lower(): (name, value) for name, value in self._headers.items()}
        fields.update({name.lower(): (name, value) for name, value in extra.items()})
        if target.auth is not None:
            fields["authorization"] = ("Authorization", target.auth)
        plain_proxy = proxy is not None and not target.tls
        if proxy is not None and plain_proxy:
            proxy_parts = urlsplit(proxy)
            if proxy_parts.username is not None:
                fields["proxy-authorization"] = ("Proxy-Authorization", _basic(proxy_parts.username, proxy_parts.password))
        where = f"{'https' if target.tls else 'http'}://{target.host_field}{target.path}" if plain_proxy else target.path
        lines = [f"{method} {where} HTTP/1.1", f"Host: {target.host_field}"]
        for name, value in fields.values():
            if not _SAFE_VALUE.fullmatch(value) or not _SAFE_VALUE.fullmatch(name):
                raise HttpFailure(f"the {name} header would hold a control character")
            lines.append(f"{name}: {value}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

    async def _exchange(
        self, target: _Target, proxy: str | None, request: bytes
    ) -> tuple[_Connection, int, int, dict[str, str]]:
        """Send `request` on a kept connection or a new one; (connection, status, minor version, fields)."""
        kept = self._idle.get((target.tls, target.host, target.port), [])
        while True:
            connection = kept.pop() if kept else None
            if connection is not None and not connection.usable():
                connection.close()
                continue
            reused = connection is not None
            if connection is None:
                connection = await self._connect(target, proxy)
            try:
                connection.writer.write(request)
                await connection.writer.drain()
                status, minor, fields = await read_head(connection.reader, self._read_timeout)
            except (ClosedUnanswered, ConnectionResetError, BrokenPipeError) as exc:
                connection.close()
                if reused:
                    continue  # the server dropped an idle connection: once more on a new one
                if isinstance(exc, ClosedUnanswered):
                    raise BadAnswer(f"{target.host} closed the connection without answering") from None
                raise
            except BaseException:
                connection.close()
                raise
            return connection, status, minor, fields

    async def _connect(self, target: _Target, proxy: str | None) -> _Connection:
        context = None
        if target.tls:
            context = self._ssl = self._ssl or ssl_context()

        async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
            if proxy is None:
                return await asyncio.open_connection(
                    target.host, target.port, ssl=context, server_hostname=target.host if context else None,
                    limit=MAX_HEAD_BYTES, happy_eyeballs_delay=0.25,
                )
            via = _Target.parse(proxy)
            if via.tls:
                raise ConnectFailed("only http:// proxies are supported")
            if context is None:
                return await asyncio.open_connection(via.host, via.port, limit=MAX_HEAD_BYTES, happy_eyeballs_delay=0.25)
            sock = await _tunnel(via, target, proxy, self._read_timeout)
            return await asyncio.open_connection(sock=sock, ssl=context, server_hostname=target.host, limit=MAX_HEAD_BYTES)

        try:
            reader, writer = await within(self._connect_timeout, connect())
        except (asyncio.TimeoutError, HttpFailure):
            raise  # (TimeoutError is an OSError from 3.11 on: "timed out" stays its own reason)
        except OSError as exc:  # refused, unreachable, a name not found, a certificate refused (ssl.SSLError)
            raise ConnectFailed(f"could not connect to {target.host} ({type(exc).__name__})") from None
        return _Connection(reader, writer)

async def _tunnel(via: _Target, target: _Target, proxy: str, timeout: float) -> socket.socket:
    """A socket to `target` through the proxy's CONNECT tunnel, ready for the TLS handshake."""
    loop = asyncio.get_running_loop()
    sock = await _open_socket(via.host, via.port)
    try:
        head = f"CONNECT {target.authority} HTTP/1.1\r\nHost: {target.authority}\r\n"
        parts = urlsplit(proxy)
        if parts.username is not None:
            head += f"Proxy-Authorization: {_basic(parts.username, parts.password)}\r\n"
        await loop.sock_sendall(sock, (head + "\r\n").encode("ascii"))
        answer = b""
        while b"\r\n\r\n" not in answer:  # the server speaks only after our TLS hello: nothing may follow the head
            if len(answer) > MAX_HEAD_BYTES:
                raise BadAnswer("the proxy's answer is longer than 64 KiB")
            data = await within(timeout, loop.sock_recv(sock, 4096))
            if not data:
                raise ConnectFailed("the proxy closed the connection instead of opening a tunnel")
            answer += data
        head_bytes, _, rest = answer.partition(b"\r\n\r\n")
        status = parse_head(head_bytes)[0]
        if status != 200:
            raise ConnectFailed(f"the proxy refused a tunnel to {target.host} (HTTP {status})")
        if rest:
            raise BadAnswer("the proxy sent data before the tunnel was up")
        return sock
    except BaseException:
        sock.close()
        raise


async def _open_socket(host: str, port: int) -> socket.socket:
    loop = asyncio.get_running_loop()
    failure: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, address in await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, address)
            return sock
        except OSError as exc:
            sock.close()
            failure = exc
        except BaseException:  # a deadline or a cancellation: the socket is not left open
            sock.close()
            raise
    raise failure
