"""`pwcheck hashes FILE`: a list of password hashes checked as a whole (the AD audit case).

Reads SHA-1 or NTLM hashes one per line, or pwdump lines (`user:rid:lm:nt:::`, always
NTLM), checks each distinct hash once through any `HashChecker` (API or store), and
reports the users whose hash is pwned and the hashes that several users share (one
password reused across accounts, pwned or not). A hash is never printed: an account is
named by its user, or by its line number in a plain list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pwcheck.check.store_format import NTLM, SHA1, HashKind
from pwcheck.model.errors import InputError

_PWDUMP = re.compile(r"([^:]*):([0-9]*):([0-9A-Fa-f]{32}|[*A-Za-z_ -]*):([0-9A-Fa-f]{32}):.*")
EMPTY_NT = bytes.fromhex("31d6cfe0d16ae931b73c59d7e0c089c0")


@dataclass(frozen=True)
class Account:
    """One line of the list: where it is, whose it is (pwdump), and its digest (never shown)."""

    line: int
    user: str | None
    digest: bytes

    def __repr__(self) -> str:
        return f"Account(line={self.line}, user={self.user!r}, digest=<redacted>)"

    @property
    def label(self) -> str:
        return f"{self.user} (line {self.line})" if self.user is not None else f"line {self.line}"


@dataclass
class HashList:
    kind: HashKind
    accounts: list[Account] = field(default_factory=list)

    def shared(self) -> list[list[Account]]:
        """Groups of two or more accounts with the same hash, largest first."""
        groups: dict[bytes, list[Account]] = {}
        for account in self.accounts:
            groups.setdefault(account.digest, []).append(account)
        return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0].line))


def read_hash_list(path: Path, ntlm: bool) -> HashList:
    """Parse the file; InputError names the file and line (never the line's content)."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "is not UTF-8 text") from None
    result: HashList | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pwdump = _PWDUMP.fullmatch(line)
        kind = NTLM if pwdump or ntlm else SHA1
        if result is None:
            result = HashList(kind)
        elif result.kind is not kind:
            raise InputError(str(path), "mixes pwdump (NTLM) lines with SHA-1 hashes", number)
        hex_hash = pwdump.group(4) if pwdump else line
        if not re.fullmatch(r"[0-9A-Fa-f]{%d}" % kind.hex_len, hex_hash):
            want = "NTLM hash (32 hex digits) or pwdump line" if kind is NTLM else "SHA-1 hash (40 hex digits; --ntlm for NTLM)"
            raise InputError(str(path), f"not a {want}", number)
        result.accounts.append(Account(number, pwdump.group(1) if pwdump else None, bytes.fromhex(hex_hash)))
    return result or HashList(NTLM if ntlm else SHA1)
