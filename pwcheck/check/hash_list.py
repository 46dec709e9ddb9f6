"""`pwcheck hashes FILE`: a list of password hashes checked as a whole (the AD audit case).

Reads SHA-1 or NTLM hashes one per line, or pwdump lines (`user:rid:lm:nt:::`, always
NTLM), checks each distinct hash once through any `HashChecker` (API or store), and
reports the users whose hash is pwned and the hashes that several users share (one
password reused across accounts, pwned or not). A hash is never printed: an account is
named by its user, or by its line number in a plain list.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pwcheck.analyse.findings import EXIT_CLEAN, EXIT_FOUND, EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.check.store_format import NTLM, SHA1, HashKind
from pwcheck.errors import InputError

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


def run_hashes_command(path: Path, choice, api_url: str, report_format: str, progress: bool) -> int:  # type: ignore[no-untyped-def]
    """Read, check, report; exit 0 clean, 1 pwned, 2 input error, 3 something not checked."""
    from dataclasses import replace

    from pwcheck.audit import check, prefix_count
    from pwcheck.ui import error_line, progress_bar

    try:
        hashes = read_hash_list(path, choice.ntlm)
    except InputError as exc:
        error_line(str(exc))
        return EXIT_INPUT_ERROR
    choice = replace(choice, ntlm=hashes.kind is NTLM)
    checker = choice.build(api_url)
    against = choice.describe(checker, api_url)
    if against is None:
        return EXIT_INPUT_ERROR
    digests = list(dict.fromkeys(account.digest for account in hashes.accounts))
    with progress_bar(prefix_count(digests), "checking", progress) as advance:
        lookup = check(digests, checker, advance)
    for problem in lookup.problems:
        error_line(problem)
    counts = lookup.counts
    pwned = [a for a in hashes.accounts if counts.get(a.digest)]
    unchecked = [a for a in hashes.accounts if counts.get(a.digest) is None]
    code = EXIT_NOT_CHECKED if unchecked else EXIT_FOUND if pwned else EXIT_CLEAN
    shared = hashes.shared()
    if report_format == "json":
        json.dump(_json(hashes, counts, shared, against, code), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _terminal(hashes, counts, pwned, unchecked, shared, against)
    return code


def _json(hashes: HashList, counts: dict[bytes, int | None], shared: list[list[Account]], against: str, code: int) -> dict:  # type: ignore[type-arg]
    return {
        "schema": "pwcheck.hashes/1",
        "kind": hashes.kind.name,
        "checked_against": against,
        "entries": [
            {"line": a.line, "user": a.user, "pwned_count": counts.get(a.digest), "empty_password": a.digest == EMPTY_NT}
            for a in hashes.accounts
        ],
        "shared": [
            {"lines": [a.line for a in group], "users": [a.user for a in group], "pwned_count": counts.get(group[0].digest)}
            for group in shared
        ],
        "exit_code": code,
    }


def _terminal(
    hashes: HashList, counts: dict[bytes, int | None], pwned: list[Account], unchecked: list[Account],
    shared: list[list[Account]], against: str,
) -> None:
    out = sys.stdout.write
    total = len(hashes.accounts)
    out(f"{hashes.kind.name.upper()} hashes: {total} accounts, {len({a.digest for a in hashes.accounts})} distinct, "
        f"checked against {against}\n")
    out(f"pwned: {len(pwned)} of {total} accounts\n")
    for account in sorted(pwned, key=lambda a: (-(counts[a.digest] or 0), a.line)):
        out(f"  {account.label}: seen {counts[account.digest]:,} times\n")
    empty = [a for a in hashes.accounts if hashes.kind is NTLM and a.digest == EMPTY_NT]
    if empty:
        out(f"empty password: {', '.join(a.label for a in empty)}\n")
    if shared:
        out(f"shared: {len(shared)} hashes are used by more than one account (the same password)\n")
        for group in shared:
            count = counts.get(group[0].digest)
            status = "not checked" if count is None else f"pwned, seen {count:,} times" if count else "not found in the corpus"
            out(f"  {len(group)} accounts, {status}: {', '.join(a.label for a in group)}\n")
    if unchecked:
        out(f"NOT CHECKED: {len(unchecked)} accounts (the lookup failed; they are not clean)\n")
