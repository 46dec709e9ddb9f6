"""Secrets stay out of reprs, exception messages, tracebacks, logs and the pipeline's objects."""

from __future__ import annotations

import gc
import logging
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pwcheck.analyse.assemble import assemble
from pwcheck.check.interface import LookupResult
from pwcheck.model.credential import Credential, password_sha1
from pwcheck.model.errors import InputError
from pwcheck.sources import file_source, read_export
from pwcheck.sources.collect import collect
from pwcheck.system.logs import HexScrubber
from tests.support import fixture_data as fd
from tests.support.privacy.harness import EXPORTS
from tests.support.privacy.hostile import HOSTILE_PASSWORDS, write_hostile_inputs
from tests.support.privacy.secrets import Scanner

SCANNER = Scanner(set(fd.ALL_PASSWORDS) | HOSTILE_PASSWORDS)


def test_credential_repr_and_str_are_redacted() -> None:
    digest = password_sha1(fd.ALPHA)
    credential = Credential("f.csv", "chromium", 2, "t", "https://a.example", "alice", digest)
    for text in (repr(credential), str(credential), f"{credential}", repr([credential])):
        assert "<redacted>" in text
        assert SCANNER.hits(text.encode(), "repr") == []
        assert digest.hex() not in text.lower() and repr(digest) not in text


def test_credential_has_no_field_for_a_password() -> None:
    names = set(Credential.__slots__)  # type: ignore[attr-defined]
    assert not {n for n in names if "pass" in n.lower() and n != "password_changed"}


def _exception_texts(exc: BaseException) -> str:
    """What a traceback, a log line or a careless `print(exc)` would show."""
    parts = ["".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), str(exc), repr(exc)]
    return "\n".join(parts)


def test_reader_errors_and_skips_never_quote_a_field(tmp_path: Path) -> None:
    """Every hostile file: the error, its traceback and every skip reason are clean."""
    for path in write_hostile_inputs(tmp_path):
        try:
            items = list(read_export(path))
        except InputError as exc:
            assert SCANNER.hits(_exception_texts(exc).encode(), str(path)) == []
            continue
        for item in items:
            assert SCANNER.hits(repr(item).encode(), str(path)) == []


CSV_HEADER = "name,url,username,password\n"
MARK = "pw-fuzzed-Sierra-18"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.text(alphabet=',"\r\n\x00\ufeff\\ab', max_size=12),
    after=st.text(alphabet=',"\r\n\x00\\ab', max_size=12),
    junk=st.binary(max_size=8),
)
@example(before="\r,,", after=",\\", junk=b"")  # found in CI: the text became the next row's username
def test_malformed_rows_around_a_password_never_leak_it(tmp_path: Path, before: str, after: str, junk: bytes) -> None:
    """A password inside a garbled CSV row: whatever the reader makes of it, no message quotes it."""
    path = tmp_path / "fuzzed.csv"
    path.write_bytes((CSV_HEADER + f"A,https://a.example,u,{before}{MARK}{after}\n").encode() + junk + b"\nB,x,y,z\n")
    scanner = Scanner({MARK})
    collected = collect([file_source(path)])
    # A bare CR ends a CSV record, so the garbling can move the text into another row's title,
    # URL or username column: there it is that field's value, shown as such, not a password.
    # Errors, skip reasons and every other credential must never carry it.
    shown_as_field = [c for c in collected.credentials if MARK in f"{c.title}{c.url}{c.username}"]
    texts = [_exception_texts(e) for e in collected.errors] + [
        repr(i) for i in [*collected.skipped, *collected.credentials] if i not in shown_as_field]
    assert scanner.hits("\n".join(texts).encode("utf-8", "surrogatepass"), "collect") == []


def _walk(root: object) -> list[object]:
    """Every object reachable from `root` through references (the pipeline's whole state)."""
    seen: dict[int, object] = {}
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type) or callable(obj) and not hasattr(obj, "__dict__"):
            continue
        seen[id(obj)] = obj
        stack.extend(gc.get_referents(obj))
    return list(seen.values())


def test_the_pipeline_carries_digests_not_passwords() -> None:
    """After reading, nothing reachable from the collected credentials or the report is a password."""
    collected = collect(file_source(export.path) for export in EXPORTS)
    lookup = LookupResult({c.sha1: 1 for c in collected.credentials})
    report = assemble(collected, lookup, 0.0)
    texts = [o for o in _walk(report) + _walk(collected) if isinstance(o, (str, bytes))]
    assert len(texts) > 20  # the walk really reached the records
    passwords = {p for p in fd.ALL_PASSWORDS} | {p.strip() for p in fd.ALL_PASSWORDS}
    for obj in texts:
        value = obj if isinstance(obj, str) else obj.decode("utf-8", "ignore")
        assert not any(p in value for p in passwords)


def test_log_scrubber_masks_hash_length_hex(caplog: pytest.LogCaptureFixture) -> None:
    """The safety net on the debug handler: a full SHA-1, NTLM hash or suffix never gets through."""
    record = logging.LogRecord("pwcheck.x", logging.DEBUG, __file__, 1, "value %s and %s", (fd.sha1_hex(fd.ALPHA), "ABCDE"), None)
    HexScrubber().filter(record)
    message = record.getMessage()
    assert fd.sha1_hex(fd.ALPHA) not in message and "<hex redacted>" in message
    assert "ABCDE" in message  # a 5-hex prefix is what is sent anyway and stays readable
    for length in (27, 32, 35, 40):
        rec = logging.LogRecord("x", logging.DEBUG, __file__, 1, "h=" + "a1" * (length // 2) + "f" * (length % 2), None, None)
        HexScrubber().filter(rec)
        assert rec.getMessage() == "h=<hex redacted>"


def test_log_scrubber_covers_exception_text() -> None:
    try:
        raise ValueError(fd.sha1_hex(fd.COMMA).lower())
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    HexScrubber().filter(record)
    assert record.exc_text and fd.sha1_hex(fd.COMMA).lower() not in record.exc_text
