"""A real HTTP server on 127.0.0.1 that speaks the range API, with faults on demand.

Runs aiohttp's server in its own thread and event loop. Every request is recorded
(method, path with query, headers) so tests can assert exactly what left the client.
Faults are queued per prefix: each request for that prefix takes the next action.
Also used by the benchmarks (fixed latency per response). Like the real API, "ok" answers
carry an ETag (a hash of the range's data, so it changes when the corpus does) and answer
`304 Not Modified` to a matching `If-None-Match`; `?mode=ntlm` is served from `ntlm_corpus`.

It also speaks HIBP's breach API: `/api/v3/breaches` serves `breaches` (JSON bytes) with
an ETag and Last-Modified and answers 304 to a matching `If-None-Match`;
`/api/v3/breachedaccount/{account}` answers from `accounts` when the `hibp-api-key`
header equals `api_key` (401 otherwise). `breach_faults` and `account_faults` queue
actions ("503", "429:SECONDS", "reset", "not-json", "trickle") for the next requests of each
endpoint; "trickle" answers 200 and then one byte of JSON whitespace every `trickle_seconds`,
forever: each read arrives in time, the answer never does; "huge" answers 200 with a JSON
list of `huge_bytes`, streamed as it is sent; "after-ranges" holds the catalogue's answer until
a range request has arrived (at most `trickle_seconds` x 100), then answers as usual. `etag` replaces the ETag of every range and
catalogue answer (a hostile server's 8 KB one, say).

And the public directories: `/directories/{name}` serves `directories[name]` (JSON bytes,
e.g. the 2FA Directory's `totp.json`, the Passkeys Directory's `supported.json`) with an ETag
and Last-Modified, 304 to a matching `If-None-Match`; `directory_faults` queues actions for
the next directory requests ("503", "reset", "not-json", "trickle": the body a few bytes a
tenth of a second apart, each read in time and the whole never within a short deadline).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import ssl
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from pwcheck.check.range_client import RangeClient
from pwcheck.check.range_format import NTLM_SUFFIX_LEN, SHA1_SUFFIX_LEN, build_body, is_prefix
from pwcheck.corpus.memory import MemoryCorpus
from pwcheck.net.http import ClientSettings, RetryPolicy
from tests.support.loopthread import LoopThread

logging.getLogger("aiohttp").setLevel(logging.CRITICAL)


@dataclass
class RecordedRequest:
    method: str
    path_qs: str
    headers: dict[str, str]


@dataclass
class RangeServer:
    corpus: MemoryCorpus
    latency: float = 0.0
    stall_seconds: float = 30.0
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    record: bool = True
    url: str = ""
    ssl_context: ssl.SSLContext | None = None  # serve HTTPS (tests/support/tlsutil.py makes one)
    ntlm_corpus: MemoryCorpus | None = None
    breaches: bytes = b"[]"
    last_modified: str = "Mon, 01 Jan 2024 00:00:00 GMT"
    breach_faults: list[str] = field(default_factory=list)
    api_key: str = ""
    accounts: dict[str, list[str]] = field(default_factory=dict)
    account_faults: list[str] = field(default_factory=list)
    trickle_seconds: float = 0.3
    huge_bytes: int = 600 << 20
    etag: str | None = None
    directories: dict[str, bytes] = field(default_factory=dict)
    directory_faults: list[str] = field(default_factory=list)

    def directory_url(self, name: str) -> str:
        return f"{self.url}/directories/{name}"

    @property
    def breaches_url(self) -> str:
        return f"{self.url}/api/v3/breaches"

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path_qs.split("?", 1)[0].startswith(path)]

    def start(self) -> "RangeServer":
        async def boot() -> None:
            app = web.Application()
            app.router.add_get("/range/{prefix}", self._handle)
            app.router.add_get("/api/v3/breaches", self._breaches)
            app.router.add_get("/api/v3/breachedaccount/{account}", self._account)
            app.router.add_get("/directories/{name}", self._directory)
            # A stalled handler must not hold the test's teardown for its whole stall.
            self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024, ssl_context=self.ssl_context)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.url = f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{port}"

        self._background = LoopThread()
        self._background.start(boot)
        return self

    def stop(self) -> None:
        self._background.stop(self._runner.cleanup)

    def fault(self, prefix: str, *actions: str) -> None:
        """Queue actions for the next requests of `prefix` (uppercase)."""
        self.faults.setdefault(prefix.upper(), []).extend(actions)

    def _next_action(self, prefix: str) -> str:
        if prefix in self.always:
            return self.always[prefix]
        if "*" in self.always:
            return self.always["*"]
        queue = self.faults.get(prefix)
        return queue.pop(0) if queue else "ok"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self.record:
            self.requests.append(RecordedRequest(request.method, request.path_qs, dict(request.headers)))
        prefix = request.match_info["prefix"]
        if not is_prefix(prefix):
            return web.Response(status=400, text="The hash prefix was not in a valid format")
        if self.latency:
            await asyncio.sleep(self.latency)
        prefix = prefix.upper()
        action = self._next_action(prefix)
        padded = request.headers.get("Add-Padding", "").lower() == "true"
        ntlm = request.query.get("mode") == "ntlm"
        corpus = (self.ntlm_corpus or MemoryCorpus()) if ntlm else self.corpus
        entries = corpus.range(prefix)
        etag = self.etag or '"%s"' % hashlib.sha256(repr((ntlm, entries)).encode()).hexdigest()[:32]
        if action == "ok" and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = build_body(entries, pad=padded, suffix_len=NTLM_SUFFIX_LEN if ntlm else SHA1_SUFFIX_LEN)
        if action == "ok":
            return web.Response(body=body, content_type="text/plain", headers={"ETag": etag})
        if action == "503":
            return web.Response(status=503, text="busy")
        if action.isdigit() and action.startswith("5"):  # any other 5xx: 500, 502, 504, ...
            return web.Response(status=int(action), text="server error")
        if action == "404":
            return web.Response(status=404, text="no")
        if action.startswith("429"):
            headers = {"Retry-After": action.split(":", 1)[1]} if ":" in action else {}
            return web.Response(status=429, headers=headers, text="slow down")
        if action == "reset":
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if action in ("stall", "truncate"):
            response = web.StreamResponse(headers={"Content-Type": "text/plain"})
            response.content_length = len(body) + 1000
            await response.prepare(request)
            await response.write(body[: len(body) // 2])
            if action == "stall":
                await asyncio.sleep(self.stall_seconds)
            assert request.transport is not None
            request.transport.abort()
            return response
        if action == "trickle":  # each read arrives in time, the whole answer never does
            response = web.StreamResponse(headers={"Content-Type": "text/plain"})
            response.content_length = len(body)
            await response.prepare(request)
            for at in range(0, len(body), 64):
                await response.write(body[at : at + 64])
                await asyncio.sleep(0.1)
            return response
        if action == "empty":  # a 200 with no body: never what the API sends
            return web.Response(body=b"", content_type="text/plain")
        if action == "cut":  # the first few lines only, cut at a line boundary, length consistent
            return web.Response(body=b"\r\n".join(body.split(b"\r\n")[:10]), content_type="text/plain")
        if action == "malformed":
            return web.Response(body=body + b"\r\nNOT-A-HASH-LINE", content_type="text/plain")
        if action == "bom":
            return web.Response(body=b"\xef\xbb\xbf" + body, content_type="text/plain")
        if action == "commas":
            return web.Response(body=_with_thousands(body), content_type="text/plain")
        if action == "lower":
            return web.Response(body=body.lower(), content_type="text/plain")
        raise AssertionError(f"unknown fault {action}")


    def _record(self, request: web.Request) -> None:
        if self.record:
            self.requests.append(RecordedRequest(request.method, request.path_qs, dict(request.headers)))

    @staticmethod
    def _fault(action: str | None, request: web.Request) -> web.Response | None:
        if action is None:
            return None
        if action == "503":
            return web.Response(status=503, text="busy")
        if action.startswith("429"):
            return web.Response(status=429, headers={"retry-after": action.split(":", 1)[1]}, text="rate limited")
        if action == "reset":
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if action == "not-json":
            return web.Response(body=b"<html>maintenance</html>", content_type="text/html")
        raise AssertionError(f"unknown fault {action}")

    async def _trickle(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        while True:  # until the client goes away (the write then raises) or the server stops
            await response.write(b" ")
            await asyncio.sleep(self.trickle_seconds)

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = self.huge_bytes
        await response.prepare(request)
        item = b'{"Name": "Huge"},' * 4096
        await response.write(b"[")
        sent = 1
        while sent + len(item) < self.huge_bytes:  # until the client goes away (the write then raises)
            await response.write(item)
            sent += len(item)
        await response.write(b" " * (self.huge_bytes - sent - 1) + b"]")
        return response

    async def _breaches(self, request: web.Request) -> web.StreamResponse:
        self._record(request)
        if self.breach_faults and self.breach_faults[0] == "trickle":
            self.breach_faults.pop(0)
            return await self._trickle(request)
        if self.breach_faults and self.breach_faults[0] == "after-ranges":
            self.breach_faults.pop(0)
            for _ in range(100):
                if self.requests_to("/range/"):
                    break
                await asyncio.sleep(self.trickle_seconds)
        failed = self._fault(self.breach_faults.pop(0) if self.breach_faults else None, request)
        if failed is not None:
            return failed
        etag = self.etag or '"' + hashlib.sha256(self.breaches).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": self.last_modified}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=self.breaches, content_type="application/json", headers=headers)

    async def _directory(self, request: web.Request) -> web.StreamResponse:
        self._record(request)
        action = self.directory_faults.pop(0) if self.directory_faults else None
        body = self.directories.get(request.match_info["name"])
        if body is None:
            return web.Response(status=404)
        if action == "trickle":
            response = web.StreamResponse(headers={"Content-Type": "application/json"})
            response.content_length = len(body)
            await response.prepare(request)
            for at in range(0, len(body), 16):
                await response.write(body[at : at + 16])
                await asyncio.sleep(0.1)
            return response
        failed = self._fault(action, request)
        if failed is not None:
            return failed
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": self.last_modified}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, content_type="application/json", headers=headers)

    async def _account(self, request: web.Request) -> web.StreamResponse:
        self._record(request)
        if not self.api_key or request.headers.get("hibp-api-key") != self.api_key:
            return web.Response(status=401, text="Access denied due to invalid hibp-api-key.")
        if self.account_faults and self.account_faults[0] in ("trickle", "huge"):
            action = self.account_faults.pop(0)
            return await (self._trickle(request) if action == "trickle" else self._huge(request))
        failed = self._fault(self.account_faults.pop(0) if self.account_faults else None, request)
        if failed is not None:
            return failed
        names = self.accounts.get(request.match_info["account"].lower())
        if not names:
            return web.Response(status=404)
        return web.Response(body=json.dumps([{"Name": n} for n in names]).encode(), content_type="application/json")


def _with_thousands(body: bytes) -> bytes:
    lines = []
    for line in body.split(b"\r\n"):
        suffix, _, count = line.partition(b":")
        lines.append(suffix + b":" + f"{int(count):,}".encode())
    return b"\r\n".join(lines)


# Retries that keep a test fast: four attempts, a few ms apart.
FAST_RETRY = RetryPolicy(attempts=4, backoff=0.01, max_backoff=0.05)


def client(server: RangeServer, **overrides: Any) -> RangeClient:
    values = dict(api_url=server.url, concurrency=8, retry=FAST_RETRY, read_timeout=1.0, attempt_timeout=3.0)
    values.update(overrides)
    return RangeClient(ClientSettings(**values))
