"""`pwcheck serve` closes connections whose request headers do not arrive in time.

Before, uvicorn bounded only idle keep-alive connections: a client sending a header byte
now and then (slowloris), or nothing at all, kept its connection, and 1,200 of them were
all still open. Here `pwcheck serve --header-timeout 1` runs for real on a loopback port
and raw sockets play the slow clients.
"""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from pwcheck.corpus.importer import import_corpus
from tests.support import corpus_gen as cg

pytest.importorskip("uvicorn")

HEADER_TIMEOUT = 1.0
SLACK = 3.0  # the timer fires after HEADER_TIMEOUT; the rest is a loaded CI machine's scheduling


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    base = tmp_path_factory.mktemp("serve-limits")
    import_corpus(cg.write_single_file(cg.corpus(2_000), base / "sha1.txt"), base / "store")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pwcheck", "serve", "--store", str(base / "store"), "--port", str(port),
         "--header-timeout", str(HEADER_TIMEOUT)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/range/00000", timeout=1)
            break
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        proc.terminate()
        proc.wait(10)


def _closed_after(sock: socket.socket, trickle: bytes | None, give_up: float) -> float | None:
    """Seconds until the server closed `sock` (sending `trickle` a byte at a time every 0.2 s), None if it never did."""
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < give_up:
        readable, _, _ = select.select([sock], [], [], 0.2)
        if readable:
            try:
                if sock.recv(4096) == b"":
                    return time.monotonic() - started
            except ConnectionResetError:
                return time.monotonic() - started
        if trickle is not None and sent < len(trickle):
            try:
                sock.send(trickle[sent : sent + 1])
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - started
            sent += 1
    return None


SLOW_HEADERS = b"GET /range/00000 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200


@pytest.mark.parametrize("trickle", [SLOW_HEADERS, None], ids=["slow-headers", "silent"])
def test_a_connection_without_its_headers_in_time_is_closed(served: tuple[str, int], trickle: bytes | None) -> None:
    with socket.create_connection(("127.0.0.1", served[1])) as sock:
        closed = _closed_after(sock, trickle, give_up=HEADER_TIMEOUT + SLACK + 5)
    assert closed is not None, "the server kept a connection whose headers never came"
    assert closed < HEADER_TIMEOUT + SLACK


def test_many_slow_connections_are_all_closed_and_the_server_still_answers(served: tuple[str, int]) -> None:
    sockets = [socket.create_connection(("127.0.0.1", served[1])) for _ in range(200)]
    try:
        for sock in sockets:
            sock.send(SLOW_HEADERS[:30])
        still_open, deadline = list(sockets), time.monotonic() + HEADER_TIMEOUT + SLACK
        while still_open and time.monotonic() < deadline:
            readable, _, _ = select.select(still_open, [], [], 0.2)
            for sock in readable:
                try:
                    if sock.recv(4096) == b"":
                        still_open.remove(sock)
                except ConnectionResetError:
                    still_open.remove(sock)
        assert still_open == []
    finally:
        for sock in sockets:
            sock.close()
    answer = httpx.get(f"{served[0]}/range/00000", timeout=5)
    assert answer.status_code == 200 and answer.text


def test_the_next_request_on_a_kept_alive_connection_has_the_same_deadline(served: tuple[str, int]) -> None:
    """After a response, a client that starts its next request and stalls is closed too (the keep-alive
    timer alone stops counting at its first byte)."""
    with socket.create_connection(("127.0.0.1", served[1])) as sock:
        sock.sendall(b"GET /range/00000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200")
        closed = _closed_after(sock, SLOW_HEADERS, give_up=HEADER_TIMEOUT + SLACK + 5)
    assert closed is not None and closed < HEADER_TIMEOUT + SLACK


def test_an_unfinished_header_block_past_the_size_limit_is_refused_at_once(served: tuple[str, int]) -> None:
    """32 KiB of headers still going: refused on arrival, not held until the deadline (16 KiB may wait unfinished)."""
    with socket.create_connection(("127.0.0.1", served[1])) as sock:
        sock.sendall(b"GET /range/00000 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * (32 * 1024))
        sock.settimeout(5)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 4")  # 400 or 431, before the header deadline


def test_serve_help_names_the_reverse_proxy(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pwcheck", "serve", "--help"], capture_output=True, timeout=60)
    assert b"--header-timeout" in proc.stdout and b"reverse proxy" in proc.stdout
