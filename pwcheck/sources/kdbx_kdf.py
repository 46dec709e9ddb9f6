"""A `.kdbx` header's key-derivation cost, checked before any key is derived; AES-KDF at native speed.

Opening a KeePass database first pays the cost its header asks for, before the password is
even tried: a hostile header asking Argon2 for 1,000,000 iterations ran for hours, and 3 GiB
of memory took 3 GB. So the header is read first, with pykeepass's own parser (the values
checked are the values pykeepass would use), and a database asking for more than KeePassXC's
own settings offer is refused before the password is asked:

- AES-KDF: at most 1,000,000,000 rounds, the most KeePassXC's "Transform rounds" field takes;
- Argon2d / Argon2id: at most 10,000 iterations (past that KeePassXC itself warns the
  database "may take hours or days" to open), 1 to 128 lanes (its "Parallelism" field) and
  1 GiB of memory. KeePassXC's memory field goes to 1 TiB, which bounds nothing: pwcheck
  takes 1 GiB, 16 times KeePassXC's default of 64 MiB, and at most 32 GiB of work
  (iterations x memory), several times what KeePassXC's slowest "decryption time" (5 s)
  gives on a current desktop.

pykeepass derives AES-KDF in a Python loop (3.6 s per million rounds on the test machine,
when KeePassXC's one-second benchmark gives tens of millions). Encrypting a block N times
with AES-ECB is the last block of AES-CBC over N zero blocks with that block as the IV, so
`aes_kdf` runs the rounds inside the cipher, chunk by chunk, and pykeepass is handed the
finished key. The key stays in memory only, like pykeepass's own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from pwcheck.model.errors import InputError

MAX_AES_ROUNDS = 1_000_000_000
MAX_ARGON2_ITERATIONS = 10_000
MAX_ARGON2_PARALLELISM = 128
MAX_ARGON2_MEMORY = 1 << 30  # bytes, as the header states it
MAX_ARGON2_WORK = 32 << 30  # iterations x memory, bytes
AES_KDF = b"\xc9\xd9\xf3\x9ab\x8aD`\xbft\r\x08\xc1\x8aO\xea"
ARGON2 = {b"\xefcm\xdf\x8c)DK\x91\xf7\xa9\xa4\x03\xe3\n\x0c": "Argon2d", b"\x9e)\x8b\x19V\xdbGs\xb2=\xfc>\xc6\xf0\xa1\xe6": "Argon2id"}
WHERE_TO_LOWER = "lower it in KeePassXC (Database > Database Security > Encryption Settings) or export the database"
_CHUNK_BLOCKS = 1 << 16  # 1 MiB of zero blocks per call into the cipher


@dataclass(frozen=True)
class Kdf:
    """What the header asks of the key derivation (`seed` for AES-KDF only)."""

    name: str
    rounds: int
    memory: int = 0
    parallelism: int = 0
    seed: bytes = field(default=b"", repr=False)


def read_kdf(stream: IO[bytes]) -> Kdf | None:
    """The KDF the header names, or None when the header does not parse (pykeepass then says why)."""
    try:
        from pykeepass.kdbx_parsing.kdbx import KDBX

        header = KDBX.subcons[0].parse_stream(stream).value
        dynamic = header.dynamic_header
        if header.major_version == 3:
            return Kdf("AES-KDF", int(dynamic.transform_rounds.data), seed=bytes(dynamic.transform_seed.data))
        params: dict[str, Any] = {key: item.value for key, item in dynamic.kdf_parameters.data.dict.items()}
    except Exception:  # noqa: BLE001 - construct's parse errors have many types; reading the database says what is wrong
        return None
    uuid = params.get("$UUID")
    try:
        if uuid == AES_KDF:
            return Kdf("AES-KDF", int(params["R"]), seed=bytes(params["S"]))
        if uuid in ARGON2:
            return Kdf(ARGON2[uuid], int(params["I"]), int(params["M"]), int(params["P"]))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def refuse_costly(kdf: Kdf, source: str) -> None:
    """InputError when the header asks for more than `MAX_*` allow (see the module docstring)."""
    if kdf.name == "AES-KDF":
        if kdf.rounds > MAX_AES_ROUNDS:
            raise InputError(source, f"key derivation asks for {kdf.rounds:,} AES-KDF rounds, more than KeePassXC offers "
                             f"({MAX_AES_ROUNDS:,}): not derived; {WHERE_TO_LOWER}")
        return
    too_much = []
    if kdf.rounds > MAX_ARGON2_ITERATIONS:
        too_much.append(f"{kdf.rounds:,} iterations (at most {MAX_ARGON2_ITERATIONS:,})")
    if kdf.memory > MAX_ARGON2_MEMORY:
        too_much.append(f"{kdf.memory >> 20:,} MiB of memory (at most {MAX_ARGON2_MEMORY >> 20:,} MiB)")
    if not 1 <= kdf.parallelism <= MAX_ARGON2_PARALLELISM:
        too_much.append(f"{kdf.parallelism:,} lanes (1 to {MAX_ARGON2_PARALLELISM})")
    if not too_much and kdf.rounds * kdf.memory > MAX_ARGON2_WORK:
        too_much.append(f"{kdf.rounds:,} iterations of {kdf.memory >> 20:,} MiB (at most {MAX_ARGON2_WORK >> 30} GiB in all)")
    if too_much:
        raise InputError(source, f"key derivation asks {kdf.name} for {', '.join(too_much)}: not derived; {WHERE_TO_LOWER}")


def aes_kdf(seed: bytes, rounds: int, composite: bytes) -> bytes:
    """KeePass's AES-KDF: each 16-byte half of `composite` encrypted `rounds` times with key `seed`, then SHA-256."""
    from Cryptodome.Cipher import AES

    zeros = bytes(16 * _CHUNK_BLOCKS)
    halves = []
    for half in (composite[:16], composite[16:]):
        cipher = AES.new(seed, AES.MODE_CBC, iv=half)  # each block: E(previous block XOR 0)
        block, left = half, rounds
        while left:
            count = min(left, _CHUNK_BLOCKS)
            block = cipher.encrypt(zeros[: 16 * count])[-16:]
            left -= count
        halves.append(block)
    return hashlib.sha256(b"".join(halves)).digest()
