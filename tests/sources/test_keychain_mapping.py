"""The attribute tables that turn keychain items into sites and accounts, item by item.

The live Secret Service test covers the common apps; these cover the rest of the table
(Chromium's old libsecret store, `host`, skip rules) and the free-text site finder.
"""

from __future__ import annotations

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.sources._site import network_url, url_in_text
from pwcheck.sources.keychain_secretservice import ItemInfo, item_event


@pytest.mark.parametrize(
    "text,url",
    [
        ("git:https://github.com", "https://github.com"),
        ("gh:github.com", "github.com"),
        ("alice@example.com", "example.com"),
        ("Password for 'alice' on 'mail.example.org'", "mail.example.org"),
        ("TERMSRV/rdp.example.com", "rdp.example.com"),
        ("Python keyring", None),
        ("version 1.2", None),
        ("", None),
        (None, None),
    ],
)
def test_url_in_text(text: str | None, url: str | None) -> None:
    assert url_in_text(text) == url


def test_network_url() -> None:
    assert network_url("FTP", "ftp.example.net", "2121", "pub") == "ftp://ftp.example.net:2121/pub"
    assert network_url(None, "example.net", 0) == "example.net"
    assert network_url("smb", "fe80::1", None) == "smb://[fe80::1]"
    assert network_url("http", "not a host") is None


@pytest.mark.parametrize(
    "label,attributes,url,username",
    [
        # Chromium's old libsecret store: origin first, the form action and realm as other URLs
        ("https://shop.example.com/", {"origin_url": "https://shop.example.com/login", "action_url": "https://shop.example.com/auth",
                                        "signon_realm": "https://shop.example.com/", "username_value": "ann",
                                        "username_element": "email"},
         ["https://shop.example.com/login", "https://shop.example.com/auth", "https://shop.example.com/"], "ann"),
        ("mail", {"host": "imap.example.org", "protocol": "imaps", "account": "ben"}, ["imaps://imap.example.org"], "ben"),
        ("x", {"domain": "WORKGROUP", "user": "cy"}, [], "cy"),
        ("https://label.example.net", {"id": "1"}, ["https://label.example.net"], None),
    ],
)
def test_site_and_account_from_attributes(label: str, attributes: dict[str, str], url: list[str], username: str | None) -> None:
    event = item_event("keychain:Login", ItemInfo("/p", label, attributes, 1700000000), b"pw-1")
    assert isinstance(event, Credential)
    assert ([event.url, *event.other_urls] if event.url else []) == url
    assert event.username == username


@pytest.mark.parametrize(
    "label,attributes,reason",
    [
        ("Brave Safe Storage", {"application": "brave"}, "browser's encryption key, not a website credential"),
        ("Code Safe Storage", {"xdg:schema": "chrome_libsecret_os_crypt_password_v2", "application": "Code"},
         "browser's encryption key, not a website credential"),
        ("GOA google", {"goa-identity": "google:gen0:account_1"}, "GNOME Online Accounts token"),
        ("note", {"xdg:schema": "org.gnome.keyring.Note"}, "secure note"),
        ("", {"service": "pwcheck", "username": "hibp-api-key"}, "pwcheck's own secret"),
    ],
)
def test_skip_rules(label: str, attributes: dict[str, str], reason: str) -> None:
    assert ItemInfo("/p", label, attributes, 0).skip_reason == reason


def test_binary_secret_is_skipped() -> None:
    event = item_event("s", ItemInfo("/p", "k", {"service": "a.example.com"}, 0), b"\xff\x00")
    assert event == Skipped("s", None, "secret is binary data, not a text password")
