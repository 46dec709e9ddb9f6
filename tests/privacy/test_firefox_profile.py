"""The Firefox profile reader leaves no password, hash or decrypted value anywhere.

The `--browser firefox` option is not wired into `pwcheck audit` yet (the browser registry
lands with issue 17's Chromium branch), so this runs the reader through the audit's own
collection, pipeline and every report format in a child process (`tests/support/privacy/
firefox_run.py`) in the privacy sandbox, and scans what it printed, logged and wrote, plus
the profile itself, for every password and the primary passwords in every form. When the
option is wired, a row in test_privacy_scan.py's INVOCATIONS replaces the child script.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.firefox_profile import ROOT, Login, build
from tests.support.privacy.harness import Sandbox
from tests.support.privacy.secrets import Scanner

PRIMARY = "Haupt-Kennwort 2024 ünd"
LOGINS = [
    Login("https://mail.example.com", "erin", "Tr0ub4dor&3-firefox", 1600000000000),
    Login("https://shop.example.net", "frank@example.net", "  ünïcode 7 spaces  ", 1610000000000),
    Login("chrome://FirefoxAccounts", "7c1d2e", '{"kSync":"0123456789abcdef0123"}', 1620000000000,
          http_realm="Firefox Accounts credentials"),
    Login("https://old.example.org", "gina", "deleted-but-kept 42", 1630000000000, deleted=True),
]


def test_firefox_profile_reader_leaks_nothing(tmp_path: Path) -> None:
    made = build(tmp_path / "profiles", LOGINS, {"plain": None, "locked": PRIMARY})
    sandbox = Sandbox(tmp_path / "sandbox")
    before = {path: path.stat().st_mtime_ns for root in sandbox.scanned_roots for path in root.rglob("*")}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.privacy.firefox_run", str(made["plain"]), str(made["locked"])],
        capture_output=True, env=sandbox.env({"PYTHONPATH": str(ROOT), "FIREFOX_TEST_PRIMARY": PRIMARY}),
        cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    assert proc.stdout.startswith(b"logins: 2 2\n")
    assert b"DEBUG" in proc.stderr or b"debug" in proc.stderr.lower()  # debug logging was on: scanned too
    assert proc.stderr.count(b"wrong primary password, 2 times: not read") == 1  # the third source, refused
    assert b"mail.example.com" in proc.stdout and b"shop.example.net" in proc.stdout
    blobs = [("stdout", proc.stdout), ("stderr", proc.stderr)]
    for root in sandbox.scanned_roots:
        blobs += [(f"file {p}", p.read_bytes()) for p in root.rglob("*")
                  if p.is_file() and before.get(p) != p.stat().st_mtime_ns]
    for profile in made.values():
        blobs += [(f"profile file {p}", p.read_bytes()) for p in profile.rglob("*") if p.is_file() and not p.is_symlink()]
    scanner = Scanner([login.password for login in LOGINS] + [PRIMARY, PRIMARY + "x", PRIMARY[::-1]])
    hits = [hit for where, blob in blobs for hit in scanner.hits(blob, where)]
    assert hits == []


@pytest.mark.parametrize("password", [login.password for login in LOGINS])
def test_scanner_would_see_each_password(password: str) -> None:
    """The scan is not vacuous: each password, printed plainly, is found."""
    assert Scanner([password]).hits(f"x {password} y".encode(), "probe")
