"""An asyncio loop in a daemon thread: how the test servers run beside synchronous tests."""

from __future__ import annotations

import asyncio
import threading
from typing import Awaitable, Callable


class LoopThread:
    """Runs `boot()` on a fresh loop in a thread, then keeps the loop serving until `stop()`."""

    def start(self, boot: Callable[[], Awaitable[None]]) -> None:
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(boot())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self, shutdown: Callable[[], Awaitable[None]]) -> None:
        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
