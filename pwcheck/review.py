"""A personal review of an audit: which findings are ignored, and (with `--new`) which are new.

`is_finding` is the single definition of "this entry is a finding" used by ignore rules and
`--new`; everything else here is built on it. The review is attached to the report so the
exit code and every renderer see the same answer:

- ignored findings are counted and listed with their rule, and do not make the exit code 1;
- with `--new`, exit 1 only when a finding was not in the last run's state. A finding that
  could not be confirmed this run (lookup failed, file unreadable) is carried over, never
  reported as resolved: "not checked" is not "fixed".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pwcheck.analyse.findings import AuditReport, Entry
from pwcheck.ignore import FINDING_ID_LEN, Rule, first_match


def is_finding(entry: Entry) -> bool:
    """THE predicate for "this entry needs action": `Entry.is_finding` (pwned, or stale after a breach)."""
    return entry.is_finding


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

    @property
    def has_findings(self) -> bool:
        """What decides exit code 1: new findings with `--new`, else any finding not ignored."""
        return bool(self.new) if self.new_only else bool(self.active)


def build_review(report: AuditReport, rules: list[Rule], *, new_only: bool, today: dt.date | None = None) -> Review:
    """Partition findings by the rules and, with `new_only`, compare with and update the state."""
    today = today or dt.date.today()
    needs_ids = new_only or any(rule.finding for rule in rules)
    key = None
    if needs_ids:
        from pwcheck.state import load_key

        key = load_key()
    review = Review(new_only=new_only)
    unconfirmed: set[str] = set()
    for entry in report.entries:
        fingerprint = key.fingerprint(entry.credential) if key else None
        if not entry.checked and fingerprint:
            unconfirmed.add(fingerprint)
        if not is_finding(entry):
            continue
        short = fingerprint[:FINDING_ID_LEN] if fingerprint else None
        rule = first_match(rules, entry.credential, entry.domain, short, today)
        item = Item(entry, short, rule)
        (review.ignored if rule else review.active).append(item)
    if new_only and key is not None:
        _compare_with_state(review, report, key, unconfirmed)
    return review


def _compare_with_state(review: Review, report: AuditReport, key: Any, unconfirmed: set[str]) -> None:
    from pwcheck.state import State, load_state, now_iso, save_state

    previous = load_state()
    if previous is None:
        review.notes.append("first --new run: every finding is new; later runs report only changes")
        previous = State(key.check)
    elif previous.key_check != key.check:
        review.notes.append(f"the state key changed ({key.where}): earlier findings cannot be matched, all are new")
        previous = State(key.check)
    now = now_iso()
    ignored = {key.fingerprint(item.entry.credential) for item in review.ignored}
    current: dict[str, dict[str, str]] = {}
    for item in review.active:
        fingerprint = key.fingerprint(item.entry.credential)
        seen = previous.findings.get(fingerprint)
        (review.still_present if seen else review.new).append(item)
        current[fingerprint] = {"first_seen": seen["first_seen"] if seen else now, "last_seen": now}
    incomplete = bool(report.errors) or report.interrupted
    for fingerprint, seen in previous.findings.items():
        if fingerprint in current or fingerprint in ignored:
            continue  # ignored findings are not stored: when the rule ends they are new again
        if incomplete or fingerprint in unconfirmed:
            current[fingerprint] = seen
            review.carried_over += 1
        else:
            review.resolved += 1
    if incomplete:
        review.notes.append("some sources could not be read or the run was interrupted: nothing is reported resolved")
    save_state(State(key.check, current))


def attach_review(report: AuditReport, config: Any, new_only: bool) -> str | None:
    """Load the ignore rules, build the review onto `report`; an error line on bad config or state.

    Without rules and without `--new` the report is left as a plain audit (no keychain touched).
    """
    from pwcheck.config import ConfigError
    from pwcheck.ignore import load_rules
    from pwcheck.state import StateError

    try:
        rules = load_rules(config.ignore_rules if config else (), config.path if config else None)
        if rules or new_only:
            report.review = build_review(report, rules, new_only=new_only)
    except (ConfigError, StateError) as exc:
        return str(exc)
    return None


def review_document(review: Review, redact: bool = False) -> dict[str, Any]:
    """The review's part of the JSON report (`review` key; added only when a review ran)."""
    from pwcheck.report._rows import entry_row

    def row(item: Item) -> dict[str, Any]:
        data = {**entry_row(item.entry, redact), "finding_id": item.finding_id}
        if item.rule is not None:
            data["ignored_by"] = {
                "rule": item.rule.id, "match": item.rule.describe(), "reason": item.rule.reason,
                "until": item.rule.until.isoformat() if item.rule.until else None,
            }
        return data

    document: dict[str, Any] = {
        "new_only": review.new_only,
        "findings": len(review.active),
        "ignored": [row(item) for item in review.ignored],
        "notes": list(review.notes),
    }
    if review.new_only:
        document.update(
            new=[row(item) for item in review.new],
            still_present=[row(item) for item in review.still_present],
            resolved=review.resolved,
            carried_over=review.carried_over,
        )
    return document


def review_lines(review: Review) -> list[str]:
    """The review as rich-markup lines for the terminal report (escaped: fields are user data)."""
    from rich.markup import escape

    from pwcheck.report._views import site_label as site_of

    def describe(item: Item) -> str:
        ident = f" [dim]id {item.finding_id}[/]" if item.finding_id else ""
        count = item.entry.pwned_count
        return escape(
            f"  {item.entry.domain or '(no site)'}: {item.entry.credential.username or '-'} at {site_of(item.entry)}"
            + (f" (seen {count:,} times)" if count else "")
        ) + ident

    lines: list[str] = []
    if review.new_only:
        lines.append(
            f"[bold]Since the last --new run:[/] [bold red]{len(review.new)} new[/], "
            f"{len(review.still_present)} still present, [green]{review.resolved} resolved[/]"
            + (f", {review.carried_over} not confirmed this run (kept)" if review.carried_over else "")
        )
        lines.extend(describe(item) for item in review.new)
    if review.ignored:
        lines.append(f"[bold]{len(review.ignored)} ignored finding(s)[/] (not counted in the exit code):")
        for item in review.ignored:
            rule = item.rule
            assert rule is not None
            until = f" until {rule.until.isoformat()}" if rule.until else ""
            lines.append(describe(item) + escape(f" — rule {rule.id}{until}: {rule.reason}"))
    lines.extend(f"[yellow]note:[/] {escape(note)}" for note in review.notes)
    return lines
