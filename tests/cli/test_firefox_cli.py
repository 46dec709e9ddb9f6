"""`pwcheck audit --browser firefox --browser-profile DIR` end to end (in process), on real Firefox profiles.

The profiles are made by Debian's real firefox-esr and their logins encrypted by its own NSS
(`tests/support/firefox_profile.py`); the counts come from the test corpus (`fixture_data`).
A profile with a primary password and no terminal to ask it on is an input error (exit 2),
never an audit of nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import invoke
from tests.support.firefox_profile import Login, build
from tests.support.fixture_data import ALPHA, CLEAN, SPACED
from tests.support.rangeserver import RangeServer

pytestmark = pytest.mark.skipif(shutil.which("firefox-esr") is None and shutil.which("firefox") is None,
                                reason="needs Debian's firefox-esr (installed by .ci/run)")

LOGINS = [
    Login("https://accounts.example.com", "alice@example.com", ALPHA, 1600000000123),
    Login("https://forum.example.org", "bob", SPACED, 1700000000000),
    Login("https://shop.example.net", "carol", CLEAN, 1650000000000),
]


@pytest.fixture(scope="module")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("ff"), LOGINS, {"plain": None, "locked": "primary-Pw-7"})


def audit(server: RangeServer, *args: str) -> tuple[int, dict[str, Any], str]:
    result = invoke("audit", *args, "--format", "json", "--api-url", server.url, "--timeout", "2", "--no-breaches",
                    "--no-directories")
    return result.returncode, json.loads(result.stdout or b"{}"), result.stderr.decode()


def test_a_real_profile_is_audited_exactly(profiles: dict[str, Path], range_server: RangeServer) -> None:
    code, doc, stderr = audit(range_server, "--browser", "firefox", "--browser-profile", str(profiles["plain"]))
    assert code == 1, stderr  # two of the three are in the corpus
    got = sorted((e["url"], e["username"], e["pwned_count"], e["password_changed"], e["password_changed_kind"])
                 for e in doc["entries"])
    assert got == [
        ("https://accounts.example.com", "alice@example.com", 1234, "2020-09-13T12:26:40.123000Z", "password"),
        ("https://forum.example.org", "bob", 9, "2023-11-14T22:13:20Z", "password"),
        ("https://shop.example.net", "carol", 0, "2022-04-15T05:20:00Z", "password"),
    ]
    assert {e["source"] for e in doc["entries"]} == {"firefox:plain"}  # the profile's folder name
    assert doc["stats"]["not_checked_entries"] == 0 and not doc["errors"]


def test_a_primary_password_with_no_terminal_is_an_input_error(profiles: dict[str, Path], range_server: RangeServer) -> None:
    code, doc, stderr = audit(range_server, "--browser", "firefox", "--browser-profile", str(profiles["locked"]))
    assert code == 2, stderr
    assert doc["entries"] == [] and doc["errors"]
    assert "primary-Pw-7" not in stderr
