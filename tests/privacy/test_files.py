"""Files: reports private (0600, no symlink following), the world-readable warning, the
plaintext-export reminder, and `--delete-exports` (overwrite, then unlink, only when safe)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import fixture_data as fd
from tests.support.privacy.harness import FIXTURES, Sandbox
from tests.support.rangeserver import RangeServer

README = Path(__file__).resolve().parents[2] / "README.md"
SECURITY = Path(__file__).resolve().parents[2] / "SECURITY.md"


def pwcheck(box: Sandbox, server: RangeServer, *args: str, umask: int | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pwcheck", *args], capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
        env=box.env({"PWCHECK_API_URL": server.url}), cwd=box.home,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def export_copy(box: Sandbox, name: str = "chrome.csv") -> Path:
    target = box.inputs / name
    shutil.copyfile(FIXTURES / name, target)
    return target


def test_report_is_0600_even_with_a_permissive_umask(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    report = box.home / "report.json"
    proc = pwcheck(box, range_server, "audit", str(export_copy(box)), "--format", "json", "-o", str(report), umask=0)
    assert proc.returncode == 1, proc.stderr
    assert report.stat().st_mode & 0o777 == 0o600
    assert b"readable by other users" not in proc.stderr


def test_existing_world_readable_report_is_warned_about(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    report = box.home / "shared-report.txt"
    report.write_text("old")
    report.chmod(0o644)
    proc = pwcheck(box, range_server, "audit", str(export_copy(box)), "-o", str(report))
    assert proc.returncode == 1
    assert f"warning: {report} is readable by other users and names your accounts".encode() in proc.stderr
    assert "example.org" in report.read_text()


def test_report_never_follows_a_symlink(range_server: RangeServer, tmp_path: Path) -> None:
    """A planted link (e.g. in a shared directory) cannot redirect the report onto another file."""
    box = Sandbox(tmp_path)
    victim = box.home / "victim.txt"
    victim.write_text("keep me")
    link = box.home / "report.txt"
    link.symlink_to(victim)
    proc = pwcheck(box, range_server, "audit", str(export_copy(box)), "-o", str(link))
    assert proc.returncode == 2 and f"{link}: is a symbolic link".encode() in proc.stderr
    assert victim.read_text() == "keep me"


def test_reminder_that_an_export_is_plaintext(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    export = export_copy(box)
    proc = pwcheck(box, range_server, "audit", str(export))
    assert f"{export} is a plaintext copy of all your passwords".encode() in proc.stderr
    assert b"--delete-exports" in proc.stderr
    quiet = pwcheck(box, range_server, "audit", str(export), "-q")
    assert quiet.returncode == 1 and b"plaintext copy" not in quiet.stderr
    assert export.exists()


def test_demo_alone_has_no_reminder_and_never_deletes_its_samples(range_server: RangeServer, tmp_path: Path) -> None:
    from pwcheck.demo import demo_files

    box = Sandbox(tmp_path)
    proc = pwcheck(box, range_server, "audit", "--demo", "--delete-exports")
    assert proc.returncode == 0, proc.stderr
    assert b"plaintext copy" not in proc.stderr and b"deleted" not in proc.stderr
    assert all(path.exists() for path in demo_files())


def test_delete_exports_overwrites_before_unlinking(range_server: RangeServer, tmp_path: Path) -> None:
    """A descriptor kept open on the export (the file outlives its name) shows what its blocks hold afterwards: zeros."""
    box = Sandbox(tmp_path)
    export = export_copy(box)
    size = export.stat().st_size
    witness = os.open(export, os.O_RDONLY)
    try:
        proc = pwcheck(box, range_server, "audit", str(export), "--delete-exports")
        assert proc.returncode == 1, proc.stderr
        assert not export.exists()
        assert os.pread(witness, size + 1, 0) == bytes(size)
    finally:
        os.close(witness)
    stderr = proc.stderr.decode()
    assert f"{export}: overwritten ({size:,} bytes) and deleted" in stderr
    assert "SSD" in stderr and "copy-on-write" in stderr


def test_delete_exports_only_touches_exports_read_in_full(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    good = [export_copy(box, "chrome.csv"), export_copy(box, "bitwarden.json")]
    broken = box.inputs / "broken.json"
    broken.write_text('{"encrypted": false, "items": [')
    notes = box.inputs / "notes.txt"
    notes.write_text("not an export\n")
    target = box.root / "target.csv"
    shutil.copyfile(FIXTURES / "firefox.csv", target)
    link = box.inputs / "link.csv"
    link.symlink_to(target)
    proc = pwcheck(box, range_server, "audit", *map(str, good), str(broken), str(notes), str(link), "--delete-exports")
    assert proc.returncode == 2  # the unreadable files and the refused link
    assert not any(path.exists() for path in good)
    assert broken.read_text().startswith('{"encrypted"') and notes.read_text() == "not an export\n"
    assert link.is_symlink() and target.read_bytes() == (FIXTURES / "firefox.csv").read_bytes()
    assert f"{link}: not deleted (is a symbolic link".encode() in proc.stderr


def test_delete_exports_keeps_them_when_the_audit_is_incomplete(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    export = export_copy(box)
    range_server.always[fd.sha1_hex(fd.ALPHA)[:5]] = "503"
    proc = pwcheck(box, range_server, "audit", str(export), "--delete-exports", "--timeout", "0.5")
    assert proc.returncode == 3
    assert export.read_bytes() == (FIXTURES / "chrome.csv").read_bytes()
    assert b"exports kept: the audit is incomplete" in proc.stderr


def test_delete_exports_keeps_them_when_the_report_cannot_be_written(range_server: RangeServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    export = export_copy(box)
    proc = pwcheck(box, range_server, "audit", str(export), "--delete-exports", "-o", str(box.home / "no" / "dir" / "r.txt"))
    assert proc.returncode == 2 and export.exists()


@pytest.mark.parametrize("doc", [README, SECURITY], ids=["README", "SECURITY"])
def test_the_caveat_is_documented(doc: Path) -> None:
    text = doc.read_text()
    assert "--delete-exports" in text and "SSD" in text and "copy-on-write" in text


def test_security_md_names_only_tests_that_exist() -> None:
    """SECURITY.md says which test proves each guarantee: every test it names must exist."""
    import re

    named = set(re.findall(r"\b(test_[a-z0-9_]+)", SECURITY.read_text()))
    modules = list((README.parent / "tests").rglob("test_*.py"))
    sources = "\n".join(path.read_text() for path in modules)
    defined = set(re.findall(r"^def (test_[a-z0-9_]+)", sources, flags=re.M)) | {path.stem for path in modules}
    prefixes = {name for name in named if name.endswith("_")}  # e.g. `test_log_scrubber_*`
    assert named - prefixes <= defined, sorted(named - prefixes - defined)
    assert all(any(d.startswith(p) for d in defined) for p in prefixes)
    assert len(named) > 25
