"""Matching the directories to contacts with the audit's own domain rules; advice, never findings."""

from __future__ import annotations

from pwcheck.analyse.assemble import analyse
from pwcheck.audit import rank
from pwcheck.model.credential import Credential, password_sha1
from pwcheck.model.directory import Directories, Directory, PasskeySite, TwoFactorSite
from pwcheck.model.entry import Entry
from pwcheck.model.findings import AuditReport, Stats


def entry(url: str | None, user: str = "alice", password: str | None = None, totp: bool | None = None, count: int = 0) -> Entry:
    from pwcheck.analyse.domains import contact_domain

    credential = Credential("x.json", "bitwarden-json", None, "t", url, user, password_sha1(password or f"{user}-{url}"), totp_stored=totp)
    return Entry(credential, contact_domain(url), count)


def directories() -> Directories:
    return Directories(
        Directory("twofactor", sites=[
            TwoFactorSite("AWS", ("aws.amazon.com",), ("totp", "u2f"), "https://aws.example/mfa"),
            TwoFactorSite("Amazon", ("amazon.com", "amazon.de"), ("sms", "totp"), "https://amazon.example/2sv"),
            TwoFactorSite("34SP", ("34sp.com",), ("totp",), None),
            TwoFactorSite("Dropbox", ("dropbox.com", "getdropbox.com"), ("totp",), "https://dropbox.example/2fa"),
        ], available=True),
        Directory("passkeys", sites=[PasskeySite("dropbox.com", "allowed", "allowed", "https://dropbox.example/pk")],
                  available=True),
    )


def audit(entries: list[Entry], dirs: Directories | None) -> AuditReport:
    report = AuditReport(entries=entries, skipped=[], errors=[], stats=Stats(credentials=len(entries)))
    return rank(analyse(report, None, None, dirs))


def test_contacts_meet_directory_domains_by_the_same_rules() -> None:
    report = audit([
        entry("https://www.amazon.de/login"), entry("https://console.aws.amazon.com/"), entry("https://WWW.34sp.COM/"),
        entry("https://www.dropbox.com/", totp=True), entry("https://nowhere.example/"), entry(None),
    ], directories())
    facts = [(e.domain, e.twofactor_available, e.passkey_available) for e in report.entries]
    assert facts == [("amazon.de", True, False), ("amazon.com", True, False), ("34sp.com", True, False),
                     ("dropbox.com", True, True), ("nowhere.example", False, False), (None, None, None)]
    assert report.directories is not None
    advice = report.directories.by_contact
    assert advice["amazon.com"].twofactor is not None and advice["amazon.com"].twofactor.name == "Amazon"  # its own domain wins over AWS
    assert advice["dropbox.com"].passkeys is not None
    assert set(advice) == {"amazon.de", "amazon.com", "34sp.com", "dropbox.com"}


def test_advice_is_the_last_tier_with_the_contacts_link_and_no_finding() -> None:
    report = audit([
        entry("https://www.amazon.com/", user="a", totp=False), entry("https://www.amazon.com/", user="b", totp=None),
        entry("https://www.dropbox.com/", user="c", totp=True), entry("https://nowhere.example/", user="d", count=5),
        entry("https://www.amazon.de/", user="e", totp=True),
    ], directories())
    lines = [(p.tier, p.username, p.reason, p.link) for p in report.priorities]
    assert lines == [
        ("pwned", "d", "seen 5 times", None),
        ("advice", "c", "this contact accepts passkeys: replace the password", "https://dropbox.example/pk"),
        ("advice", "a", "two-factor available (sms, totp), not set up here", "https://amazon.example/2sv"),
        ("advice", "b", "two-factor available (sms, totp)", "https://amazon.example/2sv"),
    ]  # e: TOTP stored, no passkeys: nothing to advise
    assert report.finding_entries == 1 and report.exit_code == 1


def test_without_directories_every_fact_is_unknown() -> None:
    report = audit([entry("https://www.amazon.com/")], None)
    assert report.entries[0].twofactor_available is None and report.entries[0].passkey_available is None
    assert [p.tier for p in report.priorities] == []
    unavailable = Directories.not_fetched("offline")
    report = audit([entry("https://www.amazon.com/")], unavailable)
    assert report.entries[0].twofactor_available is None
