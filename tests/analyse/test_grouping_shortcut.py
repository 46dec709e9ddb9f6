"""Reuse groups and priorities skip the passwords stored once: the answers are those of grouping everything."""

from __future__ import annotations

from dataclasses import replace
from typing import Hashable, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from pwcheck.analyse.priorities import TIERS, Priority, _place, prioritise
from pwcheck.analyse.reuse import account_key, reuse_groups
from pwcheck.model.credential import Credential, password_sha1
from pwcheck.model.entry import Entry


def reference_reuse(entries: Sequence[Entry]) -> list[tuple[str | None, int]]:
    """Every entry grouped, as before the shortcut."""
    accounts: dict[bytes, dict[Hashable, None]] = {}
    for entry in entries:
        accounts.setdefault(entry.credential.sha1, {})[account_key(entry)] = None
    ids: dict[bytes, str] = {}
    out: list[tuple[str | None, int]] = []
    for entry in entries:
        sharing = len(accounts[entry.credential.sha1])
        if sharing < 2:
            out.append((None, 0))
        else:
            out.append((ids.setdefault(entry.credential.sha1, f"R{len(ids) + 1}"), sharing - 1))
    return out


def reference_priorities(entries: Sequence[Entry], skip: set[int]) -> list[Priority]:
    stale_groups: dict[str, list[str]] = {}
    for entry in entries:
        if entry.stale is True and entry.reuse_group:
            stale_groups.setdefault(entry.reuse_group, []).append(entry.domain or "(no site)")
    accounts: dict[tuple[Hashable, bytes], list[int]] = {}
    for index, entry in enumerate(entries):
        if index not in skip:
            accounts.setdefault((account_key(entry), entry.credential.sha1), []).append(index)
    ranked = []
    for indexes in accounts.values():
        placed = _place(entries[indexes[0]], stale_groups)
        if placed is not None:
            tier, order, reason = placed
            ranked.append(((TIERS.index(tier), *order, indexes[0]), tier, indexes, reason))
    ranked.sort(key=lambda item: item[0])
    return [
        Priority(rank, tier, entries[idx[0]].domain, entries[idx[0]].credential.username, tuple(idx), reason)
        for rank, (_, tier, idx, reason) in enumerate(ranked, start=1)
    ]


entry_parts = st.tuples(
    st.sampled_from([None, "a.example", "b.example"]),  # domain
    st.sampled_from([None, "u", "U", "v"]),  # username
    st.sampled_from(["one", "two", "three", "four", "five", "six"]),  # password
    st.sampled_from([None, 0, 3, 40]),  # count
    st.sampled_from([None, True, False]),  # stale
    st.sampled_from([None, "Alarm"]),  # title
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(entry_parts, max_size=14), skip=st.sets(st.integers(0, 13), max_size=3))
def test_shortcut_gives_the_same_groups_and_priorities(parts: list[tuple], skip: set[int]) -> None:  # type: ignore[type-arg]
    entries = [
        Entry(
            Credential("f.csv", "chromium", i, title, f"https://{domain}/" if domain else None, user, password_sha1(pw)),
            domain, count, stale=stale, stale_reason="older than a breach" if stale else None,
        )
        for i, (domain, user, pw, count, stale, title) in enumerate(parts)
    ]
    groups = reuse_groups(entries)
    assert groups == reference_reuse(entries)
    entries = [replace(e, reuse_group=g, reused=n) for e, (g, n) in zip(entries, groups)]
    assert prioritise(entries, skip) == reference_priorities(entries, skip)
