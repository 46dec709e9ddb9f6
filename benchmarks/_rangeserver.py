"""The benchmarks' range server: a small asyncio server in a process of its own.

It runs in a child process so it never shares an event loop or the GIL with the client
being measured; the bodies come precomputed from `SyntheticRanges` (`RangeProtocol` says
why this is not the tests' aiohttp server). `capacity()` checks with `wrk` that it can
serve far more than a client asks of it.

It also serves the public lists of the default path, in their real sizes (`_corpus`):
`/breaches` (the catalogue), `/directories/totp.json` and `/directories/supported.json`, each
with an ETag and a 304 to a matching `If-None-Match`, after the same delay.

With `--tls-cert CHAIN --tls-key KEY` (a throwaway CA's certificate for 127.0.0.1, made by
`trustme` in the parent) it speaks HTTPS, as the real API does, so a client that opens a
connection per password pays a TLS handshake per password. On loopback a handshake costs
only CPU, while on a network with the round trip R that the latency stands for, a new
connection costs two round trips before its first request: TCP's SYN / SYN-ACK and TLS 1.3's
ClientHello / ServerHello. So each new TLS connection's handshake starts 2 x latency after
it is accepted (`HandshakeDelay`; the ClientHello waits in the kernel meanwhile): every
client pays it per connection it opens, pwcheck once per pooled connection, the peer once
per password. The plain-http rows keep the older model (latency per response only, TCP's
round trip not counted), which favours the peer.

Child protocol: `python -m benchmarks._rangeserver --latency S --corpus FILE` prints the
base URL on one line, then serves until its stdin is closed.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from benchmarks._harness import REPO, child_env, python_cmd

if TYPE_CHECKING:
    import ssl

    from benchmarks._corpus import SyntheticRanges

WRK_SCRIPT = """
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("/range/%05X", math.random(0, 1048575)), {["Add-Padding"] = "true"})
end
"""


@contextmanager
def range_server(latency: float, corpus_file: Path | None = None, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Start the server child, yield its base URL, stop it on exit (`tls`: certificate chain and key files)."""
    cmd = python_cmd("-m", "benchmarks._rangeserver", "--latency", str(latency))
    if corpus_file is not None:
        cmd += ["--corpus", str(corpus_file)]
    if tls is not None:
        cmd += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO, env=child_env())
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().strip()
        if not url.startswith(("http://", "https://")):
            raise RuntimeError("benchmark range server did not start")
        yield url
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def capacity(url: str, connections: int, seconds: float) -> float | None:
    """Requests/s `wrk` gets from the server (random prefixes, padded); None without wrk."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", script.name, url],
            capture_output=True, text=True, timeout=seconds + 30, check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} error responses")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else None


class RangeProtocol(asyncio.Protocol):
    """HTTP/1.1 keep-alive, GET /range/{prefix} only, each answer sent `latency` after its request.

    The tests' aiohttp server (tests/support/rangeserver.py) was the first choice, but it builds
    each response in Python on one thread, so a wave of 32 answers due at once goes out
    late, a delay the sequential peer never meets: under `wrk` with 32 connections at
    25 ms it gave 1,012-1,054 req/s (30-32 ms an answer) where this gives 1,144-1,183
    (27-28 ms), alternated on the same machine. Here an answer is a precomputed body
    behind a formatted header, written by a timer; the `server` area checks capacity.
    """

    def __init__(self, ranges: "SyntheticRanges", latency: float, documents: dict[bytes, bytes] | None = None) -> None:
        self._ranges = ranges
        self._documents = documents or {}
        self._latency = latency
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            head, self._buffer = self._buffer[:end], self._buffer[end + 4:]
            self._answer(head)
        if len(self._buffer) > 65536:
            self._send(b"HTTP/1.1 431 Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", True)

    def _answer(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        close = headers.get(b"connection") == b"close" or parts[-1] == b"HTTP/1.0"
        path = parts[1].split(b"?", 1)[0] if len(parts) == 3 else b""
        prefix = path[len(b"/range/"):].decode("ascii", "replace").upper()
        if parts[0] == b"GET" and path in self._documents:
            response = _document(self._documents[path], headers.get(b"if-none-match"), close)
        elif parts[0] != b"GET" or not path.startswith(b"/range/") or not _is_prefix(prefix):
            response = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
        else:
            body = self._ranges.body(prefix, headers.get(b"add-padding") == b"true")
            response = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s\r\n%s" % (
                len(body), b"Connection: close\r\n" if close else b"", body
            )
        asyncio.get_running_loop().call_later(self._latency, self._send, response, close)

    def _send(self, response: bytes, close: bool) -> None:
        if self._transport is None or self._transport.is_closing():
            return
        self._transport.write(response)
        if close:
            self._transport.close()


class HandshakeDelay(asyncio.Protocol):
    """Holds a new connection `delay` seconds (its network round trips), then hands it to TLS and `inner`."""

    def __init__(self, inner: asyncio.Protocol, context: "ssl.SSLContext", delay: float) -> None:
        self._inner, self._context, self._delay = inner, context, delay
        self._handshakes: set[asyncio.Task[None]] = set()  # held: the loop keeps only weak references to tasks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.pause_reading()  # type: ignore[attr-defined]  # the ClientHello stays in the kernel until TLS reads it
        loop = asyncio.get_running_loop()
        loop.call_later(self._delay, self._begin, transport)

    def _begin(self, transport: asyncio.BaseTransport) -> None:
        task = asyncio.get_running_loop().create_task(self._start(transport))
        self._handshakes.add(task)
        task.add_done_callback(self._handshakes.discard)

    async def _start(self, transport: asyncio.BaseTransport) -> None:
        loop = asyncio.get_running_loop()
        try:
            secure = await loop.start_tls(transport, self._inner, self._context, server_side=True)  # type: ignore[arg-type]
        except (OSError, ConnectionError):
            transport.close()
            return
        if secure is not None:
            self._inner.connection_made(secure)


def _document(body: bytes, if_none_match: bytes | None, close: bool) -> bytes:
    """A public list with its ETag (lower-cased like every header here), or a 304 when the client has it."""
    import hashlib

    etag = b'"%s"' % hashlib.sha256(body).hexdigest()[:16].encode()
    connection = b"Connection: close\r\n" if close else b""
    if if_none_match == etag:
        return b"HTTP/1.1 304 Not Modified\r\nETag: %s\r\nContent-Length: 0\r\n%s\r\n" % (etag, connection)
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: %s\r\nContent-Length: %d\r\n%s\r\n%s" % (
        etag, len(body), connection, body)


def _is_prefix(text: str) -> bool:
    return len(text) == 5 and all(c in "0123456789ABCDEF" for c in text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.025)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--tls-cert", type=Path)
    parser.add_argument("--tls-key", type=Path)
    args = parser.parse_args()
    context = None
    if args.tls_cert is not None:
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    sys.path.insert(0, str(REPO))
    from benchmarks._corpus import SyntheticRanges, catalogue_document, passkeys_document, twofactor_document

    ranges = SyntheticRanges(args.corpus.read_text().splitlines() if args.corpus else [])
    documents = {b"/breaches": catalogue_document(), b"/directories/totp.json": twofactor_document(),
                 b"/directories/supported.json": passkeys_document()}

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        if context is None:
            server = await loop.create_server(lambda: RangeProtocol(ranges, args.latency, documents), "127.0.0.1", 0,
                                              backlog=1024)
        else:
            tls = context
            server = await loop.create_server(
                lambda: HandshakeDelay(RangeProtocol(ranges, args.latency, documents), tls, 2 * args.latency),
                "127.0.0.1", 0, backlog=1024,
            )
        scheme = "https" if context is not None else "http"
        print(f"{scheme}://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
        server.close()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
