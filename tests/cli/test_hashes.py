"""`pwcheck hashes`: MD4/NTLM, pwdump and plain lists, online and offline, and no hash ever shown."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.check.ntlm import md4, ntlm_hash
from pwcheck.corpus.importer import import_corpus
from tests.support import fixture_data as fd
from tests.support.cli import invoke
from tests.support.corpus_gen import memory_corpus
from tests.support.rangeserver import RangeServer

RFC1320 = {
    b"": "31d6cfe0d16ae931b73c59d7e0c089c0",
    b"a": "bde52cb31de33e46245e05fbdbd6fb24",
    b"abc": "a448017aaf21d8525fc10ae87aa6729d",
    b"message digest": "d9130a8164549fe818874806e1c7014b",
    b"abcdefghijklmnopqrstuvwxyz": "d79e1c308aa5bbcdeea8ed63df412da9",
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789": "043f8582f241db351ce627e153e7f0e4",
    b"1234567890" * 8: "e33b4ddc9c38f2199c3e7b164fcc0536",
}
USERS = [("alice", fd.ALPHA), ("bob", fd.UMLAUT), ("carol", fd.ALPHA), ("dave", fd.CLEAN), ("erin", fd.CLEAN),
         ("frank", fd.EMOJI), ("guest", "")]


@pytest.mark.parametrize(("message", "digest"), list(RFC1320.items()))
def test_md4_rfc1320_vectors(message: bytes, digest: str) -> None:
    assert md4(message).hex() == digest


def test_ntlm_known_values_and_block_boundaries() -> None:
    assert ntlm_hash("password").hex().upper() == "8846F7EAEE8FB117AD06BDD830B7586C"
    assert ntlm_hash("") == bytes.fromhex("31d6cfe0d16ae931b73c59d7e0c089c0")
    assert ntlm_hash(fd.SPACED) != ntlm_hash(fd.SPACED.strip())  # exact text, no trimming
    for size in (27, 28, 55, 56, 63, 64, 65, 119, 120):  # padding edge cases
        assert len(md4(b"x" * size)) == 16 and md4(b"x" * size) != md4(b"x" * (size + 1))


def ntlm_corpus() -> dict[bytes, int]:
    return {ntlm_hash(p): c for p, c in fd.CORPUS_COUNTS.items()}


@pytest.fixture
def ntlm_server() -> Iterator[RangeServer]:
    srv = RangeServer(memory_corpus({}), ntlm_corpus=memory_corpus(ntlm_corpus())).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def pwdump(tmp_path: Path) -> Path:
    lines = [f"{user}:{1000 + i}:aad3b435b51404eeaad3b435b51404ee:{ntlm_hash(pw).hex()}:::" for i, (user, pw) in enumerate(USERS)]
    path = tmp_path / "dump.txt"
    path.write_text("# secretsdump output\n" + "\n".join(lines) + "\n")
    return path


def assert_no_hash_in(output: bytes, digests: list[bytes]) -> None:
    text = output.decode().upper()
    for digest in digests:
        assert digest.hex().upper()[5:] not in text


def test_pwdump_online_and_offline_agree(ntlm_server: RangeServer, pwdump: Path, tmp_path: Path) -> None:
    online = invoke("hashes", str(pwdump), "--format", "json", "--api-url", ntlm_server.url)
    assert online.returncode == 1, online.stderr
    doc = json.loads(online.stdout)
    assert doc["kind"] == "ntlm"
    got = {e["user"]: e["pwned_count"] for e in doc["entries"]}
    assert got == {"alice": 1234, "bob": 31337, "carol": 1234, "dave": 0, "erin": 0, "frank": 1, "guest": 0}
    assert [(s["users"], s["pwned_count"]) for s in doc["shared"]] == [(["alice", "carol"], 1234), (["dave", "erin"], 0)]
    assert all(r.path_qs.endswith("?mode=ntlm") for r in ntlm_server.requests)
    corpus_file = tmp_path / "ntlm.txt"
    corpus_file.write_text("".join(f"{d.hex().upper()}:{c}\n" for d, c in sorted(ntlm_corpus().items())))
    import_corpus(corpus_file, tmp_path / "store")
    offline = invoke("hashes", str(pwdump), "--format", "json", "--offline", str(tmp_path / "store"))
    assert json.loads(offline.stdout)["entries"] == doc["entries"]
    assert_no_hash_in(online.stdout + online.stderr, [ntlm_hash(pw) for _, pw in USERS])


def test_terminal_report_names_users_never_hashes(ntlm_server: RangeServer, pwdump: Path) -> None:
    proc = invoke("hashes", str(pwdump), "--api-url", ntlm_server.url)
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "pwned: 4 of 7 accounts" in out and "bob (line 3): seen 31,337 times" in out
    assert "2 accounts, pwned, seen 1,234 times: alice (line 2), carol (line 4)" in out
    assert "2 accounts, not found in the corpus: dave (line 5), erin (line 6)" in out
    assert "empty password: guest (line 8)" in out
    assert_no_hash_in(proc.stdout + proc.stderr, [ntlm_hash(pw) for _, pw in USERS])


def test_plain_sha1_list(range_server: RangeServer, tmp_path: Path) -> None:
    digests = [hashlib.sha1(p.encode()).hexdigest() for p in (fd.COMMA, fd.CLEAN, fd.COMMA)]
    path = tmp_path / "list.txt"
    path.write_text("\n".join([digests[0].upper(), digests[1], "", digests[2]]) + "\n")
    proc = invoke("hashes", str(path), "--api-url", range_server.url)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and "line 1: seen 2 times" in out and "line 4" in out and "line 2" not in out.split("shared")[0]
    assert_no_hash_in(proc.stdout, [bytes.fromhex(d) for d in digests])


@pytest.mark.parametrize(
    ("content", "flag", "message"),
    [
        ("A" * 40 + "\nnot-a-hash\n", (), "list.txt:2: not a SHA-1 hash"),
        ("A" * 40 + "\n", ("--ntlm",), "list.txt:1: not a NTLM hash"),
        ("A" * 40 + "\nu:1:aad3b435b51404eeaad3b435b51404ee:" + "b" * 32 + ":::\n", (), "list.txt:2: mixes pwdump"),
    ],
)
def test_bad_lines_exit_2_naming_the_line(tmp_path: Path, content: str, flag: tuple[str, ...], message: str) -> None:
    path = tmp_path / "list.txt"
    path.write_text(content)
    proc = invoke("hashes", str(path), *flag, "--api-url", "http://127.0.0.1:9")
    assert proc.returncode == 2 and message in proc.stderr.decode()
    assert "AAAAAAAAAA" not in proc.stderr.decode()
