"""The 2FA Directory (2factorauth/twofactorauth, data under the MIT licence): which sites offer two-factor.

`totp.json` of API v3 is a JSON array of pairs `[name, entry]`, `entry` holding `domain`,
`additional-domains`, `tfa` (the methods) and `documentation`, among others. Only those
four are kept, each checked (`_fields`): an entry without a usable name and domain is
skipped and counted; a list with no entry, or with more malformed items than entries, is
refused (then the cached copy, if any, is used).
"""

from __future__ import annotations

from typing import Any

from pwcheck.lists import _fields
from pwcheck.lists.fetch import ListRefused
from pwcheck.model.directory import TwoFactorSite

METHODS = ("totp", "u2f", "sms", "call", "email", "custom-software", "custom-hardware")


def parse_twofactor(doc: Any) -> tuple[list[TwoFactorSite], int]:
    """(sites, malformed items) from the decoded JSON; ListRefused when it is no such list."""
    if not isinstance(doc, list):
        raise ListRefused(f"not the 2FA Directory: expected a JSON array, got {type(doc).__name__}")
    if len(doc) > _fields.MAX_ENTRIES:
        raise ListRefused(f"not the 2FA Directory: {len(doc)} entries, more than {_fields.MAX_ENTRIES}")
    sites: list[TwoFactorSite] = []
    malformed = 0
    for item in doc:
        site = _site(item)
        if site is None:
            malformed += 1
        else:
            sites.append(site)
    if malformed > len(sites):
        raise ListRefused(f"not the 2FA Directory: {malformed} of {len(doc)} entries malformed", malformed)
    if not sites:
        raise ListRefused("the 2FA Directory lists no site", malformed)
    return sites, malformed


def _site(item: Any) -> TwoFactorSite | None:
    if not isinstance(item, list) or len(item) != 2 or not isinstance(item[1], dict):
        return None
    title, entry = _fields.name(item[0]), item[1]
    domain = _fields.host(entry.get("domain"))
    if title is None or domain is None:
        return None
    methods = entry.get("tfa")
    listed = {m for m in methods if isinstance(m, str)} if isinstance(methods, list) else set()
    extra = tuple(d for d in _fields.hosts(entry.get("additional-domains")) if d != domain)
    return TwoFactorSite(
        name=title, domains=(domain, *extra), methods=tuple(m for m in METHODS if m in listed),
        documentation=_fields.link(entry.get("documentation")),
    )
