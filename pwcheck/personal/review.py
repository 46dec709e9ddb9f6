"""A personal review of an audit: which findings are ignored, and (with `--new`) which are new.

`is_finding` is the single definition of "this entry is a finding" used by ignore rules and
`--new`; everything else here is built on it. The review is attached to the report so the
exit code and every renderer see the same answer:

- ignored findings are counted and listed with their rule, and do not make the exit code 1;
- with `--new`, exit 1 only when a finding was not in the last run's state. The new state
  is not written here: `Review.save` writes it, and the command calls it only after the
  report was written (a failed report must not turn its findings into "still present"). A finding that
  could not be confirmed this run (lookup failed, file unreadable) is carried over, never
  reported as resolved: "not checked" is not "fixed".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pwcheck.model.entry import Entry
from pwcheck.model.findings import AuditReport
from pwcheck.model.review import Item, Review, Rule
from pwcheck.personal.ignore import FINDING_ID_LEN, first_match


def is_finding(entry: Entry) -> bool:
    """THE predicate for "this entry needs action": `Entry.is_finding` (pwned, or stale after a breach)."""
    return entry.is_finding


def build_review(report: AuditReport, rules: list[Rule], *, new_only: bool, today: dt.date | None = None) -> Review:
    """Partition findings by the rules and, with `new_only`, compare with and update the state."""
    today = today or dt.date.today()
    needs_ids = new_only or any(rule.finding for rule in rules)
    key = None
    if needs_ids:
        from pwcheck.personal.state import load_key

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
    from pwcheck.personal.state import State, load_state, now_iso, save_state

    previous = load_state()
    if previous is None:
        review.notes.append("first --new run: every finding is new; later runs report only changes")
        previous = State(key.check)
    elif previous.key_check != key.check:
        review.notes.append(f"the state key changed ({key.where}): earlier findings cannot be matched, all are new")
        previous = State(key.check)
    now = now_iso()
    ignored = {key.fingerprint(item.entry.credential) for item in review.ignored}
    current: dict[str, dict[str, Any]] = {}
    for item in review.active:
        fingerprint = key.fingerprint(item.entry.credential)
        seen = previous.findings.get(fingerprint)
        (review.still_present if seen else review.new).append(item)
        sources = set(current.get(fingerprint, {}).get("sources", [])) | {key.source_tag(item.entry.credential.source)}
        current[fingerprint] = {"first_seen": seen["first_seen"] if seen else now, "last_seen": now, "sources": sorted(sources)}
    incomplete = bool(report.errors) or report.interrupted
    read = {key.source_tag(name) for name in report.sources_read}
    for fingerprint, entry in current.items():
        # Still present: it keeps the sources it was seen in that this run did not read, so a
        # later run that reads only the fixed one cannot call it resolved while the other still holds it.
        recorded = previous.findings.get(fingerprint, {}).get("sources")
        if isinstance(recorded, list):
            entry["sources"] = sorted(set(entry["sources"]) | {tag for tag in recorded if tag not in read})
    elsewhere = 0
    for fingerprint, seen in previous.findings.items():
        if fingerprint in current or fingerprint in ignored:
            continue  # ignored findings are not stored: when the rule ends they are new again
        # Only a run that read every source a finding was seen in, to the end, can call it fixed:
        # a source left out of this run was not checked, and "not checked" is not "fixed".
        # (States written before sources were recorded carry none: judged by the run as a whole.)
        recorded = seen.get("sources")
        unread = [source for source in recorded if source not in read] if isinstance(recorded, list) else []
        if incomplete or fingerprint in unconfirmed or unread:
            current[fingerprint] = seen
            review.carried_over += 1
            elsewhere += bool(unread) and not incomplete and fingerprint not in unconfirmed
        else:
            review.resolved += 1
    if incomplete:
        review.notes.append("some sources could not be read or the run was interrupted: nothing is reported resolved")
    if elsewhere:
        review.notes.append(f"{elsewhere} earlier finding(s) come from sources not read this run: kept, not resolved")
    review.save = lambda: save_state(State(key.check, current))


def attach_review(report: AuditReport, rules: list[Rule], new_only: bool) -> None:
    """Build the review onto `report` from the ignore rules (loaded and validated before the
    audit started: `personal.ignore.load_rules`) and `--new`.

    Without rules and without `--new` the report is left as a plain audit (no keychain
    touched). A bad state raises its `StateError` (exit 2).
    """
    if rules or new_only:
        report.review = build_review(report, rules, new_only=new_only)
