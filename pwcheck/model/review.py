"""A personal review of an audit: ignore rules, and the findings sorted by them and by `--new`.

Building the review (reading rules, comparing with the saved state) is
`pwcheck.personal`; renderers read these classes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from pwcheck.model.credential import Credential
from pwcheck.model.entry import Entry


@dataclass(frozen=True)
class Rule:
    """One rule; `origin` says where it lives (ignore.toml, or config.toml:LINE)."""

    id: str
    reason: str
    origin: str
    domain: str | None = None
    source: str | None = None
    url: str | None = None
    username: str | None = None
    finding: str | None = None
    until: dt.date | None = None
    added: dt.date | None = None

    @property
    def kind(self) -> str:
        return "domain" if self.domain else "finding" if self.finding else "entry"

    def active(self, today: dt.date) -> bool:
        """Rules apply through their `until` day inclusive."""
        return self.until is None or today <= self.until

    def matches(self, credential: Credential, domain: str | None, finding_id: str | None) -> bool:
        """Whether this rule covers one entry (a Credential with its contact and finding id)."""
        if self.domain:
            return domain == self.domain
        if self.finding:
            return finding_id is not None and finding_id.startswith(self.finding)
        if self.source and self.source not in (credential.format, credential.source):
            return False
        return (credential.url or "") == (self.url or "") and (credential.username or "") == (self.username or "")

    def describe(self) -> str:
        """What the rule matches, for `ignore list` and the report (rules name no secret)."""
        if self.domain:
            return f"domain {self.domain}"
        if self.finding:
            return f"finding {self.finding}"
        source = f" in {self.source}" if self.source else ""
        return f"entry {self.username or '(no username)'} at {self.url or '(no URL)'}{source}"

    def to_table(self) -> dict[str, Any]:
        table: dict[str, Any] = {"id": int(self.id)}
        for name in ("domain", "source", "url", "username", "finding"):
            value = getattr(self, name)
            if value is not None:
                table[name] = value
        if self.until:
            table["until"] = self.until
        table["reason"] = self.reason
        if self.added:
            table["added"] = self.added
        return table


@dataclass(frozen=True)
class Item:
    """One finding in the review, with its short id when fingerprints were computed."""

    entry: Entry
    finding_id: str | None = None
    rule: Rule | None = None


@dataclass
class Review:
    """The partition of the report's findings; `new_only` says whether `--new` asked for it."""

    new_only: bool
    active: list[Item] = field(default_factory=list)
    ignored: list[Item] = field(default_factory=list)
    new: list[Item] = field(default_factory=list)
    still_present: list[Item] = field(default_factory=list)
    resolved: int = 0
    carried_over: int = 0
    notes: list[str] = field(default_factory=list)
    # With `--new`: writes this run's state. Called by the command only after the report was
    # written, so a finding never shown is never remembered as "still present".
    save: Callable[[], object] | None = field(default=None, repr=False, compare=False)

    @property
    def has_findings(self) -> bool:
        """What decides exit code 1: new findings with `--new`, else any finding not ignored."""
        return bool(self.new) if self.new_only else bool(self.active)
