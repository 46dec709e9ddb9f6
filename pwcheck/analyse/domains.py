"""The contact behind a URL: its registrable domain, by the Public Suffix List.

The Public Suffix List is the snapshot `tldextract` ships, read by `analyse.suffixes`
without importing `tldextract` (whose import pulls in `requests`), with the same answers;
no network fetch, no cache written. Private suffixes are honoured, so `alice.github.io` and
`x.service.gov.uk` stay distinct contacts. Hosts are lowercased and IDNA-encoded so both spellings of a site group
together. Android app credentials map by reversing the package name; IP addresses and
single-label hosts are their own contact.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

ANDROID_SCHEMES = ("android://", "androidapp://")


@lru_cache(maxsize=1)
def _extractor():  # type: ignore[no-untyped-def]
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


def contact_domain(url: str | None) -> str | None:
    """The organisation behind `url` as a lowercase ASCII domain, or None without a host."""
    if not url:
        return None
    text = url.strip()
    if text.lower().startswith(ANDROID_SCHEMES):
        package = host_of(text)
        return android_domain(package) if package else None
    host = host_of(text)
    return registrable_domain(host) if host else None


@lru_cache(maxsize=65536)
def host_of(text: str) -> str | None:
    """The host part, lowercase ASCII, without a trailing dot; accepts bare `example.com/x`."""
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    return to_ascii(host) if host else None


def to_ascii(host: str) -> str:
    """IDNA (2008 with UTS 46 mapping, falling back to 2003) so `münchen.de` == `xn--mnchen-3ya.de`."""
    if host.isascii():
        return host.lower()
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii")
    except (ImportError, idna.IDNAError, UnicodeError, ValueError):
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host.lower()


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The registrable domain (eTLD+1); the host itself for IPs, single labels and bare suffixes."""
    candidate = host.strip("[]")
    try:
        return ipaddress.ip_address(candidate).compressed
    except ValueError:
        pass
    if "." not in host:
        return host
    from pwcheck.analyse.suffixes import shipped

    suffixes = shipped()
    if suffixes is not None:
        return suffixes.registrable(host) or host
    parts = _extractor()(host)  # the snapshot moved: tldextract itself, same answers
    domain = getattr(parts, "top_domain_under_public_suffix", None)
    if domain is None:  # tldextract < 5.3
        domain = parts.registered_domain
    return domain or host


def forget_hosts() -> None:
    """Empty the per-URL and per-host caches, once a pass over every credential is done.

    They serve that pass (a URL or host seen again is not parsed again) but hold up to
    65,536 entries each, with a string per host: ~10 MB kept for the rest of a
    100,000-row audit for nothing, as the report asks for few hosts again.
    """
    host_of.cache_clear()
    registrable_domain.cache_clear()


def android_domain(package: str) -> str:
    """`com.linkedin.android` -> `linkedin.com`: the package name reversed, then registrable."""
    reversed_host = ".".join(reversed([label for label in package.split(".") if label]))
    return registrable_domain(to_ascii(reversed_host)) if reversed_host else package
