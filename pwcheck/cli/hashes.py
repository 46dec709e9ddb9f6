"""`pwcheck hashes`: check a list of SHA-1 or NTLM hashes (one per line, or pwdump), reporting users, never hashes."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from pwcheck.check.store_format import NTLM
from pwcheck.cli import options
from pwcheck.model.exit_codes import EXIT_CLEAN, EXIT_FOUND, EXIT_NOT_CHECKED
from pwcheck.sources.hash_list import EMPTY_NT, Account, HashList


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@options.ntlm
@options.offline
@options.api_url
@click.option("--format", "report_format", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@options.no_progress
@click.pass_context
def hashes(
    ctx: click.Context, file: Path, ntlm: bool, offline: Path | None, api_url: str, report_format: str, no_progress: bool
) -> None:
    """Check a list of SHA-1 (or --ntlm NTLM) hashes: one per line, or pwdump `user:rid:lm:nt:::`.

    Reports the users whose hash is pwned and the hashes shared by several users; a hash
    is never printed, only the user or line that holds it. Exit 0 clean, 1 pwned, 2 input
    error, 3 something not checked.
    """
    from pwcheck.check.choice import CheckerChoice
    from pwcheck.check.run import check, prefix_count
    from pwcheck.sources.hash_list import read_hash_list
    from pwcheck.system.console import error_line, progress_bar

    choice = CheckerChoice(offline, ntlm=ntlm)
    hash_list = read_hash_list(file, choice.ntlm)
    choice = replace(choice, ntlm=hash_list.kind is NTLM)
    checker = choice.build(api_url)
    against = choice.describe(checker, api_url)
    digests = list(dict.fromkeys(account.digest for account in hash_list.accounts))
    with progress_bar(prefix_count(digests), "checking", not no_progress) as advance:
        lookup = check(digests, checker, advance)
    for problem in lookup.problems:
        error_line(problem)
    counts = lookup.counts
    pwned = [a for a in hash_list.accounts if counts.get(a.digest)]
    unchecked = [a for a in hash_list.accounts if counts.get(a.digest) is None]
    code = EXIT_NOT_CHECKED if unchecked else EXIT_FOUND if pwned else EXIT_CLEAN
    shared = hash_list.shared()
    if report_format == "json":
        json.dump(_json(hash_list, counts, shared, against, code), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _terminal(hash_list, counts, pwned, unchecked, shared, against)
    ctx.exit(code)


def _json(hashes: HashList, counts: dict[bytes, int | None], shared: list[list[Account]], against: str, code: int) -> dict[str, Any]:
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
    from pwcheck.system.display import shown

    def out(text: str) -> None:  # user names come from the file: control characters made visible
        sys.stdout.write(shown(text.removesuffix("\n")) + "\n")

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
