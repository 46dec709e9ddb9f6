"""A minimal HTTP CONNECT proxy on 127.0.0.1 that records what it was asked, for proxy tests.

It tunnels only to loopback addresses (the tests never reach beyond the machine) and
keeps every request head it saw, so a test can assert what a proxy learns: the host and
port of the range API, and nothing of the passwords (TLS hides the path).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from tests.support.loopthread import LoopThread


@dataclass
class ConnectProxy:
    heads: list[bytes] = field(default_factory=list)
    url: str = ""

    def start(self) -> "ConnectProxy":
        async def boot() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

        self._background = LoopThread()
        self._background.start(boot)
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            self._server.close()

        self._background.stop(shutdown)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        self.heads.append(head)
        method, target, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
        host, _, port = target.rpartition(b":")
        if method != b"CONNECT" or host not in (b"127.0.0.1", b"localhost"):
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        upstream_reader, upstream_writer = await asyncio.open_connection(host.decode(), int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
