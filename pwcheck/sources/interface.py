"""The interface every source implements: recognise an input by content, then read it.

A source never returns a password: it yields `Credential` records (password already
hashed) and `Skipped` records for items it deliberately does not check.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator

from pwcheck.model.credential import ChangeKind, Credential, Skipped, SourceItem, UnhashablePassword, password_sha1
from pwcheck.model.source import Note, SourceEvent
from pwcheck.sources._input import InputFile
from pwcheck.sources.strength import strength


class SourceFormat(ABC):
    """One export format. `name` is what `--input-format` takes."""

    name: str
    label: str
    carries: str
    export_hint: str = ""
    # The password manager or browser that writes it, as `pwcheck formats` groups them ("Keeper",
    # "1Password"); where two managers write the same file, both, joined with " / ".
    manager: str = ""
    # Tried only when no other format recognised the input (the generic CSV).
    fallback: bool = False
    # Its items can hold a TOTP secret (a CSV layout says so with its `totp` column instead).
    carries_totp: bool = False
    # The kinds of change time its reader gives a credential, in order of preference: ("password",) a
    # password change, ("edit",) any edit, ("password", "edit") the password's history, else the last
    # edit; () none. A CSV layout says so with its `changed` column and `changed_kind` instead.
    changes: tuple[ChangeKind, ...] = ()

    def change_kinds(self) -> tuple[ChangeKind, ...]:
        """The change times this reader gives (see `changes`): what `pwcheck formats` states."""
        return self.changes

    def detects_totp(self) -> bool:
        """Whether this reader tells if an item stores a TOTP secret: what `pwcheck formats` states."""
        return self.carries_totp

    @abstractmethod
    def matches(self, inp: InputFile) -> bool:
        """True when the content is unmistakably this format."""

    @abstractmethod
    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        """Every credential and skipped item, in file order, streamed."""

    def missing_columns(self, header: tuple[str, ...]) -> list[str] | None:
        """For CSV formats: the columns `header` lacks to be this format (None if not CSV)."""
        return None

    def refusal(self, inp: InputFile) -> str | None:
        """Why `--input-format` cannot read `inp` as this format, or None when it can.

        Forcing a format skips detection, not validation: reading a file as the wrong
        format would yield empty or shifted fields, so the reader says no instead.
        """
        return None if self.matches(inp) else f"not a {self.label} export"


# Where KeePass databases keep a TOTP secret: KeePassXC's `otp` (an otpauth:// URI), KeePass 2.47+'s
# `TimeOtp-Secret*` strings, and the older KeeOtp / KeeTrayTOTP plugins' `TOTP Seed`.
KEEPASS_TOTP_FIELDS = ("otp", "TimeOtp-Secret-Base32", "TimeOtp-Secret", "TimeOtp-Secret-Hex", "TimeOtp-Secret-Base64",
                       "TOTP Seed")


class _NoTotp:
    """The format cannot carry a TOTP secret (the default of `make_credential`)."""

    def __repr__(self) -> str:
        return "NO_TOTP"


NO_TOTP: Any = _NoTotp()


def has_secret(value: Any) -> bool:
    """Whether a TOTP field holds something: a non-blank string (a base32 secret or an `otpauth://` URI),
    or a non-empty list or object of such (1PUX and Dashlane nest them). Only the answer is kept."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return any(has_secret(item) for item in value)
    if isinstance(value, dict):
        return any(has_secret(item) for item in value.values())
    return False  # a number, null: no secret


def make_credential(
    inp_name: str,
    fmt: str,
    line: int | None,
    *,
    password: str | None,
    title: str | None,
    urls: list[str],
    username: str | None,
    changed: datetime | None = None,
    changed_kind: ChangeKind | None = None,
    totp: Any = NO_TOTP,
) -> SourceItem:
    """Hash and score the password now and build the record; empty passwords become `Skipped`.

    Every reader goes through here so that the rules (empty password skipped, exact
    bytes hashed, first URL primary, the strength score taken from the same text:
    `pwcheck.sources.strength`) are written once. Only the digest and the score leave
    this call; the text goes no further.
    bytes hashed, first URL primary) are written once. `totp` is the item's one-time-password
    field as the export has it, from a format that can carry one (left out: `NO_TOTP`, the
    format cannot): only whether it holds a secret is kept (`totp_stored`), never the secret.
    """
    if password is None or password == "":
        return Skipped(inp_name, line, "empty password")
    try:
        digest = password_sha1(password)
    except UnhashablePassword as exc:
        return Skipped(inp_name, line, str(exc))
    cleaned = list(dict.fromkeys(u for u in urls if u))  # first URL primary, repeats dropped
    score = strength(digest, password, username, cleaned)
    del password
    return Credential(
        source=inp_name,
        format=fmt,
        line=line,
        title=title or None,
        url=cleaned[0] if cleaned else None,
        username=username or None,
        sha1=digest,
        other_urls=tuple(cleaned[1:]),
        password_changed=changed if changed is not None else None,
        changed_kind=changed_kind if changed is not None else None,
        strength=score,
        totp_stored=None if totp is NO_TOTP else has_secret(totp),
    )


def text(value: Any) -> str | None:
    """A JSON field as text, or None when the export put something else there."""
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list[Any]:
    """A JSON array, or nothing: a hostile export may put any type anywhere."""
    return value if isinstance(value, list) else []


def at_position(item: SourceItem, position: str) -> SourceItem:
    """A JSON or database item's skip reason prefixed with where it is ("item 3"): they have no line."""
    return Skipped(item.source, item.line, f"{position}: {item.reason}") if isinstance(item, Skipped) else item


def with_skip_summary(
    source: str, events: Iterable[SourceEvent], kind: Callable[[str], str] = lambda reason: reason,
) -> Iterator[SourceEvent]:
    """The events unchanged, then a Note saying how many items were skipped and why.

    Keychains mix logins with keys, tokens and notes; the person should see at a glance
    that those were left out on purpose (`2 item(s) skipped: 1 secure note, 1 ...`). `kind`
    is what of a reason is counted (a vault's "item 3: card" counts as "card").
    """
    reasons: Counter[str] = Counter()
    for event in events:
        if isinstance(event, Skipped):
            reasons[kind(event.reason)] += 1
        yield event
    if reasons:
        parts = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
        yield Note(source, f"{sum(reasons.values())} item(s) skipped: {parts}")
