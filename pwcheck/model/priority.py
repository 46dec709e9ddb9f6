"""One line of "what to change first": the tiers, their labels, and one account to act on.

The ranking itself is `pwcheck.analyse.priorities.prioritise`; renderers only read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["pwned-reused", "stale", "pwned", "reused", "weak", "unsecured", "check"]
TIERS: tuple[Tier, ...] = ("pwned-reused", "stale", "pwned", "reused", "weak", "unsecured", "check")
TIER_LABELS: dict[Tier, str] = {
    "pwned-reused": "pwned and reused",
    "stale": "stale",
    "pwned": "pwned",
    "reused": "reused",
    "weak": "weak",
    "unsecured": "unsecured site",
    "check": "check",
}


@dataclass(frozen=True)
class Priority:
    """One account to act on: `entries` index the report's entries (copies of one login)."""

    rank: int
    tier: Tier
    domain: str | None
    username: str | None
    entries: tuple[int, ...]
    reason: str
