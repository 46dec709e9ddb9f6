"""Contact domains, case by case, against the PSL snapshot bundled with tldextract."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pwcheck.analyse.domains import contact_domain, may_meet


@pytest.mark.parametrize(
    "url,domain",
    [
        ("https://www.example.com/login", "example.com"),
        ("https://WWW.Example.COM./", "example.com"),
        ("https://www.bbc.co.uk/", "bbc.co.uk"),
        ("https://alice.github.io/wiki", "alice.github.io"),
        ("https://bob.github.io/", "bob.github.io"),
        ("https://x.service.gov.uk/", "x.service.gov.uk"),
        ("https://y.service.gov.uk/", "y.service.gov.uk"),
        ("https://www.münchen.de/", "xn--mnchen-3ya.de"),
        ("https://www.xn--mnchen-3ya.de/", "xn--mnchen-3ya.de"),
        ("https://пример.рф/", "xn--e1afmkfd.xn--p1ai"),
        ("example.org/path", "example.org"),
        ("https://user:pw@sub.example.net:8443/x?y#z", "example.net"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://[2001:db8::1]:8080/", "2001:db8::1"),
        ("http://localhost:3000/", "localhost"),
        ("http://router/", "router"),
        ("https://intranet.corp/", "intranet.corp"),
        ("android://AbCd-_==@com.linkedin.android/", "linkedin.com"),
        ("android://AbCd==@com.example.app", "example.com"),
        ("androidapp://com.example.app", "example.com"),
        ("androidapp://org.mozilla.firefox", "mozilla.org"),
        ("androidapp://uk.co.bbc.iplayer", "bbc.co.uk"),
        ("", None),
        (None, None),
        ("http://", None),
        ("http://[broken/", None),
    ],
)
def test_contact_domain(url: str | None, domain: str | None) -> None:
    assert contact_domain(url) == domain


def test_no_psl_fetch_or_cache_write(tmp_path, monkeypatch) -> None:
    """The snapshot is used: no network (the autouse guard would fail) and no cache dir."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert contact_domain("https://a.b.example.co.uk") == "example.co.uk"
    assert not (tmp_path / "cache").exists()


@given(st.text(alphabet="abcxyz019.-:/[]_@%éAB ", max_size=16))
@settings(max_examples=400, deadline=None)
def test_may_meet_is_false_only_where_the_contact_is_none_of_them(domain: str) -> None:
    """`may_meet` spares the reduction of listed domains: it may say True in vain, never False in vain."""
    contacts = {"b.c", "a", "c", "ab.b", "1.2.3.4", "::1", "x-y.z", "b"}
    if contact_domain(domain) in contacts:
        assert may_meet(domain, contacts)


def test_may_meet_passes_over_a_bare_host_no_contact_ends_it() -> None:
    contacts = {"example.com", "bbc.co.uk"}
    assert may_meet("login.example.com", contacts) and may_meet("bbc.co.uk.", contacts)
    assert not may_meet("example.org", contacts) and not may_meet("notexample.com", contacts)
    assert may_meet("https://WWW.Example.COM/", contacts)  # not a bare host: reduced to know
    assert may_meet("10.0.0.1", {"10.0.0.1"})


@pytest.mark.parametrize("text", ["1.2.3.4", "01.2.3.4", "1.2.3", "1234", "::1", "[::1]", "fe80::1%eth0", "a..b", "..", "-"])
def test_a_bare_host_reduces_as_its_url_does(text: str) -> None:
    """The bare-host path (no URL parsing) and the URL path give one answer."""
    assert contact_domain(text) == contact_domain(f"http://{text}/")
