"""A `.kdbx` asking its key derivation for more than KeePassXC offers is refused before deriving.

The hostile databases are real ones written by pykeepass with a header changed (saved with
the already derived key, so writing them derives nothing): Argon2 with 1,000,000
iterations (hours to derive before the limit), 3 GiB of memory, 1,000 lanes, 100 GiB of work,
and a KDBX 3.1 file asking AES-KDF for 2,000,000,000 rounds (two hours in pykeepass's loop).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from construct import Container

from pwcheck.model.credential import Credential
from pwcheck.model.errors import InputError
from pwcheck.sources import kdbx_kdf, read_export
from pwcheck.sources.kdbx import KdbxKey
from pwcheck.sources.kdbx_kdf import Kdf, refuse_costly
from tests.support import fixture_data as fd
from tests.support.peak import run_pwcheck
from tests.support.privacy.harness import FIXTURES, Sandbox

pykeepass = pytest.importorskip("pykeepass")
from pykeepass.kdbx_parsing.common import aes_kdf as pykeepass_aes_kdf  # noqa: E402
from pykeepass.kdbx_parsing.common import compute_key_composite  # noqa: E402

ARGON2 = {  # header field -> value, on the fixture database (Argon2d, 14 iterations of 64 MiB, 2 lanes)
    "iterations.kdbx": {"I": 1_000_000},
    "memory.kdbx": {"M": 3 << 30},
    "lanes.kdbx": {"P": 1000},
    "work.kdbx": {"I": 100, "M": 1 << 30},
}
DEADLINE = 60  # seconds; before the limits the first file alone derived for hours


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("kdbx-kdf")
    paths = {}
    database = pykeepass.PyKeePass(str(FIXTURES / "keepass.kdbx"), password=fd.KDBX_PASSWORD)  # derives once (~2 s)
    params = database.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    original = {key: item.value for key, item in params.items()}
    for name, changes in ARGON2.items():
        for key, value in changes.items():
            params[key].value = value
        paths[name] = directory / name
        database.save(str(paths[name]), transformed_key=database.transformed_key)
        for key in changes:
            params[key].value = original[key]
    # The same database under AES-KDF in KDBX 4 (KeePass's other KDF), a real key derived for it.
    seed = os.urandom(32)
    params.clear()
    # pykeepass builds the dictionary up to the item whose `next_byte` (the next item's type) is 0.
    for key, kind, value, following in (("$UUID", 0x42, kdbx_kdf.AES_KDF, 0x05), ("R", 0x05, 6000, 0x42), ("S", 0x42, seed, 0)):
        params[key] = Container(type=kind, key=key, value=value, next_byte=following)
    paths["aes-kdbx4.kdbx"] = directory / "aes-kdbx4.kdbx"
    database.save(str(paths["aes-kdbx4.kdbx"]), transformed_key=pykeepass_aes_kdf(seed, 6000, compute_key_composite(fd.KDBX_PASSWORD)))
    # KeePassXC's own KDBX 3.1 file (AES-KDF, 6,000 rounds, empty password), asking for 2,000,000,000 rounds.
    old = pykeepass.PyKeePass(str(FIXTURES / "real" / "keepassxc-Compressed.kdbx"), password="")
    old.kdbx.header.value.dynamic_header.transform_rounds.data = 2_000_000_000
    paths["aes-rounds.kdbx"] = directory / "aes-rounds.kdbx"
    old.save(str(paths["aes-rounds.kdbx"]), transformed_key=old.transformed_key)
    return paths


def _never_derived(*args: object) -> bytes:
    raise AssertionError("pykeepass's AES-KDF loop ran")


def _never_asked(name: str) -> KdbxKey:
    raise AssertionError("the password was asked for a database that is refused anyway")


@pytest.mark.parametrize("name,words", [
    ("iterations.kdbx", "Argon2d for 1,000,000 iterations (at most 10,000)"),
    ("memory.kdbx", "Argon2d for 3,072 MiB of memory (at most 1,024 MiB)"),
    ("lanes.kdbx", "Argon2d for 1,000 lanes (1 to 128)"),
    ("work.kdbx", "Argon2d for 100 iterations of 1,024 MiB (at most 32 GiB in all)"),
    ("aes-rounds.kdbx", "asks for 2,000,000,000 AES-KDF rounds, more than KeePassXC offers (1,000,000,000)"),
])
def test_costly_key_derivation_is_refused_before_the_password_is_asked(databases: dict[str, Path], name: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        list(read_export(databases[name], unlock=_never_asked))
    assert words in caught.value.message and "not derived" in caught.value.message
    assert "Database Security" in caught.value.message  # where to lower it


def test_hostile_databases_end_in_one_line_each_and_exit_2_within_the_deadline(databases: dict[str, Path], tmp_path: Path) -> None:
    """Through the CLI with the password in the environment: each refused at once, the good file audited."""
    hostile = [str(databases[name]) for name in (*ARGON2, "aes-rounds.kdbx")]
    good = FIXTURES / "chrome-old.csv"
    started = time.monotonic()
    measured = run_pwcheck("audit", *hostile, str(good), "--demo", "--format", "json", "-q",
                           env=Sandbox(tmp_path).env({"PWCHECK_KDBX_PASSWORD": fd.KDBX_PASSWORD}), timeout=DEADLINE)
    assert not measured.timed_out, f"still deriving after {DEADLINE} s"
    assert time.monotonic() - started < DEADLINE
    stderr = measured.stderr.decode()
    assert measured.returncode == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == len(hostile) and all("key derivation asks" in line for line in lines), lines
    doc = json.loads(measured.stdout)
    assert {e["source"] for e in doc["errors"]} == set(hostile)
    assert any(e["source"] == str(good) for e in doc["entries"])
    assert measured.peak_mib < 300, measured.peak_mib  # 3 GiB of Argon2 memory was never allocated


def test_aes_kdf_database_opens_with_the_key_derived_at_native_speed(databases: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """pwcheck derives AES-KDF itself (pykeepass's own loop is never run) and gets the same entries."""
    from pykeepass.kdbx_parsing import kdbx3, kdbx4

    for module in (kdbx3, kdbx4):
        monkeypatch.setattr(module, "aes_kdf", _never_derived)
    items = list(read_export(databases["aes-kdbx4.kdbx"], unlock=lambda _: KdbxKey(fd.KDBX_PASSWORD, None)))
    reference = list(read_export(FIXTURES / "keepass.kdbx", unlock=lambda _: KdbxKey(fd.KDBX_PASSWORD, None)))
    credentials = [(c.title, c.username, c.sha1, c.password_changed) for c in items if isinstance(c, Credential)]
    assert credentials and credentials == [(c.title, c.username, c.sha1, c.password_changed) for c in reference if isinstance(c, Credential)]
    with pytest.raises(InputError, match="wrong password"):
        list(read_export(databases["aes-kdbx4.kdbx"], unlock=lambda _: KdbxKey("not-it", None)))


@pytest.mark.parametrize("rounds", [0, 1, 2, 65_535, 65_536, 65_537, 131_073])
def test_aes_kdf_equals_pykeepass_across_chunk_boundaries(rounds: int) -> None:
    seed, composite = os.urandom(32), os.urandom(32)
    assert kdbx_kdf.aes_kdf(seed, rounds, composite) == pykeepass_aes_kdf(seed, rounds, composite)


ACCEPTED: list[Callable[[], Kdf]] = [
    lambda: Kdf("AES-KDF", kdbx_kdf.MAX_AES_ROUNDS),
    lambda: Kdf("Argon2id", kdbx_kdf.MAX_ARGON2_ITERATIONS, 1 << 20, 128),  # 10,000 iterations of 1 MiB
    lambda: Kdf("Argon2d", 32, kdbx_kdf.MAX_ARGON2_MEMORY, 8),  # 1 GiB, 32 GiB of work
    lambda: Kdf("Argon2d", 14, 64 << 20, 2),  # KeePassXC's defaults
]


@pytest.mark.parametrize("make", ACCEPTED)
def test_settings_keepassxc_offers_are_accepted(make: Callable[[], Kdf]) -> None:
    refuse_costly(make(), "db.kdbx")


@pytest.mark.parametrize("kdf", [
    Kdf("AES-KDF", kdbx_kdf.MAX_AES_ROUNDS + 1),
    Kdf("Argon2id", kdbx_kdf.MAX_ARGON2_ITERATIONS + 1, 1 << 20, 2),
    Kdf("Argon2d", 1, kdbx_kdf.MAX_ARGON2_MEMORY + 1024, 2),
    Kdf("Argon2d", 1, 64 << 20, 0),
    Kdf("Argon2d", 33, kdbx_kdf.MAX_ARGON2_MEMORY, 2),
])
def test_one_past_each_limit_is_refused(kdf: Any) -> None:
    with pytest.raises(InputError, match="not derived"):
        refuse_costly(kdf, "db.kdbx")
