"""The fast validation path accepts only what the strict regex accepts, and takes real bodies.

A wrong fast path would let a garbled body through and read a damaged line as "not
found"; so thousands of seeded mutations of a real padded body (insertions, deletions,
substitutions, truncations) are checked against the strict regex.
"""

from __future__ import annotations

import random

import pytest

from pwcheck.check.range_format import (
    NTLM_SUFFIX_LEN,
    SHA1_SUFFIX_LEN,
    MalformedRange,
    _plainly_valid,
    _validator,
    build_body,
    find_counts,
    normalise_body,
)

ALPHABET = b"0123456789ABCDEFa:,\r\n \xff"


def real_body(suffix_len: int, seed: int) -> bytes:
    rng = random.Random(seed)
    entries = [("%0*X" % (suffix_len, rng.getrandbits(suffix_len * 4)), rng.randint(1, 99999)) for _ in range(6)]
    return build_body(entries, pad=True, rng=rng, suffix_len=suffix_len)


def mutate(body: bytes, rng: random.Random) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        roll = rng.random()
        if roll < 0.4 and data:
            del data[min(at, len(data) - 1)]
        elif roll < 0.8:
            data.insert(at, rng.choice(ALPHABET))
        elif data:
            data[min(at, len(data) - 1)] = rng.choice(ALPHABET)
    if rng.random() < 0.3:
        del data[rng.randrange(len(data) + 1):]
    return bytes(data)


@pytest.mark.parametrize("suffix_len", [SHA1_SUFFIX_LEN, NTLM_SUFFIX_LEN])
def test_fast_path_is_sound_on_mutated_bodies(suffix_len: int) -> None:
    rng = random.Random(suffix_len)
    strict = _validator(suffix_len)
    small = b"\r\n".join(real_body(suffix_len, 1).split(b"\r\n")[:4])
    unsound = []
    fast_accepted = 0
    for _ in range(30_000):
        body = mutate(small, rng)
        if _plainly_valid(body, suffix_len):
            fast_accepted += 1
            if strict.fullmatch(body) is None:
                unsound.append(body)
    assert unsound == []
    assert fast_accepted > 100  # the harmless mutations (a digit for a digit) did take the fast path


@pytest.mark.parametrize("suffix_len", [SHA1_SUFFIX_LEN, NTLM_SUFFIX_LEN])
def test_real_bodies_take_the_fast_path(suffix_len: int) -> None:
    for seed in range(20):
        assert _plainly_valid(real_body(suffix_len, seed), suffix_len)
    assert _plainly_valid(b"", suffix_len)


def test_bodies_the_fast_path_leaves_are_still_decided_strictly() -> None:
    """Lowercase, LF-only and thousands separators are valid, read by the strict path."""
    body = real_body(SHA1_SUFFIX_LEN, 2)
    suffixes = [line.split(b":")[0] for line in body.split(b"\r\n")]
    expected = find_counts(body, suffixes)
    commas = b"\r\n".join(line + b",000" if not line.endswith(b":0") else line for line in body.split(b"\r\n"))
    for variant in (body.lower(), body.replace(b"\r\n", b"\n")):
        assert not _plainly_valid(variant, SHA1_SUFFIX_LEN)
        assert find_counts(normalise_body(variant), suffixes) == expected
    assert not _plainly_valid(commas, SHA1_SUFFIX_LEN)
    assert find_counts(normalise_body(commas), suffixes) == {s: c * 1000 for s, c in expected.items()}
    damaged = body.replace(b"\r\n", b"\r\nX", 1)  # a line that no longer starts with its suffix
    with pytest.raises(MalformedRange):
        normalise_body(damaged)


def test_a_count_longer_than_any_real_one_is_not_fast_accepted() -> None:
    body = real_body(SHA1_SUFFIX_LEN, 3)
    first = body.split(b"\r\n")[0]
    huge = body.replace(first, first.split(b":")[0] + b":" + b"9" * 5000, 1)
    assert not _plainly_valid(huge, SHA1_SUFFIX_LEN)
