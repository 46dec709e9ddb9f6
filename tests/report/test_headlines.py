"""Headlines that match the facts: what was not checked or not read leads, before anything reassuring."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import invoke
from tests.support.exporters import CLEAN_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer

REASSURING = ("none pwned", "Nothing to change first: no pwned")


def first_position(text: str, *phrases: str) -> int:
    found = [text.find(p) for p in phrases if p in text]
    return min(found) if found else -1


@pytest.mark.parametrize("report_format", ["terminal", "markdown", "html"])
def test_unreachable_api_leads_with_not_checked(range_server: RangeServer, tmp_path: Path, report_format: str) -> None:
    range_server.always["*"] = "503"
    path = export(tmp_path, [CLEAN_ROW, ("https://a.example.org/", "zed", "pw-not-in-corpus-2")])
    proc = invoke("audit", str(path), "--format", report_format, "--api-url", range_server.url, "--timeout", "0.5")
    assert proc.returncode == 3
    text = proc.stdout.decode()
    text = re.sub(r"<[^>]+>", "", text) if report_format == "html" else text.replace("**", "")
    assert "2 NOT CHECKED" in text
    for phrase in REASSURING:
        assert phrase not in text, phrase
    headline = text.split("2 NOT CHECKED")[0]
    assert "credential(s)" not in headline  # the count of what was not checked is the first thing said


@pytest.mark.parametrize("report_format", ["terminal", "markdown", "html"])
def test_unread_keychain_is_reported_before_anything_reassuring(tmp_path: Path, report_format: str) -> None:
    proc = invoke("audit", "--keychain", "--format", report_format, "--api-url", "http://127.0.0.1:9",
                  env={"DBUS_SESSION_BUS_ADDRESS": ""})
    assert proc.returncode == 2
    text = proc.stdout.decode()
    unread = text.find("not read: keychain")
    assert unread != -1, text
    assert text.find("NOT READ") < first_position(text, "credential(s)") < unread  # the headline leads with it
    assert unread < text.find("Nothing to change first")  # and its reason comes before "Change first" says anything
    assert "none pwned" not in text
    assert "Nothing to change first: no pwned" not in text
    assert text.count("not read: keychain") == 1
