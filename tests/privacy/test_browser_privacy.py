"""`--browser` and `pwcheck sources`: no password, hash, decrypted value or browser key in anything a run leaves.

Real processes in the privacy sandbox (`tests/support/privacy/harness.py`), debug logging
on, against the loopback range server, with the real-Chromium profile and a real
gnome-keyring holding its v11 key. Scanned: stdout, stderr and every file written under
the sandbox; and the profile itself must be left byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.corpus.memory import MemoryCorpus
from pwcheck.report import format_names as report_formats
from tests.support import chromium_profile as cp
from tests.support import fixture_data as fd
from tests.support.chromium_profile import chromium_keyring
from tests.support.privacy.harness import Sandbox
from tests.support.privacy.secrets import Scanner
from tests.support.rangeserver import RangeServer
from tests.support.secretservice import SecretService


@pytest.fixture(scope="module")
def keyring() -> Iterator[SecretService]:
    with chromium_keyring("pwp") as service:
        yield service


def scanner() -> Scanner:
    passwords = {login.password for login in cp.DEFAULT + cp.OLD} | set(fd.ALL_PASSWORDS)
    passwords |= {cp.SAFE_STORAGE_SECRET.decode(), cp.derive(cp.SAFE_STORAGE_SECRET).hex(), cp.derive(b"peanuts").hex()}
    return Scanner(passwords)


def profile_state(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "Login Data" in p.name}


@pytest.mark.parametrize("args,code", [
    *[((f"--format={fmt}", "--browser", "chromium", "--browser-profile", "{profile}/Default", "--all", "-vv"), 1)
      for fmt in report_formats()],
    (("--format=json", "--browser", "chromium:Profile 2", "--browser", "chromium:Old", "-vv", "-o", "{home}/r.json"), 2),
], ids=lambda value: "-".join(str(v) for v in value)[:60] if isinstance(value, tuple) else str(value))
def test_no_secret_in_a_browser_audit(args: tuple[str, ...], code: int, chromium_user_data: Path, keyring: SecretService,
                                      tmp_path: Path) -> None:
    server = RangeServer(MemoryCorpus.from_lines(fd.corpus_lines())).start()
    before = profile_state(chromium_user_data)
    try:
        box = Sandbox(tmp_path)
        argv = ["audit", *(a.format(profile=chromium_user_data, home=box.home) for a in args)]
        run = box.run(argv, env={"PWCHECK_API_URL": server.url, "DBUS_SESSION_BUS_ADDRESS": keyring.bus.address,
                                 "XDG_CONFIG_HOME": str(chromium_user_data.parent)})
    finally:
        server.stop()
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == code, stderr[-2000:]
    assert "Traceback" not in stderr and "pwcheck debug" in stderr
    assert [hit for where, blob in run.blobs() for hit in scanner().hits(blob, where)] == []
    assert profile_state(chromium_user_data) == before


def test_no_secret_in_sources(chromium_user_data: Path, keyring: SecretService, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    run = box.run(["sources", "--json", "-vv"], env={"DBUS_SESSION_BUS_ADDRESS": keyring.bus.address,
                                                     "XDG_CONFIG_HOME": str(chromium_user_data.parent)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert b'"logins": 5' in run.stdout
    assert [hit for where, blob in run.blobs() for hit in scanner().hits(blob, where)] == []
