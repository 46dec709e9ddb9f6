"""Which logins are at an unsecured site: plain http to a host on the public internet."""

from __future__ import annotations

import pytest

from pwcheck.analyse.unsecured import any_unsecured, is_public_host, is_unsecured
from pwcheck.net.urls import is_cleartext

UNSECURED = [
    "http://example.com/login",
    "HTTP://Shop.Example.COM:8080/",
    "http://user:pw@example.org/",
    "http://8.8.8.8/",
    "http://[2606:4700::1111]/",
    "http://printer.example.lan.example.com/",  # ends in a public name, not in .lan
]
NOT_UNSECURED = [
    "https://example.com/login",
    "example.com/login",  # no scheme: nothing says it is plain http
    "ftp://example.com/",
    "android://AbC=@com.example.app/",
    "http://localhost:8080/",
    "http://app.localhost/",
    "http://127.0.0.1/",
    "http://[::1]:631/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://169.254.10.1/",
    "http://100.64.0.1/",
    "http://[fe80::1%25eth0]/",
    "http://[fd12:3456::1]/",
    "http://[::ffff:192.168.0.1]/",
    "http://router/",
    "http://nas.local/",
    "http://printer.lan./",
    "http://hub.home.arpa/",
    "http://db.internal/",
    "http:///path-only",
    "http://[not-an-address/",
]


@pytest.mark.parametrize("url", UNSECURED)
def test_plain_http_to_a_public_host_is_unsecured(url: str) -> None:
    assert is_unsecured(url)


@pytest.mark.parametrize("url", NOT_UNSECURED)
def test_https_loopback_private_and_lan_names_are_not(url: str) -> None:
    assert not is_unsecured(url)


def test_the_hosts_alone() -> None:
    assert is_public_host("example.com") and is_public_host("1.1.1.1")
    assert not any(is_public_host(h) for h in ("", "localhost", "192.168.0.1", "[fc00::1]", "nas", "x.local"))


def test_any_url_of_a_login_counts() -> None:
    assert any_unsecured(["https://example.com/", None, "http://example.com/old"])
    assert not any_unsecured([None, "https://example.com/", "http://192.168.0.1/"])


def test_our_own_cleartext_warning_reads_urls_the_same_way() -> None:
    # One reading of scheme and host (`net.urls.plain_http_host`): a LAN mirror is warned about
    # (it is not this machine) but is not an unsecured site; loopback is neither.
    assert is_cleartext("http://192.168.1.5:8000/") and not is_unsecured("http://192.168.1.5:8000/")
    assert not is_cleartext("http://127.0.0.1/") and not is_unsecured("http://127.0.0.1/")
    assert is_cleartext("http://example.com/") and is_unsecured("http://example.com/")
