"""Sources that are not files: a keychain, a password store, anything that streams items.

The audit pipeline reads export files by path; everything else reaches it as an
`ItemSource`: a display name and a function that streams events. Besides credentials
and skipped items, a source may yield a `Note` (something the person should know, shown
with the report) or an `InputError` for a part it could not read (a locked collection, an
entry gpg could not decrypt) while the rest of it is still read. Raising `InputError`
instead ends that source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Union

from pwcheck.credential import Credential, Skipped
from pwcheck.errors import InputError


@dataclass(frozen=True, slots=True)
class Note:
    """A remark about a source, shown with the report (never about a secret)."""

    source: str
    message: str


SourceEvent = Union[Credential, Skipped, Note, InputError]


@dataclass(frozen=True)
class ItemSource:
    """A named stream of events; `read` is called once, when the audit collects."""

    name: str
    read: Callable[[], Iterable[SourceEvent]]


def with_skip_summary(source: str, events: Iterable[SourceEvent]) -> Iterator[SourceEvent]:
    """The events unchanged, then a Note saying how many items were skipped and why.

    Keychains mix logins with keys, tokens and notes; the person should see at a glance
    that those were left out on purpose (`2 item(s) skipped: 1 secure note, 1 ...`).
    """
    reasons: Counter[str] = Counter()
    for event in events:
        if isinstance(event, Skipped):
            reasons[event.reason] += 1
        yield event
    if reasons:
        parts = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
        yield Note(source, f"{sum(reasons.values())} item(s) skipped: {parts}")


def requested_sources(
    keychain: bool, collections: tuple[str, ...], pass_store: str | None, notify: Callable[[str], None]
) -> list[ItemSource]:
    """The non-file sources the command line asked for (`--collection` implies `--keychain`).

    `pass_store` is None when not asked for, "" for the default store, else a directory.
    """
    sources: list[ItemSource] = []
    if keychain or collections:
        from pwcheck.sources.keychain import keychain_source

        sources.append(keychain_source(collections, notify))
    if pass_store is not None:
        from pwcheck.sources.pass_store import pass_store_source

        sources.append(pass_store_source(pass_store or None))
    return sources
