"""Timestamps as exports write them, turned into aware UTC datetimes.

Python 3.10's `fromisoformat` does not accept a trailing `Z`, so it is handled here once.
"""

from __future__ import annotations

from datetime import datetime, timezone


def from_epoch_ms(value: str | int | float | None) -> datetime | None:
    """Unix epoch milliseconds (Firefox), or None for empty or nonsensical values."""
    return from_epoch_s(float(value) / 1000.0) if value is not None and _number(value) else None


def from_epoch_s(value: str | int | float | None) -> datetime | None:
    """Unix epoch seconds, or None for empty, zero or out-of-range values."""
    if not _number(value):
        return None
    seconds = float(value)  # type: ignore[arg-type]
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def from_iso(value: str | None) -> datetime | None:
    """ISO 8601 with or without zone (naive is taken as UTC), or None if unparseable."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _iso_with_long_fraction(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:  # year 1 with a positive offset falls before datetime.min in UTC
        return None


def _iso_with_long_fraction(text: str) -> datetime | None:
    """3.10 accepts only 3 or 6 fraction digits; exports write 1 to 7."""
    if "." not in text:
        return None
    head, _, rest = text.partition(".")
    digits = "".join(ch for ch in rest if ch.isdigit())
    zone = rest[len(digits):]
    try:
        return from_iso(f"{head}.{(digits + '000000')[:6]}{zone}") if digits else None
    except RecursionError:  # pragma: no cover - defensive, cannot recurse twice
        return None


def _number(value: object) -> bool:
    if value is None or value == "":
        return False
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


# Chromium's `Login Data` stores times as microseconds since 1601-01-01 UTC (WebKit/Windows epoch).
WEBKIT_EPOCH_OFFSET_S = 11_644_473_600


def from_webkit_us(value: str | None) -> datetime | None:
    """Chromium's database time (microseconds since 1601), or None for empty, zero or nonsense."""
    if not _number(value):
        return None
    return from_epoch_s(float(value) / 1_000_000 - WEBKIT_EPOCH_OFFSET_S)  # type: ignore[arg-type]
