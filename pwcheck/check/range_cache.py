"""An on-disk cache of range bodies, so a nightly run fetches only the ranges that changed.

Ranges are public data, but a cached range sits next to its prefix: prefix (the file
name) + one of its suffixes would be the full SHA-1 of a password of yours. So suffixes
are stored blinded: each becomes SHA-256(salt | prefix | suffix), cut to the suffix's
length, with a random per-directory salt. Looking a hash up blinds its suffix the same
way; nothing on disk can be turned back into a suffix. The file names still tell whoever
can read the cache dir which 5-hex prefixes your passwords have (the same the API server
learns). Files are 0600 in a 0700 dir, and the feature is opt-in (`--cache`; scheduled
runs turn it on). An entry written under another salt is a miss, never a false "0".

Within the TTL a cached range is used with no request at all. After it, the range is
revalidated with `If-None-Match: <etag>`: a `304 Not Modified` costs a few hundred bytes
and refreshes the entry; a 200 replaces it. Bodies are validated again on read, so a
damaged cache file is a miss, never a wrong count.

One directory per API base URL and hash mode: a mirror's or a test server's ranges never
answer for the public API.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Callable

from pwcheck.check.range_format import NTLM_SUFFIX_LEN, SHA1_SUFFIX_LEN, MalformedRange, is_prefix, normalise_body
from pwcheck.net.defaults import DEFAULT_CACHE_TTL_HOURS
from pwcheck.net.validators import validator
from pwcheck.system.files import replace_private

SALT_FILE = "salt"


class RangeCache:
    """The hook `RangeClient` calls: fresh body, validators, 304 refresh, store."""

    def __init__(
        self, directory: Path, ttl_seconds: float, *, suffix_len: int = SHA1_SUFFIX_LEN, clock: Callable[[], float] = time.time
    ) -> None:
        self.directory = directory
        self.ttl_seconds = ttl_seconds
        self.suffix_len = suffix_len
        self.clock = clock
        self.hits = 0
        self.revalidated = 0
        self.stored = 0
        self._salt: bytes | None = None

    @classmethod
    def for_api(cls, api_url: str, *, ntlm: bool = False, ttl_hours: float = DEFAULT_CACHE_TTL_HOURS, root: Path | None = None) -> "RangeCache":
        """The cache for one API base URL and hash mode, under the user cache dir."""
        if root is None:
            from pwcheck.system.dirs import cache_dir

            root = cache_dir() / "ranges"
        tag = hashlib.sha256(api_url.rstrip("/").encode("utf-8")).hexdigest()[:16]
        mode = "ntlm" if ntlm else "sha1"
        return cls(root / tag / mode, ttl_hours * 3600, suffix_len=NTLM_SUFFIX_LEN if ntlm else SHA1_SUFFIX_LEN)

    def fresh(self, prefix: str) -> bytes | None:
        """The cached body if younger than the TTL (no request needed), else None."""
        entry = self._read(prefix)
        if entry is None or self.clock() - entry[1] > self.ttl_seconds:
            return None
        self.hits += 1
        return entry[2]

    def validators(self, prefix: str) -> dict[str, str] | None:
        """Headers for a conditional request (`If-None-Match`), when an entry has an ETag."""
        entry = self._read(prefix)
        if entry is None or not entry[0]:
            return None
        return {"If-None-Match": entry[0]}

    def not_modified(self, prefix: str) -> bytes | None:
        """On 304: the cached body, its age reset. None if the entry vanished meanwhile."""
        entry = self._read(prefix)
        if entry is None:
            return None
        self._write(prefix, entry[0], entry[2])
        self.revalidated += 1
        return entry[2]

    def store(self, prefix: str, body: bytes, etag: str | None) -> None:
        """Keep a validated body, suffixes blinded, with its ETag; a cache that cannot be written is only slower."""
        try:
            salt = self._salt_bytes()
            lines = []
            for line in body.split(b"\n"):
                suffix, _, count = line.rstrip(b"\r").partition(b":")
                if suffix:
                    lines.append(blind(salt, prefix, suffix) + b":" + count)
            self._write(prefix, etag, b"\r\n".join(lines))
            self.stored += 1
        except OSError:
            pass

    def _salt_bytes(self) -> bytes:
        """The directory's salt, created once (0600) on first use."""
        if self._salt is None:
            path = self.directory / SALT_FILE
            try:
                salt = path.read_bytes()
            except OSError:
                salt = b""
            if len(salt) != 32:
                salt = os.urandom(32)
                replace_private(path, salt)
            self._salt = salt
        return self._salt

    def _salt_id(self) -> str:
        return hashlib.sha256(self._salt_bytes()).hexdigest()[:16]

    def _path(self, prefix: str) -> Path:
        if not is_prefix(prefix):
            raise ValueError("not a range prefix")
        return self.directory / prefix.upper()

    def _read(self, prefix: str) -> tuple[str | None, float, bytes] | None:
        try:
            raw = self._path(prefix).read_bytes()
            header, _, body = raw.partition(b"\n")
            meta = json.loads(header)
            etag = meta.get("etag")
            fetched = float(meta["fetched"])
            if meta.get("salt") != self._salt_id():
                return None  # written under another salt (or by an older pwcheck): its tokens cannot be matched
            blinded = BlindedBody(normalise_body(body, self.suffix_len), self._salt_bytes(), prefix.upper())
            return validator(etag), fetched, blinded
        except (OSError, ValueError, KeyError, TypeError, AttributeError, MalformedRange):
            return None

    def _write(self, prefix: str, etag: str | None, body: bytes) -> None:
        header = json.dumps({"etag": validator(etag), "fetched": self.clock(), "salt": self._salt_id()})
        replace_private(self._path(prefix), header.encode("utf-8") + b"\n" + body)


def blind(salt: bytes, prefix: str, suffix: bytes) -> bytes:
    """A suffix's one-way token: uppercase hex of SHA-256(salt | prefix | suffix), suffix-long."""
    digest = hashlib.sha256(salt + prefix.upper().encode("ascii") + suffix.upper()).hexdigest().upper()
    return digest[: len(suffix)].encode("ascii")


class BlindedBody(bytes):
    """A cached range body (`TOKEN:COUNT` lines) that knows how to blind the suffixes asked of it.

    It is still a validated range body, so `find_counts` reads it unchanged once the
    wanted suffixes are turned into tokens with `token`.
    """

    salt: bytes
    prefix: str

    def __new__(cls, data: bytes, salt: bytes, prefix: str) -> "BlindedBody":
        body = super().__new__(cls, data)
        body.salt = salt
        body.prefix = prefix
        return body

    def token(self, suffix: bytes) -> bytes:
        return blind(self.salt, self.prefix, suffix)
