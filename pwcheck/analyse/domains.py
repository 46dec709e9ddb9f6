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
import re
from functools import lru_cache
from typing import Container
from urllib.parse import urlsplit

ANDROID_SCHEMES = ("android://", "androidapp://")
# A bare lowercase host, as the directories and the catalogue give domains: `urlsplit` would return it as it is.
_BARE_HOST = re.compile(r"[a-z0-9.-]+")


@lru_cache(maxsize=1)
def _extractor():  # type: ignore[no-untyped-def]
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


def contact_domain(url: str | None) -> str | None:
    """The organisation behind `url` as a lowercase ASCII domain, or None without a host."""
    if not url:
        return None
    text = url.strip()
    if _BARE_HOST.fullmatch(text):  # no scheme, port, path or capital: no URL to parse (thousands per audit)
        bare = text.rstrip(".")
        return registrable_domain(bare) if bare else None
    if text.lower().startswith(ANDROID_SCHEMES):
        package = host_of(text)
        return android_domain(package) if package else None
    host = host_of(text)
    return registrable_domain(host) if host else None


def may_meet(domain: str, contacts: Container[str]) -> bool:
    """False only when `contact_domain(domain)` cannot be one of `contacts`: spares the URL parsing and the Public
    Suffix List for the many listed domains (a catalogue's, a directory's) that no contact of this run can meet.

    The contact of a bare lowercase host is one of its label suffixes (`a.b.example.com` -> `example.com`);
    anything else (a URL, capitals, an IP address, non-ASCII) may reduce to something else, so it is reduced.
    """
    text = domain.strip()
    if not _BARE_HOST.fullmatch(text):
        return True
    host = text.rstrip(".")
    if not host or host.replace(".", "").isdigit():
        return True  # no host (it reduces to None, which meets nothing); digits and dots: an IP address
    labels = host.split(".")
    return any(".".join(labels[index:]) in contacts for index in range(len(labels)))


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
    if ":" in candidate or candidate.replace(".", "").isdigit():  # what an IP address can be; a name raises late
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
