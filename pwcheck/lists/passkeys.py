"""The Passkeys Directory (2factorauth/passkeys, data under CC BY 4.0): which sites accept passkeys.

Its API v1 `supported.json` is one JSON object keyed by domain (additional domains are
keys of their own), each value holding `passwordless` and/or `mfa` ("allowed" or
"required") and `documentation`. Only those are kept, each checked (`_fields`); a key that
is no host name, or a value that is no object, is skipped and counted; an entry with
neither level (the `all.json` file lists those too) is left out without counting.
"""

from __future__ import annotations

from typing import Any

from pwcheck.lists import _fields
from pwcheck.lists.fetch import ListRefused
from pwcheck.model.directory import PasskeySite


def parse_passkeys(doc: Any) -> tuple[list[PasskeySite], int]:
    """(sites, malformed items) from the decoded JSON; ListRefused when it is no such list."""
    if not isinstance(doc, dict):
        raise ListRefused(f"not the Passkeys Directory: expected a JSON object, got {type(doc).__name__}")
    if len(doc) > _fields.MAX_ENTRIES:
        raise ListRefused(f"not the Passkeys Directory: {len(doc)} entries, more than {_fields.MAX_ENTRIES}")
    sites: list[PasskeySite] = []
    malformed = 0
    for key, entry in doc.items():
        domain = _fields.host(key)
        if domain is None or not isinstance(entry, dict):
            malformed += 1
            continue
        passwordless, mfa = _fields.level(entry.get("passwordless")), _fields.level(entry.get("mfa"))
        if passwordless is None and mfa is None:
            continue
        sites.append(PasskeySite(domain, passwordless, mfa, _fields.link(entry.get("documentation"))))
    if malformed > len(sites):
        raise ListRefused(f"not the Passkeys Directory: {malformed} of {len(doc)} entries malformed", malformed)
    if not sites:
        raise ListRefused("the Passkeys Directory lists no site", malformed)
    return sites, malformed
