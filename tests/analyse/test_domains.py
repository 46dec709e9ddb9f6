"""Contact domains, case by case, against the PSL snapshot bundled with tldextract."""

from __future__ import annotations

import pytest

from pwcheck.analyse.domains import contact_domain


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
