"""The range API's body format, both ways: find counts in a body, and write a body.

A body is `SUFFIX:COUNT` lines (35 hex for SHA-1, 27 for NTLM) joined by CRLF. Reading
validates the whole body once (so a truncated or garbled body is refused, never read as
"not found"), then finds only the suffixes wanted with `bytes.find`: no dict of a
thousand lines per response. Validation is the largest CPU cost per range, so bodies
shaped as the API sends them take a fast path (`_plainly_valid`) that accepts only what
the strict regex accepts; anything else is decided by the strict regex.
"""

from __future__ import annotations

import os
import random
import re
import sys
from typing import Iterable, Sequence

from pwcheck.model.errors import PwcheckError
from pwcheck.model.exit_codes import EXIT_NOT_CHECKED

SHA1_SUFFIX_LEN = 35
NTLM_SUFFIX_LEN = 27
PREFIX_LEN = 5

_BOM = b"\xef\xbb\xbf"
_VALIDATORS: dict[int, re.Pattern[bytes]] = {}
_FAST_SHAPES: dict[int, re.Pattern[bytes]] = {}
_HEX_DIGITS = b"0123456789ABCDEF"
# Possessive repeats (Python 3.11+) keep no backtracking state per line: a quarter faster.
_ONCE = b"+" if sys.version_info >= (3, 11) else b""


# Padding as HIBP writes it (Cloudflare's announcement of `Add-Padding`, 2020): an answer
# is padded "to a minimum of 800 entries with additional padding of a further 0-200".
PAD_TO_LINES = 800
PAD_EXTRA_LINES = 200
# The fewest lines a padded answer can plausibly hold. The real API never sends an empty
# range: every answer to a padded request holds at least PAD_TO_LINES lines, and real
# ranges alone held ~890 lines on average in June 2024 (936 million hashes over 2^20
# prefixes; the project's reference notes on HIBP say 950-1,100) and only grow. 600
# sits below both, so a server that ignores `Add-Padding` but serves the whole corpus still
# passes (at ~890 lines a range, 600 is about ten standard deviations short),
# while an empty body, or one cut at a line boundary that lost a third of the minimum, is
# malformed: retried, then not checked. The test, demo and `serve` servers pad as HIBP does.
MIN_RANGE_LINES = 600


class MalformedRange(PwcheckError, ValueError):
    """The body is not a list of SUFFIX:COUNT lines; the lookup must not be trusted."""

    exit_code = EXIT_NOT_CHECKED


def line_count(body: bytes) -> int:
    """Lines in a raw body (a BOM and a final line end do not make a line)."""
    if body.startswith(_BOM):
        body = body[len(_BOM):]
    return body.count(b"\n") + (1 if body and not body.endswith(b"\n") else 0)


def check_plausible(body: bytes) -> None:
    """MalformedRange for an answer too short to be a padded range (see MIN_RANGE_LINES).

    Counts bytes only, so it runs on every answer, raw (the mirror's) or validated.
    """
    if line_count(body) < MIN_RANGE_LINES:
        raise MalformedRange(f"range body implausibly short (fewer than {MIN_RANGE_LINES} lines; padded answers hold 800+)")


def _validator(suffix_len: int) -> re.Pattern[bytes]:
    if suffix_len not in _VALIDATORS:
        # A count is at most 20 characters with separators: a longer one is hostile, and
        # Python refuses to convert integers past 4,300 digits (found by fuzzing).
        line = rb"[0-9A-F]{%d}:[0-9][0-9,]{0,19}" % suffix_len
        _VALIDATORS[suffix_len] = re.compile(rb"(?:%s\r?\n)*(?:%s)?" % (line, line))
    return _VALIDATORS[suffix_len]


def _plainly_valid(body: bytes, suffix_len: int) -> bool:
    """True only for bodies the strict regex accepts: uppercase, CRLF, no thousands separators.

    Checking 35 hex characters per line with a character class is what makes the strict
    regex slow; here C-speed byte operations prove them instead. The shape regex, where
    `.` stands for a suffix character (`.` never matches LF), proves each line holds a
    `:` and each LF follows a CR; deleting the hex digits must then leave exactly those
    `:`, CR and LF bytes and nothing else, so every suffix position holds hex. Counts are
    capped at 20 digits as in the strict regex. False means "not proven", never "invalid".
    """
    punctuation = body.translate(None, _HEX_DIGITS)
    if punctuation.translate(None, b":\r\n"):
        return False
    newlines = punctuation.count(b"\n")
    lines = newlines + (1 if body and not body.endswith(b"\n") else 0)
    if len(punctuation) != lines + 2 * newlines:  # one ':' a line, one CR LF a line end
        return False
    shape = _FAST_SHAPES.get(suffix_len)
    if shape is None:
        line = rb".{%d}:[0-9]{1,20}" % suffix_len
        shape = _FAST_SHAPES[suffix_len] = re.compile(rb"(?:%s%s\r\n)*%s(?:%s)?" % (line, _ONCE, _ONCE, line))
    return shape.fullmatch(body) is not None


def normalise_body(body: bytes, suffix_len: int = SHA1_SUFFIX_LEN) -> bytes:
    """Strip a BOM, uppercase, and check every line; raise MalformedRange otherwise."""
    if body.startswith(_BOM):
        body = body[len(_BOM):]
    if _plainly_valid(body, suffix_len):
        return body  # already uppercase: only hex digits, ':' and CRLF
    body = body.upper()
    if _validator(suffix_len).fullmatch(body) is None:
        raise MalformedRange("range body is not SUFFIX:COUNT lines")
    return body


def find_counts(body: bytes, suffixes: Iterable[bytes]) -> dict[bytes, int]:
    """Count for each wanted uppercase suffix in a normalised body; 0 when absent.

    Padding lines carry count 0 and so read as absent, as the API intends. Thousands
    separators in counts are tolerated. Because every line was validated, a match of
    `SUFFIX:` can only start at a line start.
    """
    counts: dict[bytes, int] = {}
    for suffix in suffixes:
        at = body.find(suffix + b":")
        if at < 0:
            counts[suffix] = 0
            continue
        start = at + len(suffix) + 1
        end = body.find(b"\n", start)
        raw = body[start:] if end < 0 else body[start:end]
        counts[suffix] = int(raw.rstrip(b"\r").replace(b",", b""))
    return counts


def build_body(
    entries: Sequence[tuple[str, int]], *, pad: bool, rng: random.Random | None = None,
    suffix_len: int = SHA1_SUFFIX_LEN,
) -> bytes:
    """A body as the public API writes it, sorted, optionally padded with count-0 lines.

    Used by the demo service and the test server; padding mirrors HIBP (random suffixes,
    count 0) so the response size does not reveal the range.
    """
    return render_lines([f"{suffix.upper()}:{count}" for suffix, count in entries], pad=pad, rng=rng, suffix_len=suffix_len)


def render_lines(lines: list[str], *, pad: bool, rng: random.Random | None = None, suffix_len: int = SHA1_SUFFIX_LEN) -> bytes:
    """`build_body` for lines already written as uppercase `SUFFIX:COUNT` (what `serve` has).

    Padding is HIBP's: up to PAD_TO_LINES lines, then 0-PAD_EXTRA_LINES more, so even a
    tiny corpus answers with a plausible range. The random suffixes come from one
    `urandom` call per body (`rng` for reproducible tests); a fake that collides with a
    real suffix is dropped.
    """
    if pad:
        extra = (rng or random.SystemRandom()).randint(0, PAD_EXTRA_LINES)
        fakes = max(0, PAD_TO_LINES - len(lines)) + extra
        width = (suffix_len + 1) // 2
        noise = (rng.randbytes(fakes * width) if rng else os.urandom(fakes * width)).hex().upper()
        known = {line[:suffix_len] for line in lines}
        step = 2 * width
        padding = [noise[i : i + suffix_len] + ":0" for i in range(0, fakes * step, step)]
        lines = lines + [line for line in padding if line[:suffix_len] not in known]
        lines.sort()
    return "\r\n".join(lines).encode("ascii")


def is_prefix(text: str) -> bool:
    """True for exactly five hex characters (any case), as the API accepts."""
    return len(text) == PREFIX_LEN and all(ch in "0123456789abcdefABCDEF" for ch in text)
