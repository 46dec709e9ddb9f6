"""One line of "what to change first": the tiers, their labels, and one account to act on.

The ranking itself is `pwcheck.analyse.priorities.prioritise`; renderers only read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["pwned-reused", "stale", "pwned", "reused", "weak", "unsecured", "check", "advice"]
TIERS: tuple[Tier, ...] = ("pwned-reused", "stale", "pwned", "reused", "weak", "unsecured", "check", "advice")
TIER_LABELS: dict[Tier, str] = {
    "pwned-reused": "pwned and reused",
    "stale": "stale",
    "pwned": "pwned",
    "reused": "reused",
    "weak": "weak",
    "unsecured": "unsecured site",
    "check": "check",
    "advice": "2fa/passkey",  # two-factor or passkeys offered: advice, below every finding
}


@dataclass(frozen=True, slots=True)
class Priority:
    """One account to act on: `entries` index the report's entries (copies of one login).

    `link` is the contact's own page on setting up passkeys or two-factor, from the
    directories, on any tier (None when neither lists the contact or it has no page).
    Slotted: a report holds one per account (100,000 in the memory benchmark), and an
    instance dictionary each was ~15 MB of that audit's peak.
    """

    rank: int
    tier: Tier
    domain: str | None
    username: str | None
    entries: tuple[int, ...]
    reason: str
    link: str | None = None
