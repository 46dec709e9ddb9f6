"""`pwcheck audit --demo`: the real pipeline on bundled sample data, fully offline.

A sample export is checked by the real range client against a real HTTP server on
127.0.0.1 (the standard library's threading server) that answers from a bundled sample
corpus with padding, exactly like the public API, and serves a bundled sample breach
catalogue at `/api/v3/breaches` in HIBP's shape, and sample 2FA and Passkeys directories
at `/directories/totp.json` and `/directories/supported.json` in their published shapes. The counts and breaches are made-up
sample figures; the output says so.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Iterator

from pwcheck.check.range_format import build_body, is_prefix
from pwcheck.corpus.memory import MemoryCorpus

DEMO_EXPORTS = ("chrome-passwords.csv", "firefox-logins.csv")


def demo_files() -> list[Path]:
    """The bundled sample exports, as paths inside the installed package."""
    base = resources.files("pwcheck.demo")
    return [Path(str(base / name)) for name in DEMO_EXPORTS]


def demo_corpus() -> MemoryCorpus:
    text = resources.files("pwcheck.demo").joinpath("corpus.txt").read_text(encoding="ascii")
    return MemoryCorpus.from_lines(text.splitlines())


def demo_catalogue() -> bytes:
    return resources.files("pwcheck.demo").joinpath("breaches.json").read_bytes()


def demo_directories() -> dict[str, bytes]:
    files = resources.files("pwcheck.demo")
    return {
        "/directories/totp.json": files.joinpath("twofactor.json").read_bytes(),
        "/directories/supported.json": files.joinpath("passkeys.json").read_bytes(),
    }


def range_handler(
    corpus: MemoryCorpus, catalogue: bytes = b"[]", documents: dict[str, bytes] | None = None,
) -> type[BaseHTTPRequestHandler]:
    """A request handler that speaks the range API for `corpus` and serves `catalogue` and other JSON `documents` by path."""
    extra = documents or {}

    class RangeHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            path = self.path.split("?", 1)[0]
            if path == "/api/v3/breaches":
                self._send(200, catalogue, "application/json")
                return
            if path in extra:
                self._send(200, extra[path], "application/json")
                return
            prefix = path.rsplit("/", 1)[-1]
            if not path.startswith("/range/") or not is_prefix(prefix):
                self._send(400, b"The hash prefix was not in a valid format")
                return
            padded = self.headers.get("Add-Padding", "").lower() == "true"
            self._send(200, build_body(corpus.range(prefix), pad=padded))

        def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return RangeHandler


@contextmanager
def demo_service() -> Iterator[str]:
    """Serve the demo corpus on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), range_handler(demo_corpus(), demo_catalogue(), demo_directories()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="pwcheck-demo", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
