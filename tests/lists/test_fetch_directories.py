"""The 2FA and Passkeys directories fetched like the breach catalogue, from the loopback server.

Real published shapes (tests/fixtures/directories/, credited in SOURCES.md); the cache (0600,
one file per URL, revalidated with the validators), the offline path, an empty and a
malformed list, a trickling server held to the deadline, a body over the cap, and what is
sent: the list's URL and pwcheck's headers, nothing about any account.
"""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pwcheck.lists.fetch import ListSettings, cache_path, load_list
from pwcheck.lists.gather import DirectorySettings, load_directories
from pwcheck.lists.passkeys import parse_passkeys
from pwcheck.lists.twofactor import parse_twofactor
from tests.support.rangeserver import RangeServer

DIRECTORIES = Path(__file__).resolve().parents[1] / "fixtures" / "directories"
TOTP = (DIRECTORIES / "totp.json").read_bytes()
SUPPORTED = (DIRECTORIES / "supported.json").read_bytes()
NOW = datetime(2026, 1, 10, tzinfo=timezone.utc)


@pytest.fixture
def server(range_server: RangeServer) -> RangeServer:
    range_server.directories = {"totp.json": TOTP, "supported.json": SUPPORTED}
    return range_server


def settings(server: RangeServer, **overrides: object) -> DirectorySettings:
    values: dict[str, object] = dict(
        twofactor_url=server.directory_url("totp.json"), passkeys_url=server.directory_url("supported.json"), timeout=2.0,
    )
    values.update(overrides)
    return DirectorySettings(**values)  # type: ignore[arg-type]


def test_both_are_downloaded_whole_with_only_the_url_and_pwchecks_headers(server: RangeServer) -> None:
    directories = load_directories(settings(server), now=NOW)
    assert directories.twofactor.available and directories.passkeys.available
    assert [site.name for site in directories.twofactor.sites] == ["Amazon", "Dropbox", "GitHub", "GitLab"]
    assert len(directories.passkeys.sites) == 25
    assert directories.twofactor.note == f"4 sites from {server.directory_url('totp.json')} (downloaded)"
    sent = server.requests_to("/directories/")
    assert sorted(r.path_qs for r in sent) == ["/directories/supported.json", "/directories/totp.json"]  # no query
    for request in sent:
        assert request.method == "GET"
        names = {name.lower() for name in request.headers}
        assert names <= {"host", "user-agent", "accept", "accept-encoding", "connection"}, names
        assert request.headers["User-Agent"].startswith("pwcheck/")
        assert "Add-Padding" not in request.headers


def test_the_cache_is_private_revalidated_and_used_offline(server: RangeServer, tmp_path: Path) -> None:
    base = dict(url=server.directory_url("totp.json"), name="twofactor", what="the 2FA Directory", cache_dir=tmp_path / "c",
                timeout=2.0)
    first = load_list(ListSettings(**base), parse_twofactor, NOW)  # type: ignore[arg-type]
    assert first.status == "downloaded" and first.value is not None
    path = cache_path(ListSettings(**base))  # type: ignore[arg-type]
    assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    record = json.loads(path.read_text())
    assert record["url"] == base["url"] and record["etag"] and record["data"] == json.loads(TOTP)
    later = NOW + timedelta(days=2)
    stored = path.read_bytes()
    again = load_list(ListSettings(**base), parse_twofactor, later)  # type: ignore[arg-type]
    assert again.status == "unchanged" and again.fetched_at == NOW and again.validated_at == later
    # A 304 rewrites no list: it leaves a small 0600 stamp that names the copy it confirmed.
    assert path.read_bytes() == stored
    stamp = path.with_suffix(".validated")
    assert stat.S_IMODE(stamp.stat().st_mode) == 0o600
    assert json.loads(stamp.read_text()) == {"fetched_at": NOW.isoformat(), "etag": record["etag"],
                                             "validated_at": later.isoformat()}
    assert server.requests[-1].headers["If-None-Match"] == record["etag"]
    assert server.requests[-1].headers["If-Modified-Since"] == server.last_modified
    before = len(server.requests)
    offline = load_list(ListSettings(**base, network=False), parse_twofactor, later + timedelta(days=1))  # type: ignore[arg-type]
    assert len(server.requests) == before  # no request at all
    assert offline.status == "cached" and offline.reason == "offline" and offline.value == first.value
    assert offline.validated_at == later  # the stamp's confirmation counts for the age shown
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, stamp.name]  # no temp files left
    # A newer copy (200) replaces the list; the old stamp names the old copy and is ignored.
    server.directories["totp.json"] = TOTP.replace(b"GitHub", b"GitHub Inc")
    newer = load_list(ListSettings(**base), parse_twofactor, later + timedelta(days=3))  # type: ignore[arg-type]
    assert newer.status == "downloaded"
    again_offline = load_list(ListSettings(**base, network=False), parse_twofactor, later + timedelta(days=4))  # type: ignore[arg-type]
    assert again_offline.validated_at == later + timedelta(days=3) and again_offline.fetched_at == later + timedelta(days=3)


def test_offline_without_a_cache_is_unavailable_and_says_so(server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    directories = load_directories(settings(server, network=False), now=NOW)
    assert not server.requests_to("/directories/")
    assert not directories.twofactor.available and not directories.passkeys.available
    assert directories.twofactor.note == "unavailable offline (no cached copy): two-factor availability unknown"
    assert directories.passkeys.note == "unavailable offline (no cached copy): passkey support unknown"


def test_offline_uses_the_cache_an_online_run_left(server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_directories(settings(server), now=NOW)
    count = len(server.requests)
    directories = load_directories(settings(server, network=False), now=NOW + timedelta(hours=5))
    assert len(server.requests) == count
    assert directories.twofactor.available and directories.twofactor.from_cache
    assert directories.twofactor.note.endswith("last confirmed 5 hours ago")


@pytest.mark.parametrize("body, words", [
    (b"[]", "the 2FA Directory lists no site"),
    (b'{"not": "a list"}', "expected a JSON array, got dict"),
    (b'[["x", {"domain": "not a host/path"}], 7, ["y"]]', "3 of 3 entries malformed"),
])
def test_an_empty_or_malformed_list_is_refused_and_the_cached_copy_kept(
    server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: bytes, words: str,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    server.directories["totp.json"] = body
    refused = load_directories(settings(server), now=NOW)
    assert not refused.twofactor.available and words in refused.twofactor.note
    assert refused.twofactor.note.endswith("no cached copy): two-factor availability unknown")
    assert refused.passkeys.available  # one bad list costs only itself
    server.directories["totp.json"] = TOTP
    load_directories(settings(server), now=NOW)
    server.directories["totp.json"] = body
    kept = load_directories(settings(server), now=NOW + timedelta(days=1))
    assert kept.twofactor.available and kept.twofactor.from_cache and len(kept.twofactor.sites) == 4
    assert words in kept.twofactor.note and "last confirmed 1 day ago" in kept.twofactor.note


def test_not_json_and_server_errors_fall_back(server: RangeServer) -> None:
    server.directory_faults = ["not-json", "503", "503"]  # one list's answer, then both tries of the other
    directories = load_directories(settings(server), now=NOW)
    notes = sorted((directories.twofactor.note, directories.passkeys.note))
    assert any("not valid JSON" in note for note in notes) and any("HTTP 503" in note for note in notes)


def test_a_trickling_server_is_held_to_the_deadline(server: RangeServer) -> None:
    import time

    server.directory_faults = ["trickle", "trickle"]
    started = time.monotonic()
    directories = load_directories(settings(server, deadline=1.0), now=NOW)
    assert time.monotonic() - started < 5  # the whole body would take ~30 s at 16 bytes a tenth of a second
    assert "no complete answer within 1s" in directories.twofactor.note or "no complete answer within 1s" in directories.passkeys.note


def test_a_body_over_the_cap_is_refused(server: RangeServer) -> None:
    limited = ListSettings(url=server.directory_url("totp.json"), name="twofactor", what="the 2FA Directory", max_bytes=1024,
                           timeout=2.0)
    outcome = load_list(limited, parse_twofactor, NOW)
    assert outcome.status == "unavailable" and outcome.reason == "larger than 1 KB"


def test_no_directories_and_nothing_to_match_fetch_nothing(server: RangeServer) -> None:
    assert load_directories(settings(server, enabled=False)).twofactor.note == "not fetched (--no-directories)"
    assert load_directories(settings(server), needed=False).passkeys.note == "not fetched: no credentials to match"
    assert not server.requests_to("/directories/")


def test_the_real_shapes_parse_in_full() -> None:
    sites, malformed = parse_twofactor(json.loads(TOTP))
    assert malformed == 0
    dropbox = next(site for site in sites if site.name == "Dropbox")
    assert dropbox.domains == ("dropbox.com", "getdropbox.com") and dropbox.methods == ("totp", "u2f", "sms")
    assert dropbox.documentation == "https://help.dropbox.com/security/enable-two-step-verification"
    passkeys, malformed = parse_passkeys(json.loads(SUPPORTED))
    by_domain = {site.domain: site for site in passkeys}
    assert malformed == 0 and by_domain["amazon.de"].passwordless == "allowed"
    assert by_domain["github.com"].passwordless is None and by_domain["github.com"].mfa == "allowed"
    assert by_domain["dropbox.com"].replaces_password and by_domain["discordapp.com"].replaces_password
