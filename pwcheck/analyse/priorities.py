"""What to change first: one ordered list, one line per account.

Tiers, in order: a pwned password that is also used elsewhere (every account in its
group is open to credential stuffing), then stale passwords (older than a breach of
their contact) together with the other accounts that share a stale password, then pwned
passwords used once, then passwords reused but not otherwise known to be exposed; then
weak passwords (a strength score below the threshold, weakest first) and logins at an
unsecured site (plain http to a public host), neither known to be exposed. Last,
"check": credentials of a breached contact whose change time is unknown (the person may
know whether they changed it since). Within a tier the most exposed come first. Reasons name contacts and reuse ids, never
usernames, so `--redact` has nothing to mask in them.

Below all of those, "advice" (never a finding): accounts with nothing known against them
whose contact accepts passkeys (replace the password) or offers two-factor that the
export shows is not set up (or cannot tell). Every line whose contact a directory lists
carries the contact's own documentation link, whatever its tier.
"""

from __future__ import annotations

import sys
from typing import Iterable, Sequence

from pwcheck.analyse.accounts import account_key
from pwcheck.model.directory import ContactAdvice, Directories
from pwcheck.model.entry import Entry
from pwcheck.model.priority import TIERS, Priority, Tier

Ranked = tuple[tuple[object, ...], Tier, tuple[int, ...], str, int]


def prioritise(
    entries: Sequence[Entry], skip: frozenset[int] | set[int] = frozenset(),
    accounts: Iterable[tuple[int, ...]] = (),
    directories: Directories | None = None,
) -> list[Priority]:
    """The ordered list of accounts to change; entries not at risk (or in `skip`) are left out.

    `accounts` are the accounts held by several entries (`analyse.accounts.group_accounts`);
    every other entry is an account of its own. An account is placed by the worst of its
    current passwords (superseded ones never place it), and ties are broken by the
    account's key, never by its position, so the list is the same in any argument order.
    `directories` (after `analyse`) give the advice tier and the links.
    """
    stale_groups: dict[str, list[str]] = {}
    for entry in entries:
        if entry.stale is True and entry.reuse_group:
            stale_groups.setdefault(entry.reuse_group, []).append(entry.domain or "(no site)")
    ranked: list[Ranked] = []
    grouped: set[int] = set()
    for group in accounts:
        grouped.update(group)
        _rank(ranked, entries, tuple(i for i in group if i not in skip), stale_groups, directories)
    for index in range(len(entries)):
        if index not in grouped and index not in skip:
            _rank(ranked, entries, (index,), stale_groups, directories)
    ranked.sort(key=lambda item: item[0])  # unique keys (they end with the account key)
    return [
        Priority(rank, tier, entries[chosen].domain, entries[chosen].credential.username, idx, reason,
                 _link(directories.advice(entries[chosen].domain) if directories else None))
        for rank, (_, tier, idx, reason, chosen) in enumerate(ranked, start=1)
    ]


def _rank(
    ranked: list[Ranked], entries: Sequence[Entry], indexes: tuple[int, ...], stale_groups: dict[str, list[str]],
    directories: Directories | None = None,
) -> None:
    """Add one account (`indexes`: its entries) to `ranked` if something is known against a current password."""
    best: tuple[tuple[object, ...], Tier, str, int] | None = None
    # A TOTP secret is the account's, whichever copy holds it: one copy with a secret means two-factor
    # is set up; "not set up here" needs a copy that could hold one and does not.
    stored = [entries[index].credential.totp_stored for index in indexes]
    totp = True if True in stored else False if False in stored else None
    for index in indexes:
        entry = entries[index]
        if entry.superseded is not None:
            continue
        placed = _place(entry, stale_groups) or _advice(entry, directories, totp)
        if placed is None:
            continue
        tier, order, reason = placed
        key = (TIERS.index(tier), *order, reason, entry.credential.source, entry.credential.line or 0)
        if best is None or key < best[0]:
            best = (key, tier, reason, index)
    if best is not None:
        key, tier, reason, chosen = best
        # Interned: most accounts of a tier give the same words ("seen 1 time"); one copy each
        # weighed on a 100,000-row audit's peak (benchmarks/memory.py).
        ranked.append(((*key[:-3], account_key(entries[chosen])), tier, indexes, sys.intern(reason), chosen))
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
    http = "; its site is plain http: the password crossed the network in clear" if entry.insecure_url else ""
    if entry.weak:
        score = entry.credential.strength
        return "weak", (score,), f"weak password (strength {score}/4: easy to guess){http}{unknown}"
    if entry.insecure_url:
        return "unsecured", (), f"{http.lstrip('; ')}{unknown}"
    if unknown:
        return "check", (), unknown.lstrip("; ")
    return None


def _advice(entry: Entry, directories: Directories | None, stored: bool | None) -> tuple[Tier, tuple[object, ...], str] | None:
    """The advice tier for an account with nothing against it: passkeys to replace the password, two-factor to add."""
    advice = directories.advice(entry.domain) if directories is not None else None
    if advice is None:
        return None
    parts: list[tuple[int, str]] = []
    passkeys = advice.passkeys if entry.passkey_available else None
    if passkeys is not None and passkeys.replaces_password:
        parts.append((0, "this contact accepts passkeys: replace the password"))
    elif passkeys is not None:
        parts.append((3, "this contact accepts a passkey as a second factor"))
    twofactor = advice.twofactor if entry.twofactor_available else None
    if twofactor is not None and stored is not True:
        methods = ", ".join(twofactor.methods)
        if stored is False:
            parts.append((1, f"two-factor available ({methods}), not set up here"))
        else:  # the format cannot carry a TOTP secret: available, maybe in use
            parts.append((2, f"two-factor available ({methods})"))
    if not parts:
        return None
    return "advice", (min(order for order, _ in parts),), "; ".join(text for _, text in parts)


def _link(advice: ContactAdvice | None) -> str | None:
    """The contact's own page: passkeys' when they replace the password, else two-factor's, else passkeys'."""
    if advice is None:
        return None
    passkeys = advice.passkeys.documentation if advice.passkeys else None
    twofactor = advice.twofactor.documentation if advice.twofactor else None
    if advice.passkeys is not None and advice.passkeys.replaces_password and passkeys:
        return passkeys
    return twofactor or passkeys


def _unknown_note(entry: Entry) -> str:
    """`; <contact> breached <date>: changed since? unknown` when the verdict is unknown for a breached contact."""
    if entry.stale is not None or not entry.breaches:
        return ""
    relevant = [b for b in entry.breaches if b.counts_for_stale]
    if not relevant:
        return ""
    latest = max(relevant, key=lambda b: b.breach_date)
    return f"; {latest.title} breached {latest.breach_date.isoformat()}: changed since? unknown"
