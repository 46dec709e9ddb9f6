"""`open_private` checks the opened descriptor before it truncates anything: a file swapped in
after the command line was checked (an input, a hard link) is left as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pwcheck.system.files import UnsafeTarget, file_key, open_private


def test_an_avoided_file_is_refused_before_truncation(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("name,url,username,password\n")
    key = file_key(export)
    assert key is not None
    with pytest.raises(UnsafeTarget, match="is one of the inputs"):
        open_private(export, avoid={key})
    assert export.read_text() == "name,url,username,password\n"


def test_a_new_or_plain_file_is_written_0600(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("an older, longer report\n")
    with open_private(target) as handle:
        handle.write("new\n")
    assert target.read_text() == "new\n"
    fresh = tmp_path / "fresh.txt"
    with open_private(fresh) as handle:
        handle.write("x")
    assert fresh.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_and_hard_link_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTarget, match="named pipe"):
        open_private(fifo)
    linked = tmp_path / "linked"
    linked.write_text("keep")
    os.link(linked, tmp_path / "other-name")
    with pytest.raises(UnsafeTarget, match="other hard link"):
        open_private(linked)
    assert linked.read_text() == "keep"
