"""`--bitwarden`, `--1password`, `--rbw`: a password manager read through its own command-line tool.

The vault stays where it is: its own CLI (`bw`, `op`, `rbw`), already unlocked by the user,
prints the items as JSON and each is hashed as it is read, as an export row would be. This
module is the one way those programs are run; each tool is a small module (`vault_bitwarden`,
`vault_onepassword`, `vault_rbw`) defining `TOOL`, a `VaultCli`, registered in `TOOLS`.

- Run without a shell, from PATH, with a fixed argument list, stdin closed (or fed the bytes
  given), in a session of its own so that a timeout kills it with everything it started.
- Bounded: stdout past `MAX_OUTPUT_BYTES` or a run past its time limit kills the program and is
  an `InputError` (not read, exit 2), never a clean audit. JSON goes through `_input.parse_json`
  (values counted before parsing, `system/bounded_json.py`).
- Nothing the program prints is ever shown or logged: stdout holds the passwords, and stderr may
  echo anything (a session key, a field). It is only matched against each tool's fixed "locked"
  and "not signed in" phrases; every message pwcheck prints about a run is fixed text.
- pwcheck never asks for, reads or passes a master password. A locked or signed-out vault is a
  `VaultLocked` error naming the command that unlocks it. The environment is passed on
  (`BW_SESSION`, `OP_SESSION_*`, the agent sockets) less pwcheck's own `PWCHECK_*` settings.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import IO, Any, Iterator, Sequence

from pwcheck.model.errors import InputError
from pwcheck.model.source import ItemSource, SourceEvent
from pwcheck.sources._input import MAX_JSON_BYTES, MAX_JSON_VALUES, parse_json
from pwcheck.sources.interface import with_skip_summary
from pwcheck.system.bounded_json import value_count
from pwcheck.system.registry import Registry

# The most a tool may print: a vault's JSON is far smaller (10,000 logins are a few MiB).
MAX_OUTPUT_BYTES = MAX_JSON_BYTES
# Of stderr only the start is kept, to match the fixed phrases; the rest is read and dropped.
MAX_STDERR_BYTES = 64 * 1024
# A whole vault listed at once (`bw` decrypts every item before printing): generous, but bounded.
TIMEOUT_S = 300.0
# One small answer: a status, one item.
SHORT_TIMEOUT_S = 30.0
STATUS_TIMEOUT_S = 10.0
_CHUNK = 64 * 1024

NOT_INSTALLED = "not installed"
LOCKED = "locked"
NOT_SIGNED_IN = "not signed in"


class VaultLocked(InputError):
    """The vault CLI answered that it is locked or signed out: exit 2 with the command that unlocks it."""

    def __init__(self, source: str, state: str, hint: str) -> None:
        super().__init__(source, f"the vault is {state}: {hint}, then run pwcheck again (pwcheck never asks for "
                                 "a master password)")
        self.state = state


@dataclass(frozen=True)
class Completed:
    """One finished run: its exit code and what it printed (stdout holds secrets: never shown)."""

    returncode: int
    stdout: bytes = field(repr=False)  # the decrypted vault: never in a repr
    stderr: bytes = field(repr=False)


class VaultCli(ABC):
    """One vault command-line tool: how to find it, read it, tell its state, and unlock it."""

    program: str  # the executable looked up on PATH
    source: str  # the source name reports show ("bitwarden (bw)")
    fmt: str  # each credential's `format`
    # state -> the command that gets the vault out of it (the end of "the vault is locked: ...").
    hints: dict[str, str]
    # Lower-case phrases of the tool's own messages -> the state they mean.
    markers: tuple[tuple[bytes, str], ...]

    @abstractmethod
    def items(self, program: str) -> Iterator[SourceEvent]:
        """Every item as a credential, a skipped item or an `InputError`, as the CLI gives them."""

    @abstractmethod
    def state(self, program: str) -> str:
        """"unlocked", "locked" or "not signed in", asked in a way that never unlocks or prompts."""

    def read(self) -> Iterator[SourceEvent]:
        """The source's events, ending with how many items were skipped and why."""
        program = self.find()
        if program is None:
            raise InputError(self.source, f"{self.program} not found on PATH: install it, or leave out this option")
        yield from with_skip_summary(self.source, self.items(program), kind=_without_position)

    def find(self) -> str | None:
        return shutil.which(self.program)

    def run(self, program: str, args: Sequence[str], what: str, *, stdin: bytes | None = None,
            timeout: float | None = None) -> Completed:
        """Run `program args`; an error unless it finished in time, within the output cap, with exit 0."""
        done = self.ask(program, args, what, stdin=stdin, timeout=timeout)
        if done.returncode != 0:
            raise self.failure(done, what)
        return done

    def ask(self, program: str, args: Sequence[str], what: str, *, stdin: bytes | None = None,
            timeout: float | None = None) -> Completed:
        """Run `program args` and return how it ended, whatever its exit code (a status question)."""
        return execute(self.source, [program, *args], what, stdin=stdin, timeout=TIMEOUT_S if timeout is None else timeout)

    def failure(self, done: Completed, what: str) -> InputError:
        """Why a run failed, in fixed words: locked or signed out (with the unlock command), else its exit code."""
        state = self.classify(done)
        if state is not None:
            return VaultLocked(self.source, state, self.hints[state])
        return InputError(self.source, f"`{self.program} {what}` failed (exit code {done.returncode}); "
                                       "its own messages are not shown, as they may hold vault data: run it yourself to see")

    def classify(self, done: Completed) -> str | None:
        """The state the tool's messages name, if any (stderr, and the start of stdout: some print errors there)."""
        said = (done.stderr + b"\n" + done.stdout[:4096]).lower()
        return next((state for marker, state in self.markers if marker in said), None)

    def json(self, done: Completed) -> Any:
        """The run's stdout as one JSON document, bounded (`_input.parse_json`)."""
        utf8_text(done.stdout, self.source)  # parse_json's own words are for a file ("export again")
        return parse_json(done.stdout, self.source)


def _without_position(reason: str) -> str:
    """"item 3: card" -> "card": the summary counts kinds, each skipped item keeps its position."""
    position, sep, rest = reason.partition(": ")
    return rest if sep and position.startswith("item ") else reason


def execute(source: str, argv: list[str], what: str, *, stdin: bytes | None, timeout: float) -> Completed:
    """Run `argv` (no shell) with the output capped and a time limit; kill it and raise past either."""
    program = os.path.basename(argv[0])
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=child_environment(), start_new_session=os.name == "posix",
        )
    except OSError as exc:
        raise InputError(source, f"could not run {program} ({type(exc).__name__})") from None
    assert process.stdout is not None and process.stderr is not None
    out = _Reader(process.stdout, MAX_OUTPUT_BYTES, on_full=lambda: _kill(process))
    err = _Reader(process.stderr, MAX_STDERR_BYTES, on_full=None)
    threads = [threading.Thread(target=out.run, daemon=True), threading.Thread(target=err.run, daemon=True)]
    if stdin is not None:
        assert process.stdin is not None
        threads.append(threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True))
    for thread in threads:
        thread.start()
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise InputError(source, f"`{program} {what}` gave no complete answer within {timeout:g} s: not read") from None
    finally:
        for thread in threads:
            thread.join(timeout=5)
    if any(thread.is_alive() for thread in threads) or out.failed:
        raise InputError(source, f"`{program} {what}` output could not be read to its end: not read")
    if out.full:
        raise InputError(source, f"`{program} {what}` printed more than {MAX_OUTPUT_BYTES >> 20} MiB: not read")
    return Completed(returncode, bytes(out.data), bytes(err.data))


def child_environment() -> dict[str, str]:
    """This process's environment for the vault CLI (its session variables and agent sockets), less `PWCHECK_*`."""
    return {name: value for name, value in os.environ.items() if not name.upper().startswith("PWCHECK_")}


class _Reader:
    """Reads a pipe to its end, keeping at most `cap` bytes; past it, `full` and `on_full()` (stdout: kill)."""

    def __init__(self, pipe: IO[bytes], cap: int, on_full: Any) -> None:
        self.pipe = pipe
        self.cap = cap
        self.on_full = on_full
        self.data = bytearray()
        self.full = False
        self.failed = False  # the pipe broke before its end: what was kept is not the whole output

    def run(self) -> None:
        try:
            while chunk := self.pipe.read1(_CHUNK):  # type: ignore[attr-defined]
                room = self.cap - len(self.data)
                if len(chunk) > room:
                    self.data += chunk[:max(room, 0)]
                    if self.on_full is not None:
                        self.full = True
                        self.on_full()
                        return
                    continue  # stderr: drained, not kept
                self.data += chunk
        except (OSError, ValueError):
            self.failed = True
        finally:
            self.pipe.close()


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
    except (OSError, ValueError):  # the program exited or was killed before reading it all
        pass
    finally:
        try:
            pipe.close()
        except OSError:
            pass


def _kill(process: subprocess.Popen[bytes]) -> None:
    """The program and everything it started (its own session on POSIX), by its process id."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def utf8_text(data: bytes, source: str) -> str:
    """The output as text; an InputError raised outside the `except`, so that no UnicodeDecodeError (which
    holds the whole output, every password) stays attached to it as its context."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raise InputError(source, "the output is not UTF-8 text: not read")


def json_stream(data: bytes, source: str) -> Iterator[Any]:
    """JSON documents printed one after another (`op item get -`), bounded like one document."""
    if len(data) > MAX_JSON_BYTES:
        raise InputError(source, f"JSON output larger than {MAX_JSON_BYTES >> 20} MiB")
    text = utf8_text(data, source)
    if value_count(text, MAX_JSON_VALUES) > MAX_JSON_VALUES:
        raise InputError(source, f"JSON output with more than {MAX_JSON_VALUES:,} values: not read")
    decoder = json.JSONDecoder()
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"invalid JSON ({exc.msg})") from None
        except RecursionError:
            raise InputError(source, "JSON nested too deeply") from None
        yield document


TOOLS: Registry[VaultCli] = Registry("vault CLI", {
    "bitwarden": "pwcheck.sources.vault_bitwarden:TOOL",
    "1password": "pwcheck.sources.vault_onepassword:TOOL",
    "rbw": "pwcheck.sources.vault_rbw:TOOL",
})


def vault_source(name: str) -> ItemSource:
    """The vault read through its CLI (`name` from `TOOLS`), read when the audit collects."""
    tool = TOOLS.get(name)
    return ItemSource(tool.source, tool.read)


def status() -> list[tuple[str, str]]:
    """(tool, "found at PATH, unlocked" / "..., locked" / "..., not signed in", or "not installed"), for
    `pwcheck sources`. Asking never unlocks or prompts; an answer that does not come is said as such."""
    rows: list[tuple[str, str]] = []
    for tool in TOOLS.all():
        program = tool.find()
        if program is None:
            rows.append((tool.source, NOT_INSTALLED))
            continue
        try:
            state = tool.state(program)
        except InputError:  # no answer in time, or one out of shape
            state = "state unknown"
        rows.append((tool.source, f"found at {program}, {state}"))
    return rows
