"""HIBP's breach catalogue as pwcheck uses it: parsed, filtered, and indexed by contact.

A breach is matched to a contact by reducing its `Domain` with the very rules that reduce
credential URLs (`contact_domain`), so `www.adobe.com` in the catalogue and
`https://accounts.adobe.com/` in an export meet at `adobe.com`. Breaches flagged
`IsFabricated` are dropped (HIBP itself says the data is not real); breaches with an empty
`Domain` belong to no contact and are kept only for account checks. Spam lists, malware
and stealer logs keep their kind so every report can show them apart from breaches of the
contact's own systems.

Fetching and caching live in `catalogue_fetch`; this module does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pwcheck.analyse.domains import contact_domain

BreachKind = Literal["breach", "spam list", "malware", "stealer log"]


class CatalogueError(ValueError):
    """The catalogue is not in HIBP's shape; the message names structure, never content."""


@dataclass(frozen=True)
class Breach:
    """One catalogued breach, with the fields the reports show."""

    name: str
    title: str
    domain: str
    breach_date: date
    data_classes: tuple[str, ...] = ()
    pwn_count: int | None = None
    kind: BreachKind = "breach"
    verified: bool = True

    @property
    def counts_for_stale(self) -> bool:
        """A spam list is addresses a spammer held, not a compromise of the contact's systems."""
        return self.kind != "spam list"

    def label(self) -> str:
        """`Title, 2020-05-01`, with the kind when it is not an ordinary breach."""
        kind = "" if self.kind == "breach" else f", {self.kind}"
        return f"{self.title}, {self.breach_date.isoformat()}{kind}"


def parse_catalogue(doc: Any) -> tuple[list[Breach], int]:
    """Breaches from the decoded `/api/v3/breaches` JSON; returns (breaches, malformed items).

    Fabricated breaches are dropped silently (not counted as malformed). An item without a
    `Name` or with an unreadable `BreachDate` is skipped and counted, so one bad record
    does not cost the whole catalogue.
    """
    if not isinstance(doc, list):
        raise CatalogueError(f"not a breach catalogue: expected a JSON array, got {type(doc).__name__}")
    breaches: list[Breach] = []
    malformed = 0
    for item in doc:
        if not isinstance(item, dict):
            malformed += 1
            continue
        if item.get("IsFabricated") is True:
            continue
        breach = _breach(item)
        if breach is None:
            malformed += 1
        else:
            breaches.append(breach)
    return breaches, malformed


def _breach(item: dict[str, Any]) -> Breach | None:
    name = item.get("Name")
    if not isinstance(name, str) or not name:
        return None
    try:
        when = date.fromisoformat(str(item.get("BreachDate", ""))[:10])
    except ValueError:
        return None
    title = item.get("Title")
    domain = item.get("Domain")
    classes = item.get("DataClasses")
    count = item.get("PwnCount")
    return Breach(
        name=name,
        title=title if isinstance(title, str) and title else name,
        domain=domain if isinstance(domain, str) else "",
        breach_date=when,
        data_classes=tuple(c for c in classes if isinstance(c, str)) if isinstance(classes, list) else (),
        pwn_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        kind=_kind(item),
        verified=item.get("IsVerified") is not False,
    )


def _kind(item: dict[str, Any]) -> BreachKind:
    if item.get("IsStealerLog") is True:
        return "stealer log"
    if item.get("IsMalware") is True:
        return "malware"
    if item.get("IsSpamList") is True:
        return "spam list"
    return "breach"


@dataclass
class Catalogue:
    """The breaches known for this run, and where they came from.

    `available` False means no catalogue could be had at all: every stale verdict is then
    unknown (None), never "not stale". `note` is the one line the reports show about the
    data's origin and age; `problem` is set when something went wrong on the way.
    """

    breaches: list[Breach] = field(default_factory=list)
    available: bool = False
    source: str = ""
    fetched_at: datetime | None = None
    validated_at: datetime | None = None
    from_cache: bool = False
    note: str = ""
    problem: str | None = None
    malformed: int = 0
    _index: dict[str, list[Breach]] | None = field(default=None, repr=False)

    @classmethod
    def unavailable(cls, note: str, problem: str | None = None, source: str = "") -> "Catalogue":
        return cls(available=False, note=note, problem=problem, source=source)

    def by_name(self) -> dict[str, Breach]:
        return {breach.name: breach for breach in self.breaches}

    def for_domain(self, domain: str | None) -> tuple[Breach, ...]:
        """The contact's breaches, oldest first; none for a credential without a site."""
        if domain is None or not self.available:
            return ()
        if self._index is None:
            self._index = index_by_contact(self.breaches)
        return tuple(self._index.get(domain, ()))


def index_by_contact(breaches: list[Breach]) -> dict[str, list[Breach]]:
    """Breaches grouped by the contact domain of their `Domain` (empty domains left out)."""
    index: dict[str, list[Breach]] = {}
    for breach in breaches:
        contact = contact_domain(breach.domain) if breach.domain.strip() else None
        if contact:
            index.setdefault(contact, []).append(breach)
    for items in index.values():
        items.sort(key=lambda b: (b.breach_date, b.name))
    return index
