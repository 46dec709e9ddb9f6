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


@pytest.mark.parametrize("report_format", ["terminal", "markdown", "html"])
def test_thousands_of_unread_rows_are_capped_per_source_but_counted_exactly(
    range_server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report_format: str
) -> None:
    """20 `not read:` lines per source, then one saying how many more: in the report and on stderr.

    The counts stay exact (the headline and JSON's `stats.not_read`), and JSON lists every error.
    """
    monkeypatch.chdir(tmp_path)  # short names: a terminal line is not wrapped inside one
    bad = Path("bad.csv")
    rows = ["name,url,username,password", f"x,https://ok.example.net/,hank,{CLEAN_ROW[2]}"]
    rows += [f"x,https://row{n}.example.net/,u{n},pw-row-{n},spill,over" for n in range(2500)]
    bad.write_text("\n".join(rows) + "\n")
    few = Path("few.csv")
    few.write_text("name,url,username,password\n" + "".join(f"x,https://f{n}.example.net/,u,pw,extra\n" for n in range(3)))
    files = [str(bad), str(few)]
    extra = ("--api-url", range_server.url, "--timeout", "1", "--no-breaches")
    proc = invoke("audit", *files, "--format", report_format, *extra)
    assert proc.returncode == 2
    text = proc.stdout.decode()
    text = re.sub(r"<[^>]+>", "", text) if report_format == "html" else text.replace("**", "")
    assert "2503 NOT READ" in text
    assert text.count(f"not read: {bad}:") == 20 and text.count(f"not read: {few}:") == 3
    assert f"... and 2480 more not read in {bad}" in text and f"more not read in {few}" not in text
    stderr = proc.stderr.decode()
    assert stderr.count(f"pwcheck: {bad}:") == 20 and stderr.count(f"pwcheck: {few}:") == 3
    assert f"pwcheck: ... and 2480 more not read in {bad}" in stderr
    assert len(stderr.splitlines()) < 40
    document = invoke("audit", *files, "--format", "json", *extra)
    import json

    report = json.loads(document.stdout)
    assert len(report["errors"]) == report["stats"]["not_read"] == 2503
