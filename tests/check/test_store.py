"""The local store: import from both downloader layouts, exact lookups, verify, crash safety."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from pwcheck.check.ntlm import md4
from pwcheck.check.store import Store, StoreChecker, verify
from pwcheck.check.store_format import BUCKETS, DATA_OFFSET, INDEX_OFFSET, NTLM, SHA1, HashKind, StoreError
from pwcheck.corpus.build import StoreWriter
from pwcheck.corpus.importer import import_corpus
from pwcheck.corpus.records import FullLineReader
from tests.support import corpus_gen as cg

N = 30_000
FOLDER_RANGE = (0x00000, 0x00FFF)


def prefix_of(digest: bytes) -> int:
    return int.from_bytes(digest[:3], "big") >> 4


@pytest.fixture(scope="module")
def entries() -> dict[bytes, int]:
    return cg.corpus(N)


@pytest.fixture(scope="module")
def built(entries: dict[bytes, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("store")
    cg.write_single_file(entries, base / "pwnedpasswords.txt")
    import_corpus(base / "pwnedpasswords.txt", base / "store")
    return base / "store"


def test_import_single_file_looks_up_exactly(built: Path, entries: dict[bytes, int]) -> None:
    with Store.open(built, SHA1) as store:
        assert store.header.hash_count == len(entries)
        assert not store.header.partial
        assert store.counts(list(entries)) == entries
        assert set(store.counts(cg.absent_digests(2000)).values()) == {0}
        assert verify(store) == []


def test_edges_and_empty_buckets(built: Path, entries: dict[bytes, int]) -> None:
    edges = cg.edge_digests()
    assert {prefix_of(d) for d in edges} == {0, BUCKETS - 1}
    occupied = {prefix_of(d) for d in entries}
    empty = next(p for p in range(1, BUCKETS) if p not in occupied)
    neighbours = [(empty << 140 | 7 << 100).to_bytes(20, "big"), b"\xff" * 19 + b"\xfe", b"\x00" * 20]
    with Store.open(built, SHA1) as store:
        assert [store.count(d) for d in edges] == [10, 11, 12, 13]
        assert store.bucket(empty).size == 0
        assert [store.count(d) for d in neighbours] == [0, 0, 0]
        assert store.bucket(0).entries()[0] == ("0" + "01" * 17, 10)  # 000000 0101...: prefix 00000


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_line_endings_and_chunk_boundaries_give_the_same_store(
    entries: dict[bytes, int], built: Path, tmp_path: Path, newline: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pwcheck.corpus.importer as ci

    monkeypatch.setattr(ci, "CHUNK", 4099)  # buckets and lines split across many chunks
    cg.write_single_file(entries, tmp_path / "p.txt", newline)
    import_corpus(tmp_path / "p.txt", tmp_path / "s")
    assert _data(tmp_path / "s", SHA1) == _data(built, SHA1)


def test_folder_layout_matches_single_file(entries: dict[bytes, int], built: Path, tmp_path: Path) -> None:
    part = cg.in_prefixes(entries, *FOLDER_RANGE)
    cg.write_folder(part, tmp_path / "ranges", *FOLDER_RANGE)
    import_corpus(tmp_path / "ranges", tmp_path / "s", prefixes=FOLDER_RANGE)
    with Store.open(tmp_path / "s", SHA1) as folder_store, Store.open(built, SHA1) as file_store:
        assert folder_store.header.partial
        for prefix in range(FOLDER_RANGE[0], FOLDER_RANGE[1] + 1):
            assert folder_store.bucket(prefix) == file_store.bucket(prefix)
        outside = next(d for d in entries if prefix_of(d) > FOLDER_RANGE[1])
        assert folder_store.count(outside) is None  # not checked, never "clean"
        assert verify(folder_store) == []


def test_folder_with_a_missing_range_is_refused(entries: dict[bytes, int], tmp_path: Path) -> None:
    cg.write_folder(cg.in_prefixes(entries, 0, 0xFF), tmp_path / "ranges", 0, 0xFF)
    (tmp_path / "ranges" / "00042.txt").unlink()
    with pytest.raises(StoreError, match="1 of 256 range files are missing"):
        import_corpus(tmp_path / "ranges", tmp_path / "s", prefixes=(0, 0xFF))
    assert not (tmp_path / "s" / "sha1.pwstore").exists()


def test_ntlm_import(tmp_path: Path) -> None:
    ntlm = cg.corpus(3000, ntlm=True)
    cg.write_single_file(ntlm, tmp_path / "ntlm.txt")
    result = import_corpus(tmp_path / "ntlm.txt", tmp_path / "s")
    assert result.kind == NTLM
    with Store.open(tmp_path / "s", NTLM) as store:
        assert store.counts(list(ntlm)) == ntlm
        assert store.count(md4("gen--5".encode("utf-16-le"))) == 0
        assert verify(store) == []
    with pytest.raises(StoreError, match="no sha1 store"):
        Store.open(tmp_path / "s", SHA1)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([b"B" * 40 + b":1", b"A" * 40 + b":1"], "p.txt:2: not sorted"),
        ([b"A" * 40 + b":1", b"A" * 40 + b":2"], "p.txt:2: the same hash appears twice"),
        ([b"A" * 40 + b":1", b"A" * 39 + b":1"], "p.txt:2: is not HASH:COUNT"),
        ([b"A" * 40 + b":1", b"", b"B" * 40 + b":1"], "p.txt:2: is not HASH:COUNT"),
        ([b"A" * 40 + b":99999999999"], "a count exceeds"),
    ],
)
def test_bad_input_is_refused_by_line(tmp_path: Path, lines: list[bytes], message: str) -> None:
    (tmp_path / "p.txt").write_bytes(b"\r\n".join(lines) + b"\r\n")
    with pytest.raises(StoreError, match=message):
        import_corpus(tmp_path / "p.txt", tmp_path / "s")
    assert sorted(os.listdir(tmp_path / "s")) == []  # nothing left behind, not even the partial file


def test_order_is_checked_across_chunks() -> None:
    reader = FullLineReader(SHA1, "x")
    list(reader.feed(b"B" * 40 + b":1\n"))
    with pytest.raises(StoreError, match="x:2: not sorted"):
        list(reader.feed(b"A" * 40 + b":1\n"))


def test_interrupted_import_leaves_the_old_store_and_no_valid_new_one(
    entries: dict[bytes, int], built: Path, tmp_path: Path
) -> None:
    cg.write_single_file(entries, tmp_path / "p.txt")
    import_corpus(tmp_path / "p.txt", tmp_path / "s")
    before = (tmp_path / "s" / "sha1.pwstore").read_bytes()
    calls = []

    def interrupt(n: int) -> None:
        calls.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_corpus(tmp_path / "p.txt", tmp_path / "s", advance=interrupt)
    assert calls and (tmp_path / "s" / "sha1.pwstore").read_bytes() == before
    assert os.listdir(tmp_path / "s") == ["sha1.pwstore"]


def test_a_build_killed_before_finish_is_not_a_store(tmp_path: Path) -> None:
    writer = StoreWriter(tmp_path, SHA1, "test")
    writer.add(5, b"\x05" + b"\x01" * 17, b"\0\0\0\x01")
    writer._file.flush()  # the process dies here: no header, no rename
    os.replace(writer.partial, tmp_path / "sha1.pwstore")  # even renamed by hand it does not pass
    with pytest.raises(StoreError, match="not a pwcheck store"):
        Store.open(tmp_path, SHA1)


def _data(directory: Path, kind: HashKind = SHA1) -> bytes:
    """Everything after the header (whose date and source differ between builds)."""
    return (directory / kind.file_name).read_bytes()[INDEX_OFFSET:]


def _corrupt(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x40
    path.write_bytes(bytes(data))


def test_corruption_is_detected(built: Path, tmp_path: Path) -> None:
    original = (built / "sha1.pwstore").read_bytes()
    target = tmp_path / "sha1.pwstore"
    # a flipped byte in a record: the bucket's checksum names it
    target.write_bytes(original)
    _corrupt(target, len(original) - 3)
    with Store.open(tmp_path, SHA1) as store:
        assert verify(store) == ["bucket FFFFF: checksum does not match"]
    # header, index and truncation are refused at open
    for offset, message in [(20, "header checksum"), (DATA_OFFSET - 8, "index checksum"), (600, "index checksum")]:
        target.write_bytes(original)
        _corrupt(target, offset)
        with pytest.raises(StoreError, match=message):
            Store.open(tmp_path, SHA1)
    target.write_bytes(original[:-22])
    with pytest.raises(StoreError, match="truncated"):
        Store.open(tmp_path, SHA1)


def test_store_checker_is_a_hash_checker(built: Path, entries: dict[bytes, int], tmp_path: Path) -> None:
    sample = list(entries)[:50] + cg.absent_digests(5)
    result = asyncio.run(StoreChecker(built).lookup(sample))
    assert result.counts == {d: entries.get(d, 0) for d in sample}
    missing = asyncio.run(StoreChecker(tmp_path).lookup(sample[:3]))
    assert missing.counts == dict.fromkeys(sample[:3]) and "no sha1 store" in missing.problems[0]


def test_range_bodies_are_read_as_tolerantly_and_strictly_as_the_client_reads_them() -> None:
    from pwcheck.corpus.records import range_records

    a, b = "0" * 34 + "1", "F" * 35
    expected = range_records(f"{a}:1234\r\n{b}:7".encode(), 0x12345, SHA1, "r")
    assert expected.size == 2 and expected.keys[:1] == b"\x50"  # the prefix's last nibble leads each key
    variants = [
        f"\ufeff{a}:1234\r\n{b}:7",                       # BOM
        f"{a.lower()}:1234\r\n{b.lower()}:7",             # lowercase
        f"{a}:1,234\r\n{b}:7\r\n",                        # thousands separator, trailing CRLF
        f"{a}:1234\n{'A' * 35}:0\n{b}:7",                 # LF, and a padding line
    ]
    for body in variants:
        assert range_records(body.encode("utf-8"), 0x12345, SHA1, "r") == expected
    for bad in [f"{a}:1234\r\n{b}", f"{a}:12 34", f"{a[:-1]}:1", f"{b}:1\r\n{a}:2", f"{a}:1\r\n\r\n{b}:2", f"{a}:-1"]:
        with pytest.raises(StoreError, match="^r: "):
            range_records(bad.encode(), 0x12345, SHA1, "r")
    assert range_records(b"", 7, SHA1, "r").size == 0


@pytest.mark.parametrize(
    ("keys", "counts", "problem"),
    [
        (b"\x50" + b"\x02" * 17 + b"\x50" + b"\x01" * 17, b"\0\0\0\x01\0\0\0\x02", "records not strictly ascending"),
        (b"\x50" + b"\x01" * 17 + b"\x50" + b"\x01" * 17, b"\0\0\0\x01\0\0\0\x02", "records not strictly ascending"),
        (b"\x60" + b"\x01" * 17, b"\0\0\0\x01", "a record belongs to another prefix"),
        (b"\x50" + b"\x01" * 17, b"\0\0\0\0", "a record has count 0"),
    ],
)
def test_verify_finds_structural_faults_a_checksum_cannot(tmp_path: Path, keys: bytes, counts: bytes, problem: str) -> None:
    with StoreWriter(tmp_path, SHA1, "test") as writer:  # the writer trusts its caller; verify does not
        writer.add(0x12345, keys, counts)
        writer.finish()
    with Store.open(tmp_path, SHA1) as store:
        assert verify(store) == [f"bucket 12345: {problem}"]
