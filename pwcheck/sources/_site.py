"""Finding a site in the free text keychains hold: labels, service names, target names.

Keychain items rarely carry a clean URL. Apps write `git:https://github.com`,
`gh:github.com`, `alice@example.com` or `Password for alice on example.org`; network
passwords come as separate protocol, host and port fields. These helpers turn both
into one URL that `pwcheck.analyse.domains` can group, or None when the text names no
site (an app name such as `Python keyring`).
"""

from __future__ import annotations

import re

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
# A host with at least one dot and an alphabetic last label (so `v1.2` is not a site),
# optionally with a port and a path.
_HOST = re.compile(
    r"(?<![\w.@-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])"
    r"(:\d{1,5})?(/[^\s\"'<>]*)?"
)
_AT_HOST = re.compile(r"@((?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])\b")


def url_in_text(text: str | None) -> str | None:
    """The first URL in `text`, else the first host name (`gh:github.com` -> `github.com`).

    `user@host` counts as the host: network-password labels are written that way.
    """
    if not text:
        return None
    match = _URL.search(text)
    if match:
        return match.group(0).rstrip(".,;)")
    match = _HOST.search(text)
    if match:
        return match.group(0).rstrip(".,;)")
    match = _AT_HOST.search(text)
    return match.group(1) if match else None


def network_url(scheme: str | None, host: str | None, port: int | str | None = None, path: str | None = None) -> str | None:
    """`scheme://host:port/path` from separate fields; None without a usable host."""
    if not host or any(ch.isspace() for ch in host):
        return None
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    text = f"{scheme.lower()}://{host}" if scheme else host
    port_text = str(port).strip() if port not in (None, "") else ""
    if port_text and port_text != "0" and port_text.isdigit():
        text += f":{int(port_text)}"
    if path:
        text += path if path.startswith("/") else "/" + path
    return text
