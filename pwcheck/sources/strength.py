"""How hard a password is to guess: zxcvbn's score (0-4), taken while the text is in hand.

`make_credential` calls `strength` right after hashing, so the score is worked out from
the same text the digest is, and then only the small integer is kept on the `Credential`:
the password itself is dropped with the rest of the row. The username and the labels of
the site's host are given as zxcvbn's user inputs (a password built from `alice` for
`alice@example.com` at `shop.example.com` is weaker than its length says), as its authors
intend.

Implementation: `zxcvbn-rs-py`, the Python binding of the Rust port. Measured on 500
realistic passwords (benchmarks/audit.py, `strength` rows): about 10x faster than the pure
Python port `zxcvbn`, with the same scores for all but a handful, and the pure port alone
would have made an audit of 500 passwords more than 10% slower.

Only the first `MAX_SCORED` characters are scored, as zxcvbn's authors advise: its matchers
take time that grows faster than the length (every substring is tried against every
dictionary), so a pasted 1 MiB "password" would stall the run, and any 100 characters that
are not one long repetition already score 4.

Within one collection run (`scoring_run`, entered by `pwcheck.sources.collect.collect`) a
score is remembered per digest: the same password read twice (two exports, two sites)
gets the score of its first reading, and costs one scoring. The memo holds digests and
scores only, and lives as long as the run.

In the audit (`background=True`) the scoring runs beside the audit instead of before it
(issue 18's target: scoring costs at most 10% of an audit; see benchmarks/audit.py): each
distinct password, cut to `MAX_SCORED` characters, waits in a bounded queue for a thread that
hands it to a scorer child process (`pwcheck.sources._scorer`: zxcvbn holds the GIL, so only
another process can score on the other core while the audit reads, checks and analyses), or,
when no child can be started, scores it in the thread itself. Each text is dropped once handed
on or scored; the credentials get their scores when `Scoring.results()` has collected them
(`pwcheck.audit.run_audit`, before the verdicts). A full queue makes the reader wait, so memory
stays bounded whatever the export's size.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterable, Iterator
from urllib.parse import urlsplit

MAX_SCORED = 100
Scorer = subprocess.Popen[bytes]  # the scorer child process (`_scorer.py`)
QUEUED = 4096  # passwords waiting for the scoring thread at most; the reader waits beyond it
_SKIPPED_LABELS = frozenset({"www", "com", "net", "org", "http", "https"})


class Scoring:
    """One run's scoring: on or off (`--checks` without `weak`), and its memo per digest.

    `background`: scores are worked out in a thread and `score` answers None at once; the
    run's scores are then `results()`, which waits for the thread.
    """

    def __init__(self, enabled: bool = True, background: bool = False, scorer: Scorer | None = None) -> None:
        self.enabled = enabled
        self.background = background
        self._scores: dict[bytes, int | None] = {}
        self._queue: queue.Queue[tuple[bytes, str, list[str]] | None] | None = None
        self._thread: threading.Thread | None = None
        self._scorer = scorer  # a child started ahead (`start_scorer`), handed to the thread

    def score(self, digest: bytes, password: str, username: str | None, urls: Iterable[str]) -> int | None:
        if not self.enabled:
            return None
        if digest not in self._scores:
            if self.background:
                self._scores[digest] = None  # a placeholder until the thread has scored it
                self._enqueue(digest, password[:MAX_SCORED], user_inputs(username, urls))
                return None
            self._scores[digest] = score(password, user_inputs(username, urls))
        return self._scores[digest]

    def _enqueue(self, digest: bytes, text: str, inputs: list[str]) -> None:
        if self._queue is None:
            self._queue = queue.Queue(maxsize=QUEUED)
            child, self._scorer = self._scorer or _scorer(), None
            self._thread = threading.Thread(target=self._work, args=(self._queue, child), name="pwcheck-strength", daemon=True)
            self._thread.start()
        self._queue.put((digest, text, inputs))

    def _work(self, waiting: "queue.Queue[tuple[bytes, str, list[str]] | None]", child: Scorer | None) -> None:
        sent: list[bytes] = []
        while True:
            try:
                item = waiting.get_nowait()
            except queue.Empty:
                _flush(child)  # nothing more for now: what is buffered goes to the child before the wait
                item = waiting.get()
            if item is None:
                break
            digest, text, inputs = item
            del item
            if child is not None and child.stdin is not None:
                try:
                    child.stdin.write(json.dumps([text, inputs]).encode("ascii") + b"\n")
                    sent.append(digest)
                    del text
                    continue
                except OSError:  # the child is gone: what it had is collected below, the rest scored here
                    pass
            self._scores[digest] = score(text, inputs)  # one dict store: atomic under the GIL
            del text
        if child is not None:
            for digest, value in zip(sent, _collect(child)):
                self._scores[digest] = value

    def results(self) -> dict[bytes, int | None]:
        """Every score of the run, once the scoring thread (if any) has emptied its queue."""
        if self._queue is not None and self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue, self._thread = None, None
        return self._scores

    @property
    def scored(self) -> int:
        """How many distinct passwords were scored in this run."""
        return len(self._scores)


def start_scorer() -> Scorer | None:
    """A scorer child started now, for `collect(..., scorer=)`; None where none can run.

    The audit starts it before it imports its pipeline: the child's own start-up (an
    interpreter and zxcvbn, ~45 ms, on the other core) then overlaps the parent's imports
    instead of following the first password read. Its last score was what the report
    waited for after the range check (issue 19). A run that reads no password stops it
    unused (`stop_scorer`); until then it has been given nothing.
    """
    return _scorer()


def stop_scorer(child: Scorer | None) -> None:
    """End a scorer child that is still running (unused, or its run cut short): killed, then reaped."""
    if child is not None and child.poll() is None:
        child.kill()
        child.wait()


def _scorer() -> Scorer | None:
    """The scorer child, or None where none can run (a frozen build, no interpreter to start)."""
    if getattr(sys, "frozen", False) or not sys.executable:
        return None
    try:
        from pathlib import Path

        script = Path(__file__).with_name("_scorer.py")
        return subprocess.Popen([sys.executable, "-I", str(script)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None


def _flush(child: Scorer | None) -> None:
    """Send what the pipe's buffer holds. Without it the last few kilobytes of passwords reached the
    child only when the run asked for the results, and the report waited for their scoring (issue 19)."""
    if child is not None and child.stdin is not None:
        try:
            child.stdin.flush()
        except OSError:  # the child is gone: the next write finds out and scores the rest here
            pass


def _collect(child: subprocess.Popen[bytes]) -> list[int | None]:
    """The child's scores in the order sent; a child that failed leaves the rest unscored (None)."""
    try:
        out, _ = child.communicate(timeout=600)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        child.kill()
        child.wait()
        return []
    return [int(line) if line.isdigit() else None for line in out.decode("ascii", "replace").splitlines()]


_RUN: ContextVar[Scoring | None] = ContextVar("pwcheck_scoring", default=None)


@contextmanager
def scoring_run(enabled: bool = True, background: bool = False, scorer: Scorer | None = None) -> Iterator[Scoring]:
    """Every `strength` call inside uses this run's memo (and is a no-op when not `enabled`).

    `scorer`: a child started ahead (`start_scorer`) for the background thread; stopped
    at the end if no password came to need it.
    """
    run = Scoring(enabled, background, scorer)
    token = _RUN.set(run)
    try:
        yield run
    finally:
        _RUN.reset(token)
        stop_scorer(run._scorer)  # noqa: SLF001 - still here only if no thread took it


def strength(digest: bytes, password: str, username: str | None, urls: Iterable[str]) -> int | None:
    """The password's score (0-4) in the current run, or None when scoring is off or failed.

    Outside a run (a reader called on its own, in a test) every call scores afresh.
    """
    run = _RUN.get()
    if run is None:
        return score(password, user_inputs(username, urls))
    return run.score(digest, password, username, urls)


def score(password: str, inputs: list[str]) -> int | None:
    """zxcvbn's score of the first `MAX_SCORED` characters; None if the library refuses the text.

    The library is imported here, on first use: `--help` and the commands that read no
    password never load it.
    """
    import zxcvbn_rs_py

    try:
        return int(zxcvbn_rs_py.zxcvbn(password[:MAX_SCORED], inputs).score)
    except BaseException as exc:
        # A Rust panic arrives as pyo3's PanicException, a BaseException: it means "no
        # score", never the end of the run. Its message is dropped (it could quote the text).
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        return None


def user_inputs(username: str | None, urls: Iterable[str]) -> list[str]:
    """What zxcvbn should treat as known to an attacker: the username (and an address's
    local part) and the labels of each URL's host (`shop`, `example` of `shop.example.com`)."""
    inputs: list[str] = []
    if username:
        inputs.append(username[:MAX_SCORED])
        local, at, _ = username.partition("@")
        if at and local:
            inputs.append(local[:MAX_SCORED])
    for url in urls:
        for label in _host(url).split("."):
            if len(label) >= 3 and label not in _SKIPPED_LABELS:
                inputs.append(label)
    return list(dict.fromkeys(inputs))


def _host(url: str) -> str:
    """The lower-case host of a URL with or without a scheme ("" when there is none)."""
    text = url.strip()[:2048]
    try:
        host = urlsplit(text if "://" in text else "//" + text).hostname
    except ValueError:
        return ""
    return host or ""
