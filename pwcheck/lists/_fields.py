"""Field checks for the public directories: every value is hostile until it has a type, a shape and a size.

A directory is a file on someone else's server (or a mirror, or whatever answers at the
configured URL): a name may be HTML-escaped, a domain may hold a path or a space, a link
may be `javascript:` or megabytes long. What fails a check is dropped (a field) or
skipped and counted (an entry), never passed on.
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_ENTRIES = 100_000  # the real directories list a few thousand sites
MAX_NAME = 200
MAX_DOMAINS = 200  # additional domains of one entry (Amazon lists ~20)
MAX_URL = 2048
# A host name: labels of letters, digits, hyphens and underscores (IDNA labels as `xn--`), dots between.
_HOST = re.compile(r"(?i)^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})+$")
_URL = re.compile(r"(?i)^https?://[^\s\x00-\x1f\x7f-\x9f<>\"'`\\]+$")


def name(value: Any) -> str | None:
    """A display name, HTML entities decoded (`1&amp;1` -> `1&1`), one line, capped; None if not text."""
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(value).split())
    return text[:MAX_NAME] if text else None


def host(value: Any) -> str | None:
    """A host name, lowercase, without a trailing dot; None for anything else (a URL, a path, spaces, unicode)."""
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip(".").lower()
    return text if _HOST.match(text) else None


def hosts(value: Any) -> tuple[str, ...]:
    """A list of host names (bad items dropped, at most MAX_DOMAINS); nothing if not a list."""
    if not isinstance(value, list):
        return ()
    found = (host(item) for item in value[:MAX_DOMAINS])
    return tuple(dict.fromkeys(item for item in found if item))


def link(value: Any) -> str | None:
    """An http(s) link of at most MAX_URL characters with no space, quote or control character; else None."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return None
    return value if _URL.match(value) else None


def level(value: Any) -> str | None:
    """A Passkeys Directory support level: "allowed" or "required"; None for anything else."""
    return value if value in ("allowed", "required") else None
