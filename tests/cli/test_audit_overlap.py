"""The lists download while the ranges are checked: waited for only by `analyse`, errors and Ctrl-C as before."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from pwcheck.audit import Pending, _settled
from pwcheck.model.errors import PwcheckError
from tests.support.breach_fixture import catalogue_bytes
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer


def test_the_catalogue_is_fetched_while_the_ranges_are_checked(range_server: RangeServer, fixtures: Path) -> None:
    """The server answers the catalogue only once a range request has come: a run that fetched the catalogue
    before the range check (as it did) waits out its deadline and reports no breach data."""
    range_server.breaches = catalogue_bytes()
    range_server.breach_faults = ["after-ranges"]
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--format", "json", "--api-url", range_server.url,
                  "--breaches-url", range_server.breaches_url, "--timeout", "1", "--no-directories")
    doc = json.loads(proc.stdout)
    assert doc["breach_data"]["available"] is True, proc.stderr.decode()
    assert range_server.requests_to("/range/") and len(range_server.requests_to("/api/v3/breaches")) == 1
    assert doc["stats"]["not_checked_entries"] == 0
    # The catalogue's thread starts once a range has come back: its request follows the first range request.
    paths = [request.path_qs for request in range_server.requests]
    first_range = next(i for i, path in enumerate(paths) if path.startswith("/range/"))
    assert first_range < next(i for i, path in enumerate(paths) if path.startswith("/api/v3/breaches"))


def test_an_error_in_a_background_load_is_raised_where_it_is_waited_for() -> None:
    class Broken(PwcheckError):
        pass

    def fail() -> str:
        raise Broken("the list could not be read")

    pending = Pending(fail, stand_in="stand-in", name="test-broken")
    with pytest.raises(Broken, match="could not be read"):
        _settled(pending, interrupted=False)
    with pytest.raises(Broken):  # finished: an interrupted run raises it too, as the call itself would
        _settled(pending, interrupted=True)


def test_an_interrupted_run_takes_the_stand_in_only_for_what_is_not_ready() -> None:
    release = threading.Event()
    slow = Pending(release.wait, stand_in=False, name="test-slow")
    assert _settled(slow, interrupted=True) is False  # not waited for: the partial report comes at once
    release.set()
    assert _settled(slow, interrupted=False) is True  # a complete run waits for the value
    assert _settled(slow, interrupted=True) is True  # ready: used even after Ctrl-C
    assert _settled("plain", interrupted=True) == "plain" and _settled(None, interrupted=False) is None


def test_list_warnings_are_written_before_the_fetch_starts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The fetch runs on another thread while the progress bar is drawn: its warnings come when the loader is made."""
    from pwcheck.breaches import gather as breaches
    from pwcheck.lists import gather as lists

    said: list[str] = []
    monkeypatch.setattr(breaches, "warning", said.append)
    monkeypatch.setattr(lists, "warning", said.append)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    breaches.catalogue_loader(breaches.BreachSettings(url="http://breaches.example/api/v3/breaches"), None)
    lists.directories_loader(lists.DirectorySettings(twofactor_url="http://lists.example/totp.json"))
    assert len(said) == 2 and "breach catalogue" in said[0] and "2FA Directory" in said[1]


def test_the_lists_and_contacts_start_once_the_first_range_is_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Started before the check, their threads took the CPU from the first requests (issue 19): now they
    start at the check's first progress step, or after the check when it had nothing to fetch; so does
    the work handed in as `ahead` (the renderer's imports), after the contacts."""
    import asyncio

    import pwcheck.audit as audit_module
    from pwcheck.check.interface import LookupResult
    from pwcheck.model.breach import Catalogue
    from pwcheck.model.credential import password_sha1
    from pwcheck.model.source import Collected
    from pwcheck.sources.interface import make_credential

    events: list[str] = []
    real_domains = audit_module.contact_domains
    monkeypatch.setattr(audit_module, "contact_domains", lambda credentials: events.append("contacts") or real_domains(credentials))

    def catalogue() -> Catalogue:
        events.append("catalogue")
        return Catalogue.unavailable("test: none")

    class Checker:
        async def lookup(self, hashes, progress=None, into=None):  # type: ignore[no-untyped-def]
            result = LookupResult.start(hashes, into)
            events.append("first request sent")
            await asyncio.sleep(0.05)  # the contacts thread would have run by now, had it been started
            assert progress is not None
            progress(1)
            await asyncio.sleep(0.2)
            events.append("check done")
            for digest in hashes:
                result.counts[digest] = 0
            return result

    collected = Collected()
    collected.credentials.append(make_credential("t.csv", "chromium", 1, password="pw", title=None, urls=["https://a.example/"], username="a"))
    pending = audit_module.Pending(catalogue, stand_in=Catalogue.unavailable("stand-in"), name="test-catalogue")
    report = audit_module.run_audit(
        collected, Checker(), catalogue=pending, checks=frozenset({"breach"}), ahead=lambda: events.append("ahead"),
    )
    assert events[0] == "first request sent" and set(events[1:4]) == {"contacts", "catalogue", "ahead"}
    assert events[4] == "check done" and events.index("contacts") < events.index("ahead")  # one thread, in that order
    assert report.entries[0].domain == "a.example" and collected.credentials[0].sha1 == password_sha1("pw")
