"""Weak passwords, unsecured sites, `--checks` and `--fail-on`, through the audit command."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from pwcheck.corpus.memory import MemoryCorpus
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

STRONG = "kV7#pq9!Zr2@wXm4"
PWNED_STRONG = "Pwned-But-Strong-9x#Lq2!"
ROWS = [
    ("strong", "https://strong.example.com/", "alice", STRONG),
    ("weak", "https://weak.example.org/", "bob", "password"),
    ("plain", "http://plain.example.net/login", "carol", "vQ8!rT3#mZ6@pL1x"),
    ("lan", "http://192.168.1.10/", "admin", "Zx9!kP4#wQ7@rM2v"),
    ("nas", "http://nas.local:5000/", "admin", "Mw3$hT8!qL5#vB9z"),
]


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest().upper()


@pytest.fixture
def server() -> Iterator[RangeServer]:
    running = RangeServer(MemoryCorpus.from_lines([f"{_sha1(PWNED_STRONG)}:7"])).start()
    try:
        yield running
    finally:
        running.stop()


def _export(tmp_path: Path, rows: list[tuple[str, str, str, str]] = ROWS) -> Path:
    path = tmp_path / "chrome.csv"
    lines = ["name,url,username,password"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def _audit(server: RangeServer, export: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = invoke("audit", str(export), "--format", "json", "--api-url", server.url, "--no-breaches", "-q", *extra)
    return result.returncode, json.loads(result.stdout)


def _by_user(report: dict[str, Any], url_part: str) -> dict[str, Any]:
    return next(e for e in report["entries"] if url_part in (e["url"] or ""))


def test_weak_and_unsecured_are_reported_but_exit_0_by_default(server: RangeServer, tmp_path: Path) -> None:
    code, report = _audit(server, _export(tmp_path))
    assert code == 0
    weak, plain, strong = _by_user(report, "weak."), _by_user(report, "plain."), _by_user(report, "strong.")
    assert (weak["strength"], weak["weak"], weak["insecure_url"]) == (0, True, False)
    assert (plain["weak"], plain["insecure_url"]) == (False, True) and plain["strength"] >= 3
    assert (strong["weak"], strong["insecure_url"]) == (False, False)
    assert not _by_user(report, "192.168")["insecure_url"] and not _by_user(report, "nas.local")["insecure_url"]
    assert [(p["tier"], p["domain"]) for p in report["priorities"]] == [("weak", "example.org"), ("unsecured", "example.net")]
    stats = report["stats"]
    assert (stats["weak_accounts"], stats["unsecured_accounts"], stats["weak_entries"], stats["unsecured_entries"]) == (1, 1, 1, 1)
    assert report["checks"] == ["breach", "weak", "unsecured"] and report["fail_on"] == []
    account = next(a for a in report["accounts"] if a["domain"] == "example.org")
    assert (account["weak"], account["insecure_url"]) == (True, False)


def test_weak_and_unsecured_rank_below_pwned(server: RangeServer, tmp_path: Path) -> None:
    rows = [*ROWS, ("pwned", "http://pwned.example.com/", "dan", PWNED_STRONG)]
    code, report = _audit(server, _export(tmp_path, rows))
    assert code == 1
    assert [p["tier"] for p in report["priorities"]] == ["pwned", "weak", "unsecured"]
    # An account placed by a worse tier still says it is unsecured only in its own entry.
    assert _by_user(report, "pwned.")["insecure_url"] is True


@pytest.mark.parametrize(("fail_on", "code"), [("weak", 1), ("unsecured", 1), ("weak,unsecured", 1), ("", 0)])
def test_fail_on_makes_weak_or_unsecured_exit_1(server: RangeServer, tmp_path: Path, fail_on: str, code: int) -> None:
    got, report = _audit(server, _export(tmp_path), "--fail-on", fail_on)
    assert got == code == report["exit_code"]
    assert report["fail_on"] == sorted(filter(None, fail_on.split(",")))


def test_fail_on_counts_only_what_is_there(server: RangeServer, tmp_path: Path) -> None:
    clean = [row for row in ROWS if row[0] in ("strong", "lan", "nas")]
    assert _audit(server, _export(tmp_path, clean), "--fail-on", "weak,unsecured")[0] == 0
    # A check that did not run cannot fail the run: --fail-on weak with weak off is 0, and says so in the JSON.
    code, report = _audit(server, _export(tmp_path), "--checks", "breach,unsecured", "--fail-on", "weak")
    assert code == 0 and report["checks"] == ["breach", "unsecured"]


def test_checks_turn_each_check_off(server: RangeServer, tmp_path: Path) -> None:
    export = _export(tmp_path, [*ROWS, ("pwned", "https://pwned.example.com/", "dan", PWNED_STRONG)])
    code, report = _audit(server, export, "--checks", "breach")
    assert code == 1 and report["checks"] == ["breach"]
    assert all(e["strength"] is None and e["weak"] is None and e["insecure_url"] is None for e in report["entries"])
    assert [p["tier"] for p in report["priorities"]] == ["pwned"]

    before = len(server.requests)
    code, report = _audit(server, export, "--checks", "weak,unsecured")
    assert len(server.requests) == before, "no range request without the breach check"
    assert code == 0 and report["checks"] == ["weak", "unsecured"]
    assert all(e["pwned_count"] is None for e in report["entries"])
    assert [p["tier"] for p in report["priorities"]] == ["weak", "unsecured"]
    assert report["breach_data"]["available"] is False

    code, report = _audit(server, export, "--checks", "breach,weak")
    assert all(e["insecure_url"] is None for e in report["entries"]) and report["stats"]["unsecured_accounts"] == 0
    # twofactor and passkeys are accepted now; with no directories wired in they change nothing.
    assert _audit(server, export, "--checks", "breach,weak,unsecured,twofactor,passkeys")[1]["checks"] == [
        "breach", "weak", "unsecured"]


def test_bad_check_names_are_usage_errors(server: RangeServer, tmp_path: Path) -> None:
    export = _export(tmp_path)
    for args in (("--checks", "breach,nope"), ("--checks", ""), ("--fail-on", "pwned"), ("--weak-below", "5")):
        result = invoke("audit", str(export), "--api-url", server.url, *args)
        assert result.returncode == 2, args
        assert b"Traceback" not in result.stderr


def test_the_threshold_comes_from_the_option_or_the_config(server: RangeServer, tmp_path: Path) -> None:
    export = _export(tmp_path, [("mid", "https://mid.example.com/", "erin", "alice2019")])  # zxcvbn scores it 1
    assert _by_user(_audit(server, export)[1], "mid.")["weak"] is True
    assert _by_user(_audit(server, export, "--weak-below", "1")[1], "mid.")["weak"] is False
    config = tmp_path / "config.toml"
    config.write_text('[check]\nweak_below = 1\nfail_on = ["weak"]\nchecks = "breach,weak"\n')
    result = invoke("audit", str(export), "--format", "json", "--api-url", server.url, "--no-breaches", "-q",
                    env={"PWCHECK_CONFIG": str(config)})
    report = json.loads(result.stdout)
    assert _by_user(report, "mid.")["weak"] is False and report["fail_on"] == ["weak"] and report["checks"] == ["breach", "weak"]
    assert result.returncode == 0


def test_human_formats_show_strength_and_plain_http(server: RangeServer, tmp_path: Path) -> None:
    export = _export(tmp_path)
    for fmt in ("terminal", "markdown", "html"):
        out = invoke("audit", str(export), "--format", fmt, "--api-url", server.url, "--no-breaches", "-q").stdout.decode()
        assert "WEAK 0/4" in out and "plain http" in out, fmt
        assert "1 weak" in out and "1 at plain-http site(s)" in out, fmt
    csv_text = invoke("audit", str(export), "--format", "csv", "--api-url", server.url, "--no-breaches", "-q").stdout.decode()
    header = csv_text.splitlines()[0].split(",")
    assert {"strength", "weak", "insecure_url"} <= set(header)
