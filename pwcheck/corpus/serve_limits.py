"""`pwcheck serve`'s connection limits: uvicorn's own, and a deadline uvicorn lacks for request headers.

uvicorn closes a keep-alive connection left idle after a response, but nothing bounds how
long a client may take to send a request's line and headers: a client that connects and
sends one header byte now and then (slowloris) holds its connection for as long as it
likes, and 1,200 of them were all still open. `RequestDeadlineH11` is uvicorn's h11
protocol with one timer more: a request's line and headers must have arrived
`header_timeout` seconds after the connection opened or the previous response ended, or
the connection is closed. The rest are uvicorn's settings, passed in `UVICORN_LIMITS`.
Only imported when the server starts (it needs the `serve` extra).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_ENV = "PWCHECK_SERVE_HEADER_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0
UVICORN_LIMITS: dict[str, Any] = {
    "http": "pwcheck.corpus.serve_limits:RequestDeadlineH11",  # h11 always, never httptools: the deadline lives here
    "timeout_keep_alive": 5,  # seconds an idle keep-alive connection stays open
    "limit_concurrency": 1024,  # connections and requests at once; past it, 503 (16 audits at pwcheck's 64 each)
    "backlog": 1024,  # connections the kernel queues before they are accepted
    "h11_max_incomplete_event_size": 16 * 1024,  # a request line and headers: a range request needs a few hundred bytes
    "timeout_graceful_shutdown": 5,
}


class RequestDeadlineH11(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers do not arrive in time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = float(os.environ.get(HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT))
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_request()

    def on_response_complete(self) -> None:
        self._await_request()  # before uvicorn starts a pipelined request: that one counts as arrived
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _await_request(self) -> None:
        self._stop_waiting()
        self._waiting_after = self.cycle  # a new cycle is a request whose headers all arrived
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()
