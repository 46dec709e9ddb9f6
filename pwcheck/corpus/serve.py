"""`pwcheck serve`: a store served as the range API, for a team or a fleet of scripts.

A plain ASGI app run by uvicorn (the optional `serve` extra): no framework, because the
whole API is one route. Answers are byte-compatible with api.pwnedpasswords.com: sorted
uppercase `SUFFIX:COUNT` lines joined by CRLF (`render_lines`, the writer behind the
test and demo servers' `build_body`), `Add-Padding: true` honoured, 400 with the API's text for a bad
prefix, `?mode=ntlm` from the NTLM store when there is one, and 500 for a range whose
stored bucket fails its checksum (a client retries, then reports it not checked). Each range has an ETag made
from its stored checksum, so If-None-Match answers 304 and `corpus download` can keep a
second mirror current from this one; gzip when the client accepts it.

The server logs no request lines: a prefix is a fifth of a hash, and access logs outlive
their purpose. Connections are bounded (`serve_limits`): request headers must arrive within
a deadline, idle keep-alive connections close, and concurrency, backlog and header size are
capped. Beyond localhost, put it behind a reverse proxy (README, SECURITY.md).
"""

from __future__ import annotations

import gzip
import os
import sys
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs

from pwcheck import USER_AGENT
from pwcheck.check.range_format import is_prefix, render_lines
from pwcheck.check.store import Store
from pwcheck.check.store_format import NTLM, SHA1, StoreError

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

CACHE_CONTROL = b"public, max-age=2678400"  # as the public API sends
GZIP_LEVEL = 1  # a padded 43 KB range: 25.2 KB at level 1 against 24.5 KB at 4, for half the CPU (the server's, per request)
MIN_GZIP = 1024
BAD_PREFIX = b"The hash prefix was not in a valid format"
CORRUPT = b"This range's stored data fails its checksum; the server's store needs `pwcheck corpus verify`"
STORE_ENV = "PWCHECK_SERVE_STORE"


class RangeApp:
    """The ASGI application over the stores in one folder (SHA-1 required, NTLM optional)."""

    def __init__(self, store_dir: Path) -> None:
        self.stores = {"sha1": Store.open(store_dir, SHA1)}
        if (store_dir / NTLM.file_name).exists():
            self.stores["ntlm"] = Store.open(store_dir, NTLM)
        self._last_modified = {
            name: _http_date(store.header.created).encode() for name, store in self.stores.items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        status, headers, body = self.respond(scope)
        if scope["method"] == "HEAD":
            body = b""
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def respond(self, scope: Scope) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """(status, headers, body) for one request; pure, so it is tested without a socket."""
        base = [(b"content-type", b"text/plain"), (b"server", USER_AGENT.encode())]
        path: str = scope["path"]
        if scope["method"] not in ("GET", "HEAD"):
            return 405, base + [(b"allow", b"GET, HEAD")], b"Method not allowed"
        if not path.startswith("/range/"):
            return 404, base, b"Not found"
        prefix = path[len("/range/"):]
        if not is_prefix(prefix):
            return 400, base, BAD_PREFIX
        mode = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("mode", ["sha1"])[-1].lower()
        store = self.stores.get(mode)
        if store is None:
            return 400, base, b"This server has no corpus for that mode"
        bucket = store.checked_bucket(int(prefix, 16))
        if bucket is None:  # a wrong body would read as "not found": answer an error instead
            return 500, base, CORRUPT
        etag = b'"%s-%08x-%d"' % (mode.encode(), store.stored_crc(bucket.prefix), bucket.size)
        request = {name.lower(): value for name, value in scope["headers"]}
        headers = base + [
            (b"etag", etag), (b"last-modified", self._last_modified[mode]),
            (b"cache-control", CACHE_CONTROL), (b"vary", b"Accept-Encoding, Add-Padding"),
        ]
        if etag in [tag.strip() for tag in request.get(b"if-none-match", b"").split(b",")]:
            return 304, [h for h in headers if h[0] != b"content-type"], b""
        padded = request.get(b"add-padding", b"").lower() == b"true"
        body = render_lines(bucket.lines(), pad=padded, suffix_len=store.kind.suffix_len)
        if b"gzip" in request.get(b"accept-encoding", b"") and len(body) >= MIN_GZIP:
            body = gzip.compress(body, GZIP_LEVEL, mtime=0)
            headers.append((b"content-encoding", b"gzip"))
        return 200, headers, body


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _http_date(created: str) -> str:
    try:
        when = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        when = datetime.now(timezone.utc)
    return format_datetime(when, usegmt=True)


def app_from_env() -> RangeApp:
    """uvicorn's factory for worker processes: the store folder comes from the environment."""
    return RangeApp(Path(os.environ[STORE_ENV]))


def run_server(store_dir: Path, host: str, port: int, workers: int = 1, header_timeout: float | None = None) -> None:
    """Open the stores (failing fast with StoreError), then serve until interrupted, within `serve_limits`."""
    import uvicorn

    from pwcheck.corpus.serve_limits import DEFAULT_HEADER_TIMEOUT, HEADER_TIMEOUT_ENV, UVICORN_LIMITS

    app = RangeApp(store_dir)  # refuse a missing or corrupt store before binding the port
    kinds = ", ".join(f"{name} ({store.header.hash_count:,} hashes)" for name, store in app.stores.items())
    print(f"pwcheck: serving {kinds} on http://{host}:{port}/range/{{prefix}}", file=sys.stderr, flush=True)
    os.environ[STORE_ENV] = str(store_dir.resolve())
    # Worker processes read both from the environment, as uvicorn's factory and protocol are imported there.
    os.environ[HEADER_TIMEOUT_ENV] = str(header_timeout if header_timeout is not None else DEFAULT_HEADER_TIMEOUT)
    uvicorn.run(
        "pwcheck.corpus.serve:app_from_env", factory=True, host=host, port=port, workers=workers,
        access_log=False, log_level="warning", server_header=False, date_header=True, **UVICORN_LIMITS,
    )


__all__ = ["RangeApp", "run_server", "StoreError"]
