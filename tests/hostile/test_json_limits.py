"""JSON exports, in a file or a ZIP member, are parsed only within a byte and a value limit.

A byte cap alone let a 63 MiB `[{},{},...]` take 2 GB, and a ZIP member got the 256 MiB
member cap instead of the JSON one (an 83 KB archive reached 2.2 GB). Each hostile file
here is small on disk or quick to write, is refused with one line and exit 2 in a real
process whose peak memory is measured, and the good file beside it is still audited.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pwcheck.sources import _input
from pwcheck.system.bounded_json import value_count
from tests.support.peak import run_pwcheck
from tests.support.privacy.harness import FIXTURES, Sandbox

BITWARDEN_HEAD = b'{"encrypted": false, "items": ['
# Far below what parsing any of these files whole takes (600 MB to 7.9 GB, measured), far
# above what refusing them takes (the bytes, their text and the count: under 150 MiB).
PEAK_BOUND_MIB = 300


def _dicts_json(size: int) -> bytes:
    """A Bitwarden-shaped document of `size` bytes that is nothing but empty items: a dict per 3 bytes."""
    count = (size - len(BITWARDEN_HEAD) - 4) // 3
    return BITWARDEN_HEAD + b"{}," * count + b"{}]}"


def _zip_with(path: Path, member: str, chunks: int, chunk: bytes, head: bytes = b"", tail: bytes = b"") -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("export.attributes", '{"version": 3}')
        with archive.open(member, "w") as handle:
            handle.write(head)
            for _ in range(chunks):
                handle.write(chunk)
            handle.write(tail)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("json-limits")
    files = {
        "member-250mib.1pux": directory / "member-250mib.1pux",
        "member-values.1pux": directory / "member-values.1pux",
        "values.json": directory / "values.json",
    }
    block = b"{}," * (1 << 20)  # 3 MiB of empty objects
    # 250 MiB of JSON inflated from about 250 KB: under the member cap, far over the JSON one.
    _zip_with(files["member-250mib.1pux"], "export.data", 83, block, b'{"accounts": [', b"{}]}")
    # 21 MiB, under the JSON byte cap, but 7 million values.
    _zip_with(files["member-values.1pux"], "export.data", 7, block, b'{"accounts": [', b"{}]}")
    files["values.json"].write_bytes(_dicts_json(20 << 20))
    return files


@pytest.mark.parametrize("name", ["member-250mib.1pux", "member-values.1pux", "values.json"])
def test_hostile_json_is_one_line_and_exit_2_within_bounded_memory(hostile: dict[str, Path], name: str, tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    good = FIXTURES / "chrome-old.csv"
    measured = run_pwcheck("audit", str(hostile[name]), str(good), "--demo", "--format", "json", "-q", env=box.env())
    stderr = measured.stderr.decode()
    assert not measured.timed_out
    assert measured.returncode == 2, stderr
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    (line,) = stderr.splitlines()
    assert line.startswith(f"pwcheck: {hostile[name]}: "), line
    doc = json.loads(measured.stdout)
    (error,) = doc["errors"]
    if name == "member-250mib.1pux":
        assert "inflates past 64 MiB" in error["message"]
    else:
        assert f"more than {_input.MAX_JSON_VALUES:,} values" in error["message"]
    assert any(e["source"] == str(good) for e in doc["entries"])  # the good file was still audited
    assert measured.peak_mib < PEAK_BOUND_MIB, measured.peak_mib


def test_a_real_export_at_the_value_limit_is_read(tmp_path: Path) -> None:
    """The limit is the document's values, not its items: real items are read right up to it."""
    item = {"type": 1, "name": "T", "login": {"uris": [{"uri": "https://a.example"}], "username": "u", "password": "p"}}
    per_item = value_count(json.dumps(item), 0)
    items = (_input.MAX_JSON_VALUES - 10) // (per_item + 1)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"encrypted": False, "items": [item] * items}))
    assert value_count(path.read_text(), 0) <= _input.MAX_JSON_VALUES
    inp = _input.InputFile(path)
    try:
        assert len(inp.json["items"]) == items
    finally:
        inp.close()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


def _values_and_names(value: object) -> tuple[int, int]:
    """(values and member names, empty containers) of a parsed document."""
    if isinstance(value, dict):
        counts = [_values_and_names(inner) for inner in value.values()]
        return 1 + len(value) + sum(c[0] for c in counts), (not value) + sum(c[1] for c in counts)
    if isinstance(value, list):
        counts = [_values_and_names(inner) for inner in value]
        return 1 + sum(c[0] for c in counts), (not value) + sum(c[1] for c in counts)
    return 1, 0


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.booleans(), st.sampled_from([None, 1]))
def test_value_count_is_exact_past_the_limit_whatever_the_strings_hold(value: object, ascii_only: bool, indent: int | None) -> None:
    """Strings full of quotes, backslashes, commas and brackets are never counted; an empty
    container's opening bracket is (an upper bound, and exact for everything else)."""
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    values, empty = _values_and_names(value)
    assert value_count(text, 0) == values + empty
    assert value_count(text, 10**9) >= values  # the quick count: an upper bound
