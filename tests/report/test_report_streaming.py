"""Reports are written as they are rendered, and the JSON text is what dumping the whole document gives."""

from __future__ import annotations

import io
import json
import os
import pty
import re
from pathlib import Path

import pytest

from pwcheck.analyse.assemble import analyse, assemble
from pwcheck.audit import rank
from pwcheck.breaches.catalogue import parse_catalogue
from pwcheck.check.interface import LookupResult
from pwcheck.model.breach import Catalogue
from pwcheck.personal.ignore import Rule
from pwcheck.personal.review import build_review
from pwcheck.report import RenderOptions, renderer
from pwcheck.report._rows import report_document
from pwcheck.report._stream import ReportStream
from pwcheck.sources import file_source
from pwcheck.sources.collect import collect
from tests.support.breach_fixture import CATALOGUE
from tests.support.cli import ALL_FILES, invoke
from tests.support.rangeserver import RangeServer


def rendered(report, redact: bool = False) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    renderer("json").render(report, out, RenderOptions(redact=redact))
    return out.getvalue()


def whole(report, redact: bool = False) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(report_document(report, redact), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("redact", [False, True])
def test_streamed_json_is_the_whole_document_dumped(fixtures: Path, redact: bool) -> None:
    collected = collect(file_source(fixtures / name) for name in ALL_FILES)
    counts = {c.sha1: (None if i == 3 else i * 1000) for i, c in enumerate(collected.credentials)}
    report = assemble(collected, LookupResult(counts), 0.25, against='odd "entries": [\n] text, münchen')
    breaches, _ = parse_catalogue(CATALOGUE)
    report = rank(analyse(report, Catalogue(breaches=breaches, available=True)))
    report.notes.append("a note with \"quotes\", a tab\t and ü")
    report.review = build_review(report, [Rule("r1", "accepted", "test", domain="example.org")], new_only=False)
    assert len(report.entries) > 10 and report.priorities and report.review.ignored  # every part is there
    assert rendered(report, redact) == whole(report, redact)


def test_streamed_json_without_entries(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("name,url,username,password\n")
    report = rank(analyse(assemble(collect([file_source(empty)]), LookupResult({}), 0.0), None))
    assert report.entries == []
    assert rendered(report) == whole(report)
    assert '"entries": [],' in rendered(report)


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_report_file_holds_what_stdout_shows(range_server: RangeServer, fixtures: Path, tmp_path: Path, fmt: str) -> None:
    files = [str(fixtures / name) for name in ALL_FILES]
    target = tmp_path / f"report.{fmt}"
    shown = invoke("audit", *files, "--format", fmt, "--api-url", range_server.url, "--no-breaches")
    written = invoke("audit", *files, "--format", fmt, "--api-url", range_server.url, "--no-breaches", "-o", str(target))
    assert shown.returncode == written.returncode == 1 and written.stdout == b""
    assert target.stat().st_mode & 0o777 == 0o600

    def steady(text: bytes) -> bytes:  # the elapsed time is the one thing that differs between runs
        return re.sub(rb'"elapsed_s": [0-9.]+|in [0-9.]+s', b"", text)

    assert steady(target.read_bytes()) == steady(shown.stdout) and len(shown.stdout) > 500


def test_report_stream_is_never_a_terminal() -> None:
    """Renderers (rich) colour a terminal; reports are rendered as for a file, as they always were."""
    master, slave = pty.openpty()
    try:
        with open(slave, "w", closefd=False) as terminal:
            assert terminal.isatty()
            stream = ReportStream(terminal)
            assert not stream.isatty() and stream.writable()
            assert stream.write("row\n") == 4
            terminal.flush()
        assert os.read(master, 100).replace(b"\r\n", b"\n") == b"row\n"
    finally:
        os.close(master)
        os.close(slave)
