"""Breach catalogue parsing and matching, stale verdicts to the day, reuse groups, priorities."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pwcheck.analyse.assemble import analyse as _analyse
from pwcheck.analyse.assemble import breaches_by_contact
from pwcheck.analyse.priorities import prioritise
from pwcheck.analyse.reuse import reuse_groups
from pwcheck.analyse.stale import stale_verdict
from pwcheck.audit import rank
from pwcheck.breaches.catalogue import CatalogueError, parse_catalogue
from pwcheck.model.breach import Breach, Catalogue
from pwcheck.model.credential import Credential, password_sha1
from pwcheck.model.entry import Entry
from tests.support.breach_fixture import CATALOGUE, breach


def analyse(report, cat, accounts=None):  # type: ignore[no-untyped-def]
    """The pipeline's analyse and rank stages, as an audit runs them."""
    return rank(_analyse(report, cat, accounts))


BREACH = Breach("Shop", "Shop", "shop.example", date(2020, 5, 1))


def catalogue(items: list[dict]) -> Catalogue:
    breaches, _ = parse_catalogue(items)
    return Catalogue(breaches=breaches, available=True)


def test_parse_drops_fabricated_counts_malformed_and_keeps_kinds() -> None:
    items = CATALOGUE + [{"Name": "NoDate", "BreachDate": "soon"}, "not an object", {"BreachDate": "2020-01-01"}]
    breaches, malformed = parse_catalogue(items)
    names = {b.name: b for b in breaches}
    assert "FakeNet" not in names and malformed == 3
    assert names["GovSpam"].kind == "spam list" and not names["GovSpam"].counts_for_stale
    assert names["ComboList"].kind == "stealer log" and names["SomeMalware"].kind == "malware"
    assert names["ExampleBank"].kind == "breach" and names["ExampleBank"].breach_date == date(2023, 1, 1)
    assert names["Muenchen"].data_classes == ("Email addresses", "Passwords", "Names")


def test_parse_rejects_a_non_list_without_quoting_it() -> None:
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue({"secret": "value"})
    assert "value" not in str(raised.value) and "dict" in str(raised.value)


def test_matching_uses_the_audit_domain_rules() -> None:
    index = breaches_by_contact(catalogue(CATALOGUE).breaches)
    assert [b.name for b in index["example.org"]] == ["ExampleOrgOld", "ExampleOrgForum"]  # oldest first
    assert [b.name for b in index["xn--mnchen-3ya.de"]] == ["Muenchen"]  # Unicode domain in catalogue
    assert [b.name for b in index["example.com"]] == ["ExampleBank"]  # subdomain in catalogue
    assert "example.net" not in index  # fabricated
    assert "" not in index and None not in index  # empty Domain matches nothing


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "changed,expected",
    [
        ("2020-04-30T23:59:59+00:00", True),
        ("2020-05-01T00:00:00+00:00", True),  # on the breach day: cannot tell, so burned
        ("2020-05-01T23:59:59+00:00", True),
        ("2020-05-02T00:00:00+00:00", False),  # first instant of the next UTC day
        ("2020-05-02T01:00:00+02:00", True),  # local date is the 2nd, but it is 23:00Z on the 1st
        ("2020-05-01T20:00:00-05:00", False),  # local date is the 1st, but it is 01:00Z on the 2nd
        ("2020-05-01T23:30:00", True),  # naive is UTC, as sources write it
    ],
)
def test_stale_to_the_day_in_utc(changed: str, expected: bool) -> None:
    stale, reason = stale_verdict([BREACH], at(changed), "password", True)
    assert stale is expected
    assert reason and "2020-05-01" in reason


def test_stale_unknowns_stay_unknown() -> None:
    assert stale_verdict([BREACH], None, None, True) == (
        None, "changed since 2020-05-01? unknown: the export has no password-change time")
    assert stale_verdict([BREACH], at("2021-01-01T00:00:00+00:00"), "password", False)[0] is None
    assert stale_verdict([], None, None, False)[0] is None  # no catalogue: never "not stale"


def test_edit_times_are_named_in_the_reason() -> None:
    before, why_before = stale_verdict([BREACH], at("2020-04-01T00:00:00+00:00"), "edit", True)
    after, why_after = stale_verdict([BREACH], at("2020-06-01T00:00:00+00:00"), "edit", True)
    assert before is True and "edit" in why_before  # the password is at least as old as the edit
    assert after is None and "edit" in why_after  # an edit after the breach says nothing of the password


def test_several_breaches_latest_decides_and_spam_lists_do_not_count() -> None:
    later = Breach("Shop2", "Shop again", "shop.example", date(2022, 3, 3))
    spam = Breach("Spam", "Spam", "shop.example", date(2030, 1, 1), kind="spam list")
    stale, reason = stale_verdict([BREACH, later, spam], at("2021-01-01T00:00:00+00:00"), "password", True)
    assert stale is True and "Shop again" in reason
    assert stale_verdict([BREACH, later, spam], at("2022-03-04T00:00:00+00:00"), "password", True)[0] is False
    assert stale_verdict([spam], None, None, True)[0] is False
    assert stale_verdict([], None, None, True) == (False, None)


def entry(domain: str | None, username: str | None, password: str, *, title: str | None = None,
          count: int | None = 0, changed: str | None = None) -> Entry:
    credential = Credential(
        "f.csv", "chromium", 1, title, f"https://{domain}/" if domain else None, username, password_sha1(password),
        password_changed=at(changed) if changed else None, changed_kind="password" if changed else None,
    )
    return Entry(credential, domain, count)


def test_reuse_groups_numbered_by_their_accounts_and_same_account_is_not_reuse() -> None:
    entries = [
        entry("a.example", "u", "one"), entry("b.example", "u", "two"), entry("c.example", "v", "one"),
        entry("a.example", "U", "one"),  # the same account as the first, exported twice (case-insensitive)
        entry("d.example", "w", "two"), entry("e.example", "x", "solo"), entry("e.example", "x", "solo"),
        entry(None, None, "pin", title="Alarm"), entry(None, None, "pin", title="Safe"),
    ]
    expected = [("R2", 1), ("R3", 1), ("R2", 1), ("R2", 1), ("R3", 1), (None, 0), (None, 0), ("R1", 1), ("R1", 1)]
    assert reuse_groups(entries) == expected
    # Numbered by the accounts that share each password (no site sorts first), not by position.
    assert reuse_groups(entries[::-1]) == expected[::-1]


def test_reuse_ids_do_not_depend_on_the_password() -> None:
    first = [entry("a.example", "u", "alpha"), entry("b.example", "u", "alpha")]
    second = [entry("a.example", "u", "omega"), entry("b.example", "u", "omega")]
    assert reuse_groups(first) == reuse_groups(second) == [("R1", 1), ("R1", 1)]


def test_priorities_order_pwned_reused_then_stale_then_pwned_then_reused() -> None:
    cat = catalogue([breach("Old", "stale.example", "2021-01-01")])
    entries = [
        entry("reused.example", "r", "shared-clean"),
        entry("pwned.example", "p", "solo-pwned", count=50),
        entry("stale.example", "s", "solo-old", changed="2020-01-01T00:00:00+00:00"),
        entry("both.example", "b", "shared-pwned", count=7),
        entry("other.example", "r", "shared-clean"),
        entry("both2.example", "b", "shared-pwned", count=7),
        entry("fine.example", "f", "solo-fine"),
    ]
    from pwcheck.model.findings import AuditReport, Stats

    report = analyse(AuditReport(entries, [], [], Stats()), cat)
    order = [(p.tier, p.domain) for p in report.priorities]
    assert order == [
        ("pwned-reused", "both.example"), ("pwned-reused", "both2.example"), ("stale", "stale.example"),
        ("pwned", "pwned.example"), ("reused", "other.example"), ("reused", "reused.example"),  # ties: by account, not position
    ]
    assert [p.rank for p in report.priorities] == [1, 2, 3, 4, 5, 6]
    assert report.exit_code == 1 and report.stale_entries == 1


def test_reuse_of_a_stale_password_puts_the_other_contact_at_risk() -> None:
    cat = catalogue([breach("Old", "stale.example", "2021-01-01")])
    entries = [entry("stale.example", "s", "shared", changed="2020-01-01T00:00:00+00:00"), entry("clean.example", "c", "shared")]
    from pwcheck.model.findings import AuditReport, Stats

    report = analyse(AuditReport(entries, [], [], Stats()), cat)
    assert [(p.tier, p.domain) for p in report.priorities] == [("stale", "stale.example"), ("stale", "clean.example")]
    assert "stale.example" in report.priorities[1].reason and "R1" in report.priorities[1].reason


def test_stale_alone_makes_exit_1_and_unknown_does_not() -> None:
    from pwcheck.model.findings import AuditReport, Stats

    cat = catalogue([breach("Old", "shop.example", "2021-01-01")])
    old = analyse(AuditReport([entry("shop.example", "u", "x", changed="2020-12-31T23:59:59+00:00")], [], [], Stats()), cat)
    new = analyse(AuditReport([entry("shop.example", "u", "x", changed="2021-01-02T00:00:00+00:00")], [], [], Stats()), cat)
    unknown = analyse(AuditReport([entry("shop.example", "u", "x")], [], [], Stats()), cat)
    none = analyse(AuditReport([entry("shop.example", "u", "x", changed="2020-01-01T00:00:00+00:00")], [], [], Stats()), None)
    assert (old.exit_code, new.exit_code, unknown.exit_code, none.exit_code) == (1, 0, 0, 0)
    assert old.entries[0].is_finding and not unknown.entries[0].is_finding
    assert none.entries[0].stale is None and [p.tier for p in unknown.priorities] == ["check"]


def test_review_and_priorities_share_the_finding_predicate() -> None:
    from pwcheck.model.findings import AuditReport, Stats
    from pwcheck.personal.review import is_finding

    cat = catalogue([breach("Old", "shop.example", "2021-01-01")])
    stale = entry("shop.example", "u", "x", changed="2020-06-01T00:00:00+00:00")
    pwned = entry("other.example", "v", "y", count=3)
    report = analyse(AuditReport([stale, pwned], [], [], Stats()), cat)
    assert [is_finding(e) for e in report.entries] == [True, True]  # stale counts for ignore rules and --new
    assert [p.domain for p in prioritise(report.entries, skip={0})] == ["other.example"]  # an ignored one leaves the list


def test_matching_only_the_audits_contacts_gives_their_breaches_unchanged() -> None:
    breaches = catalogue(CATALOGUE).breaches
    everything = breaches_by_contact(breaches)
    contacts = {"example.org", "xn--mnchen-3ya.de", "nobody.example", "example.com"}
    assert breaches_by_contact(breaches, contacts) == {c: everything[c] for c in contacts if c in everything}
    assert set(breaches_by_contact(breaches, contacts)) == {"example.org", "xn--mnchen-3ya.de", "example.com"}
