"""`pwcheck audit --browser` end to end (in process) against the loopback range server, and `pwcheck sources`.

The profile is the real-Chromium one of `tests/support/chromium_profile.py`; the v11 key is
in a real gnome-keyring on a private bus. Counts come from the test corpus
(`fixture_data.CORPUS_COUNTS`): the decomposed café is not in it (its NFC form is, as a trap).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.chromium_profile import chromium_keyring
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer
from tests.support.secretservice import SecretService

# (source, url, username, pwned count, change time, kind)
DEFAULT_V10 = [
    ("chromium:Default", "https://accounts.example.com/login", "alice", 1234, "2021-03-04T05:06:07Z", "password"),
    ("chromium:Default", "https://forum.example.com/", None, 5, None, None),
]
DEFAULT_V11 = [
    ("chromium:Default", "https://mail.example.net/", "carol", 9, "2023-06-07T08:09:10Z", "password"),
    ("chromium:Default", "https://shop.example.org/", "bob@example.org", 0, "2022-01-02T03:04:05Z", "password"),
]


@pytest.fixture(scope="module")
def keyring() -> Iterator[SecretService]:
    with chromium_keyring("pwc") as service:
        yield service


def audit(server: RangeServer, env: dict[str, str], *args: str) -> tuple[int, dict[str, Any], str]:
    result = invoke("audit", *args, "--format", "json", "--api-url", server.url, "--timeout", "1", "--no-breaches",
                    "--no-directories", env=env)
    return result.returncode, json.loads(result.stdout or b"{}"), result.stderr.decode()


def entries(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((e["source"], e["url"], e["username"], e["pwned_count"], e["password_changed"], e["password_changed_kind"])
                  for e in doc["entries"])


def test_audit_a_profile_exactly(chromium_user_data: Path, keyring: SecretService, range_server: RangeServer) -> None:
    code, doc, stderr = audit(range_server, {"DBUS_SESSION_BUS_ADDRESS": keyring.bus.address},
                              "--browser", "chromium", "--browser-profile", str(chromium_user_data / "Default"))
    assert entries(doc) == sorted(DEFAULT_V10 + DEFAULT_V11), stderr
    assert {e["format"] for e in doc["entries"]} == {"chromium-profile"}
    assert sorted(s["reason"] for s in doc["skipped"]) == ["federated sign-in (no password stored)",
                                                           "never-save entry (no password)"]
    assert doc["errors"] == []
    assert code == 1  # pwned passwords found, everything read and checked


def test_v11_without_a_reachable_keyring_is_not_clean(chromium_user_data: Path, range_server: RangeServer) -> None:
    """No Secret Service: the v10 logins are audited, the v11 ones are an input error (exit 2), never left out silently."""
    code, doc, stderr = audit(range_server, {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"},
                              "--browser", "chromium", "--browser-profile", str(chromium_user_data / "Default"))
    assert entries(doc) == sorted(DEFAULT_V10), stderr
    (error,) = doc["errors"]
    assert error["source"] == "chromium:Default"
    assert error["message"].startswith("2 saved password(s) not read: the 'Chromium Safe Storage' key could not be had")
    assert code == 2
    assert "chromium:Default: 2 saved password(s) not read" in stderr


def test_named_profile_from_the_default_user_data_dir(chromium_user_data: Path, keyring: SecretService,
                                                      range_server: RangeServer) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": keyring.bus.address, "XDG_CONFIG_HOME": str(chromium_user_data.parent)}
    code, doc, stderr = audit(range_server, env, "--browser", "chromium:Profile 2", "--browser", "chromium:Old")
    assert entries(doc) == [
        ("chromium:Old", "https://old.example.com/", "dave", 31337, None, None),
        ("chromium:Profile 2", "https://ok.example.com/", "frank", 1, "2024-01-01T00:00:00Z", "password"),
    ], stderr
    assert [(e["source"], e["message"][:8]) for e in doc["errors"]] == [
        ("chromium:Profile 2", "login 3:"), ("chromium:Profile 2", "login 4:"), ("chromium:Profile 2", "1 saved "),
    ]
    assert code == 2


def test_unknown_browser_and_missing_profile(chromium_user_data: Path, range_server: RangeServer) -> None:
    code, _, stderr = audit(range_server, {}, "--browser", "netscape")
    assert code == 2 and "unknown browser 'netscape'" in stderr
    env = {"XDG_CONFIG_HOME": str(chromium_user_data.parent)}
    code, doc, _ = audit(range_server, env, "--browser", "chromium:Nope")
    assert code == 2
    assert doc["errors"][0]["message"] == "no Chromium profile named 'Nope' (profiles: Default, Old, Profile 2)"


def test_sources_lists_profiles_with_counts(chromium_user_data: Path, keyring: SecretService, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(chromium_user_data.parent), "HOME": str(tmp_path),
           "DBUS_SESSION_BUS_ADDRESS": keyring.bus.address, "PASSWORD_STORE_DIR": str(tmp_path / "no-store")}
    result = invoke("sources", "--json", env=env)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [(b["browser"], b["profile"], b["logins"], b["option"]) for b in doc["browsers"]] == [
        ("chromium", "Default", 5, "--browser chromium:Default"),
        ("chromium", "Old", 4, "--browser chromium:Old"),
        ("chromium", "Profile 2", 4, '--browser "chromium:Profile 2"'),
    ]
    assert doc["keychain"]["present"] is True
    assert doc["pass_store"]["present"] is False
    text = invoke("sources", env=env).stdout.decode()
    assert "chromium:Default  5 login(s)" in text and "keychain: a Secret Service on the session bus  (--keychain)" in text
