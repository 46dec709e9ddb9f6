"""The Public Suffix List, read from the snapshot `tldextract` ships, without importing `tldextract`.

Why not call `tldextract`: importing it imports `requests` (and urllib3, charset
detection, ...) to fetch lists pwcheck never fetches, which was the largest single
part of an audit's start-up (issue 19). The list itself is still `tldextract`'s: its
package carries a PSL snapshot (`.tld_set_snapshot`), found here with
`importlib.util.find_spec`, which locates the package without running it. When that file is
missing (a future `tldextract` that moves it), `pwcheck.analyse.domains` falls back to
`tldextract` itself.

The lookup answers exactly as `tldextract.TLDExtract(include_psl_private_domains=True)`
does for a lowercase ASCII host (tests/analyse/test_suffixes.py holds the two to the same
answers over every rule of the list): the host's labels are walked from the right through
the rules; a label under a wildcard rule (`*.ck`) is part of the suffix unless an exception
(`!www.ck`) names it; labels in punycode are compared in Unicode, as the list writes them.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SNAPSHOT = ".tld_set_snapshot"
# A rule is the first token of a line that starts with a word character, or with `.`, `*` or `!`
# before one; comments (`//`) and blank lines are not rules.
_RULES = re.compile(r"^[.*!]*\w\S*", re.MULTILINE)


@dataclass
class Suffixes:
    """The rules as sets of dotted paths (`co.uk`): every path a rule passes through, the rules
    themselves, the paths under which a wildcard rule stands, and the exception rules."""

    nodes: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    wildcards: set[str] = field(default_factory=set)

    def suffix_start(self, labels: list[str]) -> int | None:
        """The index of the first label of the public suffix, or None when no rule matches."""
        found = None
        index = len(labels)
        path = ""
        for label in reversed(labels):
            name = _unicode(label)
            child = f"{name}.{path}" if path else name
            if child in self.nodes:
                index -= 1
                path = child
                if child in self.rules:
                    found = index
                continue
            if path in self.wildcards:
                return index if f"!{child}" in self.nodes else index - 1
            break
        return found

    def registrable(self, host: str) -> str:
        """The registrable domain (suffix plus one label); "" when the host has none."""
        labels = host.split(".")
        start = self.suffix_start(labels)
        if start is None or start == 0:
            return ""
        return ".".join(labels[start - 1:])


def _unicode(label: str) -> str:
    """A host label as the list writes it: punycode decoded (IDNA), else the label as it is."""
    lowered = label.lower()
    if lowered.startswith("xn--"):
        try:
            import idna

            return str(idna.decode(lowered))
        except (ImportError, UnicodeError, IndexError, ValueError):
            pass
    return lowered


def parse(text: str) -> Suffixes:
    """Every rule of the list, in one pass of the regex over the text (lines as `splitlines` cuts them).

    The list is parsed on every audit, in the thread that works out contacts while the
    ranges are fetched: a `Suffixes.add` per line took 20 ms of CPU that the event loop
    then waited for; sets built in bulk take under half that.
    """
    rules = set(_RULES.findall("\n".join(text.splitlines())))
    nodes = set(rules)
    for rule in rules:
        dot = rule.find(".")
        while dot >= 0:
            nodes.add(rule[dot + 1:])
            dot = rule.find(".", dot + 1)
    wildcards = {rule[2:] for rule in rules if rule.startswith("*.")}
    return Suffixes(nodes, rules, wildcards)


def snapshot_path() -> Path | None:
    """Where the installed `tldextract` keeps its PSL snapshot (None if it is not there)."""
    spec = importlib.util.find_spec("tldextract")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / SNAPSHOT
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def shipped() -> Suffixes | None:
    """The list from `tldextract`'s snapshot, parsed once per process; None when it cannot be read."""
    path = snapshot_path()
    if path is None:
        return None
    try:
        return parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError):
        return None
