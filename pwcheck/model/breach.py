"""Breaches as every stage sees them: one catalogued breach, the catalogue of a run, account checks.

Parsing HIBP's JSON and matching breaches to contacts happen in `pwcheck.breaches`;
these classes only hold the result, so the model and every renderer can use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

BreachKind = Literal["breach", "spam list", "malware", "stealer log"]


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
    malformed: int = 0  # items that were not breach records, in the catalogue used (or refused)

    @classmethod
    def unavailable(cls, note: str, problem: str | None = None, source: str = "", malformed: int = 0) -> "Catalogue":
        return cls(available=False, note=note, problem=problem, source=source, malformed=malformed)

    def by_name(self) -> dict[str, Breach]:
        return {breach.name: breach for breach in self.breaches}


@dataclass
class AccountChecks:
    """Breach names per account (casefolded e-mail), None where the check failed."""

    results: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    requests: int = 0
    problem: str | None = None

    @property
    def checked(self) -> int:
        return sum(1 for names in self.results.values() if names is not None)

    @property
    def not_checked(self) -> int:
        return sum(1 for names in self.results.values() if names is None)

    def for_username(self, username: str | None) -> tuple[str, ...] | None:
        return self.results.get(username.casefold()) if username else None
