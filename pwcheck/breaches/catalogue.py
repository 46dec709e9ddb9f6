"""HIBP's breach catalogue as pwcheck uses it: parsed, filtered, and indexed by contact.

A breach is matched to a contact by reducing its `Domain` with the very rules that reduce
credential URLs (`pwcheck.analyse.assemble.breaches_by_contact`). Breaches flagged
`IsFabricated` are dropped (HIBP itself says the data is not real); breaches with an empty
`Domain` belong to no contact and are kept only for account checks. Spam lists, malware
and stealer logs keep their kind so every report can show them apart from breaches of the
contact's own systems.

Fetching and caching live in `fetch`; the data itself in `pwcheck.model.breach`; this
module does no I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pwcheck.model.breach import Breach, BreachKind
from pwcheck.model.errors import PwcheckError
from pwcheck.model.exit_codes import EXIT_NOT_CHECKED


class CatalogueError(PwcheckError, ValueError):
    """The catalogue is not in HIBP's shape; the message names structure, never content."""

    exit_code = EXIT_NOT_CHECKED


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
