"""What to change first: one ordered list, one line per account.

Tiers, in order: a pwned password that is also used elsewhere (every account in its
group is open to credential stuffing), then stale passwords (older than a breach of
their contact) together with the other accounts that share a stale password, then pwned
passwords used once, then passwords reused but not otherwise known to be exposed. Last,
"check": credentials of a breached contact whose change time is unknown (the person may
know whether they changed it since). Within a tier the most exposed come first. Reasons name contacts and reuse ids, never
usernames, so `--redact` has nothing to mask in them.
"""

from __future__ import annotations

from typing import Hashable, Sequence

from pwcheck.analyse.reuse import account_key, repeated_digests
from pwcheck.model.entry import Entry
from pwcheck.model.priority import TIERS, Priority, Tier


def prioritise(entries: Sequence[Entry], skip: frozenset[int] | set[int] = frozenset()) -> list[Priority]:
    """The ordered list of accounts to change; entries not at risk (or in `skip`) are left out."""
    stale_groups: dict[str, list[str]] = {}
    for entry in entries:
        if entry.stale is True and entry.reuse_group:
            stale_groups.setdefault(entry.reuse_group, []).append(entry.domain or "(no site)")
    # An account is every entry with its username, contact and password (copies of one
    # login); a password stored once is an account of its own, without building a key.
    repeated = repeated_digests(entries)
    accounts: dict[tuple[Hashable, bytes], list[int]] = {}
    ranked: list[tuple[tuple[object, ...], Tier, list[int], str]] = []
    for index, entry in enumerate(entries):
        if index in skip:
            continue
        if entry.credential.sha1 in repeated:
            accounts.setdefault((account_key(entry), entry.credential.sha1), []).append(index)
        else:
            _rank(ranked, entries, [index], stale_groups)
    for indexes in accounts.values():
        _rank(ranked, entries, indexes, stale_groups)
    ranked.sort(key=lambda item: item[0])  # unique keys (they end with the first index): order of ranking is moot
    return [
        Priority(rank, tier, entries[idx[0]].domain, entries[idx[0]].credential.username, tuple(idx), reason)
        for rank, (_, tier, idx, reason) in enumerate(ranked, start=1)
    ]


def _rank(
    ranked: list[tuple[tuple[object, ...], Tier, list[int], str]], entries: Sequence[Entry], indexes: list[int],
    stale_groups: dict[str, list[str]],
) -> None:
    """Add one account (`indexes`: its entries, first first) to `ranked` if something is known against it."""
    placed = _place(entries[indexes[0]], stale_groups)
    if placed is not None:
        tier, order, reason = placed
        ranked.append(((TIERS.index(tier), *order, indexes[0]), tier, indexes, reason))


def _place(entry: Entry, stale_groups: dict[str, list[str]]) -> tuple[Tier, tuple[object, ...], str] | None:
    """(tier, order within the tier, reason), or None when nothing is known against it."""
    count = entry.pwned_count or 0
    seen = f"seen {count:,} time{'s' if count != 1 else ''}"
    unknown = _unknown_note(entry)
    if entry.stale is True:
        unknown = f"; stale: {entry.stale_reason}"  # a pwned password that is also stale says both
    group = f" [{entry.reuse_group}]" if entry.reuse_group else ""
    others = f"{entry.reused} other account{'s' if entry.reused != 1 else ''}"
    if entry.pwned and entry.reused:
        reason = f"{seen}; also used for {others}{group}{unknown}"
        return "pwned-reused", (-count, entry.reuse_group or ""), reason
    if entry.stale is True:
        newest = max((b.breach_date.toordinal() for b in entry.breaches), default=0)
        reason = entry.stale_reason or "older than a breach of this contact"
        if entry.pwned:
            reason += f"; also pwned, {seen}"
        if entry.reused:
            reason += f"; also used for {others}{group}"
        return "stale", (0, -newest), reason
    if entry.reuse_group and entry.reuse_group in stale_groups:
        where = ", ".join(sorted(set(stale_groups[entry.reuse_group]) - {entry.domain or "(no site)"})) or "this contact"
        return "stale", (1, 0), f"same password as the stale one at {where}{group}: assume it is burned"
    if entry.pwned:
        return "pwned", (-count,), f"{seen}{unknown}"
    if entry.reused:
        return "reused", (-entry.reused, entry.reuse_group or ""), f"same password as {others}{group}{unknown}"
    if unknown:
        return "check", (), unknown.lstrip("; ")
    return None


def _unknown_note(entry: Entry) -> str:
    """`; <contact> breached <date>: changed since? unknown` when the verdict is unknown for a breached contact."""
    relevant = [b for b in entry.breaches if b.counts_for_stale]
    if entry.stale is not None or not relevant:
        return ""
    latest = max(relevant, key=lambda b: b.breach_date)
    return f"; {latest.title} breached {latest.breach_date.isoformat()}: changed since? unknown"
