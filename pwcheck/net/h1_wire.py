"""HTTP/1.1 on the wire, as `h1_client` reads it: heads, body framing, gzip, each bounded.

Kept apart from the connection pool so each half can be read whole: this module turns
bytes from a connection into a status, header fields and body pieces, or a `BadAnswer`
(RFC 9112 sections 4-7, with pwcheck's bounds; see `h1_client`'s docstring for why and which).
"""

from __future__ import annotations

import asyncio
import re
import sys
import zlib
from typing import AsyncIterator, Awaitable, TypeVar

from pwcheck.model.errors import PwcheckError
from pwcheck.model.exit_codes import EXIT_NOT_CHECKED

_T = TypeVar("_T")
CHUNK_BYTES = 64 * 1024
MAX_HEAD_BYTES = 64 * 1024
MAX_FIELDS = 100
MAX_INFORMATIONAL = 8
_STATUS = re.compile(rb"HTTP/1\.([01]) ([1-9][0-9]{2})(?: [^\x00-\x08\x0a-\x1f\x7f]*)?")
_FIELD = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*")
_LENGTH = re.compile(r"[0-9]{1,18}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\x00-\x08\x0a-\x1f\x7f]*)?\r\n")


async def within(seconds: float, step: Awaitable[_T]) -> _T:
    """`step`, cancelled after `seconds` (TimeoutError); `asyncio.timeout` spares a task per attempt."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):
            return await step
    return await asyncio.wait_for(step, timeout=seconds)


async def waited(reader: asyncio.StreamReader, timeout: float, step: Awaitable[_T], until: bytes = b"") -> _T:
    """`step` (a read of `reader`), under the read timeout only when it may have to wait.

    A read the buffered bytes already satisfy (any byte for `read`, the separator `until` for
    `readuntil`) returns at once, so it needs no timer: a range arrives in one or two buffers
    but is read in several steps, and a timer per step was a fifth of the client's CPU per
    range through nginx's gzip (small chunks). (`_buffer`: StreamReader's unread bytes, since 3.4.)
    """
    buffered = getattr(reader, "_buffer", None)
    if buffered and (not until or until in buffered):
        return await step
    return await within(timeout, step)


class HttpFailure(PwcheckError):
    """A request that got no usable answer; the message names the host at most."""

    exit_code = EXIT_NOT_CHECKED


class ConnectFailed(HttpFailure):
    """No connection: refused, unreachable, no tunnel through the proxy, or a TLS handshake that failed."""


class BadAnswer(HttpFailure):
    """An answer that is not HTTP/1.1 as specified, or past pwcheck's bounds."""


def parse_head(raw: bytes) -> tuple[int, int, dict[str, str]]:
    """(status, HTTP/1.x minor version, fields by lower-case name) of a head without its blank line."""
    lines = raw.split(b"\r\n")
    match = _STATUS.fullmatch(lines[0])
    if match is None:
        raise BadAnswer("an answer that does not start with an HTTP/1.x status line")
    if len(lines) - 1 > MAX_FIELDS:
        raise BadAnswer(f"an answer with more than {MAX_FIELDS} header fields")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        field = _FIELD.fullmatch(line)
        if field is None:  # no colon, a bad name, a control character, a folded line
            raise BadAnswer("a header field out of shape")
        name, value = field.group(1).decode("ascii").lower(), field.group(2).decode("latin-1")
        fields[name] = f"{fields[name]}, {value}" if name in fields else value
    return int(match.group(2)), int(match.group(1)), fields


def _tokens(value: str | None) -> list[str]:
    return [token.strip().lower() for token in value.split(",") if token.strip()] if value else []


async def _read(reader: asyncio.StreamReader, timeout: float, size: int) -> bytes:
    data = await waited(reader, timeout, reader.read(size))
    if not data:
        raise BadAnswer("the connection closed before the whole body came")
    return data


async def _fixed(reader: asyncio.StreamReader, length: int, timeout: float) -> AsyncIterator[bytes]:
    while length:
        data = await _read(reader, timeout, min(length, CHUNK_BYTES))
        length -= len(data)
        yield data


async def _line(reader: asyncio.StreamReader, timeout: float) -> bytes:
    try:
        return await waited(reader, timeout, reader.readuntil(b"\r\n"), b"\r\n")
    except asyncio.IncompleteReadError:
        raise BadAnswer("the connection closed in the middle of a chunked body") from None
    except asyncio.LimitOverrunError:
        raise BadAnswer("a chunk line longer than 64 KiB") from None


async def _chunked(reader: asyncio.StreamReader, timeout: float) -> AsyncIterator[bytes]:
    while True:
        size = _CHUNK_SIZE.fullmatch(await _line(reader, timeout))
        if size is None:
            raise BadAnswer("a chunk size out of shape")
        if size.group(1).strip(b"0") == b"":
            break
        async for piece in _fixed(reader, int(size.group(1), 16), timeout):
            yield piece
        if await _line(reader, timeout) != b"\r\n":
            raise BadAnswer("a chunk not ended where its size said")
    trailers = 0
    while (line := await _line(reader, timeout)) != b"\r\n":
        trailers += len(line)
        if trailers > MAX_HEAD_BYTES:
            raise BadAnswer("trailer fields longer than 64 KiB")


async def _to_end(reader: asyncio.StreamReader, timeout: float) -> AsyncIterator[bytes]:
    while data := await waited(reader, timeout, reader.read(CHUNK_BYTES)):
        yield data


async def _gunzip(pieces: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The gzip stream decoded in steps of at most CHUNK_BYTES, whatever it expands to."""
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        async for piece in pieces:
            data = piece
            while data or not inflate.eof:
                if inflate.eof:
                    raise BadAnswer("data after the end of a gzip body")
                out = inflate.decompress(data, CHUNK_BYTES)
                data = inflate.unconsumed_tail
                if out:
                    yield out
                if not data and len(out) < CHUNK_BYTES:
                    break  # everything given was taken and nothing more is held back
            if inflate.unused_data:
                raise BadAnswer("data after the end of a gzip body")
    except zlib.error:
        raise BadAnswer("a gzip body that does not decode") from None
    if not inflate.eof:
        raise BadAnswer("a gzip body cut short")




class ClosedUnanswered(HttpFailure):
    """A kept connection the server had closed: nothing of the answer came (the pool tries a new one)."""


async def read_head(reader: asyncio.StreamReader, timeout: float) -> tuple[int, int, dict[str, str]]:
    """The final answer's (status, minor version, fields), informational (1xx) heads read past."""
    first = True
    for _ in range(MAX_INFORMATIONAL + 1):
        try:
            raw = await waited(reader, timeout, reader.readuntil(b"\r\n\r\n"), b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if first and not exc.partial:
                raise ClosedUnanswered() from None
            raise BadAnswer("the connection closed in the middle of an answer's head") from None
        except asyncio.LimitOverrunError:
            raise BadAnswer("an answer's head is longer than 64 KiB") from None
        status, minor, fields = parse_head(raw[:-4])
        if status >= 200:
            return status, minor, fields
        if status == 101:
            raise BadAnswer("an unasked-for protocol switch (HTTP 101)")
        first = False  # 100 Continue, 103 Early Hints: the answer follows
    raise BadAnswer(f"more than {MAX_INFORMATIONAL} informational answers")


def body_of(
    reader: asyncio.StreamReader, method: str, status: int, minor: int, fields: dict[str, str], timeout: float
) -> tuple[AsyncIterator[bytes] | None, bool]:
    """The body's pieces, decoded (None: no body), and whether the connection may be kept after it."""
    keep = minor == 1 and "close" not in _tokens(fields.get("connection"))
    if method == "HEAD" or status in (204, 304):
        return None, keep
    coding = fields.get("content-encoding", "identity").strip().lower()
    if coding not in ("identity", "gzip", "x-gzip"):
        raise BadAnswer("a content coding that was not asked for")
    raw: AsyncIterator[bytes]
    if "transfer-encoding" in fields:
        if _tokens(fields["transfer-encoding"]) != ["chunked"]:
            raise BadAnswer("a transfer coding other than chunked")
        raw, keep = _chunked(reader, timeout), keep and "content-length" not in fields
    elif "content-length" in fields:
        values = {value.strip() for value in fields["content-length"].split(",")}
        length = values.pop() if len(values) == 1 else ""
        if not _LENGTH.fullmatch(length):
            raise BadAnswer("a Content-Length out of shape")
        raw = _fixed(reader, int(length), timeout)
    else:
        raw, keep = _to_end(reader, timeout), False
    return (raw if coding == "identity" else _gunzip(raw)), keep
