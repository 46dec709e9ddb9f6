"""`--pass-store` against a real password store: real `pass insert`, real gpg, a throwaway key.

The key has no passphrase and lives in its own GNUPGHOME, whose agent is stopped after
the module. One entry is encrypted to a key this GNUPGHOME has no secret for, so gpg
really fails on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.sources.pass_store import path_fields, read_store
from tests.support import fixture_data as fd
from tests.support.rangeserver import RangeServer
from tests.support.secretservice import short_tempdir

pytestmark = pytest.mark.skipif(
    shutil.which("gpg") is None or shutil.which("pass") is None, reason="needs gpg and pass (Debian: gnupg, pass)"
)

# entry name -> (content as `pass insert -m` receives it, expected url, username, password bytes)
ENTRIES: dict[str, tuple[bytes, str | None, str | None, bytes]] = {
    "github.com/alice": (fd.ALPHA.encode() + b"\n", "github.com", "alice", fd.ALPHA.encode()),
    "Email/bob@example.net": (fd.COMMA.encode() + b"\nurl: https://mail.example.net\n", "https://mail.example.net", "bob",
                              fd.COMMA.encode()),
    "work/intranet": (fd.QUOTE.encode() + b"\nlogin: carol\nURL: https://intranet.example.org/\nnotes: x: y\n",
                      "https://intranet.example.org/", "carol", fd.QUOTE.encode()),
    "chat.example.de": (fd.SPACED.encode() + b"\n", "chat.example.de", None, fd.SPACED.encode()),
    "Social/twitter/dave": (fd.UMLAUT.encode(), None, "dave", fd.UMLAUT.encode()),
    "crlf.example.com/erin": (b"pw-crlf\r\nlogin: erin\r\n", "crlf.example.com", "erin", b"pw-crlf\r"),
}
SKIPPED = {
    "empty": (b"\nlogin: nobody\n", "empty password"),
    "files/avatar": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "files/avatar: not a text password (a stored file?)"),
}


def gpg(home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["gpg", "--batch", *args], input=stdin, capture_output=True, check=True, timeout=60,
                          env={**os.environ, "GNUPGHOME": str(home)})


def new_key(home: Path, uid: str) -> str:
    home.mkdir(mode=0o700, parents=True)
    gpg(home, "--passphrase", "", "--quick-gen-key", uid, "future-default", "default", "never")
    listing = gpg(home, "--list-keys", "--with-colons", uid).stdout.decode()
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))


@pytest.fixture(scope="module")
def store() -> Iterator[tuple[Path, dict[str, str]]]:
    root = short_tempdir("pwp")
    home, other_home, store_dir = root / "gnupg", root / "other", root / "store"
    env = {**os.environ, "GNUPGHOME": str(home), "PASSWORD_STORE_DIR": str(store_dir)}
    try:
        fingerprint = new_key(home, "pwcheck test <test@example.invalid>")
        other = new_key(other_home, "someone else <other@example.invalid>")
        subprocess.run(["pass", "init", fingerprint], env=env, check=True, capture_output=True, timeout=60)
        for name, content in [(n, c) for n, (c, *_) in ENTRIES.items()] + [(n, c) for n, (c, _) in SKIPPED.items()]:
            subprocess.run(["pass", "insert", "-m", name], input=content, env=env, check=True, capture_output=True, timeout=60)
        # A hidden folder is not part of the store; an entry for another key cannot be decrypted.
        (store_dir / ".hidden").mkdir()
        shutil.copy(store_dir / "github.com" / "alice.gpg", store_dir / ".hidden" / "copy.gpg")
        public = gpg(other_home, "--export", other).stdout
        gpg(home, "--import", stdin=public)
        gpg(home, "--trust-model", "always", "--encrypt", "-r", other, "-o", str(store_dir / "other.gpg"), stdin=b"pw-x\n")
        yield store_dir, env
    finally:
        for gnupg in (home, other_home):
            subprocess.run(["gpgconf", "--kill", "gpg-agent"], env={**os.environ, "GNUPGHOME": str(gnupg)},
                           capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def test_every_entry_decrypted_hashed_and_mapped(store: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    store_dir, env = store
    monkeypatch.setenv("GNUPGHOME", env["GNUPGHOME"])
    events = list(read_store(store_dir, "pass:test"))
    credentials = {c.title: c for c in events if isinstance(c, Credential)}
    assert set(credentials) == set(ENTRIES)
    for name, (_, url, user, secret) in ENTRIES.items():
        got = credentials[name]
        assert (got.url, got.username, got.sha1) == (url, user, hashlib.sha1(secret).digest()), name
    assert sorted(e.reason for e in events if isinstance(e, Skipped)) == sorted(r for _, r in SKIPPED.values())
    errors = [e for e in events if isinstance(e, InputError)]
    assert [str(e) for e in errors] == ["pass:test: other: could not decrypt (no secret key for it)"]
    assert "copy" not in " ".join(c.title or "" for c in credentials.values())


def test_cli_pass_store_with_a_file(store: tuple[Path, dict[str, str]], range_server: RangeServer, fixtures: Path) -> None:
    store_dir, env = store
    proc = subprocess.run(
        [sys.executable, "-m", "pwcheck", "audit", str(fixtures / "chrome-old.csv"), "--pass-store", "--format", "json",
         "--api-url", range_server.url],
        capture_output=True, env=env, timeout=120,
    )
    doc = json.loads(proc.stdout)
    assert proc.returncode == 2  # the entry gpg could not decrypt
    assert doc["errors"] == [{"source": f"pass:{store_dir}", "line": None, "message": "other: could not decrypt (no secret key for it)"}]
    from_store = {e["title"]: e for e in doc["entries"] if e["source"] == f"pass:{store_dir}"}
    assert {name: from_store[name]["pwned_count"] for name in ENTRIES} == {
        name: fd.CORPUS_COUNTS.get(secret.decode(), 0) for name, (_, _, _, secret) in ENTRIES.items()
    }
    assert from_store["work/intranet"]["domain"] == "example.org"
    everything = (proc.stdout + proc.stderr).decode()
    for _, _, _, secret in ENTRIES.values():
        assert secret.decode().strip() not in everything


def test_not_a_directory_says_how_to_write_it(tmp_path: Path, fixtures: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pwcheck", "audit", "--pass-store", str(fixtures / "chrome.csv")],
                          capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        f"pwcheck: pass:{fixtures / 'chrome.csv'}: no password store here (not a directory): "
        "write --pass-store=DIR when export files follow it"
    ]


@pytest.mark.parametrize(
    "name,expected",
    [
        ("github.com/alice", ("alice", "github.com")),
        ("alice@github.com", ("alice", "github.com")),
        ("Sites/github.com/work/alice", ("alice", "github.com")),
        ("github.com", (None, "github.com")),
        ("wifi", (None, None)),
        ("Social/twitter/john.doe", ("john.doe", None)),
    ],
)
def test_path_fields(name: str, expected: tuple[str | None, str | None]) -> None:
    assert path_fields(name) == expected
