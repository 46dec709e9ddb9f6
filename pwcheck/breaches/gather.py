"""Breach data for one audit: the catalogue (or why there is none), and account checks when a key is stored."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from pwcheck.model.breach import AccountChecks, Catalogue
from pwcheck.model.credential import Credential
from pwcheck.net.defaults import DEFAULT_BREACHES_URL, DEFAULT_TIMEOUT
from pwcheck.net.urls import cleartext_warning
from pwcheck.system.console import note, progress_bar, warning

if TYPE_CHECKING:
    from pwcheck.breaches.fetch import FetchSettings


@dataclass(frozen=True)
class BreachSettings:
    """What the command line asked of breach data."""

    enabled: bool = True  # False: --no-breaches
    url: str | None = None  # --breaches-url; None: HIBP's public catalogue
    account_checks: bool = True  # False: --no-account-checks
    timeout: float = DEFAULT_TIMEOUT
    network: bool = True  # False: --offline (the cache only, and no account checks)
    progress: bool = True

    @property
    def catalogue_url(self) -> str:
        return self.url or DEFAULT_BREACHES_URL


def load_breach_data(settings: BreachSettings, demo_base: str | None, needed: bool = True) -> Catalogue:
    """The breach catalogue for this run (the demo's own on 127.0.0.1, uncached, in `--demo`).

    Not fetched when nothing was read (`needed` False): there is nothing to match it with.
    """
    return catalogue_loader(settings, demo_base, needed)()


def catalogue_loader(settings: BreachSettings, demo_base: str | None, needed: bool = True) -> Callable[[], Catalogue]:
    """`load_breach_data` in two steps: its warning now, on the caller's thread, the fetch when called.

    The audit calls the loader on another thread while the range check draws its progress
    bar: a warning written from there would land in the middle of the bar.
    """
    if not settings.enabled:
        return partial(Catalogue.unavailable, "breach catalogue not fetched (--no-breaches): stale status unknown")
    if not needed:
        return partial(Catalogue.unavailable, "breach catalogue not fetched: no credentials to match")
    from pwcheck.breaches.fetch import FetchSettings
    from pwcheck.system.dirs import cache_dir

    if demo_base is not None:
        fetch = FetchSettings(url=f"{demo_base}/api/v3/breaches", cache_dir=None, timeout=settings.timeout)
    else:
        fetch = FetchSettings(
            url=settings.catalogue_url, cache_dir=cache_dir(), timeout=settings.timeout, network=settings.network
        )
        if settings.network:
            _warn_cleartext(fetch.url, "the breach catalogue (which decides what is stale)")
    return partial(_load, fetch)


def interrupted_catalogue() -> Catalogue:
    """What a run has instead of a catalogue when Ctrl-C came before it was had."""
    return Catalogue.unavailable("breach data unavailable: interrupted", problem="breach catalogue fetch interrupted")


def _load(fetch: FetchSettings) -> Catalogue:
    from pwcheck.breaches.fetch import load_catalogue

    try:
        return load_catalogue(fetch)
    except KeyboardInterrupt:
        return interrupted_catalogue()


def run_account_checks(settings: BreachSettings, credentials: list[Credential], demo: bool) -> AccountChecks | None:
    """Account checks when a key is stored (never in the demo); None when they are off."""
    if demo or not settings.account_checks or not settings.network:
        return None  # --offline: nothing leaves the machine, and account checks send e-mail addresses
    from pwcheck.breaches.api_key import read_api_key
    from pwcheck.system.secrets_store import SecretStoreError

    try:
        key = read_api_key()
    except SecretStoreError as exc:
        note(f"account checks off: {exc}")  # a degraded audit, not a failed one
        return None
    if not key:
        return None
    import asyncio

    from pwcheck.breaches.accounts import account_api_base, check_accounts, email_accounts

    accounts = email_accounts([credential.username for credential in credentials])
    if not accounts:
        return AccountChecks()
    base = account_api_base(settings.catalogue_url)
    _warn_cleartext(base, "your e-mail addresses and your HIBP API key")
    with progress_bar(len(accounts), "accounts", settings.progress) as advance:
        try:
            return asyncio.run(check_accounts(accounts, key, base, settings.timeout, advance))
        except KeyboardInterrupt:
            return AccountChecks({account.casefold(): None for account in accounts}, problem="account checks interrupted")


def _warn_cleartext(url: str, carries: str) -> None:
    message = cleartext_warning(url, carries)
    if message is not None:
        warning(message)
