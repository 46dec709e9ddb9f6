"""Two-factor and passkey advice end to end: exports with and without TOTP secrets, the
directories on the loopback server, every format; the secret itself is never written anywhere,
and the exit code is the one the findings alone earn."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

DIRECTORIES = Path(__file__).resolve().parents[1] / "fixtures" / "directories"
SECRET = "JBSWY3DPEHPK3PXPTOTPSEED"  # the TOTP secret: must appear in no output
OTP_URI = f"otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub"
KDBX_PASSWORD = "totp-test-db"


def bitwarden(path: Path) -> Path:
    def login(name: str, url: str, totp: str | None) -> dict:  # type: ignore[type-arg]
        return {"id": name, "type": 1, "name": name, "login": {"username": "alice", "password": f"pw-{name}-Kilo-77",
                                                               "totp": totp, "uris": [{"uri": url}]}}

    doc = {"encrypted": False, "items": [login("github", "https://github.com/login", OTP_URI),
                                         login("gitlab", "https://gitlab.com/users/sign_in", None)]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def keepass_xml(path: Path) -> Path:
    def entry(title: str, url: str, otp: str | None) -> str:
        extra = f"<String><Key>otp</Key><Value ProtectInMemory=\"True\">{escape(otp)}</Value></String>" if otp else ""
        return (f"<Entry><UUID>{title}</UUID><String><Key>Title</Key><Value>{title}</Value></String>"
                f"<String><Key>UserName</Key><Value>bob</Value></String>"
                f"<String><Key>Password</Key><Value>pw-{title}-Lima-88</Value></String>"
                f"<String><Key>URL</Key><Value>{url}</Value></String>{extra}</Entry>")

    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><KeePassFile><Meta><Generator>KeePass</Generator></Meta><Root><Group>'
        "<UUID>cm9vdA==</UUID><Name>Root</Name>"
        + entry("Dropbox", "https://www.dropbox.com/", OTP_URI) + entry("Amazon", "https://www.amazon.com/", None)
        + "</Group></Root></KeePassFile>", encoding="utf-8")
    return path


def kdbx(path: Path) -> Path:
    from pykeepass import create_database

    db = create_database(str(path), password=KDBX_PASSWORD)
    with_otp = db.add_entry(db.root_group, "GitHub", "carol", "pw-kdbx-Mike-99", url="https://github.com/")
    with_otp.otp = OTP_URI  # KeePassXC's `otp` string
    db.add_entry(db.root_group, "GitLab", "carol", "pw-kdbx-Nov-11", url="https://gitlab.com/")
    db.save()
    return path


def chrome(path: Path) -> Path:
    path.write_text("name,url,username,password,note\nAmazon,https://www.amazon.de/,dave,pw-chrome-Osc-22,\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def server(range_server: RangeServer) -> RangeServer:
    range_server.directories = {
        "totp.json": (DIRECTORIES / "totp.json").read_bytes(),
        "supported.json": (DIRECTORIES / "supported.json").read_bytes(),
    }
    return range_server


def audit(server: RangeServer, files: list[Path], fmt: str, *extra: str):  # type: ignore[no-untyped-def]
    return invoke("audit", *map(str, files), "--format", fmt, "--api-url", server.url, "--breaches-url",
                  server.breaches_url, "--twofactor-url", server.directory_url("totp.json"), "--passkeys-url",
                  server.directory_url("supported.json"), "--timeout", "2", "--all", *extra,
                  env={"PWCHECK_KDBX_PASSWORD": KDBX_PASSWORD, "COLUMNS": "400"})


def exports(tmp_path: Path) -> list[Path]:
    return [bitwarden(tmp_path / "vault.json"), keepass_xml(tmp_path / "keepass.xml"), kdbx(tmp_path / "db.kdbx"),
            chrome(tmp_path / "chrome.csv")]


def test_json_says_what_is_stored_offered_and_accepted(server: RangeServer, tmp_path: Path) -> None:
    proc = audit(server, exports(tmp_path), "json")
    assert proc.returncode == 0, proc.stderr  # advice only: a clean audit stays clean
    doc = json.loads(proc.stdout)
    facts = {(e["format"], e["domain"]): (e["totp_stored"], e["twofactor_available"], e["passkey_available"])
             for e in doc["entries"]}
    assert facts == {
        ("bitwarden-json", "github.com"): (True, True, True),  # GitHub: u2f in the 2FA Directory -> passkey mfa
        ("bitwarden-json", "gitlab.com"): (False, True, True),
        ("keepass-xml", "dropbox.com"): (True, True, True),
        ("keepass-xml", "amazon.com"): (False, True, True),
        ("kdbx", "github.com"): (True, True, True),
        ("kdbx", "gitlab.com"): (False, True, True),
        ("chromium", "amazon.de"): (None, False, True),  # Chrome cannot carry TOTP; amazon.de: passkeys only
    }
    domains = {d["domain"]: d for d in doc["domains"]}
    assert domains["amazon.com"]["twofactor"] == {
        "name": "Amazon", "methods": ["totp", "sms", "call"],
        "documentation": "https://www.amazon.com/gp/help/customer/display.html?nodeId=G3PWZPU52FKN7PW4"}
    assert domains["github.com"]["passkeys"] == {
        "passwordless": None, "mfa": "allowed",
        "documentation": "https://help.github.com/en/github/authenticating-to-github/configuring-two-factor-authentication"}
    assert domains["amazon.de"]["twofactor"] is None and domains["amazon.de"]["passkeys"]["passwordless"] == "allowed"
    advice = [(p["domain"], p["reason"], p["link"]) for p in doc["priorities"]]
    assert all(p["tier"] == "advice" for p in doc["priorities"])
    assert ("amazon.de", "this contact accepts passkeys: replace the password",
            "https://www.amazon.com/gp/help/customer/display.html?nodeId=TPphmhSWBgcI9Ak87p") in advice
    assert ("gitlab.com", "this contact accepts a passkey as a second factor; two-factor available (totp, u2f), "
            "not set up here", "https://docs.gitlab.com/ee/user/profile/account/two_factor_authentication.html") in advice
    assert doc["directories"]["twofactor"]["available"] and doc["directories"]["twofactor"]["sites"] == 4
    assert doc["directories"]["passkeys"]["source"] == server.directory_url("supported.json")
    assert doc["stats"]["twofactor_unused_entries"] == 3 and doc["stats"]["passkey_available_entries"] == 7


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "csv", "json"])
def test_every_format_shows_the_advice_and_never_the_secret(server: RangeServer, tmp_path: Path, fmt: str) -> None:
    proc = audit(server, exports(tmp_path), fmt)
    text = proc.stdout.decode() + proc.stderr.decode()
    assert SECRET not in text and "otpauth" not in text
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(proc.stdout.decode())))
        assert {r["totp_stored"] for r in rows} == {"true", "false", ""}
        assert {r["priority_tier"] for r in rows} == {"advice"}
        return
    flat = text.replace("\u2060", "").replace("\\", "")
    for words in ("not set up here", "accepts passkeys: replace the password", "4 sites from", "25 sites from",
                  "docs.gitlab.com/ee/user/profile/account/two_factor_authentication.html"):
        assert words in flat, (fmt, words)
    if fmt != "json":  # the contact lines: amazon.com (KeePass, no secret), github.com (every copy has one)
        assert "2FA Directory: 4 sites from" in flat and "Passkeys Directory: 25 sites from" in flat
        assert "two-factor available (totp, sms, call), not set up here: https://www.amazon.com/gp/help/" in flat
        assert "two-factor set up here (totp, u2f, sms)" in flat
        # nothing but advice: "Change first" says there is nothing to change, then lists the advice
        assert "Nothing to change first: no pwned, stale, reused or weak password, and no login at a plain-http site; " \
            "two-factor or passkeys to add" in flat


def test_no_directories_fetches_nothing_and_claims_nothing(server: RangeServer, tmp_path: Path) -> None:
    proc = audit(server, [bitwarden(tmp_path / "vault.json")], "json", "--no-directories")
    doc = json.loads(proc.stdout)
    assert not server.requests_to("/directories/")
    assert {(e["twofactor_available"], e["passkey_available"]) for e in doc["entries"]} == {(None, None)}
    assert doc["directories"]["twofactor"]["note"] == "not fetched (--no-directories)" and doc["priorities"] == []
    # --checks without twofactor or passkeys fetches nothing either, and says so in its own words.
    proc = audit(server, [bitwarden(tmp_path / "vault.json")], "json", "--checks", "breach,weak")
    doc = json.loads(proc.stdout)
    assert not server.requests_to("/directories/")
    assert doc["directories"]["passkeys"]["note"] == "not fetched (--checks without twofactor or passkeys)"


def test_environment_and_config_point_at_a_mirror(server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = bitwarden(tmp_path / "vault.json")
    proc = invoke("audit", str(vault), "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url,
                  env={"PWCHECK_TWOFACTOR_URL": server.directory_url("totp.json"),
                       "PWCHECK_PASSKEYS_URL": server.directory_url("supported.json")})
    assert json.loads(proc.stdout)["directories"]["twofactor"]["available"]
    monkeypatch.delenv("PWCHECK_TWOFACTOR_URL")
    monkeypatch.delenv("PWCHECK_PASSKEYS_URL")
    config = tmp_path / "config.toml"
    monkeypatch.setenv("PWCHECK_CONFIG", str(config))
    config.write_text(f'[directories]\ntwofactor_url = "{server.directory_url("totp.json")}"\n'
                      f'passkeys_url = "{server.directory_url("supported.json")}"\n')
    proc = invoke("audit", str(vault), "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url)
    assert json.loads(proc.stdout)["directories"]["passkeys"]["available"]
    config.write_text(config.read_text() + "enabled = false\n")
    proc = invoke("audit", str(vault), "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url)
    assert json.loads(proc.stdout)["directories"]["twofactor"]["note"] == "not fetched (--no-directories)"
    config.write_text('[directories]\ntwofactor_url = "ftp://nowhere"\n')
    proc = invoke("audit", str(vault), "--api-url", server.url)
    assert proc.returncode == 2 and b"directories.twofactor_url must be an http:// or https:// URL" in proc.stderr


def test_hostile_directory_text_is_inert_in_every_format(server: RangeServer, tmp_path: Path) -> None:
    server.directories["totp.json"] = json.dumps([
        ["\x1b]52;c;ZXZpbA==\x07Git<b>Hub</b>", {"domain": "github.com", "tfa": ["totp"],
                                                  "documentation": "https://evil.example/@everyone/[x](https://e.example)"}],
        ["GitLab", {"domain": "gitlab.com", "tfa": ["totp"], "documentation": "https://e.example/\x1b[2J"}],
    ]).encode()
    vault = bitwarden(tmp_path / "vault.json")
    for fmt in ("terminal", "markdown", "html", "json", "csv"):
        out = audit(server, [vault], fmt).stdout.decode()
        assert "\x1b" not in out and "\x07" not in out, fmt
        if fmt == "markdown":
            assert "[x](https" not in out and "\\[x\\]" in out
        if fmt == "html":
            assert "<a" not in out and "<b>" not in out
        if fmt == "json":
            doc = json.loads(out)
            gitlab = next(d for d in doc["domains"] if d["domain"] == "gitlab.com")
            assert gitlab["twofactor"]["documentation"] is None  # a control character: no link at all


def test_ctrl_c_while_a_directory_trickles_exits_at_once(server: RangeServer, tmp_path: Path) -> None:
    """A real process (a signal): Ctrl-C while both directories trickle in ends the audit at once
    (exit 130, one line), not when the fetches reach their 45 s deadline."""
    import signal
    import subprocess
    import sys
    import time

    from tests.support.privacy.harness import Sandbox

    slow = (DIRECTORIES / "supported.json").read_bytes() * 4  # ~2 minutes at 16 bytes a tenth of a second
    server.directories = {"totp.json": slow, "supported.json": slow}
    server.directory_faults = ["trickle", "trickle"]
    box = Sandbox(tmp_path)
    env = box.env({"PWCHECK_API_URL": server.url, "PWCHECK_BREACHES_URL": server.breaches_url,
                   "PWCHECK_TWOFACTOR_URL": server.directory_url("totp.json"),
                   "PWCHECK_PASSKEYS_URL": server.directory_url("supported.json")})
    proc = subprocess.Popen([sys.executable, "-m", "pwcheck", "audit", str(chrome(tmp_path / "c.csv")), "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 60
        while len(server.requests_to("/directories/")) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, stderr = proc.communicate(timeout=60)
        waited = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert waited < 15, waited  # the fetch's own deadline here is 45 s
    assert b"Traceback" not in stderr
