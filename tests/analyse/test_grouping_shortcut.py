"""Accounts, reuse groups and priorities skip what is stored once: the answers are those of grouping everything.

The references below group every entry by its account key and number reuse groups the
same way, without the shortcuts (`repeated_digests`, hashing account keys first) that
keep a 100,000-row audit's memory down; and every answer is the same in any input order,
the two-factor / passkey advice tier (always last, with its contact's link) included.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Sequence

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pwcheck.analyse.accounts import group_accounts
from pwcheck.analyse.priorities import prioritise
from pwcheck.analyse.reuse import reuse_groups
from pwcheck.model.credential import Credential, password_sha1
from pwcheck.model.directory import ContactAdvice, Directories, PasskeySite, TwoFactorSite
from pwcheck.model.entry import Entry
from pwcheck.model.priority import TIERS

# a.example offers two-factor, b.example accepts passkeys (sign in without the password).
DIRECTORIES = Directories.not_fetched("test")
DIRECTORIES.by_contact = {
    "a.example": ContactAdvice(twofactor=TwoFactorSite("A", ("a.example",), ("totp",), "https://a.example/2fa")),
    "b.example": ContactAdvice(passkeys=PasskeySite("b.example", "allowed", None, "https://b.example/passkeys")),
}


def reference_accounts(entries: Sequence[Entry]) -> list[tuple[int, ...]]:
    groups: dict[tuple[str, str, str], list[int]] = {}
    for index, entry in enumerate(entries):
        groups.setdefault(entry.account, []).append(index)
    return [tuple(indexes) for _, indexes in sorted(groups.items()) if len(indexes) > 1]


def reference_reuse(entries: Sequence[Entry]) -> list[tuple[str | None, int]]:
    accounts: dict[bytes, set[tuple[str, str, str]]] = {}
    for entry in entries:
        accounts.setdefault(entry.credential.sha1, set()).add(entry.account)
    shared = sorted((sorted(keys), digest) for digest, keys in accounts.items() if len(keys) > 1)
    ids = {digest: f"R{n}" for n, (_, digest) in enumerate(shared, start=1)}
    return [
        (ids[e.credential.sha1], len(accounts[e.credential.sha1]) - 1) if e.credential.sha1 in ids else (None, 0)
        for e in entries
    ]


entry_parts = st.tuples(
    st.sampled_from([None, "a.example", "b.example"]),  # domain
    st.sampled_from([None, "u", "U", "v"]),  # username
    st.sampled_from(["one", "two", "three", "four", "five", "six"]),  # password
    st.sampled_from([None, 0, 3, 40]),  # count
    st.sampled_from([None, True, False]),  # stale
    st.sampled_from([None, "Alarm"]),  # title
    st.sampled_from([None, 0, 2, 4]),  # strength (weak below 3)
    st.sampled_from([None, False, True]),  # insecure_url
    st.sampled_from([None, True, False]),  # TOTP secret stored (None: the format cannot carry one)
)


def build(parts: list[tuple]) -> list[Entry]:  # type: ignore[type-arg]
    return [
        Entry(
            Credential(f"f{i % 3}.csv", "chromium", i, title, f"https://{domain}/" if domain else None, user,
                       password_sha1(pw), strength=strength, totp_stored=totp),
            domain, count, stale=stale, stale_reason="older than a breach" if stale else None,
            weak=strength < 3 if strength is not None else None, insecure_url=insecure,
            twofactor_available=domain == "a.example" if domain else None,
            passkey_available=domain == "b.example" if domain else None,
        )
        for i, (domain, user, pw, count, stale, title, strength, insecure, totp) in enumerate(parts)
    ]


@settings(max_examples=300, deadline=None)
# Found by this test: two copies of one account, one holding a TOTP secret, once got two-factor advice.
@example(parts=[("a.example", None, "one", None, None, None, None, None, None),
                ("a.example", None, "one", None, None, None, None, None, True)], skip=set(), order=random.Random(0))
@given(parts=st.lists(entry_parts, max_size=14), skip=st.sets(st.integers(0, 13), max_size=3),
       order=st.randoms(use_true_random=False))
def test_shortcuts_give_the_answers_of_grouping_everything_in_any_order(parts: list[tuple], skip: set[int], order) -> None:  # type: ignore[type-arg,no-untyped-def]
    entries = build(parts)
    accounts = group_accounts(entries)
    assert accounts == reference_accounts(entries)
    groups = reuse_groups(entries)
    assert groups == reference_reuse(entries)
    entries = [replace(e, reuse_group=g, reused=n) for e, (g, n) in zip(entries, groups)]
    ranked = prioritise(entries, skip, accounts, DIRECTORIES)
    assert sorted(i for p in ranked for i in p.entries) == sorted(set(i for p in ranked for i in p.entries))
    tiers = [TIERS.index(p.tier) for p in ranked]
    assert tiers == sorted(tiers)  # advice (last of TIERS) below every finding, check included
    for item in ranked:
        placed = [entries[i] for i in item.entries]
        findings = any(e.pwned or e.stale is True or e.reuse_group or (e.stale is None and e.breaches) or e.weak
                       or e.insecure_url for e in placed)
        assert (item.tier == "advice") == (not findings)  # the worst current copy places the account
        assert item.link == {"a.example": "https://a.example/2fa", "b.example": "https://b.example/passkeys"}.get(
            item.domain or "")
        if item.tier == "advice" and item.domain == "a.example":
            assert all(e.credential.totp_stored is not True for e in placed)
            assert ("not set up here" in item.reason) == any(e.credential.totp_stored is False for e in placed)
    advised = {i for p in ranked if p.tier == "advice" for i in p.entries}
    for index, entry in enumerate(entries):  # an account with a TOTP secret stored gets no two-factor advice
        if entry.domain == "a.example" and entry.credential.totp_stored is True and not entry.pwned and not entry.stale \
                and not entry.reuse_group and all(entries[i].credential.totp_stored for i in _account_of(index, accounts)):
            assert index not in advised

    # The same entries in another order: the same accounts, groups and priorities, moved along.
    moved = list(range(len(parts)))
    order.shuffle(moved)
    shuffled = build([parts[i] for i in moved])
    where = {old: new for new, old in enumerate(moved)}
    shuffled_accounts = group_accounts(shuffled)
    assert sorted(tuple(sorted(where[i] for i in g)) for g in accounts) == sorted(shuffled_accounts)
    shuffled_groups = reuse_groups(shuffled)
    assert [shuffled_groups[where[i]] for i in range(len(parts))] == groups
    shuffled = [replace(e, reuse_group=g, reused=n) for e, (g, n) in zip(shuffled, shuffled_groups)]
    again = prioritise(shuffled, {where[i] for i in skip if i in where}, shuffled_accounts, DIRECTORIES)
    assert [(p.rank, p.tier, p.domain, p.reason, p.link, sorted(moved[i] for i in p.entries)) for p in again] == [
        (p.rank, p.tier, p.domain, p.reason, p.link, sorted(p.entries)) for p in ranked]


def _account_of(index: int, accounts: list[tuple[int, ...]]) -> tuple[int, ...]:
    return next((group for group in accounts if index in group), (index,))
