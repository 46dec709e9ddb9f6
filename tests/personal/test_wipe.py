"""`--delete-exports` zeroes the file that was read and nothing else: a file swapped in for the
export (a hard link to another file, a new file), one changed since it was read, or one with
other hard links is refused and left exactly as it is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from pwcheck.model.source import FileIdentity
from pwcheck.personal.wipe import WipeRefused, overwrite_and_unlink
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRECIOUS = b"someone else's file, never an export\n"


def audit_with(monkeypatch: pytest.MonkeyPatch, during: Callable[[], None], server: RangeServer, *args: str):  # type: ignore[no-untyped-def]
    """`audit ARGS --delete-exports`, running `during` after the exports were read and before they are deleted."""
    import pwcheck.audit

    real = pwcheck.audit.run_audit

    def run_audit(*a: Any, **k: Any) -> Any:
        during()
        return real(*a, **k)

    monkeypatch.setattr(pwcheck.audit, "run_audit", run_audit)
    return invoke("audit", *args, "--delete-exports", "--api-url", server.url, "--no-breaches")


def test_an_export_swapped_for_a_hard_link_to_another_file_is_not_zeroed(
    range_server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "chrome.csv"
    shutil.copyfile(FIXTURES / "chrome.csv", export)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(PRECIOUS)

    def swap() -> None:
        export.unlink()
        os.link(victim, export)

    proc = audit_with(monkeypatch, swap, range_server, str(export))
    assert proc.returncode == 2, proc.stderr
    assert victim.read_bytes() == PRECIOUS and export.read_bytes() == PRECIOUS
    assert f"{export}: not deleted (is no longer the file that was read".encode() in proc.stderr


def test_an_export_with_another_hard_link_is_not_touched(range_server: RangeServer, tmp_path: Path) -> None:
    export = tmp_path / "chrome.csv"
    shutil.copyfile(FIXTURES / "chrome.csv", export)
    other = tmp_path / "backup-name.csv"
    os.link(export, other)
    proc = invoke("audit", str(export), "--delete-exports", "--api-url", range_server.url, "--no-breaches")
    assert proc.returncode == 2, proc.stderr
    assert other.read_bytes() == (FIXTURES / "chrome.csv").read_bytes() and export.exists()
    assert f"{export}: not deleted (has 1 other hard link(s)".encode() in proc.stderr


def read_identity(path: Path) -> FileIdentity:
    return FileIdentity.of(os.stat(path))


def test_only_the_file_read_unchanged_is_wiped(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(b"name,url,username,password\n")
    identity = read_identity(export)
    # Replaced by a new file under the same name.
    (tmp_path / "new").write_bytes(PRECIOUS)
    os.replace(tmp_path / "new", export)
    with pytest.raises(WipeRefused, match="no longer the file that was read"):
        overwrite_and_unlink(export, identity)
    assert export.read_bytes() == PRECIOUS
    # Changed in place since it was read (same inode, new size and time).
    identity = read_identity(export)
    with export.open("ab") as handle:
        handle.write(b"more\n")
    with pytest.raises(WipeRefused, match="changed since it was read"):
        overwrite_and_unlink(export, identity)
    assert export.read_bytes() == PRECIOUS + b"more\n"
    # Unchanged: zeroed (seen through a descriptor that outlives the name), then gone.
    identity = read_identity(export)
    witness = os.open(export, os.O_RDONLY)
    try:
        wiped = overwrite_and_unlink(export, identity)
        assert wiped.size == identity.size and not export.exists()
        assert os.pread(witness, identity.size + 1, 0) == bytes(identity.size)
    finally:
        os.close(witness)
