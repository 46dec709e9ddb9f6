"""NTLM hashes (MD4 of the UTF-16LE password) without OpenSSL, which dropped MD4 in 3.0.

A small, straight implementation of RFC 1320, tested against the RFC's own vectors.
MD4 is broken as a cryptographic hash; it is here only because Windows stores NTLM
hashes with it and HIBP publishes an NTLM corpus. Speed hardly matters: a password
is a block or two, and an audit hashes each password once.
"""

from __future__ import annotations

import struct

_MASK = 0xFFFFFFFF


def _rotl(value: int, shift: int) -> int:
    value &= _MASK
    return ((value << shift) | (value >> (32 - shift))) & _MASK


def md4(data: bytes) -> bytes:
    """The 16-byte MD4 digest of `data` (RFC 1320)."""
    message = bytes(data) + b"\x80"
    message += b"\0" * ((56 - len(message)) % 64) + struct.pack("<Q", (8 * len(data)) & 0xFFFFFFFFFFFFFFFF)
    a, b, c, d = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476
    for offset in range(0, len(message), 64):
        x = struct.unpack_from("<16I", message, offset)
        aa, bb, cc, dd = a, b, c, d
        for i in (0, 4, 8, 12):  # round 1: F(x,y,z) = xy | ~x z
            a = _rotl(a + ((b & c) | (~b & d)) + x[i], 3)
            d = _rotl(d + ((a & b) | (~a & c)) + x[i + 1], 7)
            c = _rotl(c + ((d & a) | (~d & b)) + x[i + 2], 11)
            b = _rotl(b + ((c & d) | (~c & a)) + x[i + 3], 19)
        for i in (0, 1, 2, 3):  # round 2: G(x,y,z) = xy | xz | yz, constant 0x5A827999
            a = _rotl(a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5A827999, 3)
            d = _rotl(d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5A827999, 5)
            c = _rotl(c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5A827999, 9)
            b = _rotl(b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5A827999, 13)
        for i in (0, 2, 1, 3):  # round 3: H(x,y,z) = x ^ y ^ z, constant 0x6ED9EBA1
            a = _rotl(a + (b ^ c ^ d) + x[i] + 0x6ED9EBA1, 3)
            d = _rotl(d + (a ^ b ^ c) + x[i + 8] + 0x6ED9EBA1, 9)
            c = _rotl(c + (d ^ a ^ b) + x[i + 4] + 0x6ED9EBA1, 11)
            b = _rotl(b + (c ^ d ^ a) + x[i + 12] + 0x6ED9EBA1, 15)
        a, b, c, d = (a + aa) & _MASK, (b + bb) & _MASK, (c + cc) & _MASK, (d + dd) & _MASK
    return struct.pack("<4I", a, b, c, d)


def ntlm_hash(password: str | bytes) -> bytes:
    """NTLM hash: MD4 of the password as UTF-16LE (bytes are read as UTF-8 first).

    Exact text, no trimming or normalisation, like the SHA-1 path.
    """
    text = password.decode("utf-8") if isinstance(password, bytes) else password
    return md4(text.encode("utf-16-le", "surrogatepass"))
