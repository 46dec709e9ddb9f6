"""Accounts, not rows (issue 14): one verdict per account, whatever the order of the exports.

The end-to-end case is the one a new user reported: a browser export without change
times and a Firefox export with them hold the same accounts. On main before this change
the priority row took its verdict from whichever export came first, so one order listed
the stale account under "Change first" and the other did not, while the summary counted
it either way; and the headline and table counted each copy as an account.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

from pwcheck.analyse.assemble import analyse
from pwcheck.audit import rank
from pwcheck.model.breach import Breach, Catalogue
from pwcheck.model.credential import Credential, password_sha1
from pwcheck.model.entry import Entry
from pwcheck.model.findings import AuditReport, Stats
from tests.support import fixture_data as fd
from tests.support.breach_fixture import breach, catalogue_bytes
from tests.support.cli import invoke
from tests.support.exporters import csv_text, firefox_text
from tests.support.rangeserver import RangeServer

FIREFOX = ["url", "username", "password", "httpRealm", "formActionOrigin", "guid", "timeCreated", "timeLastUsed",
           "timePasswordChanged"]
BREACHES = [breach("ShopLeak", "shopco.com", "2021-06-01"), breach("MailLeak", "mailco.net", "2022-01-01")]


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def write_exports(tmp_path: Path) -> list[str]:
    chrome = tmp_path / "chrome.csv"
    chrome.write_text(csv_text(["name", "url", "username", "password"], [
        {"name": "shop", "url": "https://shop.shopco.com/login", "username": "Alice@Example.com", "password": fd.CLEAN},
        {"name": "mail", "url": "https://mail.mailco.net/", "username": "alice", "password": fd.COMMA},
        {"name": "forum", "url": "https://forumco.org/", "username": "al", "password": fd.ALPHA},
    ]), encoding="utf-8")
    firefox = tmp_path / "firefox.csv"
    firefox.write_text(firefox_text(FIREFOX, [
        # The same password as Chrome's, changed before the shop's breach: the account is stale.
        {"url": "https://www.shopco.com", "username": "alice@example.com", "password": fd.CLEAN,
         "guid": "{1}", "timeCreated": 1, "timeLastUsed": 1, "timePasswordChanged": ms("2020-01-01T00:00:00+00:00")},
        # A newer password than Chrome's old, pwned one?  Chrome has no time: cannot tell, worse wins.
        {"url": "https://mailco.net", "username": "ALICE", "password": fd.UMLAUT,
         "guid": "{2}", "timeCreated": 1, "timeLastUsed": 1, "timePasswordChanged": ms("2023-01-01T00:00:00+00:00")},
    ]), encoding="utf-8")
    return [str(chrome), str(firefox)]


def audit(server: RangeServer, files: list[str], fmt: str) -> tuple[int, str]:
    proc = invoke("audit", *files, "--format", fmt, "--api-url", server.url, "--breaches-url", server.breaches_url,
                  "--timeout", "2", "--no-account-checks", env={"COLUMNS": "240"})
    return proc.returncode, proc.stdout.decode()


def test_argument_order_changes_nothing_but_the_entries_order(range_server: RangeServer, tmp_path: Path) -> None:
    range_server.breaches = catalogue_bytes(BREACHES)
    files = write_exports(tmp_path)
    outputs = {}
    for order in (files, files[::-1]):
        code, terminal = audit(range_server, order, "terminal")
        _, text = audit(range_server, order, "json")
        terminal = re.sub(r"in \d+\.\d+s", "in N.NNs", terminal)
        terminal = re.sub(r"\((downloaded|unchanged since the cached copy)\)", "(...)", terminal)
        outputs[tuple(order)] = (code, terminal, json.loads(text))
    (code_a, term_a, doc_a), (code_b, term_b, doc_b) = outputs.values()
    assert code_a == code_b == 1
    assert term_a == term_b  # headline, priorities and table
    strip = [{k: v for k, v in p.items() if k != "entries"} for p in doc_a["priorities"]]
    assert strip == [{k: v for k, v in p.items() if k != "entries"} for p in doc_b["priorities"]]
    # The stale account is in "Change first" in both orders, and counted as one account.
    tiers = {(p["domain"], p["tier"]) for p in doc_a["priorities"]}
    assert ("shopco.com", "stale") in tiers
    assert doc_a["stats"]["stale_accounts"] == sum(1 for p in doc_a["priorities"] if p["tier"] == "stale") == 1
    assert doc_a["stats"]["accounts"] == 3 and doc_a["stats"]["credentials"] == 5
    assert "3 account(s) in 5 credential(s)" in term_a and "1 stale" in term_a
    # One row per account in the table, naming where its copies are.
    assert term_a.count("alice@example.com") + term_a.count("Alice@Example.com") == 2  # priority line + table row
    assert term_a.count("2 copies, in chrome.csv, firefox.csv") == 2


def test_json_accounts_list_each_account_once_with_its_entries(range_server: RangeServer, tmp_path: Path) -> None:
    range_server.breaches = catalogue_bytes(BREACHES)
    _, text = audit(range_server, write_exports(tmp_path), "json")
    doc = json.loads(text)
    assert len(doc["entries"]) == 5  # one per credential, as before
    accounts = {(a["domain"], a["username"].casefold()): a for a in doc["accounts"]}
    assert sorted(i for a in doc["accounts"] for i in a["entries"]) == [0, 1, 2, 3, 4]
    shop = accounts[("shopco.com", "alice@example.com")]
    assert shop["stale"] is True and shop["finding"] is True and len(shop["sources"]) == 2
    assert all(doc["entries"][i]["stale"] is True for i in shop["entries"])  # the best time, for every copy
    mail = accounts[("mailco.net", "alice")]
    # Two passwords and no time for Chrome's: both current, and the worse (pwned) verdict wins.
    assert mail["current"] == mail["entries"] and mail["pwned_count"] == max(fd.CORPUS_COUNTS[fd.COMMA], fd.CORPUS_COUNTS[fd.UMLAUT])


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(timezone.utc)


def entry(source: str, password: str, count: int, changed: str | None, kind: str = "password",
          username: str = "bob") -> Entry:
    credential = Credential(source, "x", 1, None, "https://shop.example/", username, password_sha1(password),
                            password_changed=at(changed) if changed else None,
                            changed_kind=kind if changed else None)  # type: ignore[arg-type]
    return Entry(credential, "shop.example", count)


def judged(*entries: Entry) -> AuditReport:
    catalogue = Catalogue([Breach("ShopLeak", "ShopLeak", "shop.example", at("2021-06-01T00:00:00+00:00").date())],
                          available=True)
    return rank(analyse(AuditReport(list(entries), [], [], Stats(credentials=len(entries))), catalogue))


def test_the_password_changed_last_is_current_and_the_older_one_is_no_finding() -> None:
    old = entry("old-backup.json", "old-pwned", 500, "2019-01-01T00:00:00+00:00")
    new = entry("vault.json", "new-clean", 0, "2023-03-01T00:00:00+00:00")
    for order in ((old, new), (new, old)):
        report = judged(*order)
        by_source = {e.credential.source: e for e in report.entries}
        assert by_source["old-backup.json"].superseded == (
            "a newer password for this account is in vault.json (changed 2023-03-01)")
        assert by_source["vault.json"].superseded is None and report.exit_code == 0
        assert report.priorities == [] and report.account_tally().accounts == 1


def test_an_edit_time_cannot_tell_which_password_is_newer_so_the_worse_wins() -> None:
    old = entry("old.json", "old-pwned", 500, "2019-01-01T00:00:00+00:00")
    edited = entry("vault.json", "new-clean", 0, "2023-03-01T00:00:00+00:00", kind="edit")
    for order in ((old, edited), (edited, old)):
        report = judged(*order)
        assert all(e.superseded is None for e in report.entries)
        assert report.exit_code == 1 and [p.tier for p in report.priorities] == ["stale"]
        assert len(report.priorities[0].entries) == 2


def test_stale_is_judged_from_the_best_time_any_copy_has() -> None:
    untimed = entry("chrome.csv", "same", 0, None, username="Bob")
    timed = entry("firefox.csv", "same", 0, "2020-01-01T00:00:00+00:00")
    for order in ((untimed, timed), (timed, untimed)):
        report = judged(*order)
        assert [e.stale for e in report.entries] == [True, True]
        assert [p.tier for p in report.priorities] == ["stale"] and report.account_tally().stale == 1
    # A copy that says "changed after the breach" does not clear one that shows the password was already there.
    later = entry("vault.json", "same", 0, "2022-01-01T00:00:00+00:00")
    report = judged(later, timed)
    assert [e.stale for e in report.entries] == [True, True]
    assert "as firefox.csv records it" in (report.entries[0].stale_reason or "")
