"""Getting one public list: a conditional GET, a private cache, an overall deadline, an honest fallback.

Every public list pwcheck uses (HIBP's breach catalogue, the 2FA Directory, the Passkeys
Directory) is a whole JSON document downloaded as is: nothing about the person's accounts
is sent, only the list's URL (and the cached copy's validators). Each run revalidates the
cached copy with `If-None-Match` / `If-Modified-Since` (a 304 costs a few hundred bytes).
When the network or the server fails, or the answer is refused by the list's parser (empty
or malformed), the cached copy is used and the caller says how old it is; with no copy at
all the list is unavailable, with the reason. `network=False` (`--offline`) makes no
request at all: the cached copy or nothing.

The cache is one JSON file per list URL in the user cache dir (0600 in a 0700 dir),
replaced atomically; it holds only the public list and its validators. A 304 does not
rewrite it: re-encoding a 1 MB catalogue took longer than the rest of a one-password audit
(issue 19), so the time of that confirmation goes to a small stamp beside it
(`<name>.validated`), which names the copy it confirms and is ignored once a newer copy
replaces that one. The whole fetch,
retries included, runs under one deadline, so a server that trickles its answer a byte
at a time cannot hold an audit for longer than that.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Literal, TypeVar

from pwcheck.model.errors import PwcheckError
from pwcheck.model.exit_codes import EXIT_NOT_CHECKED
from pwcheck.net.defaults import DEFAULT_TIMEOUT
from pwcheck.net.validators import validator
from pwcheck.system.display import without_userinfo

if TYPE_CHECKING:
    from pwcheck.lists.signature import SigningKey

T = TypeVar("T")
Status = Literal["downloaded", "unchanged", "cached", "unavailable"]


class ListRefused(PwcheckError, ValueError):
    """A list's parser refused a document (empty, or not in the list's shape); the message names structure only.

    `malformed` counts the items that were not records of the list, for the report.
    """

    exit_code = EXIT_NOT_CHECKED

    def __init__(self, message: str, malformed: int = 0) -> None:
        super().__init__(message)
        self.malformed = malformed


Parse = Callable[[Any], "tuple[T, int]"]  # the decoded JSON -> (the list, malformed items skipped); raises ListRefused


@dataclass(frozen=True)
class ListSettings:
    """Where one list comes from, how it is kept, and how long it may take.

    `name` names the cache file (`<name>-<hash of the URL>.json`); `what` names the list in
    reasons ("the 2FA Directory"); `deadline` bounds the whole fetch, retries included
    (None: twice the timeout, plus five seconds).
    """

    url: str
    name: str
    what: str
    cache_dir: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    attempts: int = 2
    network: bool = True
    max_bytes: int = 64 * 1024 * 1024
    max_values: int = 1_000_000  # JSON values, counted before parsing (a small body can still be a parse bomb)
    deadline: float | None = None
    cache_format: str = ""  # default: pwcheck.<name>-cache/1
    payload_key: str = "data"
    # When set, a download is used only if `<url>.sig` verifies with this key (`lists.signature`),
    # and a cached copy only if it was verified with the same key when it was stored.
    signing_key: "SigningKey | None" = None

    @property
    def shown_url(self) -> str:
        """The URL as the report and messages name it: without a user name or password in it."""
        return without_userinfo(self.url)

    @property
    def record_format(self) -> str:
        return self.cache_format or f"pwcheck.{self.name}-cache/1"

    @property
    def overall_deadline(self) -> float:
        return self.deadline if self.deadline is not None else self.timeout * 2 + 5.0


@dataclass
class Outcome(Generic[T]):
    """What one fetch gave: the parsed list (None when unavailable), its age, and why it is not fresh.

    `reason` says why the cached copy was used or why there is none ("offline" without a
    request); `refused` is the malformed count of a server answer that was refused when no
    cached copy stood in for it; `problems` are side troubles (the cache could not be written).
    """

    value: T | None
    status: Status
    fetched_at: datetime | None = None
    validated_at: datetime | None = None
    reason: str | None = None
    refused: int | None = None
    malformed: int = 0
    problems: list[str] = field(default_factory=list)
    signed_by: str | None = None  # the fingerprint whose signature this copy carried (a signing key was set)

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def from_cache(self) -> bool:
        return self.status in ("unchanged", "cached")


class _Unavailable(PwcheckError):
    """The server did not give a usable document; the message names no content."""


def cache_path(settings: ListSettings) -> Path | None:
    """One file per URL, so a mirror's list never stands in for another's."""
    if settings.cache_dir is None:
        return None
    key = hashlib.sha256(settings.url.encode("utf-8")).hexdigest()[:16]
    return settings.cache_dir / f"{settings.name}-{key}.json"


def load_list(settings: ListSettings, parse: Parse[T], now: datetime | None = None) -> Outcome[T]:
    """The list for this run: fresh, revalidated, cached (with its age), or unavailable."""
    import asyncio

    return asyncio.run(fetch_list(settings, parse, now))


async def fetch_list(settings: ListSettings, parse: Parse[T], now: datetime | None = None) -> Outcome[T]:
    now = now or datetime.now(timezone.utc)
    path = cache_path(settings)
    cached = _read_cache(path, settings)
    if not settings.network:
        return _fallback(settings, parse, cached, "offline", now)
    import asyncio

    try:
        from pwcheck.net.http import within

        status, doc, headers, signed_by = await within(settings.overall_deadline, _download(settings, cached))
    except _Unavailable as exc:
        return _fallback(settings, parse, cached, str(exc), now)
    except (TimeoutError, asyncio.TimeoutError):  # the same class from 3.11 on
        return _fallback(settings, parse, cached, f"no complete answer within {settings.overall_deadline:g}s", now)
    if status == 304 and cached is not None:
        doc = cached[settings.payload_key]
        signed_by = _text(cached.get("signed_by"))
        fetched_at = _parse_time(cached.get("fetched_at")) or now
        etag, last_modified = validator(cached.get("etag")), validator(cached.get("last_modified"))
    else:
        fetched_at = now
        etag, last_modified = validator(headers.get("etag")), validator(headers.get("last-modified"))
    try:
        value, malformed = parse(doc)
    except ListRefused as exc:  # empty or mostly malformed: the cached copy stays as it was
        return _fallback(settings, parse, cached, str(exc), now, refused=exc.malformed)
    problems: list[str] = []
    if path is not None and status == 304 and cached is not None:
        stamp = {"fetched_at": cached.get("fetched_at"), "etag": cached.get("etag"), "validated_at": now.isoformat()}
        problem = _write_cache(_stamp_path(path), stamp, settings.what)
        if problem:
            problems.append(problem)
    elif path is not None:
        record = {
            "format": settings.record_format, "url": settings.url, "etag": etag, "last_modified": last_modified,
            "fetched_at": fetched_at.isoformat(), "validated_at": now.isoformat(), settings.payload_key: doc,
        }
        if settings.signing_key is not None:
            record.update(signed_by=signed_by, signing_key=settings.signing_key.digest)
        problem = _write_cache(path, record, settings.what)
        if problem:
            problems.append(problem)
    return Outcome(value, "unchanged" if status == 304 else "downloaded", fetched_at, now,
                   malformed=malformed, problems=problems, signed_by=signed_by)


async def _download(settings: ListSettings, cached: dict[str, Any] | None) -> tuple[int, Any, dict[str, str], str | None]:
    """(status, decoded JSON or None for 304, headers, the signer's fingerprint); retried once on transient failures."""
    import asyncio

    from pwcheck.net.http import ClientSettings, RetryPolicy, make_http_client, read_capped

    client_settings = ClientSettings(api_url=settings.url, concurrency=1, read_timeout=settings.timeout)
    conditional: dict[str, str] = {"Accept": "application/json"}
    if cached is not None:
        etag, last_modified = validator(cached.get("etag")), validator(cached.get("last_modified"))
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
    limit = settings.max_bytes
    reason = "no attempt made"
    async with make_http_client(client_settings, padding=False) as client:
        for attempt in range(settings.attempts):
            try:
                async with client.stream("GET", settings.url, headers=conditional) as response:
                    status = response.status_code
                    if status == 200:
                        body = await read_capped(
                            response, limit, lambda: _Unavailable(f"larger than {_size(limit)}")
                        )
                        headers = {k.lower(): v for k, v in response.headers.items()}
                        signed_by = await _signature(client, settings, body)
                        return 200, _decode(body, settings.max_values), headers, signed_by
                    if status == 304 and cached is not None:
                        return 304, None, {}, None
                    reason = f"HTTP {status}"
                    if status < 500 and status != 429:
                        break
            except _Unavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - any transport failure (httpx, h1_client, OS) means offline
                reason = _describe_failure(exc)
            if attempt + 1 < settings.attempts:
                await asyncio.sleep(RetryPolicy().delay(attempt))
    raise _Unavailable(reason)


async def _signature(client: Any, settings: ListSettings, body: bytes) -> str | None:
    """The fingerprint that signed `body` (`<url>.sig`), None without a key; `_Unavailable` when it does not verify."""
    key = settings.signing_key
    if key is None:
        return None
    import asyncio

    from pwcheck.lists.signature import MAX_SIGNATURE_BYTES, SignatureRefused, verify
    from pwcheck.net.http import read_capped

    url = settings.url + ".sig"
    try:
        async with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise _Unavailable(f"no OpenPGP signature beside it (HTTP {response.status_code} for .sig)")
            signature = await read_capped(response, MAX_SIGNATURE_BYTES, lambda: _Unavailable("its .sig is too large"))
    except _Unavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - any transport failure: the list cannot be verified
        raise _Unavailable(f"its OpenPGP signature could not be fetched ({_describe_failure(exc)})") from None
    try:
        return await asyncio.to_thread(verify, body, signature, key)
    except SignatureRefused as exc:
        raise _Unavailable(f"OpenPGP signature does not verify with {key.path}: {exc}") from None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def _describe_failure(exc: Exception) -> str:
    """Words for a failed request (`make_http_client` speaks HTTP/1.1 through `net/h1_client`)."""
    import asyncio

    from pwcheck.net.h1_wire import ConnectFailed

    if isinstance(exc, ConnectFailed):
        return "could not connect"
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    return f"connection failed ({type(exc).__name__})"


def _decode(body: bytes, max_values: int) -> Any:
    from pwcheck.system.bounded_json import value_count

    try:
        text = body.decode("utf-8-sig")
        if value_count(text, max_values) > max_values:
            raise _Unavailable(f"more than {max_values:,} JSON values: not the published list")
        return json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _Unavailable("not valid JSON") from None


def _fallback(
    settings: ListSettings, parse: Parse[T], cached: dict[str, Any] | None, reason: str, now: datetime,
    refused: int | None = None,
) -> Outcome[T]:
    """The cached copy (if it still parses) with its dates, or an unavailable outcome that says why."""
    if cached is not None:
        try:
            value, malformed = parse(cached[settings.payload_key])
        except ListRefused:
            pass
        else:
            return Outcome(value, "cached", _parse_time(cached.get("fetched_at")), _parse_time(cached.get("validated_at")),
                           reason=reason, malformed=malformed, signed_by=_text(cached.get("signed_by")))
    return Outcome(None, "unavailable", reason=reason, refused=refused)


def _read_cache(path: Path | None, settings: ListSettings) -> dict[str, Any] | None:
    """The cache record, or None when missing, unreadable, another format or another URL."""
    if path is None:
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("format") != settings.record_format or record.get("url") != settings.url:
        return None
    if settings.signing_key is not None and (
        record.get("signing_key") != settings.signing_key.digest or not _text(record.get("signed_by"))
    ):
        return None  # stored unverified, or verified with another key: neither stands in, nor is revalidated
    if settings.payload_key not in record:
        return None
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return record
    if isinstance(stamp, dict) and (stamp.get("fetched_at"), stamp.get("etag")) == (record.get("fetched_at"), record.get("etag")):
        confirmed = _parse_time(stamp.get("validated_at"))
        stored = _parse_time(record.get("validated_at"))
        if confirmed is not None and (stored is None or confirmed > stored):
            record["validated_at"] = confirmed.isoformat()  # a later 304 confirmed this very copy
    return record


def _stamp_path(path: Path) -> Path:
    """Where the time of the last 304 for the copy at `path` is kept."""
    return path.with_suffix(".validated")


def _write_cache(path: Path, record: dict[str, Any], what: str) -> str | None:
    from pwcheck.system.files import private_dir, replace_private

    try:
        private_dir(path.parent)
        # ASCII escapes: a lone surrogate in a field (valid JSON, not encodable) is kept exactly, never a crash.
        replace_private(path, json.dumps(record, separators=(",", ":")))
    except OSError as exc:
        return f"could not write the cache of {what} in {path.parent} ({exc.strerror or type(exc).__name__})"
    return None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def describe_age(delta: Any) -> str:
    """`3 days`, `5 hours`, `12 minutes`, `less than a minute`."""
    seconds = max(0, int(delta.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "less than a minute"
