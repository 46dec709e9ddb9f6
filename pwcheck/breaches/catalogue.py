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
    """The catalogue is not in HIBP's shape; the message names structure, never content.

    `malformed` counts the items that were not breach records, for the report.
    """

    exit_code = EXIT_NOT_CHECKED

    def __init__(self, message: str, malformed: int = 0) -> None:
        super().__init__(message)
        self.malformed = malformed


def parse_catalogue(doc: Any) -> tuple[list[Breach], int]:
    """Breaches from the decoded `/api/v3/breaches` JSON; returns (breaches, malformed items).

    Fabricated breaches are dropped silently (not counted as malformed). An item without a
    `Name`, a `Domain` string (HIBP sends `""` for no single site) or a readable
    `BreachDate` is skipped and counted, so one bad record does not cost the whole catalogue.

    A catalogue with no breach at all, or with more malformed items than breaches, is
    refused (CatalogueError): HIBP's lists ~900, so such an answer is a broken server or
    a wrong URL, and taking it would turn every stale verdict from unknown into false.
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
    if malformed > len(breaches):
        raise CatalogueError(f"not a breach catalogue: {malformed} of {len(doc)} items malformed", malformed)
    if not breaches:
        raise CatalogueError("the breach catalogue lists no breaches", malformed)
    return breaches, malformed


def _breach(item: dict[str, Any]) -> Breach | None:
    name = item.get("Name")
    domain = item.get("Domain")
    if not isinstance(name, str) or not name or not isinstance(domain, str):
        return None
    try:
        when = date.fromisoformat(str(item.get("BreachDate", ""))[:10])
    except ValueError:
        return None
    title = item.get("Title")
    classes = item.get("DataClasses")
    count = item.get("PwnCount")
    return Breach(
        name=name,
        title=title if isinstance(title, str) and title else name,
        domain=domain,
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
