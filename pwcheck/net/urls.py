"""Which addresses pwcheck would talk to in clear: plain `http://` to anything but loopback.

The defaults are HTTPS. A mirror or `pwcheck serve` on this machine is reached over
`http://127.0.0.1` (or `localhost`, `::1`), where nothing crosses a network. Any other
plain `http://` URL sends what the request carries (hash prefixes, the catalogue, e-mail
addresses and the API key of account checks) readable and alterable by anyone on the
way, so the command says so on stderr (`cleartext_warning`) and goes on: the choice is
the person's, and a LAN mirror may be what they want.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    """`localhost`, a `*.localhost` name, 127.0.0.0/8 or ::1 (also IPv4-mapped)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def plain_http_host(url: str) -> str | None:
    """The host of a plain `http://` URL ("" when it names none), None for any other URL.

    Shared by `is_cleartext` (our own URLs) and `pwcheck.analyse.unsecured` (the logins'
    URLs), so both read a URL's scheme and host the same way.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    return (host or "") if parts.scheme.lower() == "http" else None


def is_cleartext(url: str) -> bool:
    """A plain `http://` URL whose host is not loopback."""
    host = plain_http_host(url)
    return host is not None and not is_loopback(host)


def cleartext_warning(url: str, carries: str) -> str | None:
    """The warning for `url` (None when it is HTTPS or loopback); `carries` says what would travel."""
    if not is_cleartext(url):
        return None
    return (f"{url} is plain http:// and not this machine: {carries} would travel unencrypted, "
            "readable and changeable on the way; use https://")
