"""`pwcheck corpus download`: mirror the whole range API into a store, like the downloader.

Every range goes through the audit's own client (`RangeClient.fetch`: same headers,
padding, timeouts, retries with backoff, body validation), many in flight at once. Each
answer is converted to store records straight away and appended to a journal
(`journal.py`), so an interrupted run resumes where it stopped. On a later run
over a finished store every range is asked with its ETag (If-None-Match): a 304 reuses
the bucket already on disk, and the summary says how many ranges changed.

The store is written only when every range of the run has an answer: a range that still
fails after its retries would otherwise read as empty, i.e. as clean.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pwcheck.check.interface import LookupResult
from pwcheck.check.range_client import RangeClient, RangeUnavailable, _OutageDetector, transient_errors
from pwcheck.check.store import Store
from pwcheck.check.store_format import HashKind, StoreError
from pwcheck.corpus.build import StoreWriter
from pwcheck.corpus.journal import Journal, load_etags, save_etags
from pwcheck.corpus.records import BucketRecords, range_records
from pwcheck.net.http import ClientSettings
from pwcheck.system.console import progress_bar
from pwcheck.system.display import without_userinfo
from pwcheck.system.files import private_dir


@dataclass
class DownloadResult:
    """What a run did, for the summary line and the benchmarks."""

    kind: HashKind
    ranges: int = 0
    resumed: int = 0
    fetched: int = 0
    not_modified: int = 0
    changed: int = 0
    failed: int = 0
    hashes: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    incremental: bool = False
    path: Path | None = None
    problem: str = ""

    @property
    def rate(self) -> float:
        return self.fetched / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        if self.failed:
            return (f"{self.failed:,} of {self.ranges:,} ranges failed ({self.problem}); nothing written. "
                    f"The {self.ranges - self.failed:,} fetched are kept: run again to resume.")
        done = f"{self.kind.name} store {self.path}: {self.hashes:,} hashes in {self.ranges:,} ranges"
        speed = f"{self.fetched:,} requests in {self.seconds:.1f} s ({self.rate:,.0f} ranges/s)"
        resumed = f", {self.resumed:,} resumed from an interrupted run" if self.resumed else ""
        if self.incremental:
            return f"{done}; {self.changed:,} ranges changed, {self.ranges - self.changed:,} unchanged{resumed}; {speed}"
        return f"{done}{resumed}; {speed}"


def download_corpus(
    store_dir: Path, kind: HashKind, settings: ClientSettings, prefixes: tuple[int, int], progress: bool = True
) -> DownloadResult:
    """Mirror prefixes first..last into `store_dir`; see the module docstring."""
    private_dir(store_dir)
    old = _open_old(store_dir, kind, prefixes)
    etags = load_etags(store_dir, kind, old.header if old else None)
    binding = f"{settings.api_url.rstrip('/')} {kind.name} {prefixes[0]:05X}-{prefixes[1]:05X}"
    journal = Journal(store_dir, kind, binding)
    result = DownloadResult(kind, ranges=prefixes[1] - prefixes[0] + 1, resumed=journal.resumed, incremental=old is not None)
    pending = deque(p for p in range(prefixes[0], prefixes[1] + 1) if not journal.done(p))
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        with progress_bar(len(pending), f"mirroring {kind.name}", progress, rate_unit="ranges") as advance:
            asyncio.run(_fetch_all(pending, journal, etags if old else {}, old, settings, kind, result, advance))
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = time.process_time() - cpu_started
        if result.failed:
            return result
        with StoreWriter(store_dir, kind, f"download of {without_userinfo(settings.api_url)}", prefixes) as writer:
            for prefix in range(prefixes[0], prefixes[1] + 1):
                bucket = _bucket(journal, old, prefix)
                if old is not None and not journal.unchanged(prefix) and _changed(old, bucket):
                    result.changed += 1
                writer.add(prefix, bucket.keys, bucket.counts)
            if old is not None:
                old.close()
                old = None
            result.path = writer.finish()
        result.hashes = writer.hash_count
        with Store.open(store_dir, kind) as new:
            save_etags(store_dir, kind, new.header, journal.etags)
        journal.remove()
    finally:
        journal.close()
        if old is not None:
            old.close()
    return result


def _open_old(store_dir: Path, kind: HashKind, prefixes: tuple[int, int]) -> Store | None:
    """The current store, if it covers the same prefixes: its buckets answer 304s."""
    if not (store_dir / kind.file_name).exists():
        return None
    try:
        store = Store.open(store_dir, kind)
    except StoreError:
        return None  # unusable: mirror from scratch, the new store replaces it
    if (store.header.first_prefix, store.header.last_prefix) != prefixes:
        store.close()
        return None
    return store


def _bucket(journal: Journal, old: Store | None, prefix: int) -> BucketRecords:
    if journal.unchanged(prefix):
        if old is None:
            raise StoreError(f"{journal.path}: a 304 answer but no previous store to take the range from")
        bucket = old.checked_bucket(prefix)
        if bucket is None:  # copied, it would get a fresh checksum: corruption laundered
            raise StoreError(f"{old.path}: a bucket failed its checksum after it was confirmed; run again")
        return BucketRecords(prefix, bucket.keys, bucket.counts)
    return journal.records(prefix)


def _changed(old: Store, bucket: BucketRecords) -> bool:
    previous = old.bucket(bucket.prefix)
    return (previous.keys, previous.counts) != (bucket.keys, bucket.counts)


async def _fetch_all(
    pending: deque[int], journal: Journal, etags: dict[int, str], old: Store | None, settings: ClientSettings,
    kind: HashKind, result: DownloadResult, advance: Callable[[int], None] | None,
) -> None:
    """Workers share one HTTP client (the audit's construction) and one outage detector.

    A range is asked with its ETag only while the old store's bucket passes its checksum:
    a 304 copies that bucket into the new store, so a corrupt one is fetched again instead.
    """
    from pwcheck.net.http import make_http_client

    client_api = RangeClient(settings)
    stats = LookupResult({})
    errors = transient_errors(settings.http2)
    outage = _OutageDetector(threshold=max(8, min(settings.concurrency, 64)))
    async with make_http_client(settings) as client:

        async def worker() -> None:
            while pending and not outage.tripped:
                prefix = pending.popleft()
                etag = etags.get(prefix)
                if etag is not None and old is not None and old.checked_bucket(prefix) is None:
                    etag = None
                try:
                    fetched = await client_api.fetch(client, f"{prefix:05X}", stats, errors, etag, validate=False)
                    records = None if fetched.body is None else range_records(fetched.body, prefix, kind, f"range {prefix:05X}")
                except (RangeUnavailable, StoreError) as exc:
                    result.failed += 1
                    result.problem = str(exc)
                    outage.failed(str(exc))
                else:
                    outage.succeeded()
                    journal.add(prefix, records, fetched.etag)
                    result.fetched += 1
                    result.not_modified += records is None
                if advance:
                    advance(1)

        await asyncio.gather(*(worker() for _ in range(min(settings.concurrency, len(pending)) or 1)))
    if outage.tripped:
        result.failed += len(pending)
        result.problem = f"gave up after {outage.consecutive} failures in a row: {outage.last_reason}"
