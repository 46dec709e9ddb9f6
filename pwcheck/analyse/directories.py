"""Which contacts the public directories list: two-factor offered, passkeys accepted.

A directory's domains meet the contacts through the very rules that reduce credential
URLs (`contact_domain`), so `aws.amazon.com` or `34SP.com` in a directory and
`https://www.amazon.com/` in an export meet at their registrable domain, and an entry's
`additional-domains` count as the entry. When several entries reduce to one contact, the
one whose own domain is the contact wins (Amazon over AWS for `amazon.com`), then the
first listed: the choice never depends on anything but the directory.
"""

from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

from pwcheck.analyse.domains import contact_domain, may_meet
from pwcheck.model.directory import ContactAdvice, Directories, PasskeySite, TwoFactorSite
from pwcheck.model.entry import Entry

_Site = TypeVar("_Site", TwoFactorSite, PasskeySite)


def match_directories(entries: Sequence[Entry], directories: Directories) -> list[tuple[bool | None, bool | None]]:
    """(two-factor available, passkey available) per entry, None when unknown; fills `directories.by_contact`.

    Unknown: the directory is unavailable, or the entry has no contact to look up.
    """
    contacts = {entry.domain for entry in entries if entry.domain}
    reduced: dict[str, str | None] = {}  # both lists name many of the same domains: each is reduced once
    twofactor = _index(((site, site.domains) for site in directories.twofactor.sites), contacts, reduced)
    passkeys = _index(((site, (site.domain,)) for site in directories.passkeys.sites), contacts, reduced)
    directories.by_contact = {
        contact: ContactAdvice(twofactor.get(contact), passkeys.get(contact))
        for contact in sorted(contacts) if contact in twofactor or contact in passkeys
    }
    has_2fa, has_passkeys = directories.twofactor.available, directories.passkeys.available
    return [
        (
            (entry.domain in twofactor) if has_2fa and entry.domain else None,
            (entry.domain in passkeys) if has_passkeys and entry.domain else None,
        )
        for entry in entries
    ]


def _index(
    sites: Iterable[tuple[_Site, tuple[str, ...]]], contacts: set[str], reduced: dict[str, str | None],
) -> dict[str, _Site]:
    """contact -> the site listed for it, for the contacts in `contacts` only (`reduced`: domain -> contact, filled here)."""
    best: dict[str, tuple[int, int, _Site]] = {}
    for position, (site, domains) in enumerate(sites):
        for domain in domains:
            if domain in reduced:
                contact = reduced[domain]
            elif not may_meet(domain, contacts):
                continue  # no suffix of it is a contact: spare the Public Suffix List
            else:
                contact = reduced[domain] = contact_domain(domain)
            if contact is None or contact not in contacts:
                continue
            exact = 0 if domain == contact else 1
            if contact not in best or (exact, position) < best[contact][:2]:
                best[contact] = (exact, position, site)
    return {contact: site for contact, (_, _, site) in best.items()}

