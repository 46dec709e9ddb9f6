"""Ignore rules: a contact domain, one entry, or one finding until a date, each with a reason.

An ignored finding is taken out of the exit code and the "new" list, never out of the
report: it is counted and listed as ignored with its rule, so nothing is silently lost.

Rules come from two places. `pwcheck ignore add` writes `ignore.toml` (its own file, so
pwcheck never rewrites the person's commented config.toml); `[[ignore]]` tables in
config.toml are read too but only edited by hand. A rule for a *finding* names its id
(shown by `--new` runs: a truncated keyed fingerprint) and must have an end date,
because it is meant for "I am changing this password this week", not for ever.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Iterable

from pwcheck.model.errors import ConfigError
from pwcheck.model.review import Rule
from pwcheck.system.dirs import ignore_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FINDING_ID_LEN = 12
_FIELDS = {"id", "domain", "source", "url", "username", "finding", "until", "reason", "added"}


def parse_rule(table: dict[str, Any], where: str, rule_id: str) -> Rule:
    """Validate one rule table; ConfigError naming `where` (file:line) and the key otherwise."""
    unknown = sorted(set(table) - _FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} in an ignore rule")
    for name in ("domain", "source", "url", "username", "finding", "reason"):
        if name in table and not isinstance(table[name], str):
            raise ConfigError(f"{where}: ignore rule key {name!r} must be a string")
    reason = str(table.get("reason", "")).strip()
    if not reason:
        raise ConfigError(f"{where}: ignore rule needs a 'reason'")
    kinds = [bool(table.get("domain")), bool(table.get("finding")), bool(table.get("url") or table.get("username"))]
    if sum(kinds) != 1:
        raise ConfigError(f"{where}: ignore rule needs exactly one of 'domain', 'finding', or 'url'/'username'")
    until = _date(table.get("until"), where, "until")
    if table.get("finding") and until is None:
        raise ConfigError(f"{where}: an ignore rule for a finding needs 'until' (a date)")
    finding = table.get("finding")
    if finding is not None and not _is_finding_id(finding):
        raise ConfigError(f"{where}: 'finding' must be a finding id ({FINDING_ID_LEN} hex characters, from a --new run)")
    return Rule(
        id=rule_id,
        reason=reason,
        origin=where,
        domain=normalise_domain(table["domain"]) if table.get("domain") else None,
        source=table.get("source") or None,
        url=table.get("url"),
        username=table.get("username"),
        finding=finding.lower() if finding else None,
        until=until,
        added=_date(table.get("added"), where, "added"),
    )


def normalise_domain(text: str) -> str:
    """A domain as contacts are reported: `www.Example.COM` -> `example.com`."""
    from pwcheck.analyse.domains import contact_domain

    return contact_domain(text.strip()) or text.strip().lower()


def _is_finding_id(text: str) -> bool:
    return len(text) == FINDING_ID_LEN and all(ch in "0123456789abcdef" for ch in text.lower())


def _date(value: Any, where: str, name: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: '{name}' must be a date (YYYY-MM-DD)")


def load_rules(config_rules: Iterable[tuple[dict[str, Any], int | None]] = (), config_path: Path | None = None) -> list[Rule]:
    """Every rule: config.toml's `[[ignore]]` tables first, then ignore.toml's."""
    rules = [
        parse_rule(table, f"config {config_path}:{line or '?'}", f"c{index}")
        for index, (table, line) in enumerate(config_rules, 1)
    ]
    return rules + _file_rules(ignore_file())


def _file_rules(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({type(exc).__name__})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    tables = data.get("rule", [])
    if set(data) - {"rule"} or not isinstance(tables, list):
        raise ConfigError(f"{path}: expected only [[rule]] tables")
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().replace(" ", "") == "[[rule]]"]
    rules = []
    for index, table in enumerate(tables):
        where = f"{path}:{starts[index] if index < len(starts) else '?'}"
        if not isinstance(table.get("id"), int) or isinstance(table.get("id"), bool):
            raise ConfigError(f"{where}: ignore rule needs an integer 'id'")
        rules.append(parse_rule(table, where, str(table["id"])))
    return rules


def add_rule(table: dict[str, Any], today: dt.date | None = None) -> Rule:
    """Validate and append a rule to ignore.toml (created 0600); returns it with its new id."""
    path = ignore_file()
    existing = _file_rules(path)
    next_id = max((int(rule.id) for rule in existing), default=0) + 1
    today = today or dt.date.today()
    rule = parse_rule({**table, "id": next_id, "added": today}, "ignore add", str(next_id))
    if rule.until is not None and rule.until < today:
        raise ConfigError(f"ignore add: --until {rule.until.isoformat()} is in the past")
    _save(path, existing + [rule])
    return Rule(**{**rule.__dict__, "origin": str(path)})


def remove_rule(rule_id: str) -> Rule | None:
    """Drop one rule from ignore.toml; None if no rule there has that id."""
    path = ignore_file()
    rules = _file_rules(path)
    kept = [rule for rule in rules if rule.id != rule_id]
    if len(kept) == len(rules):
        return None
    _save(path, kept)
    return next(rule for rule in rules if rule.id == rule_id)


def _save(path: Path, rules: list[Rule]) -> None:
    import tomli_w

    from pwcheck.system.files import replace_private

    header = "# pwcheck ignore rules, rewritten by `pwcheck ignore add|remove` (comments here are not kept).\n\n"
    # One [[rule]] block per rule (tomli-w would inline short ones): readable, and errors get a line.
    text = header + "\n".join("[[rule]]\n" + tomli_w.dumps(rule.to_table()) for rule in rules)
    replace_private(path, text)


def first_match(rules: Iterable[Rule], credential: Any, domain: str | None, finding_id: str | None, today: dt.date) -> Rule | None:
    """The first active rule covering this entry, or None."""
    for rule in rules:
        if rule.active(today) and rule.matches(credential, domain, finding_id):
            return rule
    return None
