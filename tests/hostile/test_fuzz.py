"""Hostile input, fuzzed with hypothesis: every reader, the URL/domain code and the range body
parser never crash or hang, whatever the bytes. Failures found here are regression tests below.

CI runs a fixed budget (the example counts below; HYPOTHESIS_PROFILE=long raises it). The
coverage-guided atheris harness for the same parsers is in `fuzz/` (see fuzz/README.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pwcheck.analyse.domains import contact_domain, host_of
from pwcheck.check.range_format import MalformedRange, build_body, find_counts, normalise_body
from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources import FORMATS, read_export

settings.register_profile("ci", max_examples=int(os.environ.get("PWCHECK_FUZZ_EXAMPLES", "200")), deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FORMAT_NAMES = [fmt.name for fmt in FORMATS]
CSV_HEADERS = sorted({",".join(sorted(getattr(fmt, "required", ()))) for fmt in FORMATS if getattr(fmt, "required", None)})


def read_or_refuse(path: Path, forced: str | None = None) -> list[object]:
    """The only acceptable outcomes: items, or one InputError naming the file."""
    try:
        items = list(read_export(path, "fuzzed", forced))
    except InputError as exc:
        assert exc.source == "fuzzed"
        return []
    assert all(isinstance(item, (Credential, Skipped, InputError)) for item in items)
    # A row the reader cannot map is an error naming the file and its line, and reading goes on.
    assert all(item.source == "fuzzed" and item.line for item in items if isinstance(item, InputError))
    return items


@given(data=st.binary(max_size=4096), forced=st.sampled_from([None, *FORMAT_NAMES]))
def test_any_bytes_in_any_reader(tmp_path: Path, data: bytes, forced: str | None) -> None:
    path = tmp_path / "input"
    path.write_bytes(data)
    read_or_refuse(path, forced)


csv_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(['"', '""', "\r", "\n", "\x00", ",", "\ufeff"])


@given(header=st.sampled_from(CSV_HEADERS), rows=st.lists(st.lists(csv_cell, max_size=12), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_csv_shaped_input(tmp_path: Path, header: str, rows: list[list[str]], encoding: str) -> None:
    path = tmp_path / "input.csv"
    text = header + "\n" + "\n".join(",".join(row) for row in rows)
    path.write_bytes(text.encode(encoding, "surrogatepass"))
    read_or_refuse(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "login", "uris", "uri", "password", "username", "name", "items", "encrypted",
                         "passwordRevisionDate", "passwordHistory", "lastUsedDate", "deletedDate", "data"]),
        children, max_size=6),
    max_leaves=30,
)


@given(items=st.lists(json_values, max_size=6), encrypted=st.sampled_from([False, True, None, 0, "x"]))
def test_bitwarden_shaped_json(tmp_path: Path, items: list[object], encrypted: object) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"encrypted": encrypted, "items": items}))
    read_or_refuse(path)


@given(st.text(max_size=200))
def test_contact_domain_never_raises(url: str) -> None:
    result = contact_domain(url)
    assert result is None or isinstance(result, str)
    assert host_of("https://" + url) is None or isinstance(host_of("https://" + url), str)


@given(scheme=st.sampled_from(["", "https://", "android://x@", "androidapp://", "ftp://", "http://["]),
       host=st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=60),
       rest=st.text(max_size=20))
def test_url_shaped_input(scheme: str, host: str, rest: str) -> None:
    contact_domain(scheme + host + rest)


@given(st.binary(max_size=2048), st.lists(st.binary(min_size=35, max_size=35), max_size=4))
def test_range_body_parser_accepts_or_refuses(body: bytes, wanted: list[bytes]) -> None:
    try:
        normalised = normalise_body(body)
    except MalformedRange:
        return
    counts = find_counts(normalised, [w.hex().upper()[:35].encode() for w in wanted])
    assert all(isinstance(c, int) and c >= 0 for c in counts.values())


hex35 = st.text(alphabet="0123456789ABCDEF", min_size=35, max_size=35)


@given(st.dictionaries(hex35, st.integers(min_value=1, max_value=10**12), max_size=30), st.booleans(), st.booleans())
def test_range_body_round_trip_is_exact(entries: dict[str, int], pad: bool, commas: bool) -> None:
    body = build_body(sorted(entries.items()), pad=pad)
    if commas:
        body = b"\r\n".join(
            line.split(b":")[0] + b":" + f"{int(line.split(b':')[1]):,}".encode() for line in body.split(b"\r\n") if line
        )
    counts = find_counts(normalise_body(b"\xef\xbb\xbf" + body.lower()), [s.encode() for s in entries])
    assert counts == {s.encode(): c for s, c in entries.items()}


# --- regressions found by fuzzing and by the privacy harness --------------------------------


def test_regression_a_count_past_python_int_digit_limit_is_malformed() -> None:
    """A hostile count of 5,000 digits made int() raise ValueError, crashing the lookup."""
    with pytest.raises(MalformedRange):
        normalise_body(b"0" * 35 + b":" + b"9" * 5000)


def test_regression_undecodable_byte_is_reported_at_its_line(tmp_path: Path) -> None:
    """The line was the decoded chunk's start (1), not the line holding the bad byte."""
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name,url,username,password\n" + b"A,https://a,u,x\n" * 5000 + b"B,https://b,u,\xff\n")
    with pytest.raises(InputError) as caught:
        list(read_export(path))
    assert caught.value.line == 5002


@pytest.mark.parametrize("item", [{"type": []}, {"type": {}}, {"type": True, "login": {"password": "x"}},
                                  {"type": 1, "login": {"password": "x", "uris": 5}},
                                  {"type": 1, "login": {"password": "x"}, "passwordHistory": 7}])
def test_regression_bitwarden_item_fields_of_any_type(tmp_path: Path, item: dict) -> None:
    """`{"type": []}` raised TypeError (unhashable) and lost the whole file; odd types are now skips."""
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"encrypted": False, "items": [item]}))
    items = list(read_export(path))
    assert len(items) == 1
    if item.get("type") is True or item["type"] in ([], {}):
        assert isinstance(items[0], Skipped) and "not a login" in items[0].reason


@pytest.mark.parametrize("document", ["0", "[]", '"items"', "null"])
def test_regression_forced_bitwarden_on_json_that_is_not_an_object(tmp_path: Path, document: str) -> None:
    """`--input-format bitwarden-json` on `0` raised AttributeError instead of one clear error."""
    path = tmp_path / "doc.json"
    path.write_text(document)
    with pytest.raises(InputError, match="not an object"):
        list(read_export(path, forced="bitwarden-json"))


def test_regression_iso_time_that_overflows_in_utc_is_unknown() -> None:
    from pwcheck.sources._time import from_iso

    assert from_iso("0001-01-01T00:00:00+01:00") is None and from_iso("9999-12-31T23:59:59-01:00") is None


# --- bounded memory on hostile shapes --------------------------------------------------------


def test_a_csv_without_newlines_is_refused_by_line_length(tmp_path: Path) -> None:
    from pwcheck.sources._input import CSV_LINE_LIMIT

    path = tmp_path / "one-line.csv"
    path.write_text("name,url,username,password\n" + "x," * (CSV_LINE_LIMIT // 2 + 10))
    with pytest.raises(InputError) as caught:
        list(read_export(path))
    assert "line longer than" in str(caught.value) and caught.value.line == 2


def test_zip_bomb_member_is_refused_while_inflating(tmp_path: Path) -> None:
    import zipfile

    from pwcheck.sources import _zip
    from pwcheck.sources._input import InputFile

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("export.data", "w") as member:
            block = bytes(1 << 20)
            for _ in range(64):
                member.write(block)
    assert path.stat().st_size < 1 << 20  # 64 MiB of zeros in well under 1 MiB
    with pytest.raises(InputError) as caught:
        _zip.read_member(InputFile(path), "export.data", 8 << 20)
    assert "inflates past 8 MiB" in str(caught.value)
    assert len(_zip.read_member(InputFile(path), "export.data", 65 << 20)) == 64 << 20
