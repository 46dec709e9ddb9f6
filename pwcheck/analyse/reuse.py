"""Reuse: one password on several accounts makes them one reuse group.

An account is (contact, username) — plus the title for credentials without a site
(`pwcheck.analyse.accounts.account_key`) — so the same login exported from two browsers
is one account seen twice, not reuse, while two usernames at one contact with one
password are. A password an account has since replaced (`superseded`) is left out: it
is not in use there any more. Groups get opaque ids `R1`, `R2`, ... in the order of
their smallest account key, so ids do not depend on the order of the inputs, and
nothing about an id depends on the password or its hash: ids cannot be turned back into
anything. The hash is only a dictionary key in memory here.
"""

from __future__ import annotations

from typing import Container, Iterable, Sequence

from pwcheck.analyse.accounts import AccountKey, account_key
from pwcheck.model.entry import Entry


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


def reuse_groups(entries: Sequence[Entry], exclude: Container[int] = frozenset()) -> list[tuple[str | None, int]]:
    """Per entry, in order: (group id or None, how many *other* accounts share the password).

    Entries in `exclude` (superseded passwords) are in no group and count for none.
    """
    repeated = repeated_digests(e for i, e in enumerate(entries) if i not in exclude)
    accounts: dict[bytes, set[AccountKey]] = {}
    for index, entry in enumerate(entries):
        if entry.credential.sha1 in repeated and index not in exclude:
            accounts.setdefault(entry.credential.sha1, set()).add(account_key(entry))
    # Ordered by the accounts sharing each password; the digest only breaks a tie between
    # two passwords both held by exactly the same accounts.
    shared = sorted((sorted(keys), digest) for digest, keys in accounts.items() if len(keys) > 1)
    ids = {digest: f"R{number}" for number, (_, digest) in enumerate(shared, start=1)}
    result: list[tuple[str | None, int]] = []
    for index, entry in enumerate(entries):
        digest = entry.credential.sha1
        if digest not in ids or index in exclude:
            result.append((None, 0))
        else:
            result.append((ids[digest], len(accounts[digest]) - 1))
    return result
