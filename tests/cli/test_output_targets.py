"""`-o` writes a report only over a plain file of its own: never one of the inputs (compared by
device and inode, whatever the names), a FIFO, a device or a file with other hard links; and the
same export named twice is read once (a note says so), so `--delete-exports` deletes it once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def export_in(directory: Path, name: str = "chrome.csv") -> Path:
    target = directory / name
    shutil.copyfile(FIXTURES / name, target)
    return target


def audit(server: RangeServer, *args: str):  # type: ignore[no-untyped-def]
    return invoke("audit", *args, "--api-url", server.url, "--no-breaches")


def test_output_naming_an_input_is_refused_whatever_the_names(range_server: RangeServer, tmp_path: Path) -> None:
    export = export_in(tmp_path)
    original = export.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(export)
    for given, output in ((export, export), (link, export), (export, tmp_path / "sub" / ".." / "chrome.csv")):
        (tmp_path / "sub").mkdir(exist_ok=True)
        proc = audit(range_server, str(given), "-o", str(output), "--delete-exports")
        assert proc.returncode == 2, proc.stderr
        assert f"{output}: is one of the inputs".encode() in proc.stderr
        assert export.read_bytes() == original


def test_the_same_file_twice_is_read_once_and_deleted_once(range_server: RangeServer, tmp_path: Path) -> None:
    export = export_in(tmp_path)
    once = audit(range_server, str(export), "--format", "json")
    again_name = tmp_path / "." / "chrome.csv"
    proc = audit(range_server, str(export), str(again_name), "--format", "json", "--delete-exports")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["entries"]) == len(json.loads(once.stdout)["entries"])
    assert f"{again_name}: the same file as {export}: read once" in doc["notes"]
    assert not export.exists() and b"not deleted" not in proc.stderr


def test_a_fifo_as_output_is_refused_at_once(range_server: RangeServer, tmp_path: Path) -> None:
    """A real process: on a FIFO nobody reads, writing the report used to block for ever."""
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "pwcheck", "audit", str(export_in(tmp_path)), "-o", str(fifo), "--api-url", range_server.url,
         "--no-breaches"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2 and f"{fifo}: is a named pipe, not a regular file".encode() in proc.stderr
    assert range_server.requests == []  # refused before the audit ran


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs a character device")
def test_a_device_as_output_is_refused(range_server: RangeServer, tmp_path: Path) -> None:
    proc = audit(range_server, str(export_in(tmp_path)), "-o", "/dev/null")
    assert proc.returncode == 2 and b"/dev/null: is a device or socket, not a regular file" in proc.stderr


def test_an_output_with_another_hard_link_is_refused(range_server: RangeServer, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    report = tmp_path / "report.txt"
    os.link(notes, report)
    proc = audit(range_server, str(export_in(tmp_path)), "-o", str(report))
    assert proc.returncode == 2 and f"{report}: has 1 other hard link(s)".encode() in proc.stderr
    assert notes.read_text() == "my notes\n"
