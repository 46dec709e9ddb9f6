"""Stale credentials: a password older than a breach of its contact must be taken as burned.

The comparison, to the day. `BreachDate` is a calendar date without a time or a zone;
pwcheck reads it as the whole UTC day. A password-change time (aware, any zone) is
converted to UTC and reduced to its UTC date. The password is **stale** when that date is
on or before the breach date: a change on the breach day itself cannot be told apart
from a change just before the breach, and the safe answer is "burned". It is **not
stale** only when it changed on a later UTC day than every breach of its contact, i.e.
at or after 00:00 UTC on the day after the latest breach. So 2020-05-01T23:59:59Z is
stale for a breach dated 2020-05-01, 2020-05-02T00:00:00Z is not, and
2020-05-02T01:00+02:00 (which is 2020-05-01T23:00Z) is stale.

Unknowns stay unknown (None): no catalogue, or a breached contact with no change time,
or only an "any edit" time (`changed_kind == "edit"`) that is later than the breach (an
edit after the breach does not say the password changed; an edit before it does say the
password is at least that old, so that case is stale). Spam lists name a contact
without a compromise of its systems and do not make a password stale.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from typing import Optional, Sequence

from pwcheck.model.breach import Breach
from pwcheck.model.credential import ChangeKind

Verdict = tuple[Optional[bool], Optional[str]]


def change_day(changed: datetime) -> date:
    """The UTC calendar day of a change time (naive times are taken as UTC, as sources do)."""
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=timezone.utc)
    return changed.astimezone(timezone.utc).date()


def stale_verdict(
    breaches: Sequence[Breach], changed: datetime | None, kind: ChangeKind | None, catalogue_available: bool
) -> Verdict:
    """(stale, reason) for one credential of a contact with `breaches`; see the module docstring."""
    if not catalogue_available:
        return None, "breach data unavailable: changed since any breach? unknown"
    relevant = [breach for breach in breaches if breach.counts_for_stale]
    if not relevant:
        return False, ("only spam lists name this contact" if breaches else None)
    latest = max(relevant, key=lambda b: b.breach_date)
    if changed is None:
        # Interned: every credential of a contact without a change time says the same words, and a
        # copy each was ~12 MB of a 100,000-row audit's peak (benchmarks/memory.py).
        return None, sys.intern(f"changed since {latest.breach_date.isoformat()}? unknown: the export has no password-change time")
    day = change_day(changed)
    edit = kind == "edit"
    what = "last edited" if edit else "changed"
    after = sorted((b for b in relevant if b.breach_date >= day), key=lambda b: (b.breach_date, b.name))
    if after:
        first = after[0]
        relation = "on the day of" if first.breach_date == day else "before"
        reason = f"{what} {day.isoformat()}, {relation} the {first.title} breach of {first.breach_date.isoformat()}"
        if len(after) > 1:
            reason += f" (and {len(after) - 1} later breach{'es' if len(after) > 2 else ''})"
        if edit:
            reason += "; that is only an edit time, so the password is at least as old"
        return True, reason
    if edit:
        return None, (
            f"changed since {latest.breach_date.isoformat()}? unknown: only an edit on {day.isoformat()} is recorded, "
            "not a password change"
        )
    return False, f"{what} {day.isoformat()}, after every breach of this contact (latest {latest.breach_date.isoformat()})"
