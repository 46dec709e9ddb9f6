"""Unsecured sites: a login whose URL is plain `http://` to a host on the public internet.

The password of such a login crossed the network in clear every time it was typed there
(and the site may still accept it that way). A host that never leaves the user's own
network is not flagged: loopback (the same rule as `pwcheck.net.urls`, whose scheme and
host parsing is shared), private and local addresses (RFC 1918 `10/8`, `172.16/12`,
`192.168/16`, the shared `100.64/10`, link-local `169.254/16` and `fe80::/10`, unique
local `fc00::/7`) and names that only resolve on a LAN: a single label (`router`, `nas`),
`.local` (mDNS), `.lan`, `.home.arpa` (RFC 8375), `.internal`, `.localdomain`. A URL with
no scheme, `https://` or any other scheme is not flagged; nothing here resolves a name.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable

from pwcheck.net.urls import is_loopback, plain_http_host

LAN_SUFFIXES = (".local", ".lan", ".home.arpa", ".internal", ".localdomain")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not routed on the internet


def is_public_host(host: str) -> bool:
    """True for a host on the public internet; False for loopback, private, link-local, ULA or a LAN name."""
    host = host.strip("[]").rstrip(".").lower()
    if not host or is_loopback(host):
        return False
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return "." in host and not host.endswith(LAN_SUFFIXES)
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return False
    return not (address.is_private or address.is_link_local or address.is_loopback or address.is_unspecified
                or address.is_multicast or address.is_reserved)


def is_unsecured(url: str) -> bool:
    """A plain `http://` URL to a public host."""
    host = plain_http_host(url)
    return host is not None and is_public_host(host)


def any_unsecured(urls: Iterable[str | None]) -> bool:
    """Whether any of a login's URLs is unsecured (`is_unsecured`)."""
    return any(url and is_unsecured(url) for url in urls)
