"""The audit with a breach catalogue, end to end: the CLI against the local HIBP-shaped server."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.support import fixture_data as fd
from tests.support.breach_fixture import EXPECTED, breach, catalogue_bytes
from tests.support.cli import ALL_FILES, invoke
from tests.support.rangeserver import RangeServer

FIREFOX_HEADER = '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"'


def firefox_export(path: Path, rows: list[tuple[str, str, str, int]]) -> Path:
    """A Firefox CSV: (url, username, password, timePasswordChanged in epoch ms)."""
    lines = [FIREFOX_HEADER] + [
        f'"{url}","{user}","{password}",,"{url}","{{g-{i}}}","1","1","{changed}"' for i, (url, user, password, changed) in
        enumerate(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def audit(server: RangeServer, files: list[str], *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    proc = invoke("audit", *files, "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url,
               "--timeout", "2", *extra, env=env)
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()


def _by_appearance(rows: list) -> list:  # type: ignore[type-arg]
    """Reuse ids renamed R1, R2, ... in order of first appearance, to compare groups whatever their numbers."""
    names: dict[str, str] = {}
    return [(*row[:-1], names.setdefault(row[-1], f"R{len(names) + 1}") if row[-1] else None) for row in rows]


def test_audit_names_exactly_the_breached_contacts_and_stale_credentials(range_server: RangeServer, fixtures: Path) -> None:
    range_server.breaches = catalogue_bytes()
    code, doc, stderr = audit(range_server, [str(fixtures / n) for n in ALL_FILES])
    assert code == 1, stderr
    got = [(e["domain"], e["breaches"], e["stale"], e["reuse_group"]) for e in doc["entries"]]
    assert _by_appearance(got) == _by_appearance(EXPECTED)  # the same groups (ids are numbered by account)
    assert [e["reused"] for e in doc["entries"]] == [1 if group else 0 for *_, group in EXPECTED]
    entries = doc["entries"]
    assert "on the day of" in entries[9]["stale_reason"] and "2023-11-14" in entries[9]["stale_reason"]
    assert entries[0]["stale_reason"] == "changed since 2023-11-14? unknown: the export has no password-change time"
    assert entries[12]["stale_reason"].startswith("changed 2024-05-06, after every breach")
    domains = {d["domain"]: d for d in doc["domains"]}
    assert domains["example.org"]["breaches"] == [
        {"name": "ExampleOrgOld", "title": "ExampleOrgOld", "breach_date": "2015-01-01",
         "data_classes": ["Email addresses", "Passwords"], "kind": "breach"},
        {"name": "ExampleOrgForum", "title": "Example <Forum> & Co", "breach_date": "2023-11-14",
         "data_classes": ["Email addresses", "Passwords"], "kind": "breach"},
    ]
    assert domains["x.service.gov.uk"]["breaches"][0]["kind"] == "spam list"
    assert domains["example.com"]["stale_entries"] == 1 and domains["example.org"]["stale_entries"] == 1
    assert {d["domain"] for d in doc["domains"] if d["breaches"]} == {
        "example.org", "example.com", "linkedin.com", "xn--mnchen-3ya.de", "x.service.gov.uk"}
    assert doc["stats"]["stale_entries"] == 2 and doc["stats"]["reuse_groups"] == 5
    assert doc["breach_data"]["available"] is True and doc["breach_data"]["breaches"] == 8  # fabricated dropped
    assert doc["priorities"][0]["tier"] == "pwned-reused"
    tiers = [p["tier"] for p in doc["priorities"]]
    assert tiers == sorted(tiers, key=["pwned-reused", "stale", "pwned", "reused", "check"].index)
    request = range_server.requests_to("/api/v3/breaches")[0]
    assert request.headers["User-Agent"].startswith("pwcheck/") and "Add-Padding" not in request.headers


def test_catalogue_is_cached_privately_revalidated_and_used_offline_with_its_age(
    range_server: RangeServer, fixtures: Path, tmp_path: Path
) -> None:
    range_server.breaches = catalogue_bytes()
    cache = tmp_path / "cache" / "pwcheck"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    files = [str(fixtures / "firefox.csv")]
    _, first, _ = audit(range_server, files, env=env)
    (cached,) = list(cache.iterdir())
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600 and stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert "If-None-Match" not in range_server.requests_to("/api/v3/breaches")[0].headers
    assert first["breach_data"]["from_cache"] is False

    _, second, _ = audit(range_server, files, env=env)
    revalidation = range_server.requests_to("/api/v3/breaches")[1].headers
    assert revalidation["If-None-Match"].startswith('"') and revalidation["If-Modified-Since"] == range_server.last_modified
    assert second["breach_data"]["from_cache"] is True and "unchanged" in second["breach_data"]["note"]
    assert [e["stale"] for e in second["entries"]] == [e["stale"] for e in first["entries"]]

    range_server.breach_faults += ["503", "503"]
    code, third, stderr = audit(range_server, files, env=env)
    assert "could not refresh the breach catalogue (HTTP 503)" in stderr and "ago" in stderr
    assert third["breach_data"]["available"] is True and "last confirmed" in third["breach_data"]["note"]
    assert [e["stale"] for e in third["entries"]] == [e["stale"] for e in first["entries"]]
    assert code == 1


def test_no_catalogue_at_all_still_audits_and_says_stale_is_unknown(range_server: RangeServer, tmp_path: Path) -> None:
    clean = firefox_export(tmp_path / "ff.csv", [("https://shop.example.com", "u", fd.CLEAN, 1577836800000)])
    range_server.breach_faults += ["not-json", "not-json"]
    code, doc, stderr = audit(range_server, [str(clean)])
    assert code == 0, stderr
    assert doc["entries"][0]["stale"] is None and doc["entries"][0]["pwned_count"] == 0
    assert doc["breach_data"]["available"] is False
    assert "breach data unavailable" in stderr and "not valid JSON" in stderr and "Traceback" not in stderr


def test_a_stale_password_alone_exits_1_and_a_later_change_exits_0(range_server: RangeServer, tmp_path: Path) -> None:
    range_server.breaches = catalogue_bytes([breach("Shop", "shop.example.com", "2020-01-01")])
    # 1577923199000 = 2020-01-01T23:59:59Z (the breach day); 1577923200000 = 2020-01-02T00:00:00Z.
    old = firefox_export(tmp_path / "old.csv", [("https://www.shop.example.com", "u", fd.CLEAN, 1577923199000)])
    new = firefox_export(tmp_path / "new.csv", [("https://www.shop.example.com", "u", fd.CLEAN, 1577923200000)])
    code_old, doc_old, _ = audit(range_server, [str(old)])
    code_new, doc_new, _ = audit(range_server, [str(new)])
    assert (code_old, doc_old["entries"][0]["stale"], doc_old["exit_code"]) == (1, True, 1)
    assert (code_new, doc_new["entries"][0]["stale"], doc_new["exit_code"]) == (0, False, 0)


def test_no_breaches_option_makes_no_catalogue_request(range_server: RangeServer, fixtures: Path) -> None:
    range_server.breaches = catalogue_bytes()
    _, doc, _ = audit(range_server, [str(fixtures / "firefox.csv")], "--no-breaches")
    assert range_server.requests_to("/api/v3/breaches") == []
    assert all(e["stale"] is None for e in doc["entries"]) and doc["breach_data"]["available"] is False


def test_terminal_report_starts_with_what_to_change_first(range_server: RangeServer, fixtures: Path) -> None:
    range_server.breaches = catalogue_bytes()
    proc = invoke("audit", *(str(fixtures / n) for n in ALL_FILES), "--api-url", range_server.url,
               "--breaches-url", range_server.breaches_url, env={"COLUMNS": "160"})
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert out.index("Change first") < out.index("Contact")
    first = out[out.index("Change first"):].splitlines()[1]
    assert first.lstrip().startswith("1.") and "PWNED AND REUSED" in first
    assert "STALE" in out and "ExampleBank, 2023-01-01" in out and "GovSpam, 2021-01-01, spam list" in out
    for password in fd.ALL_PASSWORDS:
        assert password not in out + proc.stderr.decode()


def test_catalogue_request_carries_nothing_about_you(range_server: RangeServer, fixtures: Path) -> None:
    """One GET of the public list per run: no query, no body, no cookie, only pwcheck's User-Agent."""
    from pwcheck import USER_AGENT

    range_server.breaches = catalogue_bytes()
    audit(range_server, [str(fixtures / n) for n in ALL_FILES])
    (request,) = range_server.requests_to("/api/v3/breaches")
    assert request.method == "GET" and request.path_qs == "/api/v3/breaches"
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["user-agent"] == USER_AGENT
    assert set(headers) <= {"host", "user-agent", "accept", "accept-encoding", "connection",
                            "if-none-match", "if-modified-since"}
    assert range_server.requests_to("/api/v3/breachedaccount") == []  # no key stored: no account checks


def test_offline_audit_asks_no_catalogue_and_uses_the_cached_copy(
    range_server: RangeServer, fixtures: Path, tmp_path: Path
) -> None:
    source = tmp_path / "pwnedpasswords.txt"
    source.write_text("\r\n".join(sorted(fd.corpus_lines())) + "\r\n")
    store = tmp_path / "store"
    assert invoke("corpus", "import", str(source), "--store", str(store)).returncode == 0
    range_server.breaches = catalogue_bytes()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    files = [str(fixtures / "firefox.csv")]
    code, doc, stderr = audit(range_server, files, "--offline", str(store), env=env)
    assert range_server.requests == [] and doc["breach_data"]["available"] is False, stderr
    assert all(e["stale"] is None for e in doc["entries"]) and "breach data unavailable" not in stderr

    audit(range_server, files, env=env)  # online once: the catalogue is cached
    before = len(range_server.requests)
    code, doc, stderr = audit(range_server, files, "--offline", str(store), env=env)
    assert len(range_server.requests) == before  # still nothing asked
    assert doc["breach_data"]["from_cache"] is True and "last confirmed" in doc["breach_data"]["note"]
    assert [e["stale"] for e in doc["entries"]] == [False, True, False, False]


def test_an_oversized_catalogue_etag_is_not_cached_or_sent_back(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    range_server.breaches = catalogue_bytes()
    range_server.etag = '"' + "e" * 8000 + '"'
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    _, first, _ = audit(range_server, [str(fixtures / "firefox.csv")], env=env)
    assert first["breach_data"]["available"] is True
    (cached,) = list((tmp_path / "cache" / "pwcheck").iterdir())
    record = json.loads(cached.read_text())
    assert record["etag"] is None and record["last_modified"] == range_server.last_modified
    audit(range_server, [str(fixtures / "firefox.csv")], env=env)
    revalidation = range_server.requests_to("/api/v3/breaches")[1].headers
    assert "If-None-Match" not in revalidation and revalidation["If-Modified-Since"] == range_server.last_modified
