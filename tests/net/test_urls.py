"""`net.urls`: which URLs would carry prefixes, the catalogue or account checks in clear."""

from __future__ import annotations

import pytest

from pwcheck.net.urls import cleartext_warning, is_cleartext


@pytest.mark.parametrize("url", [
    "http://mirror.example", "http://team:SECRET@mirror.example/", "HTTP://10.0.0.5:8080/", "http://0.0.0.0:9/",
    "http://192.168.1.10/api/v3/breaches", "http://[2001:db8::1]/", "http://localhost.example/",
])
def test_plain_http_beyond_this_machine_is_cleartext(url: str) -> None:
    assert is_cleartext(url)


@pytest.mark.parametrize("url", [
    "https://api.pwnedpasswords.com", "https://mirror.example:8443/", "http://127.0.0.1:8080", "http://127.9.9.9/",
    "http://localhost:8080/", "http://LOCALHOST./", "http://api.localhost/", "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/", "not a url", "http://[broken",
])
def test_https_and_loopback_are_not(url: str) -> None:
    assert not is_cleartext(url)


def test_the_warning_names_what_would_travel() -> None:
    assert cleartext_warning("https://x.example", "the prefixes") is None
    message = cleartext_warning("http://x.example", "the prefixes")
    assert message is not None and "the prefixes" in message and "http://x.example" in message
