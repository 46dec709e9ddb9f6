"""PWCHECK_KDBX_PASSWORD is read once, at start, and taken out of the environment: no child
process pwcheck starts (gpg for `--pass-store`, notify-send, sendmail, systemctl) inherits it."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.support.cli import invoke
from tests.support.fixture_data import KDBX, KDBX_PASSWORD
from tests.support.rangeserver import RangeServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fake_gpg(bin_dir: Path, seen: Path) -> None:
    """A `gpg2` that records whether it inherited the variable, then 'decrypts' to one password line."""
    bin_dir.mkdir()
    script = bin_dir / "gpg2"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "${{PWCHECK_KDBX_PASSWORD+set}}" = set ]; then echo inherited >> "{seen}"; else echo clean >> "{seen}"; fi\n'
        "printf 'from-pass\\n'\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_a_child_process_never_sees_the_kdbx_password(range_server: RangeServer, tmp_path: Path) -> None:
    """Two databases open with the one value (read once), and gpg, started later, does not see it."""
    pytest.importorskip("pykeepass")
    first, second = tmp_path / "a.kdbx", tmp_path / "b.kdbx"
    shutil.copyfile(FIXTURES / "keepass.kdbx", first)
    shutil.copyfile(FIXTURES / "keepass.kdbx", second)
    store = tmp_path / "store"
    (store / "example.org").mkdir(parents=True)
    (store / "example.org" / "me.gpg").write_bytes(b"not really encrypted")
    seen = tmp_path / "seen"
    fake_gpg(tmp_path / "bin", seen)
    env = {"PWCHECK_KDBX_PASSWORD": KDBX_PASSWORD, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    proc = invoke("audit", str(first), str(second), f"--pass-store={store}", "--format", "json",
                  "--api-url", range_server.url, "--no-breaches", env=env)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert sum(e["format"] == "kdbx" for e in doc["entries"]) == 2 * len(KDBX)
    assert seen.read_text() == "clean\n"
    assert KDBX_PASSWORD.encode() not in proc.stdout + proc.stderr


def test_an_empty_value_is_the_empty_password(range_server: RangeServer) -> None:
    """Set to "", the variable is the empty master password (KeePass allows it), not unset."""
    pytest.importorskip("pykeepass")
    proc = invoke("audit", str(FIXTURES / "real" / "keepassxc-Compressed.kdbx"), "--format", "json",
                  "--api-url", range_server.url, "--no-breaches", env={"PWCHECK_KDBX_PASSWORD": ""})
    assert proc.returncode in (0, 1), proc.stderr
    assert [e["title"] for e in json.loads(proc.stdout)["entries"]] == ["Sample Entry"]
