"""The two public directories for one audit: both fetched at once, each with its source and age.

They are advice (which contacts offer two-factor or accept passkeys), never findings: a
directory that cannot be had makes those facts unknown, adds no problem and changes no
exit code. Only each list's URL is requested (with the cached copy's validators): the
whole list is downloaded and matched on this machine, so nothing about the person's
accounts is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Callable

from pwcheck.lists.fetch import ListSettings, Outcome, describe_age, fetch_list
from pwcheck.lists.passkeys import parse_passkeys
from pwcheck.lists.twofactor import parse_twofactor
from pwcheck.model.directory import Directories, Directory, DirectoryKind, PasskeySite, S, TwoFactorSite
from pwcheck.net.defaults import DEFAULT_PASSKEYS_URL, DEFAULT_TIMEOUT, DEFAULT_TWOFACTOR_URL
from pwcheck.net.urls import cleartext_warning
from pwcheck.system.console import warning
from pwcheck.system.display import without_userinfo

if TYPE_CHECKING:
    from pwcheck.lists.signature import SigningKey

MAX_DIRECTORY_BYTES = 8 * 1024 * 1024  # each real file is well under 1 MB


@dataclass(frozen=True)
class DirectorySettings:
    """What the command line asked of the directories."""

    enabled: bool = True  # False: --no-directories
    twofactor_url: str | None = None  # None: the 2FA Directory's own
    passkeys_url: str | None = None  # None: the Passkeys Directory's own
    timeout: float = DEFAULT_TIMEOUT
    network: bool = True  # False: --offline (the cached copies only)
    deadline: float | None = None  # the whole fetch of each list (None: ListSettings' default)
    signing_key: "SigningKey | None" = None  # --directories-key: each list used only when its .sig verifies
    off_because: str = "--no-directories"  # what turned them off, in the report's words


def load_directories(
    settings: DirectorySettings, demo_base: str | None = None, needed: bool = True, now: datetime | None = None,
) -> Directories:
    """Both directories for this run (the demo's own on 127.0.0.1, uncached, in `--demo`)."""
    return directories_loader(settings, demo_base, needed, now)()


def directories_loader(
    settings: DirectorySettings, demo_base: str | None = None, needed: bool = True, now: datetime | None = None,
) -> Callable[[], Directories]:
    """`load_directories` in two steps: its warnings now, on the caller's thread, the fetches when called.

    The audit calls the loader on another thread while the range check draws its progress
    bar: a warning written from there would land in the middle of the bar.
    """
    if not settings.enabled:
        return partial(Directories.not_fetched, f"not fetched ({settings.off_because})")
    if not needed:
        return partial(Directories.not_fetched, "not fetched: no credentials to match")
    from pwcheck.system.dirs import cache_dir

    cache = None if demo_base is not None else cache_dir()
    urls = (
        (f"{demo_base}/directories/totp.json", f"{demo_base}/directories/supported.json") if demo_base is not None
        else (settings.twofactor_url or DEFAULT_TWOFACTOR_URL, settings.passkeys_url or DEFAULT_PASSKEYS_URL)
    )
    lists = [
        ListSettings(url=url, name=name, what=what, cache_dir=cache, timeout=settings.timeout,
                     network=settings.network or demo_base is not None, max_bytes=MAX_DIRECTORY_BYTES,
                     deadline=settings.deadline, signing_key=None if demo_base is not None else settings.signing_key)
        for url, name, what in zip(urls, ("twofactor", "passkeys"), ("the 2FA Directory", "the Passkeys Directory"))
    ]
    if demo_base is None and settings.network:
        for item in lists:
            message = cleartext_warning(item.url, f"{item.what} (the two-factor and passkey advice it gives)")
            if message is not None:
                warning(message)
    return partial(_load, lists, now)


def interrupted_directories() -> Directories:
    """What a run has instead of the directories when Ctrl-C came before they were had."""
    return Directories.not_fetched("not fetched: interrupted")


def _load(lists: list[ListSettings], now: datetime | None) -> Directories:
    import asyncio

    now = now or datetime.now(timezone.utc)
    try:
        twofactor, passkeys = asyncio.run(_both(lists, now))
    except KeyboardInterrupt:
        return interrupted_directories()
    return Directories(
        _directory("twofactor", twofactor, lists[0], now, "two-factor availability unknown"),
        _directory("passkeys", passkeys, lists[1], now, "passkey support unknown"),
    )


async def _both(lists: list[ListSettings], now: datetime) -> tuple[Outcome[list[TwoFactorSite]], Outcome[list[PasskeySite]]]:
    import asyncio

    return await asyncio.gather(fetch_list(lists[0], parse_twofactor, now), fetch_list(lists[1], parse_passkeys, now))


def _directory(kind: DirectoryKind, outcome: Outcome[list[S]], settings: ListSettings, now: datetime, unknown: str) -> Directory[S]:
    """The report's words for one directory: how many sites, from where, how old; or why there are none."""
    shown = without_userinfo(settings.url)
    sites = outcome.value
    skipped = f"; {outcome.malformed} malformed entr{'ies' if outcome.malformed != 1 else 'y'} skipped" if outcome.malformed else ""
    trouble = "".join(f"; {problem}" for problem in outcome.problems)
    if outcome.signed_by:
        trouble = f"; OpenPGP signature verified (key {outcome.signed_by[-16:]})" + trouble
    if sites is None:
        if outcome.reason == "offline":
            note = f"unavailable offline (no cached copy): {unknown}"
        else:
            verb = "refused" if outcome.refused is not None else "could not be fetched"
            note = f"unavailable ({shown} {verb}: {outcome.reason}; no cached copy): {unknown}"
        return Directory(kind, source=shown, note=note, malformed=outcome.refused or 0)
    if outcome.status == "cached":
        age = describe_age(now - outcome.validated_at) if outcome.validated_at else "unknown age"
        why = "" if outcome.reason == "offline" else f"; could not refresh: {outcome.reason}"
        note = f"{_sites(len(sites))} from the cached copy of {shown}, last confirmed {age} ago{why}"
    else:
        how = "unchanged since the cached copy" if outcome.status == "unchanged" else "downloaded"
        note = f"{_sites(len(sites))} from {shown} ({how})"
    return Directory(kind, sites=sites, available=True, source=shown, fetched_at=outcome.fetched_at,
                     validated_at=outcome.validated_at, from_cache=outcome.from_cache, note=note + skipped + trouble,
                     malformed=outcome.malformed)


def _sites(count: int) -> str:
    return f"{count} site{'s' if count != 1 else ''}"
