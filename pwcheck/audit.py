"""The audit pipeline: read every source, check each unique hash once, build the report.

Each stage is a function so the CLI only wires them: `collect` (sources -> credentials),
`check` (hashes -> counts, through any `HashChecker`), `assemble` (-> `AuditReport`).
A file that fails to read is recorded and the others are still audited.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from pwcheck.analyse.domains import contact_domain
from pwcheck.analyse.findings import AuditReport, Entry, Stats
from pwcheck.check._interface import HashChecker, LookupResult, Progress
from pwcheck.credential import Credential, Skipped
from pwcheck.errors import InputError
from pwcheck.sources import read_export


@dataclass
class Collected:
    """What the sources gave: credentials (hashed), skipped items, unreadable inputs."""

    credentials: list[Credential] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def unique_hashes(self) -> list[bytes]:
        return list(dict.fromkeys(credential.sha1 for credential in self.credentials))


def collect(
    paths: Iterable[Path],
    forced_format: str | None = None,
    display: dict[Path, str] | None = None,
    unlock: Callable[[str], Any] | None = None,
) -> Collected:
    """Read every file; an unreadable one becomes an error line and the rest go on.

    `unlock` gives the key of a locked input (a .kdbx) and is asked only for those.
    """
    collected = Collected()
    for path in paths:
        name = (display or {}).get(path, str(path))
        try:
            for item in read_export(path, name, forced_format, unlock):
                if isinstance(item, Credential):
                    collected.credentials.append(item)
                else:
                    collected.skipped.append(item)
        except InputError as exc:
            collected.errors.append(exc)
        except MemoryError:
            collected.errors.append(InputError(name, "too large to read"))
        except Exception as exc:  # noqa: BLE001 - a reader bug must not end the audit or leak a field
            # Only the type is kept: an exception's message could quote a field of the file.
            collected.errors.append(InputError(name, f"could not be read ({type(exc).__name__})"))
    return collected


def check(hashes: list[bytes], checker: HashChecker, progress: Progress | None = None) -> LookupResult:
    """Run the checker to completion; on Ctrl-C, keep what was checked and mark the rest."""
    result = LookupResult({digest: None for digest in hashes})
    try:
        asyncio.run(checker.lookup(hashes, progress, into=result))  # type: ignore[call-arg]
    except KeyboardInterrupt:
        result.interrupted = True
        result.problems.append("interrupted: the report is partial")
    return result


def assemble(collected: Collected, lookup: LookupResult, elapsed_s: float, *, demo: bool = False, against: str = "") -> AuditReport:
    """Join credentials with their counts and contacts."""
    entries = [
        Entry(credential, contact_domain(credential.url), lookup.counts.get(credential.sha1))
        for credential in collected.credentials
    ]
    stats = Stats(
        credentials=len(collected.credentials),
        unique_passwords=len(lookup.counts),
        range_requests=lookup.range_requests,
        attempts=lookup.attempts,
        elapsed_s=round(elapsed_s, 3),
    )
    return AuditReport(
        entries=entries,
        skipped=collected.skipped,
        errors=collected.errors,
        stats=stats,
        problems=list(lookup.problems),
        interrupted=lookup.interrupted,
        demo=demo,
        checked_against=against,
    )


def run_audit(
    collected: Collected, checker: HashChecker, progress: Progress | None = None, *, demo: bool = False, against: str = ""
) -> AuditReport:
    """The whole pipeline after collection, timed."""
    started = time.perf_counter()
    lookup = check(collected.unique_hashes(), checker, progress)
    return assemble(collected, lookup, time.perf_counter() - started, demo=demo, against=against)


def prefix_count(hashes: Iterable[bytes]) -> int:
    """How many range requests a set of digests needs (for the progress bar's total)."""
    return len({digest.hex()[:5] for digest in hashes})
