"""pwcheck's own HTTP/1.1 client against a real loopback server that sends exact bytes.

Every answer here is written byte for byte by a scripted asyncio server on 127.0.0.1, so
each framing rule is exercised as a hostile or careless server would break it: lengths out
of shape, codings not asked for, heads past the bounds, a gzip bomb, bodies cut short,
idle connections dropped. Each test asserts the exact outcome (the bytes, or the error and
that it names no secret), never only that "something" happened.
"""

from __future__ import annotations

import asyncio
import gzip
from typing import Awaitable, Callable

import pytest

from pwcheck.net.h1_client import H1Client
from pwcheck.net.h1_wire import BadAnswer, ConnectFailed
from pwcheck.net.http import read_capped

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]


class Scripted:
    """A loopback server that records each request head and answers with `script(reader, writer, n)`."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.heads: list[bytes] = []
        self.connections = 0
        self.url = ""

    async def __aenter__(self) -> "Scripted":
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                self.heads.append(head)
                await self.script(reader, writer, len(self.heads))
                await writer.drain()
        finally:
            writer.close()


def answer(*parts: bytes) -> Script:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(b"".join(parts))

    return script


def client(url: str, concurrency: int = 4, read_timeout: float = 5.0) -> H1Client:
    return H1Client(url, {"User-Agent": "pwcheck/test"}, concurrency, 5.0, read_timeout)


async def get(http: H1Client, url: str, limit: int = 1 << 20, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    async with http.stream("GET", url, headers=headers) as response:
        return response.status_code, await read_capped(response, limit, lambda: BadAnswer("too large"))


def run(script: Script, *, requests: int = 1, **kwargs: object) -> tuple[Scripted, list[tuple[int, bytes]]]:
    async def main() -> tuple[Scripted, list[tuple[int, bytes]]]:
        async with Scripted(script) as server:
            async with client(server.url, **kwargs) as http:  # type: ignore[arg-type]
                got = [await get(http, f"{server.url}/range/ABCDE") for _ in range(requests)]
            return server, got

    return asyncio.run(asyncio.wait_for(main(), 30))


def fails(script: Script, **kwargs: object) -> BaseException:
    with pytest.raises((BadAnswer, ConnectFailed, asyncio.TimeoutError)) as caught:
        run(script, **kwargs)
    return caught.value


def test_content_length_answers_share_one_kept_connection() -> None:
    server, got = run(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), requests=3)
    assert got == [(200, b"hello")] * 3
    assert server.connections == 1
    assert server.heads[0] == (
        b"GET /range/ABCDE HTTP/1.1\r\nHost: " + server.url[7:].encode() + b"\r\n"
        b"Accept-Encoding: gzip\r\nUser-Agent: pwcheck/test\r\n\r\n"
    )


def test_chunked_with_extensions_and_trailers_gives_the_exact_body() -> None:
    body = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=x\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n"
    server, got = run(answer(body), requests=2)
    assert got == [(200, b"Wikipedia")] * 2 and server.connections == 1


def test_gzip_is_decoded_and_a_bomb_stops_at_the_callers_cap() -> None:
    plain = b"00000ABC:1\r\n" * 1000
    packed = gzip.compress(plain)
    _, got = run(answer(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(packed), packed))
    assert got == [(200, plain)]
    bomb = gzip.compress(b"\0" * (64 << 20))  # 64 MiB of zeros in ~64 KB
    error = fails(answer(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb), bomb))
    assert str(error) == "too large"  # the cap, 1 MiB, counted on decoded bytes in 64 KiB steps


@pytest.mark.parametrize("head, why", [
    (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Encoding: gzip\r\n\r\nabc", "a gzip body that does not decode"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Encoding: gzip\r\n\r\n" + gzip.compress(b"x" * 100, mtime=0)[:10],
     "a gzip body cut short"),
    (b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx", "a content coding that was not asked for"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "a transfer coding other than chunked"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx", "a Content-Length out of shape"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", "a Content-Length out of shape"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x1\r\nx\r\n0\r\n\r\n", "a chunk size out of shape"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1_0\r\n", "a chunk size out of shape"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", "a chunk not ended where its size said"),
    (b"HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n", "a header field out of shape"),
    (b"HTTP/1.1 200 OK\r\nX-A: a\x1b[31mred\r\nContent-Length: 0\r\n\r\n", "a header field out of shape"),
    (b"HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n", "a header field out of shape"),
    (b"HTTP/2 200\r\nContent-Length: 0\r\n\r\n", "an answer that does not start with an HTTP/1.x status line"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n", "an answer with more than 100 header fields"),
    (b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * 70_000 + b"\r\n\r\n", "an answer's head is longer than 64 KiB"),
    (b"HTTP/1.1 103 Early Hints\r\n\r\n" * 9 + b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "more than 8 informational answers"),
    (b"HTTP/1.1 101 Switching Protocols\r\n\r\n", "an unasked-for protocol switch (HTTP 101)"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nshort", "the connection closed before the whole body came"),
    (b"HTTP/1.1 200 OK\r\nContent-Le", "the connection closed in the middle of an answer's head"),
], ids=lambda value: None if isinstance(value, str) else "answer")
def test_an_answer_out_of_shape_is_refused_with_its_reason(head: bytes, why: str) -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(head)
        await writer.drain()
        writer.close()  # what follows the scripted bytes is the connection's end

    error = fails(script)
    assert isinstance(error, BadAnswer) and str(error) == why


def test_informational_answers_are_read_past() -> None:
    _, got = run(answer(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n",
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
    assert got == [(200, b"ok")]


def test_a_body_to_the_connections_end_and_connection_close_are_never_kept() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\n\r\nuntil the end" if n % 2 else b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx")
        await writer.drain()
        writer.close()

    server, got = run(script, requests=4)
    assert got == [(200, b"until the end"), (200, b"x")] * 2 and server.connections == 4


def test_an_idle_connection_the_server_dropped_is_replaced_quietly() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n%d" % n)
        await writer.drain()
        writer.close()  # kept by the client (HTTP/1.1, no `close`), then gone

    async def main() -> tuple[Scripted, list[tuple[int, bytes]]]:
        async with Scripted(script) as server, client(server.url) as http:
            first = await get(http, f"{server.url}/a")
            await asyncio.sleep(0.05)  # the FIN arrives while the connection is idle
            return server, [first, await get(http, f"{server.url}/b")]

    server, got = asyncio.run(main())
    assert got == [(200, b"1"), (200, b"2")] and server.connections == 2


def test_a_stalled_answer_times_out() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        await writer.drain()
        await asyncio.sleep(3)

    assert isinstance(fails(script, read_timeout=0.2), asyncio.TimeoutError)


def test_a_refused_connection_names_the_host_only() -> None:
    async def main() -> None:
        async with client("http://127.0.0.1:9") as http:
            await get(http, "http://user:secret-pw@127.0.0.1:9/range/ABCDE")

    with pytest.raises(ConnectFailed) as caught:
        asyncio.run(main())
    assert str(caught.value) == "could not connect to 127.0.0.1 (ConnectionRefusedError)"


def test_a_second_request_inside_the_first_on_a_one_connection_pool() -> None:
    """A list's `.sig` is asked for inside the list's own answer: the read body gives its slot back."""
    async def main() -> tuple[Scripted, list[tuple[int, bytes]]]:
        async with Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlist")) as server, \
                client(server.url, concurrency=1) as http:
            async with http.stream("GET", f"{server.url}/list.json") as response:
                body = await read_capped(response, 100, lambda: BadAnswer("too large"))
                inner = await asyncio.wait_for(get(http, f"{server.url}/list.json.sig"), 5)
            return server, [(response.status_code, body), inner]

    server, got = asyncio.run(main())
    assert got == [(200, b"list"), (200, b"list")] and server.connections == 1


def test_login_in_the_url_and_the_plain_proxy_get_their_own_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL's userinfo goes as Authorization to that host; through HTTP_PROXY the request is in
    absolute form with the proxy's login as Proxy-Authorization, to the proxy only."""
    async def main() -> tuple[Scripted, list[tuple[int, bytes]]]:
        async with Scripted(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) as proxy:
            monkeypatch.setenv("HTTP_PROXY", proxy.url.replace("http://", "http://team:proxy%20pw@"))
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
            async with client("http://mirror.example:8080") as http:
                return proxy, [await get(http, "http://me:p%40ss@mirror.example:8080/range/ABCDE")]

    proxy, got = asyncio.run(main())
    assert got == [(200, b"")]
    assert proxy.heads == [
        b"GET http://mirror.example:8080/range/ABCDE HTTP/1.1\r\nHost: mirror.example:8080\r\n"
        b"Accept-Encoding: gzip\r\nUser-Agent: pwcheck/test\r\nAuthorization: Basic bWU6cEBzcw==\r\n"
        b"Proxy-Authorization: Basic dGVhbTpwcm94eSBwdw==\r\n\r\n"
    ]


@pytest.mark.parametrize("first", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nFORGED",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 38\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nFORGED",
    b"HTTP/1.1 304 Not Modified\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nFORGED",
], ids=["after-a-body", "in-a-204", "after-a-304"])
def test_bytes_past_an_answers_framing_are_never_read_as_the_next_answer(first: bytes) -> None:
    """Found in review: a kept connection still holding bytes gave the next request a forged answer."""
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(first if n == 1 else b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal")

    server, got = run(script, requests=2, concurrency=1)
    assert got[1] == (200, b"real") and server.connections == 2 and len(server.heads) == 2


def test_bytes_sent_to_an_idle_connection_close_it() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal")
        if n == 1:
            await writer.drain()
            await asyncio.sleep(0.05)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nFORGED")

    async def main() -> tuple[Scripted, list[tuple[int, bytes]]]:
        async with Scripted(script) as server, client(server.url, concurrency=1) as http:
            first = await get(http, f"{server.url}/a")
            await asyncio.sleep(0.2)  # the unasked-for bytes arrive while the connection is idle
            return server, [first, await get(http, f"{server.url}/b")]

    server, got = asyncio.run(main())
    assert got == [(200, b"real"), (200, b"real")] and server.connections == 2


def test_a_urls_login_is_in_no_repr_and_no_message() -> None:
    from pwcheck.net.h1_client import _Target
    from pwcheck.net.h1_wire import HttpFailure

    target = _Target.parse("https://alice:s3cret@api.example/x")
    assert "s3cret" not in repr(target) and "YWxpY2U6czNjcmV0" not in repr(target)
    with pytest.raises(HttpFailure) as caught:
        _Target.parse("alice:s3cret@api.example/x")  # no scheme: urlsplit reads `alice` as one
    assert "alice" not in str(caught.value) and "s3cret" not in str(caught.value)
