"""Debug logging (`-v`, `-vv`) that cannot carry a secret.

pwcheck's own log calls name files, formats, counts, statuses and timings, never a
password, a hash, a prefix or a field of an export. As a second line of defence the
handler's filter masks any long run of hex digits (a SHA-1, an NTLM hash or a suffix of
one) before a record is written, whichever library logged it. `-v` shows pwcheck's
records; `-vv` adds the HTTP libraries' (httpx logs the request line, whose only
variable part is the 5-hex prefix that is sent anyway).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from pwcheck.system.display import shown

LOGGER_NAME = "pwcheck"
# 27 hex = an NTLM suffix, the shortest hash fragment pwcheck ever holds; prefixes (5) pass.
_HEX_RUN = re.compile(r"(?i)(?<![0-9a-f])[0-9a-f]{27,}(?![0-9a-f])")
_LIBRARIES = ("httpx", "httpcore", "aiohttp", "hpack", "h2", "asyncio")
_verbosity = 0


def get_logger(name: str) -> logging.Logger:
    """A child of the `pwcheck` logger; silent unless `-v` configured a handler."""
    return logging.getLogger(name if name.startswith(LOGGER_NAME) else f"{LOGGER_NAME}.{name}")


class HexScrubber(logging.Filter):
    """Masks hash-length hex runs in the final message: a safety net, not the main guard.

    Each line also goes through `system.display.shown` (control characters visible, no
    URL userinfo): a library's record can quote a URL or a server's words.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = _scrub(message)
        record.args = None
        if record.exc_text:
            record.exc_text = _scrub(record.exc_text)
        return True


def _scrub(text: str) -> str:
    return "\n".join(shown(_HEX_RUN.sub("<hex redacted>", line)) for line in text.split("\n"))


def configure_logging(verbosity: int) -> None:
    """Send debug records to stderr: 1 = pwcheck's own, 2 = the HTTP libraries' too."""
    global _verbosity
    _verbosity = max(verbosity, 0)
    if verbosity <= 0:
        return
    root = logging.getLogger()
    if not any(isinstance(f, HexScrubber) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("pwcheck debug %(name)s: %(message)s"))
        handler.addFilter(HexScrubber())
        root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger(LOGGER_NAME).setLevel(logging.DEBUG)
    for name in _LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)


def log_kv(logger: logging.Logger, event: str, **fields: Any) -> None:
    """One debug line `event key=value ...`; callers pass structure only (counts, names, codes)."""
    if logger.isEnabledFor(logging.DEBUG):
        text = " ".join(f"{key}={value!r}" if " " in str(value) else f"{key}={value}" for key, value in fields.items())
        logger.debug("%s %s", event, text)


def verbosity() -> int:
    """How many `-v` this command was given."""
    return _verbosity


def log_crash(exc: BaseException) -> None:
    """With `-vv`, the traceback of an unexpected exception, through the scrubbed log.

    Only where the code was (files, lines, functions, source lines) and the exception
    types: an exception's message can quote the data it choked on (a field of an export),
    so no message is shown, and the HexScrubber masks what a source line could spell.
    """
    if _verbosity < 2:
        return
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        parts.insert(0, f"Traceback (most recent call last):\n{frames}{type(current).__name__} (message withheld)\n")
        current = current.__cause__ or current.__context__
    get_logger("pwcheck.crash").error("unexpected error\n%s", "\n".join(parts).rstrip("\n"))
