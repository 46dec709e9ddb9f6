"""Accounts, not rows: the same login exported by several tools is one account with one verdict.

An account is a contact plus a username, compared case-insensitively (`casefold`); a
credential without a site is told apart by its title as well. People export the same
vault from a browser, a password manager and an old backup, so one account arrives as
several credentials. Counting, ranking and judging each copy on its own made the answer
depend on which file came first (issue 14): here every account gets one verdict built
only from what its copies say, never from their order.

- **Which password is current.** When the copies hold different passwords, the one with
  the latest *password-change* time is current and the others are superseded (kept in
  the report, not findings). That is decided only when every password of the account
  has such a time: an "any edit" time or no time at all cannot say which is newer, so
  then every password stays current and the worse verdict wins.
- **Stale, from the best time available.** Copies of one password may differ in what
  they know: one export has a change time, another none. A known verdict beats
  "unknown", and a copy that shows the password already existed before a breach makes
  every copy stale (the password was there to be stolen, whatever a later import says).

Most accounts are stored once; finding the few that are not costs one hash per entry
and a key only for entries whose hash repeats (the 100,000-row memory benchmark).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Iterable, Sequence

from pwcheck.model.entry import Entry

AccountKey = tuple[str, str, str]


def account_key(entry: Entry) -> AccountKey:
    """(contact, casefolded username, title when there is no contact): `Entry.account`."""
    return entry.account


def group_accounts(entries: Sequence[Entry]) -> list[tuple[int, ...]]:
    """The accounts held by more than one entry, as sorted entry indexes, ordered by account key.

    Entries not listed are accounts of their own.
    """
    seen: set[int] = set()
    repeated: set[int] = set()
    for entry in entries:
        hashed = hash(account_key(entry))
        (repeated if hashed in seen else seen).add(hashed)
    del seen
    groups: dict[AccountKey, list[int]] = {}
    for index, entry in enumerate(entries):
        key = account_key(entry)
        if hash(key) in repeated:
            groups.setdefault(key, []).append(index)
    return [tuple(indexes) for _, indexes in sorted(groups.items()) if len(indexes) > 1]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _by_password(entries: Sequence[Entry], group: Iterable[int]) -> dict[bytes, list[int]]:
    by_digest: dict[bytes, list[int]] = {}
    for index in group:
        by_digest.setdefault(entries[index].credential.sha1, []).append(index)
    return by_digest


def superseded(entries: Sequence[Entry], groups: Iterable[tuple[int, ...]]) -> dict[int, str]:
    """Entry index -> why its password is not the account's current one (see the module docstring)."""
    out: dict[int, str] = {}
    for group in groups:
        by_digest = _by_password(entries, group)
        if len(by_digest) < 2:
            continue
        newest: dict[bytes, tuple[datetime, int]] = {}
        for digest, indexes in by_digest.items():
            known = [
                (_utc(c.password_changed), index) for index in indexes
                if (c := entries[index].credential).password_changed is not None and c.changed_kind != "edit"
            ]
            if not known:
                break  # this password's age is unknown: nothing can be called older than it
            newest[digest] = max(known, key=lambda item: (item[0], entries[item[1]].credential.source))
        else:
            latest = max(moment for moment, _ in newest.values())
            witness = min(
                (entries[index].credential for moment, index in newest.values() if moment == latest),
                key=lambda c: (c.source, c.line or 0),
            )
            why = f"a newer password for this account is in {witness.source} (changed {latest.date().isoformat()})"
            for digest, (moment, _) in newest.items():
                if moment < latest:
                    out.update((index, why) for index in by_digest[digest])
    return out


def settle_stale(entries: list[Entry], groups: Iterable[tuple[int, ...]]) -> None:
    """Give every copy of one account's password the best-informed stale verdict, in place.

    True wins over False wins over None; among equal verdicts the reason is chosen by
    its text and source, so the outcome is the same in any argument order.
    """
    for group in groups:
        for indexes in _by_password(entries, group).values():
            if len(indexes) < 2:
                continue
            rank = {True: 0, False: 1, None: 2}
            best = min(
                indexes,
                key=lambda i: (rank[entries[i].stale], entries[i].stale_reason or "", entries[i].credential.source,
                               entries[i].credential.line or 0),
            )
            chosen = entries[best]
            for index in indexes:
                entry = entries[index]
                if entry.stale is chosen.stale:
                    continue
                reason = chosen.stale_reason
                if reason and entry.credential.source != chosen.credential.source:
                    reason += f" (as {chosen.credential.source} records it)"
                entries[index] = replace(entry, stale=chosen.stale, stale_reason=reason)
