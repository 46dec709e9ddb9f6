"""Every form a secret could leak in, and a scanner that finds any of them in bytes.

For each password: its text (as given, stripped, NFC and NFD, JSON- and repr-escaped, and
its distinctive fragments) in UTF-8, UTF-16LE and UTF-16BE; its SHA-1 and NTLM hashes as
upper- and lowercase hex, their suffixes after the 5-hex prefix, and the raw digests.
MD4 (for NTLM) is written out here because OpenSSL 3 no longer offers it to hashlib.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import unicodedata
from dataclasses import dataclass


def md4(data: bytes) -> bytes:
    """RFC 1320 MD4, straight from the specification (test-side only)."""

    def rotl(x: int, n: int) -> int:
        x &= 0xFFFFFFFF
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

    message = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", len(data) * 8)
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    for offset in range(0, len(message), 64):
        x = struct.unpack("<16I", message[offset : offset + 64])
        a, b, c, d = h
        f = lambda x_, y, z: (x_ & y) | (~x_ & z)  # noqa: E731
        g = lambda x_, y, z: (x_ & y) | (x_ & z) | (y & z)  # noqa: E731
        hh = lambda x_, y, z: x_ ^ y ^ z  # noqa: E731
        for i in range(16):
            k, s = i, (3, 7, 11, 19)[i % 4]
            a, b, c, d = d, rotl(a + f(b, c, d) + x[k], s), b, c
        for i in range(16):
            k, s = (i % 4) * 4 + i // 4, (3, 5, 9, 13)[i % 4]
            a, b, c, d = d, rotl(a + g(b, c, d) + x[k] + 0x5A827999, s), b, c
        for i in range(16):
            k, s = (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15)[i], (3, 9, 11, 15)[i % 4]
            a, b, c, d = d, rotl(a + hh(b, c, d) + x[k] + 0x6ED9EBA1, s), b, c
        h = [(v + w) & 0xFFFFFFFF for v, w in zip(h, (a, b, c, d))]
    return struct.pack("<4I", *h)


def ntlm(password: str) -> bytes:
    return md4(password.encode("utf-16-le"))


def sha1(password: str) -> bytes:
    return hashlib.sha1(password.encode("utf-8", "surrogatepass")).digest()


_FRAGMENT_SPLIT = re.compile(r'[\s,"\\]+')


def text_forms(password: str) -> set[str]:
    """The ways a password's text could appear in output, escaped or not."""
    forms = {password, password.strip(), unicodedata.normalize("NFC", password), unicodedata.normalize("NFD", password)}
    forms |= {json.dumps(p)[1:-1] for p in list(forms)} | {json.dumps(p, ensure_ascii=False)[1:-1] for p in list(forms)}
    forms |= {repr(p)[1:-1] for p in list(forms)}
    # Pieces that survive a renderer splitting the password at a newline, comma or quote.
    forms |= {piece for piece in _FRAGMENT_SPLIT.split(password) if len(piece) >= 7 and any(ch.isdigit() for ch in piece)}
    return {form for form in forms if len(form) >= 6}


@dataclass(frozen=True)
class Needle:
    label: str
    data: bytes
    ignore_case: bool = False


def needles_for(password: str) -> list[Needle]:
    """Every needle for one password; labels name the form, never the value."""
    found: list[Needle] = []
    for index, form in enumerate(sorted(text_forms(password))):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            try:
                found.append(Needle(f"text form {index} ({encoding})", form.encode(encoding)))
            except UnicodeEncodeError:
                continue
    for name, digest in (("SHA-1", sha1(password)), ("NTLM", ntlm(password))):
        hexed = digest.hex().encode("ascii")
        found.append(Needle(f"{name} hex", hexed, ignore_case=True))
        found.append(Needle(f"{name} suffix hex", hexed[5:], ignore_case=True))
        found.append(Needle(f"{name} raw digest", digest))
    return found


def hash_needles(hex_hash: str) -> list[Needle]:
    """For inputs that are hashes already (hash lists): the full hash and its suffix."""
    hexed = hex_hash.lower().encode("ascii")
    return [Needle("input hash hex", hexed, True), Needle("input hash suffix", hexed[5:], True)]


class Scanner:
    """Finds any needle of any secret in a blob of bytes."""

    def __init__(self, passwords: list[str] | set[str], extra: list[Needle] | None = None) -> None:
        self.needles: list[tuple[str, Needle]] = []
        for number, password in enumerate(sorted(set(passwords))):
            self.needles += [(f"secret #{number}", needle) for needle in needles_for(password)]
        self.needles += [(f"extra #{i}", needle) for i, needle in enumerate(extra or [])]
        self.passwords = sorted(set(passwords))

    def hits(self, blob: bytes, where: str) -> list[str]:
        lowered = blob.lower()
        found = []
        for owner, needle in self.needles:
            haystack = lowered if needle.ignore_case else blob
            if needle.data in haystack:
                found.append(f"{where}: {owner} as {needle.label}")
        return found
