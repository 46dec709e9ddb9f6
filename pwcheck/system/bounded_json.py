"""JSON parsed whole, with a bound on what it can become in memory.

A byte cap alone does not bound memory: `json.loads` makes up to ~25 bytes of Python
objects out of each byte of input (`[{},{},...]` is a dict per 3 bytes, ~1.6 GB from
64 MiB, measured). So, before parsing, the values are counted: every value or member name
but the document's first follows a `,` `:` `[` or `{` outside a string, so their count
plus one bounds how many objects parsing makes. A quick count of those characters
anywhere (strings included) is an upper bound that settles almost every real document
at C speed; only past the limit are strings taken out (escapes removed first, so the
scan is linear) for the exact count. Callers refuse a document past their limit with
their own error, before `json.loads`.
"""

from __future__ import annotations

import re

_STRUCTURE = (",", ":", "[", "{")
_STRING = re.compile(r'"[^"]*"')  # once escapes are gone, a string is a quote to the next quote


def value_count(text: str, limit: int) -> int:
    """How many values and member names `text` holds, at most: exact when the quick count passes `limit`."""
    quick = sum(text.count(mark) for mark in _STRUCTURE) + 1
    if quick <= limit:
        return quick
    # `\\` then `\"`, left to right: what JSON's own escapes pair up; `\uXXXX` holds neither.
    bare = text.replace("\\\\", "").replace('\\"', "")
    outside = _STRING.sub("", bare)
    del bare
    return sum(outside.count(mark) for mark in _STRUCTURE) + 1

