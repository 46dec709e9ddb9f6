"""The first stage: read every source into one `Collected`, whatever fails in one of them.

A source that fails is recorded as an error and the others are still read; a reader
bug, a hostile file too large or too deep to read, or an item count no real vault has
ends only that source, with a message that names no field of it.
"""

from __future__ import annotations

from typing import Callable, Iterable

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import Collected, ItemSource, Note, SourceEvent
from pwcheck.sources.strength import Scorer, scoring_run
from pwcheck.system.logs import get_logger, log_kv

log = get_logger(__name__)
# A real vault holds thousands of logins; a file with more items than this is hostile or
# not an export, and reading on would only grow memory.
MAX_ITEMS_PER_FILE = 1_000_000


def collect(
    sources: Iterable[ItemSource], *, strength: bool = True, background: bool = False, scorer: Scorer | None = None
) -> Collected:
    """Read every source in turn; an unreadable one becomes an error and the rest go on.

    Items read before a bad line are still audited, but only a file read to the end
    counts as `read_ok` (the only files `--delete-exports` may delete). Every password is
    scored as it is read, once per distinct password (`pwcheck.sources.strength`), unless
    `strength` is False (`--checks` without `weak`). With `background`, the scores are worked
    out in a thread while the audit goes on (`Collected.settle_scores` waits for them), by the
    `scorer` child when one was started ahead (`strength.start_scorer`).
    """
    collected = Collected()
    with scoring_run(strength, background, scorer) as scoring:
        for source in sources:
            if _drain(collected, source.name, source.read):
                collected.complete.append(source.name)
                if source.file is not None and source.file.identity is not None:
                    collected.read_ok.append(source.file)
    log_kv(log, "strength-scored", passwords=scoring.scored, enabled=strength, background=background)
    if background and strength:
        collected.pending_scores = scoring.results
    return collected


def _drain(collected: Collected, name: str, read: Callable[[], Iterable[SourceEvent]]) -> bool:
    """Sort one source's events into `collected`; a failure ends only this source.

    Returns True when the source was read to the end without any error.
    """
    credentials: list[Credential] = []
    skipped: list[Skipped] = []
    errors: list[InputError] = []
    try:
        for item in read():
            if isinstance(item, Credential):
                credentials.append(item)
            elif isinstance(item, Skipped):
                skipped.append(item)
            elif isinstance(item, Note):
                collected.notes.append(item)
            else:
                errors.append(item)  # the source reports it and reads on
            if len(credentials) + len(skipped) + len(errors) > MAX_ITEMS_PER_FILE:
                credentials, skipped = [], []
                errors = [InputError(name, f"more than {MAX_ITEMS_PER_FILE:,} items: not a password export")]
                break
    except InputError as exc:
        errors.append(_detached(exc))
    except (MemoryError, RecursionError):
        credentials, skipped = [], []
        errors.append(InputError(name, "too large or too deeply nested to read"))
    except Exception as exc:  # noqa: BLE001 - a reader bug must not end the audit or leak a field
        # Only the type is kept: an exception's message could quote a field of the file.
        errors.append(InputError(name, f"could not be read ({type(exc).__name__})"))
    collected.credentials.extend(credentials)
    collected.skipped.extend(skipped)
    collected.errors.extend(errors)
    log_kv(log, "source-read" if not errors else "source-unreadable", source=name,
           credentials=len(credentials), skipped=len(skipped), errors=len(errors))
    return not errors


def _detached(exc: InputError) -> InputError:
    """The error without its traceback and context, which it would otherwise keep for the whole run.

    A traceback holds the reader's frames (the row being read) and a `from None` still
    keeps `__context__` (a UnicodeDecodeError holds the raw bytes): either is a password
    reachable from the report. The message already says all there is to say.
    """
    exc.__traceback__ = None
    exc.__context__ = None
    exc.__cause__ = None
    return exc
