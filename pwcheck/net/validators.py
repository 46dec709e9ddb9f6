"""Which ETag and Last-Modified values pwcheck keeps: short printable ASCII, else none.

A server's validators are stored (the range cache, the mirror's journal and `.etags` file,
the catalogue cache) and sent back in `If-None-Match` / `If-Modified-Since`. Real ones are
tens of characters; an 8 KB ETag per range would make a full mirror keep gigabytes of them.
A validator that is too long or not printable ASCII is dropped, never cut (a cut one would
never match): the next request is then simply unconditional. No heavy imports, so the
cache and journal modules can use it without pulling in the HTTP stack.
"""

from __future__ import annotations

MAX_VALIDATOR_CHARS = 256


def validator(value: object) -> str | None:
    """`value` when it is an ETag or HTTP date worth storing and sending back, else None."""
    if not isinstance(value, str) or not value or len(value) > MAX_VALIDATOR_CHARS:
        return None
    return value if value.isascii() and value.isprintable() else None
