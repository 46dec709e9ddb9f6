"""Reuse: one password on several accounts makes them one reuse group.

An account is (contact, username) — plus the title for credentials without a site — so
the same login exported from two browsers is one account seen twice, not reuse, while
two usernames at one contact with one password are. Groups get opaque ids `R1`, `R2`,
... in order of first appearance: nothing about the id depends on the password or its
hash, so ids cannot be linked across reports or turned back into anything. The hash is
only a dictionary key in memory here.
"""

from __future__ import annotations

from typing import Hashable, Iterable, Sequence

from pwcheck.model.entry import Entry


def account_key(entry: Entry) -> Hashable:
    """Who the credential logs in as, where: the unit reuse is counted in."""
    username = entry.credential.username.casefold() if entry.credential.username else None
    title = entry.credential.title if entry.domain is None else None
    return (entry.domain, username, title)


def repeated_digests(entries: Iterable[Entry]) -> set[bytes]:
    """The digests of passwords stored more than once: only those can be reused or copies of one login.

    Grouping looks only at these, so the usual password, stored once, costs no account
    key and no group of its own (per credential, those were tens of MB in a
    100,000-row audit).
    """
    seen: set[bytes] = set()
    repeated: set[bytes] = set()
    for entry in entries:
        digest = entry.credential.sha1
        (repeated if digest in seen else seen).add(digest)
    return repeated


def reuse_groups(entries: Sequence[Entry]) -> list[tuple[str | None, int]]:
    """Per entry, in order: (group id or None, how many *other* accounts share the password)."""
    repeated = repeated_digests(entries)
    accounts: dict[bytes, dict[Hashable, None]] = {}
    for entry in entries:
        if entry.credential.sha1 in repeated:
            accounts.setdefault(entry.credential.sha1, {})[account_key(entry)] = None
    ids: dict[bytes, str] = {}
    result: list[tuple[str | None, int]] = []
    for entry in entries:
        digest = entry.credential.sha1
        sharing = len(accounts[digest]) if digest in repeated else 1
        if sharing < 2:
            result.append((None, 0))
            continue
        if digest not in ids:
            ids[digest] = f"R{len(ids) + 1}"
        result.append((ids[digest], sharing - 1))
    return result
